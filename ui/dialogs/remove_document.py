"""Why a document is taken off the case: a reason typed in a dialog that asks before throwing a
typed reason away (Esc, Cancel, the close box); Ctrl+Enter removes."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseworker_ui.discard import AsksBeforeDiscarding


class RemoveDocumentDialog(AsksBeforeDiscarding, QDialog):
    discard_what = "the reason for removing the document"

    def __init__(self, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removeDocumentDialog")
        self.setWindowTitle("Remove a document")
        column = QVBoxLayout(self)
        label = QLabel(
            f"&Why is {filename} being taken off the case? (Required. It stays in the record, "
            "with your reason, under “Show removed”.)"
        )
        label.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("removalReason")
        self.reason_edit.setAccessibleName("Why the document is removed")
        self.reason_edit.setTabChangesFocus(True)
        label.setBuddy(self.reason_edit)
        column.addWidget(label)
        column.addWidget(self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.remove_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.remove_button.setText("&Remove")
        self.remove_button.setToolTip("Remove the document with this reason (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.accept)
        self.resize(520, 240)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return self.reason_edit.toPlainText()
