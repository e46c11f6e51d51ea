"""Colleagues' changes, live: the case list and open case windows follow the database.

:class:`LiveCases` owns a :class:`~caseworker.services.team.changes.ChangeFeed` and emits
:attr:`LiveCases.cases_changed` with the ids of cases someone changed. On PostgreSQL with
LISTEN/NOTIFY a :class:`QSocketNotifier` on the feed's socket wakes it the moment a change is
committed (with a slow poll besides, in case a notification is lost); otherwise a timer polls
every few seconds (two cheap ``max()`` queries when nothing changed).

:func:`watch` wires it to the main window: changed rows are updated in place (the selection and
scroll position stay), the list is reloaded only when a case came into or left the current
filter, and each open case window of a changed case shows a :class:`ChangeBar` ("Changed by Jo
Bloggs at 14:05 — Reload"); nothing reloads over what someone is typing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from caseworker.domain.caselist import local_time
from caseworker.services.team.changes import ChangeFeed

if TYPE_CHECKING:
    from caseworker_ui.main_window import MainWindow

log = logging.getLogger(__name__)

POLL_MS = 3000
"""How often the list asks the database for changes when it cannot be told (SQLite)."""
SAFETY_POLL_MS = 30_000
"""In notify mode, how often it asks anyway (a notification lost with a dropped connection)."""


class LiveCases(QObject):
    cases_changed = Signal(object)
    """A set of ids of cases changed since the last report."""
    failed = Signal(str)
    """The database could not be asked (a sentence); it is asked again on the next tick."""

    def __init__(
        self, feed: ChangeFeed, *, poll_ms: int = POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.feed = feed
        self._notifier: QSocketNotifier | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        socket = feed.fileno() if feed.mode == "notify" else None
        if socket is not None:
            self._notifier = QSocketNotifier(socket, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(lambda *_: self.check())
            self._timer.setInterval(max(poll_ms, SAFETY_POLL_MS))
        else:
            self._timer.setInterval(poll_ms)
        self._timer.start()

    @property
    def mode(self) -> str:
        """'notify' while woken by PostgreSQL notifications, else 'poll'."""
        return "notify" if self._notifier is not None else "poll"

    def check(self, *, force: bool = False) -> set[int]:
        """Ask the feed now; the ids changed (also emitted)."""
        try:
            changed = self.feed.poll(force=force)
        except Exception as error:
            log.warning("could not check for colleagues' changes: %s", error)
            self.failed.emit(str(getattr(error, "orig", None) or error).strip().splitlines()[0])
            return set()
        if self._notifier is not None and self.feed.mode != "notify":  # the listener went
            self._notifier.setEnabled(False)
            self._notifier = None
            self._timer.setInterval(POLL_MS)
        if changed:
            self.cases_changed.emit(changed)
        return changed

    def _tick(self) -> None:
        self.check(force=True)

    def stop(self) -> None:
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier = None
        self.feed.close()


class ChangeBar(QFrame):
    """ "Changed by Jo Bloggs at 14:05 — Reload", in a case window."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#changeBar { background: #cfe2ff; } #changeBar QLabel { color: #084298; }"
        )
        self.label = QLabel()
        self.label.setObjectName("changeText")
        self.label.setWordWrap(True)
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setObjectName("reloadChanged")
        self.reload_button.setToolTip(
            "Show the case as it is now (F5). Anything you typed and "
            "has not been saved yet stays in its field."
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.reload_button)
        self.reload_button.clicked.connect(self.reload_requested)
        self.hide()

    def show_change(self, who: str, at: dt.datetime | None) -> None:
        when = f" at {local_time(at):%H:%M}" if at is not None else ""
        text = f"Changed by {who}{when}. Reload to see their changes."
        self.label.setText(text)
        self.setAccessibleName(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""

    def clear(self) -> None:
        self.label.clear()
        self.hide()


def show_changes(window: MainWindow, ids: set[int]) -> None:
    """Show colleagues' changes to these cases in the main window and their case windows."""
    model, table = window.model, window.table
    if model.update_cases(ids):
        window.refresh_counts()
    else:
        current = table.currentIndex()
        case_id = current.data(model.CASE_ID_ROLE) if current.isValid() else None
        column = max(current.column(), 0)
        scroll = table.verticalScrollBar().value()
        window.refresh()
        row = model.row_of(case_id) if case_id is not None else -1
        if row >= 0:
            table.setCurrentIndex(model.index(row, column))
        table.verticalScrollBar().setValue(scroll)
    for case_id in ids:
        case_window: Any = window.case_windows.get(case_id)
        if case_window is not None and hasattr(case_window, "notice_change"):
            case_window.notice_change()


def watch(window: MainWindow, feed: ChangeFeed, *, poll_ms: int = POLL_MS) -> LiveCases:
    """Keep the main window's list (and its open case windows) up to date with ``feed``."""
    live = LiveCases(feed, poll_ms=poll_ms, parent=window)
    live.cases_changed.connect(lambda ids: show_changes(window, ids))
    live.failed.connect(
        lambda why: window.statusBar().showMessage(
            f"Could not check for colleagues' changes: {why}", 10_000
        )
    )
    window.destroyed.connect(lambda *_: feed.close())
    window.live = live
    return live
