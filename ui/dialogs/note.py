"""Correcting or withdrawing an investigation note.

``NoteDialog`` corrects a note's kind, text and source; ``WithdrawNoteDialog`` asks why a note
recorded in error is withdrawn. Each returns what was typed; the Issues tab hands it to the core
(:func:`~caseworker.services.investigation.issues.correct_note`,
:func:`~caseworker.services.investigation.issues.withdraw_note`), which decides. The kind is
never pre-chosen for a new note; a correction starts from the note's own kind.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import NoteKind
from caseworker.services.cases.casefile import NoteView
from caseworker.services.investigation.issues import note_missing
from caseworker_ui.case_tabs.common import add_row, capitalised, form, set_plain, text_edit

NOTE_KINDS = (
    ("Choose the kind of note…", None),
    ("Fact — what you have established", NoteKind.FACT),
    ("Hearsay — what someone says happened", NoteKind.HEARSAY),
    ("Evidence — a document, record or photo", NoteKind.EVIDENCE),
    ("Action — something to do", NoteKind.ACTION),
)
"""The kinds offered, the first one choosing none: the officer says what each note is."""


def kind_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for label, kind in NOTE_KINDS:
        combo.addItem(label, kind)
    return combo


class NoteDialog(QDialog):
    """Correct one note: its kind (re-tag), its text and its source."""

    def __init__(self, note: NoteView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle("Correct a note")
        self.setMinimumWidth(560)
        rows = form()
        self.kind_combo = kind_combo("correctNoteKind")
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(note.kind))
        add_row(rows, "&Kind:", self.kind_combo)
        self.text_edit = text_edit("correctNoteText", "Note text", lines=4)
        set_plain(self.text_edit, note.text)
        add_row(rows, "&Note:", self.text_edit)
        self.source_edit = QLineEdit(note.source)
        self.source_edit.setObjectName("correctNoteSource")
        self.source_edit.setPlaceholderText("Who said it, or where the evidence is")
        add_row(rows, "&Source:", self.source_edit)
        hint = QLabel(
            "The case's audit trail keeps the note as it was, with who changed it and when."
        )
        hint.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("noteProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save the &correction")
        self.ok_button.setObjectName("saveNoteCorrection")
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.kind_combo.currentIndexChanged.connect(self._check)
        self.text_edit.textChanged.connect(self._check)
        self.source_edit.textChanged.connect(self._check)
        self._check()
        self.kind_combo.setFocus()

    def _check(self) -> None:
        kind, text, source = self.value()
        missing = note_missing(kind, text, source)  # the core's rule, as saving checks it
        self.ok_button.setEnabled(missing is None)
        self.problem.setText(capitalised(missing) + "." if missing else "")

    def value(self) -> tuple[NoteKind | None, str, str]:
        return (
            self.kind_combo.currentData(),
            self.text_edit.toPlainText(),
            self.source_edit.text(),
        )

    @classmethod
    def run(
        cls, note: NoteView, parent: QWidget | None = None
    ) -> tuple[tuple[NoteKind | None, str, str], bool]:
        dialog = cls(note, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.value(), accepted


class WithdrawNoteDialog(QDialog):
    """Why a note recorded in error is withdrawn (it stays on the case file, marked)."""

    def __init__(self, note: NoteView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withdrawNoteDialog")
        self.setWindowTitle("Withdraw a note")
        self.setMinimumWidth(520)
        shown = QLabel(f"{note.kind.value.upper()}: {note.text}")
        shown.setWordWrap(True)
        explain = QLabel(
            "The note leaves the notes list and the letters. It stays on the case file, "
            "marked as withdrawn with your name, the date and your reason, for a review "
            "or the Ombudsman."
        )
        explain.setWordWrap(True)
        rows = form()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("withdrawReason")
        self.reason_edit.setPlaceholderText("e.g. recorded on the wrong point")
        add_row(rows, "&Reason:", self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Withdraw the note")
        self.ok_button.setObjectName("confirmWithdrawNote")
        layout = QVBoxLayout(self)
        layout.addWidget(shown)
        layout.addWidget(explain)
        layout.addLayout(rows)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def run(cls, note: NoteView, parent: QWidget | None = None) -> tuple[str, bool]:
        dialog = cls(note, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.reason_edit.text(), accepted
