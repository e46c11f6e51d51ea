"""What every case file tab has: the context to act in, the autosaver, and the window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from caseworker.services.cases.casefile import CaseFile
from caseworker.services.context import Context
from caseworker.services.team.editing import CaseEditor
from caseworker_ui.case_tabs.autosave import AutoSaver


class Host(Protocol):
    """The case file window, as the tabs see it."""

    case: CaseFile
    editor: CaseEditor
    """Saves the case's letter texts and issues from the version shown (the version check)."""

    def reload(self) -> None:
        """Read the case again and show it in every tab (after an action that changes it)."""

    def report(self, message: str, kind: str = "error") -> None:
        """Tell the person something in the window's message bar."""


USABLE_READ_ONLY = "usableReadOnly"
"""A widget property: this control only reads (opens, filters, previews), so it stays usable on
a case the person may not change."""


def usable_read_only(widget: QWidget) -> QWidget:
    """Mark ``widget`` as one that stays usable on a read-only case."""
    widget.setProperty(USABLE_READ_ONLY, True)
    return widget


class CaseTab(QWidget):
    title = ""
    follows_read_only = True
    """Whether :meth:`set_editable` locks this tab's controls. Tabs that enable each step from
    the core themselves (Progress, Next stage) and tabs that only show (Timeline) say no."""

    def __init__(self, desk: Context, saver: AutoSaver, host: Host) -> None:
        super().__init__()
        self.desk = desk
        """The context every service is called with (the database, the officer, today)."""
        self.saver = saver
        self.host = host
        self._locked: list[QWidget] = []
        self._read_only = False

    @property
    def editable(self) -> bool:
        """Whether the case shown may be changed here: a tab that enables a control later (a
        preview arriving, an interview chosen) asks this so it does not unlock what
        :meth:`set_editable` locked."""
        return not self._read_only

    def show_case(self, case: CaseFile) -> None:
        raise NotImplementedError

    def case_saved(self, case: CaseFile) -> None:
        """The window read ``case`` again after an autosave: refresh what this tab lists from
        it, leaving the fields being typed in alone. Most tabs have nothing to do."""

    def set_editable(self, editable: bool) -> None:
        """Lock (or unlock) what changes the case: text can still be selected and copied, and
        controls marked :func:`usable_read_only` stay usable. Unlocking gives back only what
        locking took, so a control the tab keeps read-only or disabled for its own reasons
        stays so."""
        self._read_only = not editable and self.follows_read_only
        if editable:
            for widget in self._locked:
                if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
                    widget.setReadOnly(False)
                else:
                    widget.setEnabled(True)
            self._locked = []
            return
        if not self.follows_read_only:
            return
        for widget in self.findChildren(QWidget):
            if widget in self._locked or self._usable(widget):
                continue
            if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
                if not widget.isReadOnly():
                    widget.setReadOnly(True)
                    self._locked.append(widget)
            elif isinstance(widget, (QAbstractButton, QComboBox)) and widget.isEnabled():
                widget.setEnabled(False)
                self._locked.append(widget)

    def _usable(self, widget: QWidget) -> bool:
        while widget is not None and widget is not self:
            if widget.property(USABLE_READ_ONLY):
                return True
            widget = widget.parentWidget()
        return False
