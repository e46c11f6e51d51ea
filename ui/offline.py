"""Working offline from the app: take cases away, work on the copy, bring the work back.

The decisions are the core's (:mod:`caseworker.services.team.offline_copy` and
:mod:`caseworker.services.team.offline`); this module gives them menus, a bar and windows:

* on the team database, the File menu's "Take selected cases offline" / "Take my open cases
  offline" copy the cases into the officer's private data folder (no file to name), and "Bring
  offline work back…" checks a copy in;
* on the copy (:func:`install_offline`, when the team database could not be reached at start), a
  bar across the window that stays says so, which cases are out, how long for (with the council's
  warning when too long), and that team actions are off; the app checks now and then whether the
  team database can be reached again, and when it can the bar offers to bring the work back
  (the File menu does so at any time);
* bringing back (:func:`bring_back_work`) shows each case changed on both sides in the same
  side-by-side window as a live conflict (:class:`~caseworker_ui.dialogs.conflict.ConflictDialog`),
  then brings the decided cases back; once everything is back the copy is gone and the window
  reopens on the team database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.team.offline import CheckinReport, OfflineError, Outcome
from caseworker.services.team.offline_copy import (
    WAITING,
    OfflineCopy,
    age_warning,
    bring_back,
    find_copy,
    may_take_offline,
    take_offline,
)
from caseworker_ui.case_tabs.common import reason
from caseworker_ui.dialogs.conflict import KEEP_MINE, RELOAD, ConflictDialog

if TYPE_CHECKING:
    from caseworker.bootstrap import App
    from caseworker.services.context import Context

TeamOpener = Callable[[str], "tuple[App | None, str]"]
"""Opens the team database at a URL: the app, or None and why not."""
PROBE_MS = 60_000
"""How often the app on a copy checks whether the team database can be reached again."""


def _format_day(copy: OfflineCopy) -> str:
    from caseworker.domain.caselist import local_time

    local = local_time(copy.taken_at)
    return f"{local.day} {local:%B %Y}"


class OfflineBar(QFrame):
    """The strip that stays across the top of the window while the app works on a copy."""

    bring_back_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#offlineBar { background: #fff3cd; border: 1px solid #b58105; }"
            "#offlineBar QLabel { color: #4d3a02; }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.title = QLabel()
        self.title.setObjectName("offlineTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("offlineDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.warning = QLabel()
        self.warning.setObjectName("offlineAgeWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #842029; font-weight: bold;")
        self.warning.hide()
        self.button = QPushButton("&Bring work back now")
        self.button.setObjectName("offlineBringBack")
        self.button.clicked.connect(self.bring_back_clicked)
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.title)
        words.addWidget(self.detail)
        words.addWidget(self.warning)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addLayout(words, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_copy(
        self, copy: OfflineCopy, warning: str | None, reachable: bool, *, online: bool = False
    ) -> None:
        cases = ", ".join(copy.references) or "none left"
        if online:  # on the team database, with a copy still out
            self.title.setText("Some of your cases are still on this laptop's offline copy.")
            self.detail.setText(
                f"Cases on the copy: {cases} (taken {_format_day(copy)}). Bring them back so "
                "that the team sees your work and the copy is removed from this laptop."
            )
            self.warning.setText(warning or "")
            self.warning.setVisible(bool(warning))
            self.setAccessibleName(self.title.text())
            self.show()
            return
        if reachable:
            self.title.setText(
                "Working offline on your copy. The team database can be reached again: bring "
                "your work back."
            )
        else:
            self.title.setText("Working offline on your copy: the team database cannot be reached.")
        self.detail.setText(
            f"Cases on this laptop: {cases} (taken {_format_day(copy)}). Notes, interviews, "
            "findings, letters and home-visit assessments are saved in the copy and go back to "
            "the team when you bring your work back. Allocation, a manager's decisions and the "
            "council's reports need the team database and are off until then."
        )
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self.button.setEnabled(True)
        self.setAccessibleName(self.title.text())
        self.show()


def _insert_bar(window: QMainWindow, bar: QWidget) -> None:
    layout = window.centralWidget().layout()
    layout.insertWidget(0, bar)  # type: ignore[attr-defined]
    for index in range(1, layout.count()):
        layout.setStretch(index, 1)  # type: ignore[attr-defined]


class _Probe(QObject):
    """Tries to open the team database on a worker thread; :attr:`done` with the app or None."""

    done = Signal(object, str)
    _finished = Signal(object, str)

    def __init__(self, url: str, opener: TeamOpener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.opener = opener
        self.busy = False
        self._thread: threading.Thread | None = None
        self._finished.connect(self._deliver)

    def start(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._thread = threading.Thread(target=self._run, name="caseworker-probe", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            app, message = self.opener(self.url)
        except Exception as error:  # anything the opener did not explain
            app, message = None, str(error)
        self._finished.emit(app, message)

    @Slot(object, str)
    def _deliver(self, app: Any, message: str) -> None:
        self.busy = False
        self.done.emit(app, message)


class OfflineMode(QObject):
    """The app working on a copy: the bar, the File menu's "Bring offline work back…", the
    check for the team database, and, once everything is back, the switch to the team database
    (``switch`` is given the team's app)."""

    def __init__(
        self,
        window: QMainWindow,
        copy_app: App,
        copy: OfflineCopy,
        team_url: str,
        opener: TeamOpener,
        *,
        why: str = "",
        switch: Callable[[App], None] | None = None,
        probe_ms: int = PROBE_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.copy_app = copy_app
        self.copy = copy
        self.team_url = team_url
        self.why = why
        self.switch = switch
        self.team_app: App | None = None
        self.bar = OfflineBar(window)
        self.bar.bring_back_clicked.connect(self.bring_back_now)
        _insert_bar(window, self.bar)
        window.setWindowTitle(f"{window.windowTitle()} — offline copy")
        self.action = QAction("&Bring offline work back…", window)
        self.action.setObjectName("bringBackAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.action.triggered.connect(self.bring_back_now)
        _file_menu(window).insertAction(_quit_action(window), self.action)
        self.probe = _Probe(team_url, opener, self)
        self.probe.done.connect(self._probed)
        self.timer = QTimer(self)
        self.timer.setInterval(probe_ms)
        self.timer.timeout.connect(self.probe.start)
        self.timer.start()
        self.show_state()

    def show_state(self) -> None:
        desk = getattr(self.window, "desk", None)
        today = desk.today() if desk is not None else None
        warning = age_warning(self.copy, today) if today is not None else None
        self.bar.show_copy(self.copy, warning, self.team_app is not None)

    def _probed(self, app: App | None, _message: str) -> None:
        if app is None:
            return
        if self.team_app is not None:
            app.close()
            return
        self.team_app = app
        self.timer.stop()
        self.show_state()  # the offer: the bar says it can be brought back now

    def bring_back_now(self) -> None:
        """Bring the work back (asked from the bar or the menu): reach the team database first."""
        if self.team_app is None:
            app, message = self.probe.opener(self.team_url)
            if app is None:
                QMessageBox.information(
                    self.window,
                    "The team database cannot be reached yet",
                    f"{message}\n\nYour work stays safe in your offline copy. Try again when "
                    "you are back on the council's network.",
                )
                return
            self.team_app = app
        report = bring_back_work(self.window, self.team_app.context())
        if report is None:
            return
        copy = find_copy()
        if copy is None:  # all back: the copy is gone
            self.timer.stop()
            if self.switch is not None:
                self.switch(self.team_app)
                self.team_app = None
            return
        self.copy = copy
        self.show_state()

    def close(self) -> None:
        self.timer.stop()
        self.probe.wait(5)
        if self.team_app is not None:
            self.team_app.close()
            self.team_app = None


def _file_menu(window: QMainWindow) -> Any:
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")


def _quit_action(window: QMainWindow) -> QAction | None:
    return getattr(window, "quit_action", None)


def _conflict_choice(parent: QWidget, case: Any) -> str | None:
    """Ask about one case changed on both sides: ``mine``, ``theirs`` or None (later)."""
    conflict = case.conflict
    choice = ConflictDialog.ask(conflict, conflict.changed_by, parent, offline=True)
    return {KEEP_MINE: "mine", RELOAD: "theirs"}.get(choice or "")


def bring_back_work(parent: QWidget, team: Context) -> CheckinReport | None:
    """Bring the officer's copy back through the core, asking about every case changed on both
    sides in the conflict window; the last report (None when it could not be done at all: a
    message has said why)."""
    try:
        report = bring_back(team)
    except Exception as error:  # OfflineError, or the team database gone again
        QMessageBox.warning(parent, "Could not bring the work back", reason(error))
        return None
    keep: dict[str, str] = {}
    for case in report.conflicts:
        choice = _conflict_choice(parent, case) if case.conflict is not None else None
        if choice is not None:
            keep[case.reference] = choice
    if keep:
        try:
            decided = bring_back(team, keep=keep)
        except Exception as error:
            QMessageBox.warning(parent, "Could not bring the work back", reason(error))
            return None
        # One report: each case as the first pass left it, or as decided in the second.
        latest = {c.reference: c for c in decided.cases if c.outcome != Outcome.ALREADY_IN}
        report = CheckinReport(
            decided.copy_id,
            [latest.get(c.reference, c) for c in report.cases],
            decided.not_carried,
        )
    show_report(parent, report)
    return report


def report_text(report: CheckinReport) -> str:
    lines = [case.message for case in report.cases]
    lines += [
        f"{reference}: created on the copy, not brought back: export it from the copy and import it"
        for reference in report.not_carried
    ]
    waiting = [c for c in report.cases if c.outcome in WAITING]
    if waiting or report.not_carried:
        lines.append("\nThe copy stays on this laptop until everything is back.")
    else:
        lines.append("\nEverything is back: the copy has been removed from this laptop.")
    return "\n".join(lines)


def show_report(parent: QWidget, report: CheckinReport) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, "Offline work brought back", "", parent=parent)
    box.setObjectName("bringBackReport")
    box.setText(report_text(report))
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.exec()


# -- on the team database -----------------------------------------------------------------------


def add_offline_actions(window: QMainWindow, desk: Context) -> list[QAction]:
    """The File menu's "Take selected cases offline", "Take my open cases offline" and "Bring
    offline work back…" (on the team database the window is on)."""
    menu = _file_menu(window)
    before = _quit_action(window)
    selected = QAction("Take selected cases &offline", window)
    selected.setObjectName("takeSelectedOffline")
    selected.setShortcut(QKeySequence("Ctrl+Shift+O"))
    mine = QAction("Take &my open cases offline", window)
    mine.setObjectName("takeMineOffline")
    back = QAction("&Bring offline work back…", window)
    back.setObjectName("bringBackAction")
    back.setShortcut(QKeySequence("Ctrl+Shift+B"))
    refused = may_take_offline(desk)
    shown = [selected, mine] if refused is not None else [selected, mine, back]
    for action in shown:  # on a copy, OfflineMode brings the work back
        menu.insertAction(before, action)
    menu.insertSeparator(before)
    menu.setToolTipsVisible(True)
    if refused is not None:
        for action in (selected, mine):
            action.setEnabled(False)
            action.setToolTip(refused)
            action.setStatusTip(refused)

    def take(references: list[str] | None) -> None:
        try:
            done = take_offline(desk, references)
        except Exception as error:
            QMessageBox.warning(window, "Could not take the cases offline", reason(error))
            return
        QMessageBox.information(
            window,
            "Cases taken offline",
            f"{', '.join(done.references)} are on this laptop now, in your private folder. "
            "Caseworker opens them there when the team database cannot be reached. Bring them "
            "back from the File menu when you are back.",
        )
        show_copy()
        refresh = getattr(window, "refresh", None)
        if refresh is not None:
            refresh()

    selected.triggered.connect(lambda: take(selected_references(window)))
    mine.triggered.connect(lambda: take(None))

    bar = OfflineBar(window if refused is None else None)  # on a copy: OfflineMode's bar
    bar.hide()

    def show_copy() -> None:
        """The bar, while a copy is out (with the council's warning when it is too old)."""
        try:
            copy = find_copy()
        except OfflineError as error:
            bar.title.setText("Your offline copy could not be read.")
            bar.detail.setText(str(error))
            bar.show()
            return
        if copy is None or not copy.references:
            bar.hide()
            return
        bar.show_copy(copy, age_warning(copy, desk.today()), True, online=True)

    def bring() -> None:
        if find_copy() is None:
            QMessageBox.information(
                window, "Nothing to bring back", "There is no offline copy on this laptop."
            )
            return
        bring_back_work(window, desk)
        show_copy()
        refresh = getattr(window, "refresh", None)
        if refresh is not None:
            refresh()

    back.triggered.connect(bring)
    if refused is None:
        bar.bring_back_clicked.connect(bring)
        _insert_bar(window, bar)
        show_copy()
        window.offline_bar = bar  # type: ignore[attr-defined]
    return shown


def selected_references(window: QMainWindow) -> list[str]:
    """The references of the rows selected in the case list (the current row if none)."""
    table = getattr(window, "table", None)
    if table is None:
        return []
    model = table.model()
    column = getattr(model, "REFERENCE", 0)
    rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
    if not rows and table.currentIndex().isValid():
        rows = [table.currentIndex().row()]
    found = [model.index(row, column).data() for row in rows]
    return [str(ref) for ref in found if ref]


# -- with no team database and no copy ----------------------------------------------------------


class UnreachableWindow(QMainWindow):
    """What opens when the team database cannot be reached and there is no offline copy: what
    is wrong, what to do, and "Try again" (which opens the app once it can)."""

    def __init__(
        self,
        message: str,
        url: str,
        opener: TeamOpener,
        opened: Callable[[App], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unreachableWindow")
        self.setWindowTitle("Caseworker — the team database cannot be reached")
        self.url = url
        self.opener = opener
        self.opened = opened
        self.explanation = QLabel(
            f"{message}\n\nWhat to do: check that this computer is on the council's network "
            "(or its VPN) and try again. To keep working away from the office another time, "
            "take your cases offline from the File menu before you go: Caseworker then opens "
            "them here whenever the team database cannot be reached."
        )
        self.explanation.setObjectName("unreachableMessage")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = QPushButton("&Try again")
        self.retry.setObjectName("tryAgain")
        self.retry.setDefault(True)
        self.retry.clicked.connect(self.try_again)
        quit_button = QPushButton("&Quit")
        quit_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry)
        buttons.addWidget(quit_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.explanation)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setCentralWidget(body)
        self.resize(720, 360)
        self.retry.setFocus()

    def try_again(self) -> None:
        app, message = self.opener(self.url)
        if app is None:
            self.explanation.setText(
                f"Still cannot reach it.\n\n{message}\n\nCheck the network connection and try "
                "again."
            )
            return
        self.opened(app)
        self.close()
