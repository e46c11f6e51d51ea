"""Running slow work (counting a report, writing an export, purging) on a worker thread.

A :class:`Task` runs a function on a :class:`QThreadPool` and reports back through signals, which
Qt delivers on the window's (main) thread: progress as it goes, then the result or the error's
message. The window stays responsive however long the work takes.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from caseworker.errors import CaseworkerError


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
