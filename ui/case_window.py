"""The case file window: one per case, with a tab for each part of the work. Each tab is made,
and shows the case, when it is first shown (:mod:`caseworker_ui.case_tabs.base`): opening the
window reads the case file and builds the Overview only.

Edits are saved as the officer types (a short pause, then through the services). Ctrl+S saves
now; closing the window saves first, and if that fails the window stays open with the reason, so
that typed text is never lost without the officer choosing to discard it.

The case's letter texts and issues are saved through a
:class:`~caseworker.services.team.editing.CaseEditor`, which starts from the version of the case
shown: if a colleague saved the same field meanwhile, the window shows both versions
(:class:`~caseworker_ui.dialogs.conflict.ConflictDialog`) instead of overwriting theirs. When a
colleague changes the case, a bar says who and when, with a Reload button (nothing reloads over
typed text by itself); a case checked out for offline work says so under the heading.

The window acts in one :class:`~caseworker.services.context.Context` (the database, the officer
at the keyboard, today) and calls the services with it: reading the case file needs leave to see
the case, and :func:`~caseworker.services.cases.casefile.why_read_only` says, once per showing,
why it may not be changed (the read-only bar).
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

from caseworker.domain.enums import LetterKind
from caseworker.services.cases import casefile
from caseworker.services.cases.casefile import CaseFile
from caseworker.services.context import Context
from caseworker.services.team.concurrency import Conflict, EditConflict
from caseworker.services.team.editing import CaseEditor, FieldEditConflict
from caseworker_ui.case_tabs.autosave import AutoSaver
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import MessageBar, reason
from caseworker_ui.case_tabs.documents import DocumentsTab
from caseworker_ui.case_tabs.home_visit import HomeVisitTab
from caseworker_ui.case_tabs.interviews import InterviewsTab
from caseworker_ui.case_tabs.issues import IssuesTab
from caseworker_ui.case_tabs.letters import LettersTab
from caseworker_ui.case_tabs.overview import OverviewTab
from caseworker_ui.case_tabs.progress import ProgressTab
from caseworker_ui.case_tabs.stage2 import Stage2Tab
from caseworker_ui.case_tabs.timeline import TimelineTab
from caseworker_ui.dialogs.conflict import (
    KEEP_MINE,
    RELOAD,
    ConflictDialog,
    UnsavedTextPanel,
    field_label,
)
from caseworker_ui.file_drop import FileDrop
from caseworker_ui.live import ChangeBar

log = logging.getLogger(__name__)

KEEP_OPEN, DISCARD = "keep-open", "discard"
EDITED_FIELDS = ("issue", "case_text")
"""Autosave keys whose changes go through the case editor's version check."""


def _edited(key: object) -> bool:
    return isinstance(key, tuple) and bool(key) and key[0] in EDITED_FIELDS


class CaseWindow(QMainWindow):
    closed = Signal(int)
    """The window closed (its case id)."""
    changed = Signal(int)
    """Something on the case was saved (its case id): the case list may want to refresh."""
    case_requested = Signal(int, str)
    """Open another case (its id) at a part of its file (see :meth:`open_at`), e.g. a previous
    complaint from the same person."""

    def __init__(self, desk: Context, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.setObjectName("caseWindow")
        self.desk = desk
        """The context the window and its tabs act in (the database, the officer, today)."""
        self.case_id = case_id
        self.editor = CaseEditor(desk, case_id)  # first: what is shown is never older than it
        self.case: CaseFile = casefile.load_case_file(desk, case_id)
        self.resize(1240, 800)

        self.saver = AutoSaver(self)
        self.saver.resolve = self._resolve_conflict
        self.message_bar = MessageBar("caseMessage")
        self.checkout_bar = MessageBar("checkoutMessage")
        self.read_only_bar = MessageBar("readOnlyMessage")
        self.read_only_reason: str | None = None
        """Why the person may not change this case (None: they may); asked on every showing."""
        self.change_bar = ChangeBar(self)
        self.change_bar.reload_requested.connect(self.reload)
        self.unsaved_panel = UnsavedTextPanel(self)
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
        self.documents = DocumentsTab(desk, self.saver, self)
        self.timeline = TimelineTab(desk, self.saver, self)
        self.progress = ProgressTab(desk, self.saver, self)
        self.stage2 = Stage2Tab(desk, self.saver, self)
        self.all_tabs: list[CaseTab] = [
            self.overview,
            self.issues,
            self.interviews,
            self.home_visit,
            self.letters,
            self.documents,
            self.progress,
            self.stage2,
            self.timeline,
        ]
        for tab in self.all_tabs:
            self.tabs.addTab(tab, tab.title)
            tab.setAccessibleName(tab.title.replace("&", ""))

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(10, 8, 10, 4)
        column.addWidget(self.heading)
        column.addWidget(self.read_only_bar)
        column.addWidget(self.checkout_bar)
        column.addWidget(self.change_bar)
        column.addWidget(self.unsaved_panel)
        column.addWidget(self.message_bar)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.save_state.setAccessibleName("Save state")
        self.statusBar().addWidget(self.save_state, 1)

        self._build_actions()
        # Files (and emails) dragged onto the window are attached to the case, also when
        # dropped on a text field (of a tab, once it is made).
        drop = FileDrop.install(self, self.documents.drop_files, text_fields=True)
        for tab in self.all_tabs:
            tab.made.connect(lambda tab=tab: drop.take_text_fields(tab))
        self.saver.state_changed.connect(self._save_state_changed)
        self.saver.saved.connect(self._saved)
        self.saver.settled.connect(self._catch_up)
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
        self.heading.setText(
            f"{case.reference}: {case.summary}" if case.summary else case.reference
        )
        self.heading.setToolTip(case.summary)
        self._show_checkout()
        self.read_only_reason = self._why_read_only()
        for tab in self.all_tabs:  # the tab on screen shows it now, the others when shown
            tab.set_case(case, may_change=self.read_only_reason is None)
        self.save_action.setEnabled(self.read_only_reason is None)
        if self.read_only_reason is None:
            self.read_only_bar.clear()
        else:
            self.read_only_bar.show_message(
                f"Read only: {self.read_only_reason}. You can read and copy everything here; "
                "the Progress tab has what a manager may still do.",
                "warning",
            )

    def _why_read_only(self) -> str | None:
        try:
            return casefile.why_read_only(self.desk, self.case_id)
        except Exception as error:  # editing stays possible: each save is still checked
            log.exception("could not tell whether %s may be changed", self.case_id)
            self.report(f"Could not check whether you may change this case: {reason(error)}")
            return None

    def _show_checkout(self) -> None:
        try:
            mark = casefile.checkout_mark(self.desk, self.case_id)
        except Exception:  # the mark is a courtesy: never stop the case showing
            log.exception("could not read whether %s is checked out", self.case_id)
            mark = None
        if mark is None:
            self.checkout_bar.clear()
        else:
            self.checkout_bar.show_message(mark.describe(), "warning")

    def open_at(self, section: str) -> QWidget:
        """Show the tab for ``section``: overview, issues, interviews, home-visit, letters,
        timeline, or any other tab this window has under that name (documents); the overview
        when it has none. The tab shown."""
        tab = getattr(self, section.replace("-", "_"), None)
        if not isinstance(tab, QWidget) or self.tabs.indexOf(tab) < 0:
            tab = self.overview
        self.tabs.setCurrentWidget(tab)
        return tab

    def open_letter(self, kind: LetterKind) -> None:
        """Show the Letters tab with the letter of ``kind`` chosen (its preview and checks)."""
        self.tabs.setCurrentWidget(self.letters)
        self.letters.choose_kind(kind)
        self.letters.kind_combo.setFocus()

    def reload(self) -> None:
        """Save what is pending, read the case again and show it everywhere. Text that could not
        be saved stays in its field (and its edits keep the version they started from, so a
        colleague's change to the same field is still shown as a conflict)."""
        self.saver.flush()
        self._read_again()

    def _read_again(self) -> None:
        try:
            if not any(_edited(key) for key in self.saver.pending_keys()):
                self.editor.start()  # before reading: what is shown is never older
            case = casefile.load_case_file(self.desk, self.case_id)
        except Exception as error:
            self.report(f"The case could not be read again: {reason(error)}")
            return
        self.change_bar.clear()
        self._show(case)

    # -- colleagues --------------------------------------------------------------------------

    def notice_change(self) -> None:
        """The case changed in the database (the list's change feed says so): if someone else
        changed it, say who and when, with a Reload button; never reload over typed text."""
        try:
            change = casefile.last_change(self.desk, self.case_id)
        except Exception:
            log.exception("could not read who changed %s", self.case_id)
            return
        self._show_checkout()
        if change is None or change.login == self.desk.actor:
            return
        self.change_bar.show_change(change.who, change.at)

    def _saved(self, _key: object) -> None:
        if self.editor.merged:
            # Saved alongside a colleague's changes to other fields: show theirs now, so that
            # nobody edits a field from a version older than the one their edit starts from.
            last = self.editor.merged[-1]
            who = self.editor.person(last.changed_by) or "a colleague"
            self.editor.merged.clear()
            self._read_again()
            self.report(
                f"Saved. {who} had changed other parts of this case meanwhile; their "
                "changes are kept and shown.",
                "info",
            )
        self.changed.emit(self.case_id)

    def _catch_up(self) -> None:
        """After the autosaver saved: read the case again so that what the window holds (and
        shows again when the officer comes back to a point) is what was saved. Fields are not
        rewritten under the cursor: each tab only refreshes what it lists
        (:meth:`CaseTab.case_saved`; a tab not on screen shows it in full when next shown)."""
        try:
            case = casefile.load_case_file(self.desk, self.case_id)
        except Exception:  # the next save or reload tries again; nothing typed is lost
            log.exception("could not read %s again after saving", self.case_id)
            return
        self.case = case
        for tab in self.all_tabs:
            try:
                tab.set_saved_case(case)
            except Exception:
                log.exception("could not refresh %s", type(tab).__name__)

    def _resolve_conflict(self, _key: object, error: Conflict) -> bool:
        """A save met a colleague's save of the same field: show both and let the person
        choose. True once chosen (the autosaver then has nothing left to save for it)."""
        if isinstance(error, FieldEditConflict):
            return self._resolve_interview_conflict(error)
        if not isinstance(error, EditConflict):
            return False
        conflict = error
        while True:
            who = self.editor.person(conflict.changed_by) or "A colleague"
            choice = self.ask_conflict(conflict, who)
            if choice == KEEP_MINE:
                try:
                    self.editor.keep_mine(conflict)
                except EditConflict as again:  # someone saved yet again: show that too
                    conflict = again
                    continue
                self._read_again()
                self.report(
                    f"Your version was saved over {who}'s. Both are in the case's "
                    "history (Timeline).",
                    "ok",
                )
                return True
            if choice == RELOAD:
                case_changes, issue_changes = self.editor.reload()
                typed = [(field_label("case", name), value) for name, value in case_changes.items()]
                typed += [
                    (field_label(f"issue {number}", name), value)
                    for number, values in sorted(issue_changes.items())
                    for name, value in values.items()
                ]
                self.saver.forget(_edited)
                self.unsaved_panel.keep(who, typed)
                self._read_again()
                return True
            return False  # decide later: the text stays, unsaved, and the save says why

    def _resolve_interview_conflict(self, conflict: FieldEditConflict) -> bool:
        while True:
            who = self.editor.person(conflict.changed_by) or "A colleague"
            choice = self.ask_conflict(conflict, who)
            if choice == KEEP_MINE:
                try:
                    self.editor.keep_mine_interview(conflict)
                except FieldEditConflict as again:
                    conflict = again
                    continue
                self.report(
                    f"Your version was saved over {who}'s. Both are in the case's "
                    "history (Timeline).",
                    "ok",
                )
                return True
            if choice == RELOAD:
                self.editor.forget_interview(conflict)
                reloaded = {("interview", conflict.interview_id, f.field) for f in conflict.fields}
                self.saver.forget(reloaded.__contains__)
                self.unsaved_panel.keep(
                    who, [(field_label(f.where, f.field), f.mine) for f in conflict.fields]
                )
                self._read_again()
                return True
            return False

    def ask_conflict(self, conflict: EditConflict | FieldEditConflict, who: str) -> str | None:
        """RELOAD, KEEP_MINE or None (decide later)."""
        return ConflictDialog.ask(conflict, who, self)

    def report(self, message: str, kind: str = "error") -> None:
        self.message_bar.show_message(message, kind)

    def _save_state_changed(self, text: str, kind: str) -> None:
        self.save_state.setText(text)
        if kind == "error":
            self.report(text)
        elif self.message_bar.kind == "error" and text.startswith("All changes saved"):
            self.message_bar.clear()

    def _tab_changed(self, _index: int) -> None:
        if self.message_bar.kind in ("ok", "info"):
            self.message_bar.clear()  # "Acknowledgement recorded." belongs to the step's tab
        if self.tabs.currentWidget() is self.timeline:
            self.saver.flush()  # what was typed is on the timeline (read again once saved)

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
        box.setInformativeText(
            "Keep the window open to try again (Ctrl+S) or to copy your text. "
            "Discarding loses what you typed since the last save."
        )
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
        self.letters.stop_previewing()  # not read on as the database is closed
        self.closed.emit(self.case_id)
        super().closeEvent(event)
