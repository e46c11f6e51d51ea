"""Python's garbage collector run on the window's thread only.

The app reads on worker threads (Today, search, the quick views' counts, the allocation queue,
reports). Left to itself, Python collects cyclic garbage in whichever thread happens to be
allocating when a generation fills up: a worker thread reading 4,000 cases collected windows and
dialogs the officer had closed, and a Qt widget deleted on a thread other than its own leaves its
timers behind on the window's thread, which then fire on freed memory (the process crashed,
now and then, in the test suite). Here automatic collection is off and a timer on the window's
thread collects instead, generation by generation by Python's own thresholds, between events.
(Other Qt applications in Python do the same, for the same reason.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000
"""How often the window's thread looks at what has been allocated since the last collection."""


class MainThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives in, when Python would have (its
    thresholds), at most once a :data:`INTERVAL_MS`; automatic collection is off meanwhile."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def pause(self) -> None:
        """No collection until :meth:`resume` (the app's start, which frees almost nothing)."""
        self.timer.stop()

    @property
    def paused(self) -> bool:
        return not self.timer.isActive()

    def resume(self) -> None:
        self.timer.start()

    def collect(self) -> int:
        """The oldest generation that is due (as Python's thresholds say) collected now, and
        with it the younger ones; which, or -1 for none."""
        counts = gc.get_count()
        for generation in reversed(range(len(counts))):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1


def collect_on_this_thread(app: QCoreApplication) -> MainThreadCollector:
    """The application's collector (made once, on the thread ``app`` lives in: the window's)."""
    found = app.findChild(MainThreadCollector)
    return found if found is not None else MainThreadCollector(app)
