"""When a colleague saved the same case first: both versions, field by field, and a choice.

:class:`ConflictDialog` shows, for every field the person's save changes, what it said when they
started, what the colleague saved (who and when), and what they typed, side by side; then
"Reload theirs" (what they typed is kept in an :class:`UnsavedTextPanel` to copy from) or "Keep
mine" (saved over theirs, now that they have seen it). Closing it decides nothing: the change
stays unsaved on screen, to decide on the next save.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.caselist import local_time
from caseworker.services.team.concurrency import UNKNOWN, EditConflict, FieldConflict
from caseworker.services.team.editing import FieldEditConflict
from caseworker.services.team.offline import OfflineConflict
from caseworker_ui.models.case_list import format_date

RELOAD, KEEP_MINE = "reload", "keep-mine"

FIELD_LABELS = {
    "understanding": "Our understanding of the complaint",
    "steps_taken": "Steps taken to investigate",
    "evidence_considered": "Evidence considered",
    "summary": "The point, in their words",
    "finding": "Finding",
    "explanation": "Explanation",
    "remedy": "Remedy",
    "lesson_learnt": "Lesson learnt",
    "action": "Action",
    "action_due": "Action due",
    "action_completed": "Action completed",
}


INTERVIEW_LABELS = {
    "notes": "Formal notes",
    "summary": "Summary",
    "further_information": "Further information",
}


def field_label(where: str, field: str) -> str:
    """``Issue 2 — Remedy``, or ``Steps taken to investigate`` for the case's own fields."""
    labels = INTERVIEW_LABELS if where.startswith("interview") else FIELD_LABELS
    label = labels.get(field, field.replace("_", " ").capitalize())
    return label if where == "case" else f"{where[:1].upper()}{where[1:]} — {label}"


def value_text(value: Any) -> str:
    """A field's value as a person reads it."""
    if value is UNKNOWN:
        return "(not known)"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return (
        text.replace("-", " ").capitalize()
        if text in ("upheld", "partially-upheld", "not-upheld")
        else text
    )


def when_text(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    local = local_time(at)
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"


def _pane(text: str, name: str, accessible: str) -> QPlainTextEdit:
    pane = QPlainTextEdit(text)
    pane.setObjectName(name)
    pane.setAccessibleName(accessible)
    pane.setReadOnly(True)
    pane.setTabChangesFocus(True)
    lines = min(max(text.count("\n") + 1, 2), 6)
    pane.setFixedHeight(pane.fontMetrics().lineSpacing() * (lines + 1) + 12)
    return pane


class ConflictDialog(QDialog):
    """Both versions of the fields a save changed, and the choice of what to do."""

    def __init__(
        self,
        conflict: EditConflict | FieldEditConflict | OfflineConflict,
        who: str,
        parent: QWidget | None = None,
        *,
        offline: bool = False,
    ) -> None:
        """``offline``: the conflict is a case brought back from an offline copy, changed in the
        team database meanwhile (the same window, in those words)."""
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.conflict = conflict
        self.who = who or "A colleague"
        self.offline = offline
        self.choice: str | None = None
        when = when_text(conflict.changed_at)
        self.setWindowTitle(f"{conflict.reference} was changed by {self.who}")
        at = " at " + when if when else ""
        heading = QLabel(
            f"{self.who} saved {conflict.reference}{at} in the team database while it was on "
            "your offline copy, and you changed it too. Nothing of yours has been brought back "
            "yet and nothing you wrote is lost. Compare the versions, then choose."
            if offline
            else f"{self.who} saved {conflict.reference}{at} while you "
            "were editing it. Nothing of yours has been saved yet and nothing you typed is "
            "lost. Compare the versions, then choose."
        )
        heading.setObjectName("conflictHeading")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        self.panes: dict[
            tuple[str, str], tuple[QPlainTextEdit, QPlainTextEdit, QPlainTextEdit]
        ] = {}
        ordered = sorted(conflict.fields, key=lambda f: not f.clash)
        for number, field in enumerate(ordered):
            column.addWidget(self._field_box(field, number, when))
        if conflict.their_other_changes:
            others = "; ".join(
                f"{field_label(f.where, f.field)} (now “{value_text(f.theirs)}”)"
                for f in conflict.their_other_changes
            )
            note = QLabel(
                f"{self.who} also changed: {others}. Those stay as {self.who} left "
                "them whichever you choose."
            )
            note.setObjectName("theirOtherChanges")
            note.setWordWrap(True)
            column.addWidget(note)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        self.reload_button = QPushButton(
            f"&Reload {self.who}'s version (your text is kept to copy)"
        )
        self.reload_button.setObjectName("reloadTheirs")
        self.reload_button.setToolTip(
            "Show the case as it is now. What you typed stays in a "
            "panel at the top of the case window until you dismiss "
            "it."
        )
        if offline:
            self.reload_button.setText(f"&Use {self.who}'s version (yours set aside)")
            self.reload_button.setToolTip(
                "The team's version stands; what you wrote on the copy is listed in the case's "
                "history, not applied."
            )
        self.keep_button = QPushButton("&Keep mine (I have seen theirs)")
        self.keep_button.setObjectName("keepMine")
        self.keep_button.setToolTip(
            f"Save what you typed over {self.who}'s version. Both stay in the case's history."
        )
        buttons = QDialogButtonBox()
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton("Decide &later", QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("decideLater")
        later.setToolTip(
            "Leave the case on your offline copy; you are asked again when you next bring your "
            "work back"
            if offline
            else "Keep your text on screen, unsaved; you are asked again on the next save (Ctrl+S)"
        )
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.keep_button.clicked.connect(lambda: self._choose(KEEP_MINE))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.reload_button.setDefault(False)
        self.reload_button.setAutoDefault(False)
        self.keep_button.setAutoDefault(False)
        self.reload_button.setFocus()
        # As tall as the fields need (up to most of a laptop screen), no empty band.
        wanted = (
            content.sizeHint().height()
            + heading.sizeHint().height()
            + buttons.sizeHint().height()
            + 60
        )
        self.resize(1040, max(320, min(wanted, 700)))

    def _field_box(self, field: FieldConflict, number: int, when: str) -> QGroupBox:
        label = field_label(field.where, field.field)
        if field.field == "record":  # a whole record added or removed (offline)
            label = field.where[:1].upper() + field.where[1:]
        if self.offline and not field.clash and field.they_changed:
            title = f"{label}: you both made the same change"
        elif self.offline and value_text(field.mine) == value_text(field.started_from):
            title = f"{label}: only {self.who} changed this (stays either way)"
        elif self.offline and not field.they_changed:
            title = f"{label}: only you changed this (brought back if you keep yours)"
        elif field.clash:
            title = f"{label}: you both changed this"
        elif field.they_changed:
            title = f"{label}: you both made the same change"
        else:
            title = f"{label}: only you changed this (saved either way)"
        box = QGroupBox(title)
        box.setObjectName(f"conflictField{number}")
        grid = QGridLayout(box)
        theirs_title = f"{self.who}'s, saved {when}" if when else f"{self.who}'s"
        headings = (
            ("When you took it offline", theirs_title, "Yours (on the offline copy)")
            if self.offline
            else ("When you started", theirs_title, "Yours (not saved yet)")
        )
        values = (field.started_from, field.theirs, field.mine)
        names = ("startedFrom", "theirs", "mine")
        panes = []
        for column, (heading, value, name) in enumerate(zip(headings, values, names, strict=True)):
            title = QLabel(heading)
            if column:
                font = title.font()
                font.setBold(True)
                title.setFont(font)
            pane = _pane(value_text(value), f"{name}{number}", f"{label}: {heading}")
            title.setBuddy(pane)
            grid.addWidget(title, 0, column)
            grid.addWidget(pane, 1, column)
            grid.setColumnStretch(column, 1 if column == 0 else 2)
            panes.append(pane)
        self.panes[(field.where, field.field)] = (panes[0], panes[1], panes[2])
        return box

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(
        cls,
        conflict: EditConflict | FieldEditConflict | OfflineConflict,
        who: str,
        parent: QWidget | None = None,
        *,
        offline: bool = False,
    ) -> str | None:
        """Show the dialog until the person chooses: RELOAD, KEEP_MINE, or None (later)."""
        dialog = cls(conflict, who, parent, offline=offline)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.exec()
        choice = dialog.choice
        dialog.deleteLater()
        return choice


class UnsavedTextPanel(QFrame):
    """What the person typed and did not save (they reloaded a colleague's version): there to
    read and copy until they dismiss it."""

    dismissed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        clipboard: Callable[[], Any] = QGuiApplication.clipboard,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unsavedText")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._clipboard = clipboard
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("unsavedTextView")
        self.text_view.setAccessibleName("Your text that was not saved")
        self.text_view.setReadOnly(True)
        self.text_view.setFixedHeight(self.text_view.fontMetrics().lineSpacing() * 5 + 12)
        self.copy_button = QPushButton("&Copy all")
        self.copy_button.setObjectName("copyUnsaved")
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setObjectName("dismissUnsaved")
        buttons = QVBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.text_view, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.title)
        layout.addLayout(row)
        self.copy_button.clicked.connect(self.copy)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.hide()

    def keep(self, who: str, typed: list[tuple[str, Any]]) -> None:
        """Add what was typed (label, value), newest first, and show the panel."""
        block = "\n\n".join(f"{label}:\n{value_text(value)}" for label, value in typed)
        earlier = self.text_view.toPlainText()
        self.text_view.setPlainText(block + ("\n\n" + earlier if earlier else ""))
        self.title.setText(
            f"Your text that was not saved: {who}'s version is in the fields "
            "now. Copy what you need from here; it stays until you dismiss it."
        )
        self.show()

    def text(self) -> str:
        return self.text_view.toPlainText()

    def copy(self) -> None:
        self._clipboard().setText(self.text())

    def dismiss(self) -> None:
        self.text_view.clear()
        self.hide()
        self.dismissed.emit()
