"""Notes are corrected, re-tagged and withdrawn from the Issues tab by keys alone, and a new
note's kind is always chosen, never the previous note's (issue 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from caseworker.domain.enums import NoteKind
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.investigation import issues as investigation
from caseworker.storage.models import Note
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.models.notes import NotesModel


@pytest.fixture
def case_id(desk) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name="Priya Shah", email="priya@example.com"),
            issues=("The ticket was wrong.",),
        ),
    ).id


@pytest.fixture
def tab(qtbot, desk, case_id):
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.issues)
    yield window.issues
    window.close()


def in_dialog(qtbot, act: Callable[[QWidget], None]) -> list[str]:
    """Run ``act`` on the dialog the next key press opens; the dialog's name."""
    seen: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        seen.append(dialog.objectName())
        act(dialog)

    QTimer.singleShot(0, run)
    return seen


def notes_of(app, case_id: int) -> list[tuple[str, str, str, bool]]:
    with app.uow() as uow:
        return [
            (n.kind.value, n.text, n.source, n.withdrawn_at is not None)
            for n in uow.session.scalars(select(Note).order_by(Note.id))
        ]


def test_notes_are_corrected_and_withdrawn_by_keys(qtbot, app, desk, case_id, tab):
    # No kind is chosen until the officer chooses one.
    assert tab.kind_combo.currentData() is None
    qtbot.keyClicks(tab.note_edit, "A neighbour says the warden shouted.")
    tab.add_note_button.setFocus()
    qtbot.keyClick(tab.add_note_button, Qt.Key.Key_Space)
    assert "choose what the note is" in tab.note_error.label.text()
    assert notes_of(app, case_id) == []
    tab.kind_combo.setFocus()
    for _ in range(3):  # past fact and hearsay: the officer records it as evidence by mistake
        qtbot.keyClick(tab.kind_combo, Qt.Key.Key_Down)
    assert tab.kind_combo.currentData() == NoteKind.EVIDENCE
    qtbot.keyClicks(tab.source_edit, "Neighbour at no. 4")
    qtbot.keyClick(tab.add_note_button, Qt.Key.Key_Space)
    assert notes_of(app, case_id) == [
        ("evidence", "A neighbour says the warden shouted.", "Neighbour at no. 4", False)
    ]
    # The next note's kind is chosen afresh.
    assert tab.kind_combo.currentData() is None

    # F2 on the chosen note: re-tag it as hearsay (one up from evidence) and save with Enter.
    tab.notes_view.setFocus()
    tab.notes_view.setCurrentIndex(tab.notes_model.index(0, NotesModel.TEXT))

    def retag(dialog: QWidget) -> None:
        qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Up)
        qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Return)

    seen = in_dialog(qtbot, retag)
    qtbot.keyClick(tab.notes_view, Qt.Key.Key_F2)
    assert seen == ["noteDialog"]
    assert notes_of(app, case_id) == [
        ("hearsay", "A neighbour says the warden shouted.", "Neighbour at no. 4", False)
    ]
    assert tab.notes_model.index(0, NotesModel.KIND).data() == "HEARSAY"

    # Delete: withdrawn with a reason, gone from the list, kept on the file.
    def withdraw(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.reason_edit, "Recorded on the wrong point")
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    seen = in_dialog(qtbot, withdraw)
    tab.window().activateWindow()  # back from the dialog (offscreen does not re-activate)
    qtbot.waitUntil(lambda: tab.window().isActiveWindow())
    tab.notes_view.setFocus()
    qtbot.keyClick(tab.notes_view, Qt.Key.Key_Delete)
    assert seen == ["withdrawNoteDialog"]
    assert notes_of(app, case_id) == [
        ("hearsay", "A neighbour says the warden shouted.", "Neighbour at no. 4", True)
    ]
    assert tab.notes_model.rowCount() == 0
    assert casefile.load_case_file(desk, case_id).issues[0].notes == ()


def test_escape_leaves_the_note_as_it_was(qtbot, app, desk, case_id, tab):
    issue = casefile.load_case_file(desk, case_id).issues[0]
    investigation.add_note(desk, issue.id, "fact", "The bay is marked for loading.")
    tab.host.reload()
    tab.notes_view.setFocus()
    tab.notes_view.setCurrentIndex(tab.notes_model.index(0, NotesModel.TEXT))

    def change_then_cancel(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.text_edit, " Changed.")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = in_dialog(qtbot, change_then_cancel)
    qtbot.keyClick(tab.notes_view, Qt.Key.Key_F2)
    assert seen == ["noteDialog"]
    assert notes_of(app, case_id) == [("fact", "The bay is marked for loading.", "", False)]
