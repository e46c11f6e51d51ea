"""What every case file tab has: the desk to act through, the autosaver, and the window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from caseworker.services.casefile_view import CaseFile
from caseworker.services.desk import CaseDesk
from caseworker.services.editing import CaseEditor
from ui.case_tabs.autosave import AutoSaver


class Host(Protocol):
    """The case file window, as the tabs see it."""

    case: CaseFile
    editor: CaseEditor
    """Saves the case's letter texts and issues from the version shown (the version check)."""

    def reload(self) -> None:
        """Read the case again and show it in every tab (after an action that changes it)."""

    def report(self, message: str, kind: str = "error") -> None:
        """Tell the person something in the window's message bar."""


class CaseTab(QWidget):
    title = ""

    def __init__(self, desk: CaseDesk, saver: AutoSaver, host: Host) -> None:
        super().__init__()
        self.desk = desk
        self.saver = saver
        self.host = host

    def show_case(self, case: CaseFile) -> None:
        raise NotImplementedError
