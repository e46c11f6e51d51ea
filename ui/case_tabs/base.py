"""What every case file tab has: the context to act in, the autosaver, and the window.

A tab makes its widgets when it is first shown, and shows the window's case when it is on
screen: the window hands every tab each case it reads (:meth:`CaseTab.set_case`), and a tab
that is not on screen keeps it until its next showing. Opening a case window builds and fills
only the tab it opens on; most openings never look at most tabs.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
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

log = logging.getLogger(__name__)


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
    """A tab of the case window. A subclass makes its widgets in :meth:`build` (called once,
    when the tab is first shown), fills them from a case in :meth:`show_case` and, after an
    autosave, refreshes what it lists in :meth:`case_saved`: both are only called once it is
    built and on screen. The window calls :meth:`set_case` and :meth:`set_saved_case`."""

    made = Signal()
    """The tab's widgets were just made (on its first showing), before the case is shown."""

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
        self.built = False
        """Whether the tab's widgets have been made (on its first showing)."""
        self._unshown: CaseFile | None = None
        """The window's case, until the tab shows it (when it is next on screen)."""
        self._may_change = True
        """Whether the window's case may be changed (False: its controls are locked)."""

    def build(self) -> None:
        """Make the tab's widgets (once, when it is first shown)."""
        raise NotImplementedError

    def set_case(self, case: CaseFile, may_change: bool = True) -> None:
        """The window read ``case`` (which the person may change, or not: its controls are
        then locked): shown now if the tab is on screen, else on its next showing."""
        self._unshown, self._may_change = case, may_change
        if self.isVisible():
            self._show_unshown()

    def set_saved_case(self, case: CaseFile) -> None:
        """The window read ``case`` again after an autosave: a tab on screen refreshes what it
        lists (:meth:`case_saved`); one not on screen shows it in full when next shown."""
        if self._unshown is not None or not self.isVisible():
            self._unshown = case
            return
        self.case_saved(case)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._show_unshown()

    def _show_unshown(self) -> None:
        case, self._unshown = self._unshown, None
        if case is None:
            return
        try:
            if not self.built:
                self.build()
                self.built = True
                self._show_built()
                self.made.emit()
            self.set_editable(True)  # the tab sets its controls for the case shown...
            self.show_case(case)
            if not self._may_change:  # ...then a read-only case locks them
                self.set_editable(False)
        except Exception:  # one tab failing must not stop the window (or another tab) showing
            log.exception("could not show %s", type(self).__name__)

    def _show_built(self) -> None:
        """The widgets just made, on screen with this showing (as Qt would show them a moment
        later: in the same paint as the tab, and laid out before it)."""
        for child in self.findChildren(QWidget, "", Qt.FindChildOption.FindDirectChildrenOnly):
            hidden_on_purpose = child.isHidden() and child.testAttribute(
                Qt.WidgetAttribute.WA_WState_ExplicitShowHide
            )
            if not hidden_on_purpose:
                child.show()
        if self.layout() is not None:
            self.layout().activate()

    @property
    def editable(self) -> bool:
        """Whether the case shown may be changed here: a tab that enables a control later (a
        preview arriving, an interview chosen) asks this so it does not unlock what
        :meth:`set_editable` locked."""
        return not self._read_only

    def show_case(self, case: CaseFile) -> None:
        """Fill the tab's widgets from ``case`` (built, on screen)."""
        raise NotImplementedError

    def case_saved(self, case: CaseFile) -> None:
        """The window read ``case`` again after an autosave: refresh what this tab lists from
        it, leaving the fields being typed in alone (built, on screen). Most tabs have nothing
        to do."""

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
