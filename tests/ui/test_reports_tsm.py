"""The Tenant Satisfaction Measures in the Reports window: the table on show for a financial
year, and the number of homes recorded by keyboard (and refused, with the rule, to a line
manager)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from caseworker.domain.enums import Role
from caseworker.reports import Period
from caseworker.storage.models import HomesOwned, Officer
from caseworker_ui.reports.dashboard import ReportsWindow
from caseworker_ui.reports.homes import HomesDialog
from tests.integration.test_tsm import AFTER, _data_set


def _window(qtbot: Any, ctx: Any) -> ReportsWindow:
    window = ReportsWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_measures_are_a_table_of_the_reports_window(qtbot: Any, app: Any) -> None:
    _data_set(app)
    window = _window(qtbot, app.context(today=lambda: AFTER))
    window.kind_combo.setCurrentIndex(2)  # a financial year
    window.year_spin.setValue(2026)
    assert window.period() == Period.financial_year(2026)
    with qtbot.waitSignal(window.report_ready, timeout=60_000):
        QTest.keyClick(window.show_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    titles = [window.table_list.item(i).text() for i in range(window.table_list.count())]
    window.table_list.setCurrentRow(titles.index("Tenant Satisfaction Measures CH01 and CH02"))
    model = window.table_model
    shown = {
        model.index(row, 0).data(): (model.index(row, 1).data(), model.index(row, 2).data())
        for row in range(model.rowCount())
    }
    assert shown["CH01: complaints received per 1,000 homes"] == ("4.0", "0.8")
    assert shown["Complaints received in the year"] == ("10", "2")
    assert "Complaint Handling Code" in window.table_note.text()


def test_a_complaints_manager_records_the_homes_by_keyboard(qtbot: Any, app: Any) -> None:
    window = _window(qtbot, app.context(today=lambda: dt.date(2027, 4, 30)))
    assert window.homes_button.shortcut().toString() == "Alt+H"
    window.homes_button.setFocus()
    QTest.keyClick(window.homes_button, Qt.Key.Key_Space)
    dialogs = window.findChildren(HomesDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialog = dialogs[0]
    assert dialog.record_button.isEnabled()
    dialog.homes_spin.selectAll()
    QTest.keyClicks(dialog.homes_spin, "12480")
    dialog.as_at_edit.setDate(dialog.as_at_edit.date().addDays(-30))  # 31 March 2027
    QTest.keyClicks(dialog.source_edit, "stock return 2026/27")
    QTest.keyClick(dialog.record_button, Qt.Key.Key_Space)
    assert dialog.message.text() == "Recorded 12,480 homes as at 31 March 2027."
    assert dialog.history.item(0).text().startswith("31 March 2027: 12,480 homes")
    with app.uow() as uow:
        row = uow.session.scalars(select(HomesOwned)).one()
        assert (row.homes, row.as_at, row.source) == (
            12480,
            dt.date(2027, 3, 31),
            "stock return 2026/27",
        )


def test_a_line_manager_sees_why_recording_is_not_theirs(qtbot: Any, app: Any) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Lee Line",
                email="lee@council.example",
                role=Role.LINE_MANAGER,
                service_area="Housing",
                login="lee",
            )
        )
        uow.commit()
    window = _window(qtbot, app.context(actor="lee", today=lambda: dt.date(2027, 4, 30)))
    dialog = window.open_homes()
    assert not dialog.record_button.isEnabled()
    assert "may not record the number of homes" in dialog.record_button.toolTip()
    dialog.record()  # asked anyway: the core refuses and nothing is saved
    assert dialog.message.text().startswith("Refused: Lee Line (a line manager)")
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(HomesOwned)) == 0


def test_the_code_annual_report_is_written_from_the_reports_window(
    qtbot: Any, app: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from docx import Document
    from PySide6.QtWidgets import QFileDialog

    _data_set(app)
    window = _window(qtbot, app.context(today=lambda: AFTER))
    window.kind_combo.setCurrentIndex(2)
    window.year_spin.setValue(2026)
    target = tmp_path / "annual"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(target), "Word document (*.docx)")
    )
    assert window.code_report_button.shortcut().toString() == "Alt+A"
    window.code_report_button.setFocus()
    with qtbot.waitSignal(window.exported, timeout=60_000) as written:
        QTest.keyClick(window.code_report_button, Qt.Key.Key_Space)
    assert written.args[0] == str(target) + ".docx"
    headings = [p.text for p in Document(written.args[0]).paragraphs]
    assert "5. The governing body's response" in headings
    assert "2026/27 (1 April 2026 to 31 March 2027)" in headings[1]
    assert window.status_label.text() == f"Wrote {target}.docx"


def test_an_investigating_officer_is_told_why_not_the_code_report(qtbot: Any, app: Any) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Ian Officer",
                email="ian@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Housing",
                login="ian",
            )
        )
        uow.commit()
    window = _window(qtbot, app.context(actor="ian", today=lambda: AFTER))
    assert not window.code_report_button.isEnabled()
    assert "may not count the complaint figures" in window.code_report_button.toolTip()
