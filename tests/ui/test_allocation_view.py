"""The allocation view, clicked as a manager would: choose a waiting case and an officer, give a
reason, allocate; refusals shown with the rule; the menu only for managers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.domain.caselist import Urgency
from caseworker.domain.enums import Role
from caseworker.services.cases import allocation
from caseworker.storage.models import AuditEvent, Case, CaseSubject, Officer
from caseworker_ui.managers.allocation import AllocationWindow
from caseworker_ui.models.allocation import LATE, SOON, LoadModel, QueueModel
from caseworker_ui.models.case_list import CaseListModel
from tests.integration.test_managers_work import new_case
from tests.officers import add_team

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    """The officers' ids by login."""
    return add_team(app)


def open_view(qtbot: Any, app: Any, login: str) -> AllocationWindow:
    window = AllocationWindow(app.context(actor=login, today=lambda: TODAY))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    loaded(qtbot, window)
    return window


def loaded(qtbot: Any, window: AllocationWindow) -> None:
    """Until the queue and loads the window asked for (on a worker thread) are shown."""
    qtbot.waitUntil(lambda: not window.loading)


def allocate(qtbot: Any, window: AllocationWindow) -> None:
    """The Allocate button clicked, and the queue and loads read again after it shown."""
    qtbot.mouseClick(window.allocate_button, Qt.MouseButton.LeftButton)
    loaded(qtbot, window)


def click_row(qtbot: Any, table: Any, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def officer_row(window: AllocationWindow, name: str) -> int:
    model = window.load_model
    return next(r for r in range(model.rowCount()) if model.index(r, LoadModel.NAME).data() == name)


def queue_references(window: AllocationWindow) -> list[str]:
    model = window.queue_model
    return [model.index(r, QueueModel.REFERENCE).data() for r in range(model.rowCount())]


def open_cases(window: AllocationWindow, name: str) -> int:
    return window.load_model.index(officer_row(window, name), LoadModel.OPEN).data()


def test_allocating_takes_the_case_off_the_queue_onto_the_officers_load(
    qtbot: Any, app: Any, ids: dict, model_tester: Any
) -> None:
    first = new_case(app)  # Waste, stage 1, unallocated
    new_case(app, received=dt.date(2026, 11, 2))
    new_case(app, area="Housing")  # not Lee's service: not on his queue
    window = open_view(qtbot, app, "lee")
    model_tester(window.queue_model)
    model_tester(window.load_model)
    model_tester(window.history_model)
    assert window.scope_label.text() == "Lee Line: allocating for Waste, stage 1 (line manager)."
    assert queue_references(window) == ["CW-2026-00001", "CW-2026-00002"]
    names = {window.load_model.index(r, 0).data() for r in range(window.load_model.rowCount())}
    assert names == {"Ann Smith", "Bob Jones", "Lee Line (line manager)"}  # Waste, active
    assert open_cases(window, "Bob Jones") == 0

    click_row(qtbot, window.queue_table, 0)
    click_row(qtbot, window.loads_table, officer_row(window, "Bob Jones"))
    assert window.case_label.text().startswith("CW-2026-00001, Pat Doe, Waste, stage 1: not ")
    qtbot.keyClicks(window.reason_edit, "Bob knows the round")
    with qtbot.waitSignal(window.allocated) as told:
        allocate(qtbot, window)
    assert told.args == [first]

    assert window.message_bar.text() == "Allocated CW-2026-00001 to Bob Jones"
    assert queue_references(window) == ["CW-2026-00002"]
    assert open_cases(window, "Bob Jones") == 1
    assert window.history_model.rowCount() == 1
    assert window.history_model.index(0, 2).data() == "Bob Jones"
    assert window.history_model.index(0, 4).data() == "Lee Line"
    assert window.history_model.index(0, 5).data() == "Bob knows the round"
    with app.uow() as uow:
        assert uow.session.get(Case, first).officer_id == ids["bob"]
        events = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.case_id == first, AuditEvent.field == "officer_id")
        ).all()
        assert [(e.actor, e.new_value) for e in events] == [("lee", str(ids["bob"]))]


def test_how_pressing_each_waiting_case_is_is_the_cores_answer(
    qtbot: Any, app: Any, ids: dict
) -> None:
    late = new_case(app, received=dt.date(2026, 10, 1))  # due 29 October
    soon = new_case(app, received=dt.date(2026, 10, 27))  # due Tuesday 24 November
    later = new_case(app, received=dt.date(2026, 11, 2))  # due 30 November
    window = open_view(qtbot, app, "lee")
    model = window.queue_model
    shown = {}
    for row in range(model.rowCount()):
        waiting = model.waiting_at(row)
        brush = model.index(row, QueueModel.DAYS_LEFT).data(Qt.ItemDataRole.BackgroundRole)
        shown[waiting.row.id] = (
            model.index(row, QueueModel.DAYS_LEFT).data(),
            waiting.urgency,
            brush.color() if brush is not None else None,
        )
    assert shown == {
        late: ("17 days late", Urgency.OVERDUE, LATE),
        soon: ("1 day left", Urgency.DUE_SOON, SOON),
        later: ("5 days left", Urgency.ON_TRACK, None),
    }


def test_reallocating_a_case_found_by_reference_needs_a_reason(
    qtbot: Any, app: Any, ids: dict
) -> None:
    new_case(app, officer=ids["ann"])
    window = open_view(qtbot, app, "lee")
    assert queue_references(window) == []
    qtbot.keyClicks(window.reference_edit, "cw-2026-00001")
    qtbot.mouseClick(window.find_button, Qt.MouseButton.LeftButton)
    assert window.case_label.text().endswith("stage 1: with Ann Smith")
    click_row(qtbot, window.loads_table, officer_row(window, "Bob Jones"))
    assert window.allocate_button.text() == "Re&allocate"
    allocate(qtbot, window)
    assert window.message_bar.text() == (
        "Not allocated: moving CW-2026-00001 from one officer to another needs a reason "
        "(reallocations are recorded with their reason)"
    )
    qtbot.keyClicks(window.reason_edit, "Ann is on leave")
    allocate(qtbot, window)
    assert window.message_bar.text() == "Reallocated CW-2026-00001 to Bob Jones"
    assert (open_cases(window, "Ann Smith"), open_cases(window, "Bob Jones")) == (0, 1)
    assert window.history_model.index(0, 3).data() == "Ann Smith"


def test_nobody_is_given_a_complaint_about_themselves(qtbot: Any, app: Any, ids: dict) -> None:
    case_id = new_case(app, subjects=(CaseSubject(officer_id=ids["ann"], name="Ann Smith"),))
    window = open_view(qtbot, app, "lee")
    click_row(qtbot, window.queue_table, 0)
    click_row(qtbot, window.loads_table, officer_row(window, "Ann Smith"))
    assert window.message_bar.text().startswith("Conflict: Ann Smith is named")  # said first
    allocate(qtbot, window)
    assert window.message_bar.text() == (
        "Not allocated: Ann Smith is named in this complaint (Stockport Council's policy: nobody "
        "investigates a complaint about themselves)"
    )
    assert queue_references(window) == ["CW-2026-00001"]
    with app.uow() as uow:
        assert uow.session.get(Case, case_id).officer_id is None


def test_stage_2_is_not_given_to_the_stage_1_officer(qtbot: Any, app: Any, ids: dict) -> None:
    new_case(app, policy="southampton", stage=2, stage1_officer_id=ids["ann"])
    window = open_view(qtbot, app, "cam")  # a complaints manager: every case, every officer
    assert queue_references(window) == ["CW-2026-00001"]
    assert window.queue_model.index(0, QueueModel.STAGE).data() == "Stage 2"
    click_row(qtbot, window.queue_table, 0)
    click_row(qtbot, window.loads_table, officer_row(window, "Ann Smith"))
    allocate(qtbot, window)
    assert window.message_bar.text() == (
        "Not allocated: Ann Smith handled stage 1 of CW-2026-00001 (Southampton City Council's "
        "policy and the Complaint Handling Code: the person handling stage 2 must not be the "
        "one who handled stage 1; policy southampton stage 2: handler_must_differ)"
    )
    click_row(qtbot, window.loads_table, officer_row(window, "Hal Green"))
    allocate(qtbot, window)
    assert window.message_bar.text() == "Allocated CW-2026-00001 to Hal Green"


def test_a_colleague_allocating_first_is_shown_not_overwritten(
    qtbot: Any, app: Any, ids: dict
) -> None:
    case_id = new_case(app)
    window = open_view(qtbot, app, "lee")
    click_row(qtbot, window.queue_table, 0)
    click_row(qtbot, window.loads_table, officer_row(window, "Bob Jones"))
    allocation.allocate(app.context(actor="cam"), case_id, ids["ann"], expected_officer_id=None)
    allocate(qtbot, window)
    assert window.message_bar.text().startswith(
        "Not allocated: CW-2026-00001 was allocated to Ann Smith by Cam Chief at "
    )
    assert queue_references(window) == []  # refreshed: it has gone from the queue
    with app.uow() as uow:
        assert uow.session.get(Case, case_id).officer_id == ids["ann"]


def test_only_managers_get_the_menu_action(qtbot: Any, app: Any, ids: dict) -> None:
    from caseworker_ui.app import main_window

    new_case(app)
    for login, expected in (("ann", False), ("lee", True), ("cam", True), ("visitor", False)):
        opened = open_app(app.url, actor=login, upgrade=False)
        try:
            window = main_window(opened)
            qtbot.addWidget(window)
            action = window.findChild(type(window.quit_action), "allocateAction")
            assert (action is not None) is expected, login
            if expected:
                table = window.table
                table.setCurrentIndex(window.model.index(0, 0))
                action.trigger()
                shown = window.allocation_window
                loaded(qtbot, shown)
                assert shown.case_label.text().startswith("CW-2026-00001")
                if login == "cam":  # allocating there shows in the main list at once
                    click_row(qtbot, shown.loads_table, officer_row(shown, "Bob Jones"))
                    allocate(qtbot, shown)
                    model = window.model
                    qtbot.waitUntil(
                        lambda m=model: m.index(0, CaseListModel.OFFICER).data() == "Bob Jones"
                    )
                shown.close()
            window.close()
        finally:
            opened.close()


@pytest.mark.no_officer
def test_the_first_person_on_an_empty_database_may_allocate(qtbot: Any, app: Any) -> None:
    from caseworker_ui.app import main_window
    from caseworker_ui.case_tabs.common import MessageBar

    window = main_window(app)
    qtbot.addWidget(window)
    notice = window.findChild(MessageBar, "signInNotice")
    assert "recorded as its first complaints manager" in notice.label.text()
    assert window.findChild(type(window.quit_action), "allocateAction") is not None
    with app.uow() as uow:
        assert (
            uow.session.scalar(select(Officer.role).where(Officer.login == "tester"))
            == Role.COMPLAINTS_MANAGER
        )
    window.close()


def test_an_unlinked_login_is_told_which_login_and_how_to_link_it(
    qtbot: Any, app: Any, ids: dict
) -> None:
    from caseworker_ui.app import main_window
    from caseworker_ui.case_tabs.common import MessageBar

    opened = open_app(app.url, actor="visitor", upgrade=False)
    try:
        window = main_window(opened)
        qtbot.addWidget(window)
        notice = window.findChild(MessageBar, "signInNotice")
        assert notice.label.text().startswith(
            "Your login 'visitor' is not linked to an officer "
            "record, so no case is shown to you and you cannot change any"
        )
        assert "--login visitor" in notice.label.text()
        window.close()
    finally:
        opened.close()


def test_a_line_manager_drills_from_a_load_to_the_officers_cases(
    qtbot: Any, app: Any, ids: dict
) -> None:
    """Issue 19: from an officer's load to their cases in the list, by keys; and a case
    recorded meanwhile is in the queue when the manager comes back to the window."""
    from caseworker_ui.app import main_window

    mine, theirs = new_case(app), new_case(app)
    allocation.allocate(app.context(actor="lee"), mine, ids["ann"], expected_officer_id=None)
    allocation.allocate(app.context(actor="lee"), theirs, ids["bob"], expected_officer_id=None)
    opened = open_app(app.url, actor="lee", upgrade=False)
    try:
        window = main_window(opened)
        qtbot.addWidget(window)
        window.show()
        window.findChild(type(window.quit_action), "allocateAction").trigger()
        shown = window.allocation_window
        loaded(qtbot, shown)
        assert queue_references(shown) == []
        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow)
        shown.loads_table.setFocus()
        shown.loads_table.setCurrentIndex(
            shown.load_model.index(officer_row(shown, "Ann Smith"), 0)
        )
        qtbot.keyClick(shown.loads_table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert window.officer_combo.currentData() == ids["ann"]
        model = window.model
        qtbot.waitUntil(lambda: model.rowCount() == 1)
        assert model.index(0, CaseListModel.OFFICER).data() == "Ann Smith"

        # A new case recorded meanwhile waits in the queue when the manager is back.
        new_case(app)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        shown.activateWindow()
        qtbot.waitUntil(lambda: len(queue_references(shown)) == 1)
        shown.close()
        window.close()
    finally:
        opened.close()


def test_a_long_queue_opens_without_reading_every_row_or_reading_it_twice(
    qtbot: Any, app: Any, ids: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 250,000 cases the queue held 3,797 cases and opening the window froze it for 0.7 s:
    Qt sized the columns by asking the first thousand rows for their text, and the window read
    the queue again as it became active. The columns are sized to the rows in view; the queue
    is read once on opening, and again when the manager comes back to the window."""
    for _ in range(60):
        new_case(app)
    asked: set[int] = set()
    own_data = QueueModel.data

    def data(self: QueueModel, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            asked.add(index.row())
        return own_data(self, index, role)

    monkeypatch.setattr(QueueModel, "data", data)
    reads: list[int] = []
    queue = allocation.allocation_queue
    monkeypatch.setattr(allocation, "allocation_queue", lambda ctx: reads.append(1) or queue(ctx))
    window = open_view(qtbot, app, "lee")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table, last = window.queue_table, window.queue_model.rowCount() - 1
    assert last == 59
    assert (
        not table.viewport().rect().intersects(table.visualRect(window.queue_model.index(last, 0)))
    )
    assert asked and last not in asked  # the rows out of sight were not measured
    assert len(reads) == 1

    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(elsewhere.isActiveWindow)
    window.activateWindow()
    qtbot.waitUntil(lambda: len(reads) == 2)  # back in the window: read again

    window.close()  # Esc; opened again from the Manage menu: read once more, not twice
    elsewhere.activateWindow()
    qtbot.waitUntil(elsewhere.isActiveWindow)
    window.reopen()
    qtbot.waitUntil(window.isActiveWindow)
    loaded(qtbot, window)
    assert len(reads) == 3


def test_a_queue_that_cannot_be_read_is_said_so_in_a_line(
    qtbot: Any, app: Any, ids: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The queue is read on a worker thread: a read that fails (the team database gone, say)
    is worded in the message bar, not left saying it is reading, nor a traceback."""
    from caseworker.storage.database import DatabaseUnavailable

    new_case(app)

    def unreachable(ctx: Any) -> list:
        raise DatabaseUnavailable("postgresql://team", "the server is not answering", "try later")

    monkeypatch.setattr(allocation, "allocation_queue", unreachable)
    window = open_view(qtbot, app, "lee")
    assert window.message_bar.text() == (
        "Could not load the cases waiting: cannot open the database postgresql://team: "
        "the server is not answering; try later"
    )
    assert window.scope_label.text() == ""
    assert queue_references(window) == []
