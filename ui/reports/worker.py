"""Running slow work (counting a report, writing an export, purging) on a worker thread.

A :class:`Task` runs a function on a :class:`QThreadPool` and reports back through signals, which
Qt delivers on the window's (main) thread: progress as it goes, then the result or the error's
message. The window stays responsive however long the work takes. :class:`NewestAnswer` reads
what a page shows (Today, a search, the quick views' counts, the allocation view's queue, the
letter's preview, the retention list) that way, where only the newest read asked for is
answered.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from caseworker.errors import CaseworkerError

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    """(step, steps, what is being counted)"""
    finished = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """``work(progress)`` on a worker thread; ``progress(step, steps, what)`` may be called from
    it. The signals object is owned by the caller (on the main thread)."""

    def __init__(
        self, work: Callable[[Callable[[int, int, str], None]], Any], signals: TaskSignals
    ) -> None:
        super().__init__()
        self.work = work
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except CaseworkerError as error:
            self.signals.failed.emit(str(error))
        except Exception as error:  # shown to the person, not lost in a thread
            traceback.print_exc()
            self.signals.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.signals.finished.emit(result)


class NewestAnswer(QObject):
    """Reads for one page on a worker thread of their own, one at a time, where only the newest
    read asked for is answered: a page read again while a read is under way (a search typed on,
    Today refreshed twice) shows the newer answer, never an older one after it. The page keeps
    what it shows meanwhile; :attr:`waiting` says an answer is awaited. A read that fails is
    logged (with ``what`` it was reading) and the page given the error to word as it does. The
    window waits for the read under way (:meth:`wait`) before the database is closed."""

    def __init__(self, parent: QObject, what: str) -> None:
        super().__init__(parent)
        self.what = what
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._asked = 0
        self.waiting = False

    def ask(
        self,
        read: Callable[[], Any],
        answered: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        """``read()`` on the worker thread; then, unless something newer was asked meanwhile,
        ``answered(its result)`` or ``failed(the error it raised)`` on the window's thread."""
        self._asked += 1
        asked = self._asked
        self.waiting = True
        signals = TaskSignals(self)

        def guarded(_progress: object) -> tuple[Any, Exception | None]:
            try:
                return read(), None
            except Exception as error:  # the page says what went wrong
                log.exception("could not read %s", self.what)
                return None, error

        def reply(outcome: tuple[Any, Exception | None]) -> None:
            signals.deleteLater()
            if asked != self._asked:  # asked again since: the newer answer is the one shown
                return
            self.waiting = False
            result, error = outcome
            if error is None:
                answered(result)
            else:
                failed(error)

        signals.finished.connect(reply)
        self._pool.start(Task(guarded, signals))

    def forget(self) -> None:
        """No answer is wanted for what was asked so far (the page has nothing to ask now)."""
        self._asked += 1
        self.waiting = False

    def wait(self) -> None:
        """Until the read under way, if any, is done (its answer is then not shown)."""
        self.forget()
        self._pool.waitForDone()
