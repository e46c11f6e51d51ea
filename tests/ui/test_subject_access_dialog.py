"""The subject access dialog: a request recorded by keyboard with its date, exported, answered;
a line manager is shown why not and nothing is recorded."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from caseworker.domain.enums import Role
from caseworker.storage.models import Officer, SubjectAccessRequest
from caseworker_ui.reports.subjectaccess import SubjectAccessDialog

DAY = dt.date(2026, 2, 25)


def test_a_request_is_recorded_exported_and_answered(qtbot: Any, app: Any, tmp_path: Path) -> None:
    dialog = SubjectAccessDialog(app.context(today=lambda: DAY))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.fields["requester"], "Pat Doe")
    qtbot.keyClicks(dialog.fields["name"], "Pat Doe")
    dialog.received_edit.setDate(dialog.received_edit.date().addDays(-25))  # 31 January 2026
    dialog.record_button.setFocus()
    qtbot.keyClick(dialog.record_button, Qt.Key.Key_Space)
    assert dialog.message.text() == "Recorded SAR-1: the answer is due by 02 March 2026."
    assert dialog.requests.item(0).text() == (
        "SAR-1: Pat Doe, received 31 Jan 2026, due 02 Mar 2026"
    )
    dialog.extend_button.setFocus()
    qtbot.keyClick(dialog.extend_button, Qt.Key.Key_Space)  # no reason given: refused
    assert (
        dialog.message.text() == "Say why the request is complex: the requester is told the reason"
    )
    qtbot.keyClicks(dialog.reason_edit, "records over six years")
    qtbot.keyClick(dialog.extend_button, Qt.Key.Key_Space)
    assert dialog.message.text() == "SAR-1 extended: due by 30 April 2026."
    assert dialog.requests.item(0).text().endswith("due 30 Apr 2026 (extended)")
    dialog.export(str(tmp_path / "sar-1.zip"))
    assert zipfile.is_zipfile(tmp_path / "sar-1.zip")
    assert dialog.message.text().startswith(f"Wrote {tmp_path / 'sar-1.zip'}.")
    dialog.answered_button.setFocus()
    qtbot.keyClick(dialog.answered_button, Qt.Key.Key_Space)
    assert dialog.requests.item(0).text().endswith("answered 25 Feb 2026")


def test_a_line_manager_is_told_why_not(qtbot: Any, app: Any) -> None:
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
    dialog = SubjectAccessDialog(app.context(actor="lee", today=lambda: DAY))
    qtbot.addWidget(dialog)
    assert not dialog.record_button.isEnabled()
    assert "subject access requests are a complaints manager's" in dialog.record_button.toolTip()
    dialog.record()  # asked anyway: refused by the core, nothing saved
    assert dialog.message.text().startswith("Refused: Lee Line (a line manager)")
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SubjectAccessRequest)) == 0
