"""The case file window: one per case, with a tab for each part of the work.

Edits are saved as the officer types (a short pause, then through the services). Ctrl+S saves
now; closing the window saves first, and if that fails the window stays open with the reason, so
that typed text is never lost without the officer choosing to discard it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.casefile_view import CaseFile
from caseworker.services.desk import CaseDesk
from ui.case_tabs.autosave import AutoSaver
from ui.case_tabs.base import CaseTab
from ui.case_tabs.common import MessageBar, reason
from ui.case_tabs.home_visit import HomeVisitTab
from ui.case_tabs.interviews import InterviewsTab
from ui.case_tabs.issues import IssuesTab
from ui.case_tabs.letters import LettersTab
from ui.case_tabs.overview import OverviewTab
from ui.case_tabs.progress import ProgressTab
from ui.case_tabs.stage2 import Stage2Tab
from ui.case_tabs.timeline import TimelineTab

log = logging.getLogger(__name__)

KEEP_OPEN, DISCARD = "keep-open", "discard"


class CaseWindow(QMainWindow):
    closed = Signal(int)
    """The window closed (its case id)."""
    changed = Signal(int)
    """Something on the case was saved (its case id): the case list may want to refresh."""

    def __init__(self, desk: CaseDesk, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setObjectName("caseWindow")
        self.desk = desk
        self.case_id = case_id
        self.case: CaseFile = desk.case_file(case_id)
        self.resize(1240, 800)

        self.saver = AutoSaver(self)
        self.message_bar = MessageBar("caseMessage")
        self.heading = QLabel()
        self.heading.setObjectName("caseHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.setDocumentMode(True)
        self.overview = OverviewTab(desk, self.saver, self)
        self.issues = IssuesTab(desk, self.saver, self)
        self.interviews = InterviewsTab(desk, self.saver, self)
        self.home_visit = HomeVisitTab(desk, self.saver, self)
        self.letters = LettersTab(desk, self.saver, self)
        self.timeline = TimelineTab(desk, self.saver, self)
        self.progress = ProgressTab(desk, self.saver, self)
        self.stage2 = Stage2Tab(desk, self.saver, self)
        self.all_tabs: list[CaseTab] = [self.overview, self.issues, self.interviews,
                                        self.home_visit, self.letters, self.progress,
                                        self.stage2, self.timeline]
        for tab in self.all_tabs:
            self.tabs.addTab(tab, tab.title)
            tab.setAccessibleName(tab.title.replace("&", ""))

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(10, 8, 10, 4)
        column.addWidget(self.heading)
        column.addWidget(self.message_bar)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.save_state.setAccessibleName("Save state")
        self.statusBar().addWidget(self.save_state, 1)

        self._build_actions()
        self.saver.state_changed.connect(self._save_state_changed)
        self.saver.saved.connect(lambda _key: self.changed.emit(self.case_id))
        self.tabs.currentChanged.connect(self._tab_changed)
        self._show(self.case)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Case")
        self.save_action = QAction("&Save now", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save_now)
        self.reload_action = QAction("&Reload", self)
        self.reload_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reload_action.triggered.connect(self.reload)
        self.close_action = QAction("&Close", self)
        self.close_action.setShortcut(QKeySequence("Ctrl+W"))
        self.close_action.triggered.connect(self.close)
        for action in (self.save_action, self.reload_action, self.close_action):
            menu.addAction(action)
            self.addAction(action)
        go = self.menuBar().addMenu("&Go to")
        for number, tab in enumerate(self.all_tabs, start=1):
            action = QAction(tab.title, self)
            action.setShortcut(QKeySequence(f"Alt+{number}"))
            action.triggered.connect(lambda _c=False, tab=tab: self.tabs.setCurrentWidget(tab))
            go.addAction(action)
            self.addAction(action)

    # -- showing -----------------------------------------------------------------------------

    def _show(self, case: CaseFile) -> None:
        self.case = case
        self.setWindowTitle(f"{case.title} — Caseworker")
        self.heading.setText(f"{case.reference}: {case.summary}" if case.summary else
                             case.reference)
        self.heading.setToolTip(case.summary)
        for tab in self.all_tabs:
            try:
                tab.show_case(case)
            except Exception:  # one tab failing must not stop the others showing
                log.exception("could not show %s", type(tab).__name__)

    def reload(self) -> None:
        """Save what is pending, read the case again and show it everywhere. Text that could not
        be saved stays in its field."""
        self.saver.flush()
        try:
            case = self.desk.case_file(self.case_id)
        except Exception as error:
            self.report(f"The case could not be read again: {reason(error)}")
            return
        self._show(case)

    def report(self, message: str, kind: str = "error") -> None:
        self.message_bar.show_message(message, kind)

    def _save_state_changed(self, text: str, kind: str) -> None:
        self.save_state.setText(text)
        if kind == "error":
            self.report(text)
        elif self.message_bar.kind == "error" and text.startswith("All changes saved"):
            self.message_bar.clear()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.timeline:
            self.saver.flush()
            self.timeline.show_case(self.case)

    # -- saving and closing ------------------------------------------------------------------

    def save_now(self) -> bool:
        saved = self.saver.flush()
        if saved:
            self.save_state.setText("All changes saved")
        return saved

    def ask_unsaved(self, why: str) -> str:
        """What to do with text that could not be saved: keep the window open, or discard."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changes not saved")
        box.setText(f"Some of your changes to {self.case.reference} could not be saved: {why}")
        box.setInformativeText("Keep the window open to try again (Ctrl+S) or to copy your text. "
                               "Discarding loses what you typed since the last save.")
        keep = box.addButton("Keep the window open", QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton("Discard my changes", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        return DISCARD if box.clickedButton() is discard else KEEP_OPEN

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.saver.flush():
            if self.ask_unsaved(self.saver.last_error or "unknown error") == KEEP_OPEN:
                event.ignore()
                return
            self.saver.forget(lambda _key: True)
        self.closed.emit(self.case_id)
        super().closeEvent(event)
