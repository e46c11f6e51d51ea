"""The reports dashboard and the retention review, offscreen: a report counted on a worker thread
with the window still responsive, its figures, charts and tables on show, exports written, a
purge that needs the typed count, and both refused, in the rule's words, to whoever may not."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from caseworker.demo import generate_demo
from caseworker.domain.enums import CaseStatus, Channel, Outcome, Role, RouteId
from caseworker.reports import Period, charts
from caseworker.reports import service as reporting
from caseworker.services.context import Context
from caseworker.storage.models import Case, Complainant, Officer
from caseworker_ui.reports.dashboard import ReportsWindow
from caseworker_ui.reports.retention import RetentionDialog

TODAY = dt.date(2026, 11, 25)


FIGURES_RULE = (
    "(reports and the retention list are for managers: a complaints manager for every service, "
    "or a line manager)"
)


@pytest.fixture
def reporter(app: Any) -> Context:
    """A demo database, seen by its complaints manager (the tests' login) on :data:`TODAY`."""
    generate_demo(app.engine, 300, seed=2, today=TODAY)
    return app.context(today=lambda: TODAY)


@pytest.fixture
def dashboard(qtbot: Any, reporter: Context) -> ReportsWindow:
    window = ReportsWindow(reporter)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def show(qtbot: Any, window: ReportsWindow, period: Period) -> None:
    window.set_period(period)
    with qtbot.waitSignal(window.report_ready, timeout=60_000):
        window.show_button.click()


def test_the_dashboard_counts_and_shows_a_year(
    qtbot: Any, dashboard: ReportsWindow, reporter: Context
) -> None:
    assert not dashboard.export_buttons["excel"].isEnabled()  # nothing to export yet
    dashboard.kind_combo.setCurrentIndex(1)  # a year
    dashboard.year_spin.setValue(2026)
    assert dashboard.period() == Period.year(2026)
    with qtbot.waitSignal(dashboard.report_ready, timeout=60_000) as shown:
        dashboard.show_button.click()
    report = shown.args[0]
    expected = reporting.report(reporter, Period.year(2026))
    assert report.figures() == expected.figures()
    received = report.headline("Complaints received").value
    assert received > 100
    assert dashboard.headline_values["Complaints received"].text() == f"{received:,}"
    assert dashboard.headline_values["Answered on time"].text().endswith("%")
    assert set(dashboard.canvases) == {"trend", "outcomes", "timeliness"}
    assert dashboard.table_list.count() == len(report.tables)
    model = dashboard.table_model
    tester = QAbstractItemModelTester(  # kept for the whole test: it checks every reset below
        model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    dashboard.table_list.setCurrentRow([t.key for t in report.tables].index("by-route"))
    assert model.table is not None and model.table.key == "by-route"
    assert model.rowCount() == len(report.table("by-route").rows)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Received"
    for row in range(dashboard.table_list.count()):  # every table through the tester
        dashboard.table_list.setCurrentRow(row)
        assert model.rowCount() == len(report.tables[row].rows)
    assert tester is not None
    assert dashboard.export_buttons["word"].isEnabled()
    assert "counted in" in dashboard.status_label.text()


def test_period_choices(dashboard: ReportsWindow) -> None:
    dashboard.kind_combo.setCurrentIndex(0)
    dashboard.year_spin.setValue(2026)
    dashboard.quarter_combo.setCurrentIndex(2)
    assert dashboard.period() == Period.quarter(2026, 3)
    assert dashboard.from_edit.isHidden()
    dashboard.kind_combo.setCurrentIndex(2)
    assert dashboard.period() == Period.financial_year(2026)
    dashboard.set_period(Period(dt.date(2026, 2, 3), dt.date(2026, 5, 6)))
    assert dashboard.period() == Period(dt.date(2026, 2, 3), dt.date(2026, 5, 6))
    assert not dashboard.from_edit.isHidden()


def test_a_period_ending_before_it_starts_is_explained(dashboard: ReportsWindow) -> None:
    dashboard.set_period(Period(dt.date(2026, 5, 6), dt.date(2026, 5, 6)))
    dashboard.to_edit.setDate(dashboard.from_edit.date().addDays(-1))
    dashboard.show_button.click()
    assert "before it starts" in dashboard.status_label.text()
    assert not dashboard.is_busy()


@pytest.mark.parametrize(
    ("key", "name"), [("excel", "year.xlsx"), ("csv", "year.csv"), ("word", "year.docx")]
)
def test_the_export_buttons_write_files(
    qtbot: Any,
    dashboard: ReportsWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    name: str,
) -> None:
    show(qtbot, dashboard, Period.year(2026))
    target = tmp_path / name
    asked: list[str] = []

    def save_as(parent: Any, caption: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(dashboard.exported, timeout=60_000) as written:
        dashboard.export_buttons[key].click()
    assert written.args == [str(target)]
    assert target.stat().st_size > 0
    assert asked[0].startswith("complaints-report-2026-01-01-to-2026-12-31")
    if key == "excel":
        assert "summary" in load_workbook(target).sheetnames
    assert dashboard.status_label.text() == f"Wrote {target}"


def test_the_default_period_comes_from_the_core(dashboard: ReportsWindow) -> None:
    """Opened on 25 November 2026: the last full quarter (Q3 2026), and this year so far."""
    assert dashboard.period() == Period.quarter(2026, 3)
    dashboard.kind_combo.setCurrentIndex(3)
    assert dashboard.period() == Period.year_to_date(TODAY)


def test_the_window_stays_responsive_while_counting(
    qtbot: Any, reporter: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is held on its worker thread until the test lets it go: meanwhile the
    window's event loop runs (a timer fires, progress shows); no clock is read. The charts are
    drawn on that thread too, not as the report is shown."""
    counted = reporting.report
    started, release = threading.Event(), threading.Event()
    threads: set[int] = set()
    drawn_on: set[int] = set()
    for key, (title, draw) in list(charts.CHARTS.items()):

        def drawing(report: Any, draw: Any = draw) -> Any:
            drawn_on.add(threading.get_ident())
            return draw(report)

        monkeypatch.setitem(charts.CHARTS, key, (title, drawing))

    def held(ctx: Context, period: Period, **kwargs: Any) -> Any:
        threads.add(threading.get_ident())
        if kwargs.get("progress") is not None:
            kwargs["progress"](0, 3, "part 1")
        started.set()
        assert release.wait(60)
        return counted(ctx, period, **kwargs)

    monkeypatch.setattr(reporting, "report", held)
    window = ReportsWindow(reporter)
    qtbot.addWidget(window)
    window.show()
    try:
        window.show_button.click()
        assert window.is_busy() and window.progress.isVisible()
        assert not window.show_button.isEnabled()
        qtbot.waitUntil(started.is_set)
        fired: list[bool] = []
        QTimer.singleShot(0, lambda: fired.append(True))
        qtbot.waitUntil(lambda: bool(fired))  # the event loop runs while the report is held
        qtbot.waitUntil(lambda: "Counting part 1… (1 of 4)" in window.status_label.text())
        assert window.is_busy() and window.report is None
        with qtbot.waitSignal(window.report_ready, timeout=60_000):
            release.set()
    finally:
        release.set()
    assert threads and threading.get_ident() not in threads  # counted on another thread
    assert drawn_on == threads  # and the charts drawn there
    assert set(window.canvases) == set(charts.CHARTS)
    assert not window.progress.isVisible() and window.show_button.isEnabled()


def test_an_investigating_officer_is_told_why_and_counts_nothing(
    qtbot: Any, app: Any, reporter: Context
) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Ian Officer",
                email="ian@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste",
                login="officer",
            )
        )
        uow.commit()
    window = ReportsWindow(reporter.acting_as("officer"))
    qtbot.addWidget(window)
    rule = (
        f"Ian Officer (an investigating officer) may not count the complaint figures {FIGURES_RULE}"
    )
    assert window.refused == rule
    assert not window.show_button.isEnabled()
    assert window.show_button.toolTip() == rule
    assert window.status_label.text() == rule
    window.compute()  # asked anyway (a shortcut): the core refuses on the worker thread
    qtbot.waitUntil(lambda: not window.is_busy())
    assert window.status_label.text() == f"Refused: {rule}"
    assert window.report is None
    assert not window.show_button.isEnabled()
    assert not any(button.isEnabled() for button in window.export_buttons.values())


# -- the retention review -----------------------------------------------------------------------


@pytest.fixture
def old_cases(app: Any) -> None:
    with app.uow() as uow:
        uow.session.add_all(
            [
                Officer(
                    name="Mary Manager",
                    email="mary@council.example",
                    role=Role.COMPLAINTS_MANAGER,
                    service_area="Complaints",
                    login="manager",
                ),
                Officer(
                    name="Ian Officer",
                    email="ian@council.example",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Waste",
                    login="officer",
                ),
                Officer(
                    name="Lee Line",
                    email="lee@council.example",
                    role=Role.LINE_MANAGER,
                    service_area="Waste",
                    login="lee",
                ),
            ]
        )
        for number, closed in enumerate((dt.date(2022, 5, 1), dt.date(2023, 1, 9)), 1):
            uow.session.add(
                Case(
                    reference=f"CW-2022-{number:05d}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    status=CaseStatus.CLOSED,
                    received=closed,
                    channel=Channel.EMAIL,
                    service_area="Waste",
                    closed_on=closed,
                    outcome=Outcome.UPHELD,
                    complainant=Complainant(name=f"Person {number}"),
                )
            )
        uow.commit()


def on_today(app: Any, login: str) -> Context:
    return app.context(actor=login, today=lambda: TODAY)


def complainants(app: Any) -> list[tuple[str, str | None]]:
    """Each old case's reference and its complainant's name, read back."""
    with app.sessions() as session:
        return [
            (case.reference, case.complainant.name if case.complainant else None)
            for case in session.scalars(select(Case).order_by(Case.reference))
        ]


def retention_dialog(qtbot: Any, ctx: Context) -> RetentionDialog:
    """The retention review, once it has read its list (on a worker thread)."""
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.loading  # the dialog is there before the list is read
    qtbot.waitUntil(lambda: not dialog.loading)
    return dialog


def test_a_manager_purges_after_typing_the_count(qtbot: Any, app: Any, old_cases: None) -> None:
    dialog = retention_dialog(qtbot, on_today(app, "manager"))
    model = dialog.model
    tester = QAbstractItemModelTester(  # kept for the whole test: the purge resets the model
        model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    assert model.rowCount() == 2
    assert model.index(0, 0).data() == "CW-2022-00001"
    assert not dialog.purge_button.isEnabled()
    dialog.show()
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # ticked by the keyboard
    assert model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.ticked() == ["CW-2022-00002"]
    assert "type 1 here" in dialog.confirm_label.text()
    qtbot.keyClicks(dialog.confirm_edit, "2")
    assert not dialog.purge_button.isEnabled()  # the wrong number
    dialog.confirm_edit.clear()
    qtbot.keyClicks(dialog.confirm_edit, "1")
    assert dialog.purge_button.isEnabled()
    with qtbot.waitSignal(dialog.purged, timeout=30_000) as purged:
        dialog.purge_button.click()
    assert purged.args[0].references == ["CW-2022-00002"]
    qtbot.waitUntil(lambda: model.rowCount() == 1)  # the list is read again
    assert dialog.message.text().startswith("Purged 1 case(s)")
    assert dialog.ticked() == [] and "Tick the cases" in dialog.confirm_label.text()
    assert tester is not None
    with app.sessions() as session:
        assert session.scalars(select(Case.reference).where(Case.purged_on.is_not(None))).all() == [
            "CW-2022-00002"
        ]


def test_a_line_manager_sees_the_list_but_cannot_purge(
    qtbot: Any, app: Any, old_cases: None
) -> None:
    before = complainants(app)
    assert before == [("CW-2022-00001", "Person 1"), ("CW-2022-00002", "Person 2")]
    dialog = retention_dialog(qtbot, on_today(app, "lee"))
    assert dialog.model.rowCount() == 2
    dialog.select_all.click()
    assert dialog.ticked() == ["CW-2022-00001", "CW-2022-00002"]
    assert "type 2 here" in dialog.confirm_label.text()
    qtbot.keyClicks(dialog.confirm_edit, "2")
    assert not dialog.purge_button.isEnabled()
    rule = (
        "Lee Line may not purge cases under the retention policy (only a complaints manager "
        "may confirm a purge: it cannot be undone)"
    )
    assert dialog.message.text() == rule
    assert dialog.purge_button.toolTip() == rule
    dialog.purge()  # asked anyway: the core refuses, and nothing is purged
    qtbot.waitUntil(lambda: dialog.message.text() == f"Refused: {rule}")
    assert dialog.result_ is None
    assert complainants(app) == before
    with app.sessions() as session:
        assert session.scalars(select(Case).where(Case.purged_on.is_not(None))).all() == []


def test_an_investigating_officer_does_not_see_the_list(
    qtbot: Any, app: Any, old_cases: None
) -> None:
    dialog = retention_dialog(qtbot, on_today(app, "officer"))
    assert dialog.model.rowCount() == 0
    assert dialog.message.text() == (
        f"Refused: Ian Officer (an investigating officer) may not see the retention list "
        f"{FIGURES_RULE}"
    )
    assert not dialog.purge_button.isEnabled()


# -- from the main window -----------------------------------------------------------------------


def _main_window(qtbot: Any, app: Any, login: str) -> Any:
    """The app's main window for ``login``, as ``caseworker`` opens it (given its Context)."""
    from caseworker.bootstrap import open_app
    from caseworker_ui.app import main_window

    opened = open_app(app.url, actor=login, upgrade=False)
    window = main_window(opened)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.counts_shown)  # the report actions follow the first page
    return opened, window


def test_view_reports_opens_the_dashboard(qtbot: Any, app: Any, old_cases: None) -> None:
    from PySide6.QtGui import QAction

    opened, window = _main_window(qtbot, app, "lee")  # a line manager
    try:
        actions = {a.objectName(): a for a in window.findChildren(QAction)}
        assert "retentionAction" not in actions  # the login is not a complaints manager
        assert actions["reportsAction"].isEnabled()
        actions["reportsAction"].trigger()
        dashboard = window.reports_window
        qtbot.waitExposed(dashboard)
        assert isinstance(dashboard, ReportsWindow)
        assert dashboard.refused is None and dashboard.show_button.isEnabled()
        actions["reportsAction"].trigger()
        assert window.reports_window is dashboard  # one dashboard, brought to the front
        dashboard.close()
        window.close()
    finally:
        opened.close()


def test_an_investigating_officer_is_told_why_reports_are_not_offered(
    qtbot: Any, app: Any, old_cases: None
) -> None:
    from PySide6.QtGui import QAction

    opened, window = _main_window(qtbot, app, "officer")
    try:
        actions = {a.objectName(): a for a in window.findChildren(QAction)}
        assert "retentionAction" not in actions
        assert not actions["reportsAction"].isEnabled()
        assert actions["reportsAction"].toolTip() == (
            f"Ian Officer (an investigating officer) may not count the complaint figures "
            f"{FIGURES_RULE}"
        )
        window.close()
    finally:
        opened.close()


def test_a_complaints_manager_also_gets_the_retention_review(
    qtbot: Any, app: Any, old_cases: None
) -> None:
    from PySide6.QtGui import QAction

    opened, window = _main_window(qtbot, app, "manager")
    try:
        actions = {a.objectName(): a for a in window.findChildren(QAction)}
        assert {"reportsAction", "retentionAction", "subjectAccessAction"} <= set(actions)
        assert actions["reportsAction"].isEnabled()
        window.close()
    finally:
        opened.close()
