"""Recording an interview: who, their role, when, how, and who came with them.

The notes, the summary read back and the invitation to add information are recorded afterwards
on the Interviews tab, as the steps Appendix A asks for.
``InterviewDialog.run(today, parent)`` returns ``(InterviewIn or None, accepted)``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.dates import DateNotRead
from caseworker.domain.enums import InterviewMethod
from caseworker.services.investigation.issues import ACCOMPANIED_AS, InterviewIn, interview_missing
from caseworker_ui.case_tabs.common import (
    add_row,
    capitalised,
    date_edit,
    form,
    text_edit,
)
from caseworker_ui.discard import AsksBeforeDiscarding

METHOD_LABELS = {
    InterviewMethod.IN_PERSON: "In person",
    InterviewMethod.PHONE: "Phone",
    InterviewMethod.VIDEO: "Video call",
    InterviewMethod.WRITTEN: "Written questions",
}


class InterviewDialog(AsksBeforeDiscarding, QDialog):
    discard_what = "the interview"

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interviewDialog")
        self.setWindowTitle("Record an interview")
        self.setMinimumWidth(520)
        rows = form()
        self.who_edit = QLineEdit()
        self.who_edit.setObjectName("interviewee")
        add_row(rows, "&Who:", self.who_edit)
        self.role_edit = QLineEdit()
        self.role_edit.setObjectName("intervieweeRole")
        self.role_edit.setPlaceholderText("e.g. Civil enforcement officer")
        add_row(rows, "Their &role:", self.role_edit)
        self.date_edit = date_edit(today, "heldOn", "Date of the interview")
        self.date_edit.setMaximumDate(self.date_edit.date())
        add_row(rows, "&Date:", self.date_edit)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("method")
        for method, label in METHOD_LABELS.items():
            self.method_combo.addItem(label, method)
        add_row(rows, "&Method:", self.method_combo)
        self.accompanied_combo = QComboBox()
        self.accompanied_combo.setObjectName("accompaniedAs")
        self.accompanied_combo.addItem("Nobody", "")
        for role in ACCOMPANIED_AS:
            self.accompanied_combo.addItem(f"A {role}", role)
        add_row(rows, "&Accompanied by:", self.accompanied_combo)
        self.companion_edit = QLineEdit()
        self.companion_edit.setObjectName("accompaniedBy")
        self.companion_edit.setEnabled(False)
        add_row(rows, "&Their name:", self.companion_edit)
        self.notes_edit = text_edit(
            "interviewNotes",
            "Formal notes",
            lines=5,
            placeholder="Formal notes made during the interview",
        )
        add_row(rows, "&Notes:", self.notes_edit)
        hint = QLabel(
            "Staff may be accompanied by a colleague or a union representative. "
            "At the end: read a summary back, then invite them to add information "
            "(on the Interviews tab)."
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Rec&ord")  # Alt+R is their role
        self.ok_button.setObjectName("recordInterview")
        self.ok_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        # Ctrl+Enter records from anywhere, the notes too (where Enter starts a new line).
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._record_if_ready)
        self.buttons.rejected.connect(self.reject)
        self.who_edit.textChanged.connect(self._check)
        self.companion_edit.textChanged.connect(self._check)
        self.accompanied_combo.currentIndexChanged.connect(self._check)
        self._check()

    def _record_if_ready(self) -> None:
        if self.ok_button.isEnabled():
            self.accept()

    def _check(self) -> None:
        self.companion_edit.setEnabled(bool(self.accompanied_combo.currentData()))
        try:
            missing = interview_missing(self.value())  # the core's rule, as recording checks it
        except DateNotRead as refused:
            missing = str(refused)
        self.ok_button.setEnabled(missing is None)
        self.ok_button.setToolTip(capitalised(missing) if missing else "")

    def value(self) -> InterviewIn:
        accompanied_as = self.accompanied_combo.currentData() or ""
        return InterviewIn(
            interviewee=self.who_edit.text(),
            interviewee_role=self.role_edit.text(),
            held_on=self.date_edit.value(),
            method=self.method_combo.currentData(),
            accompanied_by=self.companion_edit.text() if accompanied_as else "",
            accompanied_as=accompanied_as,
            notes=self.notes_edit.toPlainText(),
        )

    @classmethod
    def run(cls, today: dt.date, parent: QWidget | None = None) -> tuple[InterviewIn | None, bool]:
        dialog = cls(today, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        value = dialog.value() if accepted else None
        dialog.deleteLater()
        return value, accepted
