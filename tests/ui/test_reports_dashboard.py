"""The reports dashboard and the retention review, offscreen: a report counted on a worker thread
with the window still responsive, its figures, charts and tables on show, exports written, and a
purge that needs the typed count."""

from __future__ import annotations

import datetime as dt
import threading
import time
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
from caseworker.reports import Period
from caseworker.reports.desk import ReportDesk
from caseworker.storage.models import Case, Complainant, Officer
from caseworker_ui.reports.dashboard import ReportsWindow
from caseworker_ui.reports.retention import RetentionDialog

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def desk(app: Any) -> ReportDesk:
    generate_demo(app.engine, 300, seed=2, today=TODAY)
    return ReportDesk(app.sessions, actor="manager", today=lambda: TODAY)


@pytest.fixture
def dashboard(qtbot: Any, desk: ReportDesk) -> ReportsWindow:
    window = ReportsWindow(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def show(qtbot: Any, window: ReportsWindow, period: Period) -> None:
    window.set_period(period)
    with qtbot.waitSignal(window.report_ready, timeout=60_000):
        window.show_button.click()


def test_the_dashboard_counts_and_shows_a_year(
    qtbot: Any, dashboard: ReportsWindow, desk: ReportDesk
) -> None:
    assert not dashboard.export_buttons["excel"].isEnabled()  # nothing to export yet
    dashboard.kind_combo.setCurrentIndex(1)  # a year
    dashboard.year_spin.setValue(2026)
    assert dashboard.period() == Period.year(2026)
    with qtbot.waitSignal(dashboard.report_ready, timeout=60_000) as shown:
        dashboard.show_button.click()
    report = shown.args[0]
    expected = desk.report(Period.year(2026))
    assert report.figures() == expected.figures()
    received = report.headline("Complaints received").value
    assert received > 100
    assert dashboard.headline_values["Complaints received"].text() == f"{received:,}"
    assert dashboard.headline_values["Answered on time"].text().endswith("%")
    assert set(dashboard.canvases) == {"trend", "outcomes", "timeliness"}
    assert dashboard.table_list.count() == len(report.tables)
    dashboard.table_list.setCurrentRow([t.key for t in report.tables].index("by-route"))
    model = dashboard.table_model
    QAbstractItemModelTester(model)
    assert model.table is not None and model.table.key == "by-route"
    assert model.rowCount() == len(report.table("by-route").rows)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Received"
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


class SlowDesk(ReportDesk):
    """A desk whose report takes 1.5 seconds, reporting progress as it goes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: set[int] = set()

    def report(self, period: Period, *, policy_id: str | None = None, progress: Any = None) -> Any:
        self.threads.add(threading.get_ident())
        for step in range(3):
            if progress is not None:
                progress(step, 3, f"part {step + 1}")
            time.sleep(0.5)
        return super().report(period, policy_id=policy_id, progress=progress)


def test_the_window_stays_responsive_while_counting(qtbot: Any, app: Any) -> None:
    desk = SlowDesk(app.sessions, actor="someone", today=lambda: TODAY)
    window = ReportsWindow(desk)
    qtbot.addWidget(window)
    window.show()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    with qtbot.waitSignal(window.report_ready, timeout=30_000):
        window.show_button.click()
        assert window.is_busy() and window.progress.isVisible()
        assert not window.show_button.isEnabled()
    timer.stop()
    # The report ran on another thread while the event loop kept ticking every 20 ms.
    assert threading.get_ident() not in desk.threads
    assert len(ticks) > 40
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.5
    assert not window.progress.isVisible() and window.show_button.isEnabled()


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


def test_a_manager_purges_after_typing_the_count(qtbot: Any, app: Any, old_cases: None) -> None:
    desk = ReportDesk(app.sessions, actor="manager", today=lambda: TODAY)
    dialog = RetentionDialog(desk)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 0).text() == "CW-2022-00001"
    assert not dialog.purge_button.isEnabled()
    dialog.table.item(1, 0).setCheckState(Qt.CheckState.Checked)
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
    assert dialog.table.rowCount() == 1  # the list is read again
    with app.sessions() as session:
        assert session.scalars(select(Case.reference).where(Case.purged_on.is_not(None))).all() == [
            "CW-2022-00002"
        ]


def test_someone_else_sees_the_list_but_cannot_purge(qtbot: Any, app: Any, old_cases: None) -> None:
    desk = ReportDesk(app.sessions, actor="officer", today=lambda: TODAY)
    dialog = RetentionDialog(desk)
    qtbot.addWidget(dialog)
    dialog.select_all.click()
    qtbot.keyClicks(dialog.confirm_edit, "2")
    assert not dialog.purge_button.isEnabled()
    assert "Only a complaints manager may purge" in dialog.message.text()


# -- from the main window -----------------------------------------------------------------------


def test_view_reports_opens_the_dashboard(qtbot: Any, app: Any) -> None:
    from PySide6.QtGui import QAction

    from caseworker.services.lists.caselist import CaseList
    from caseworker_ui.main_window import MainWindow

    window = MainWindow(
        CaseList(app.context(actor="officer", today=lambda: TODAY)), database="test.sqlite"
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.counts_shown)  # the report actions follow the first page
    actions = {a.objectName(): a for a in window.findChildren(QAction)}
    assert "retentionAction" not in actions  # the login is not a complaints manager
    actions["reportsAction"].trigger()
    dashboard = window.reports_window
    qtbot.waitExposed(dashboard)
    assert isinstance(dashboard, ReportsWindow)
    actions["reportsAction"].trigger()
    assert window.reports_window is dashboard  # one dashboard, brought to the front
    dashboard.close()


def test_a_complaints_manager_also_gets_the_retention_review(
    qtbot: Any, app: Any, case_list: Any
) -> None:
    from PySide6.QtGui import QAction

    from caseworker_ui.main_window import MainWindow

    # case_list signs in as Jo Bloggs, a complaints manager (tests/ui/conftest.py)
    main = MainWindow(case_list, database="test.sqlite")
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: main.counts_shown)  # the report actions follow the first page
    names = {a.objectName() for a in main.findChildren(QAction)}
    assert {"reportsAction", "retentionAction"} <= names
    main.close()
