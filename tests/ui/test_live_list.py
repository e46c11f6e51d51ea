"""The case list follows colleagues' changes without a Refresh: a change made through another
person's desk appears by itself (polled on SQLite, notified on PostgreSQL), rows change in
place keeping the selection, an open case window says who changed its case, and a case
checked out for offline work is marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from sqlalchemy import text

from caseworker.domain.enums import Role
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.lists.caselist import CaseList, QuickView
from caseworker.services.team.changes import ChangeFeed
from caseworker.services.team.editing import CaseEditor
from caseworker.services.team.offline import check_out
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Officer
from caseworker_ui.live import watch
from caseworker_ui.main_window import MainWindow
from caseworker_ui.models.case_list import CaseListModel
from tests.ui.keys import show_tab

TODAY = dt.date(2026, 11, 25)


def add_jo(app) -> int:
    with app.uow() as uow:
        jo = Officer(
            name="Jo Bloggs",
            email="jo@council.example",
            role=Role.COMPLAINTS_MANAGER,
            service_area="Complaints",
            login="jbloggs",
            active=True,
        )
        uow.session.add(jo)
        uow.commit()
        return jo.id


def new_case(desk: Context, name: str, received: dt.date = dt.date(2026, 11, 2)) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=received,
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=received,
            complainant=PersonIn(
                name=name,
                address="4 Mill Lane",
                postcode="QQ1 2AB",
                email=f"{name.split()[0].lower()}@example.com",
            ),
            issues=("The ticket was wrong.",),
        ),
    ).id


def main_window(qtbot, app, me: Context, *, poll_ms: int = 20) -> MainWindow:
    window = MainWindow(CaseList(app.context(today=lambda: TODAY)), database="test", desk=me)
    qtbot.addWidget(window)
    watch(window, ChangeFeed(app.engine), poll_ms=poll_ms)
    window.show()
    qtbot.waitExposed(window)
    return window


def texts(window: MainWindow, column: int) -> list[str]:
    model = window.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def view_label(window: MainWindow, view: QuickView) -> str:
    return window.views_model.item(list(QuickView).index(view)).text()


def selected_case(window: MainWindow) -> int | None:
    return window.table.currentIndex().data(CaseListModel.CASE_ID_ROLE)


@pytest.fixture
def desks(app, signed_in) -> tuple[Context, Context]:
    add_jo(app)
    return (
        Context(app.sessions, actor="tester", today=lambda: TODAY),
        Context(app.sessions, actor="jbloggs", today=lambda: TODAY),
    )


def test_a_case_recorded_by_a_colleague_appears_and_the_selection_stays(qtbot, app, desks):
    me, jo = desks
    first = new_case(me, "Priya Shah", dt.date(2026, 11, 2))
    new_case(me, "Tom Parker", dt.date(2026, 11, 3))
    window = main_window(qtbot, app, me)
    window.table.setCurrentIndex(window.model.index(window.model.row_of(first), 1))

    new_case(jo, "Li Wei", dt.date(2026, 11, 4))  # on Jo's machine

    qtbot.waitUntil(lambda: "Li Wei" in texts(window, CaseListModel.COMPLAINANT))
    assert selected_case(window) == first
    assert window.count_label.text() == "3 cases"


def test_a_changed_row_is_updated_in_place(qtbot, app, desks):
    me, _jo = desks
    ids = [
        new_case(me, name, dt.date(2026, 11, n))
        for n, name in enumerate(("Priya Shah", "Tom Parker", "Li Wei"), start=2)
    ]
    window = main_window(qtbot, app, me)
    window.table.setCurrentIndex(window.model.index(window.model.row_of(ids[1]), 0))
    resets: list[bool] = []
    window.model.modelReset.connect(lambda: resets.append(True))
    jo_id = app.sessions().scalar(text("select id from officers where login = 'jbloggs'"))

    with UnitOfWork(app.sessions, "jbloggs") as uow:  # Jo takes Tom Parker's case
        uow.session.get(Case, ids[1]).officer_id = jo_id
        uow.commit()

    row = window.model.row_of(ids[1])
    qtbot.waitUntil(lambda: window.model.index(row, CaseListModel.OFFICER).data() == "Jo Bloggs")
    assert resets == []  # no reset: the rows changed where they are
    assert selected_case(window) == ids[1]


def test_a_case_that_leaves_the_view_is_removed_in_place(qtbot, app, desks):
    me, _jo = desks
    ids = [new_case(me, "Priya Shah"), new_case(me, "Tom Parker")]
    window = main_window(qtbot, app, me)
    window.show_view(QuickView.UNALLOCATED)
    assert window.model.rowCount() == 2
    qtbot.waitUntil(lambda: view_label(window, QuickView.UNALLOCATED) == "Unallocated (2)")
    jo_id = app.sessions().scalar(text("select id from officers where login = 'jbloggs'"))

    with UnitOfWork(app.sessions, "jbloggs") as uow:
        uow.session.get(Case, ids[0]).officer_id = jo_id
        uow.commit()

    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert texts(window, CaseListModel.COMPLAINANT) == ["Tom Parker"]
    assert window.count_label.text() == "1 case"
    # and the quick views' counts follow, read on the worker thread
    qtbot.waitUntil(lambda: view_label(window, QuickView.UNALLOCATED) == "Unallocated (1)")
    assert view_label(window, QuickView.ALL) == "All cases (2)"


def test_an_open_case_window_says_who_changed_it_and_reloads_on_request(qtbot, app, desks):
    me, jo = desks
    case_id = new_case(me, "Priya Shah")
    window = main_window(qtbot, app, me)
    case_window = window.open_case(case_id)
    show_tab(qtbot, case_window, case_window.issues)

    editor = CaseEditor(jo, case_id)
    editor.change_issue(1, "remedy", "Cancel the ticket.")
    editor.save()

    qtbot.waitUntil(lambda: case_window.change_bar.text().startswith("Changed by Jo Bloggs at"))
    assert case_window.issues.text_edits["remedy"].toPlainText() == ""  # not reloaded by itself
    qtbot.mouseClick(case_window.change_bar.reload_button, Qt.MouseButton.LeftButton)
    assert case_window.issues.text_edits["remedy"].toPlainText() == "Cancel the ticket."
    assert case_window.change_bar.isHidden()

    # My own save is no news to me.
    case_window.issues.text_edits["remedy"].setPlainText("Refund the fine.")
    assert case_window.save_now()
    window.live.check()
    assert case_window.change_bar.isHidden()
    case_window.close()


def test_a_checked_out_case_is_marked_in_the_list(qtbot, app, desks, tmp_path: Path):
    me, _jo = desks
    case_id = new_case(me, "Priya Shah")
    window = main_window(qtbot, app, me)

    check_out(
        app.context(actor="jbloggs"),
        ["CW-2026-00001"],
        tmp_path / "copy.sqlite",
        machine="LAPTOP-7",
    )

    row = window.model.row_of(case_id)
    qtbot.waitUntil(
        lambda: window.model.index(row, CaseListModel.STATUS).data() == "Open, checked out"
    )
    reference = window.model.index(row, CaseListModel.REFERENCE)
    assert reference.data(Qt.ItemDataRole.ToolTipRole).startswith(
        "Checked out to Jo Bloggs's laptop (LAPTOP-7) since"
    )
    status = window.model.index(row, CaseListModel.STATUS)
    assert status.data(Qt.ItemDataRole.ToolTipRole) == reference.data(Qt.ItemDataRole.ToolTipRole)
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)


# -- PostgreSQL: told by LISTEN/NOTIFY, not by polling ------------------------------------------


@pytest.fixture
def pg_app(pg_url: str) -> Iterator:
    from caseworker.bootstrap import open_app

    opened = open_app(pg_url, actor="tester")
    yield opened
    opened.close()


@pytest.mark.postgres
def test_on_postgresql_a_colleagues_change_is_notified_at_once(qtbot, pg_app):
    from caseworker.bootstrap import open_app

    with pg_app.uow() as uow:
        uow.session.add(
            Officer(
                name="Terry Tester",
                email="t@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
                login="tester",
                active=True,
            )
        )
        uow.commit()
    add_jo(pg_app)
    me = Context(pg_app.sessions, actor="tester", today=lambda: TODAY)
    new_case(me, "Priya Shah")
    # The poll would come only after 30 s: what arrives sooner came by notification.
    window = main_window(qtbot, pg_app, me, poll_ms=60_000)
    assert window.live.mode == "notify"

    colleague = open_app(pg_app.url, actor="jbloggs")  # Jo's own connection
    try:
        new_case(Context(colleague.sessions, actor="jbloggs", today=lambda: TODAY), "Li Wei")
        qtbot.waitUntil(lambda: "Li Wei" in texts(window, CaseListModel.COMPLAINANT), timeout=5000)
    finally:
        colleague.close()
    window.live.stop()


def test_updates_in_place_keep_the_model_consistent(qtbot, app, desks):
    from PySide6.QtTest import QAbstractItemModelTester

    me, _jo = desks
    ids = [new_case(me, name) for name in ("Priya Shah", "Tom Parker", "Li Wei")]
    model = CaseListModel(CaseList(app.context(today=lambda: TODAY)))
    model.refresh()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_view(QuickView.UNALLOCATED)
    jo_id = app.sessions().scalar(text("select id from officers where login = 'jbloggs'"))
    with UnitOfWork(app.sessions, "jbloggs") as uow:
        uow.session.get(Case, ids[1]).officer_id = jo_id
        uow.session.get(Case, ids[2]).service_area = "Highways"
        uow.commit()

    assert model.update_cases({ids[1], ids[2]})

    assert model.rowCount() == 2 and model.total == 2
    assert model.index(model.row_of(ids[2]), CaseListModel.SERVICE).data() == "Highways"
    assert model.row_of(ids[1]) == -1
    # A case that now matches and is not loaded needs the list reloaded: said, not guessed.
    assert not model.update_cases({new_case(me, "Ann Example")})
    del tester
