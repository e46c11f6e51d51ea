"""Python's cyclic garbage is collected on the window's thread only (caseworker_ui.garbage): a
worker thread's read never deletes a closed window, and the app's start is not collected
until the list is painted."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtWidgets import QWidget

from caseworker_ui.garbage import MainThreadCollector, collect_on_this_thread


class Cyclic(QWidget):
    """A window in a reference cycle (as a window holding a callback that holds it is):
    only the garbage collector frees it."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self


def test_a_worker_threads_allocations_collect_nothing_the_window_thread_does(
    qapp: Any, qtbot: Any
) -> None:
    collector = collect_on_this_thread(qapp)
    assert not gc.isenabled()
    collected_on: list[tuple[str, int]] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["collected"]:
            collected_on.append((threading.current_thread().name, info["collected"]))

    gc.callbacks.append(seen)
    try:
        window = Cyclic()
        gone = weakref.ref(window)
        del window  # garbage now, but only a collection frees it

        answer: list[Any] = []

        def read() -> None:  # a read of thousands of rows, as the allocation queue's
            answer.extend([n, str(n), {"n": n}] for n in range(50_000))

        worker = threading.Thread(target=read, name="worker")
        worker.start()
        worker.join()
        assert gone() is not None  # the worker thread's allocations collected nothing
        assert collected_on == []
        assert len(answer) == 50_000

        assert gc.get_count()[0] > collector.thresholds[0]
        qtbot.waitUntil(lambda: gone() is None, timeout=3000)  # the timer, on this thread
        assert {thread for thread, _ in collected_on} == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(seen)


def test_collect_takes_the_oldest_generation_that_is_due(qapp: Any) -> None:
    collector = collect_on_this_thread(qapp)
    assert collect_on_this_thread(qapp) is collector  # one for the application
    gc.collect()
    assert collector.collect() == -1  # nothing allocated since: nothing due
    kept = [[n] for n in range(collector.thresholds[0] + 10)]
    assert collector.collect() == 0
    assert gc.get_count()[0] < collector.thresholds[0]
    assert kept


def test_the_start_is_not_collected_until_the_list_is_painted(
    qapp: Any, qtbot: Any, monkeypatch: Any
) -> None:
    """caseworker_ui.app.run pauses the collector; the list's first paint freezes what the
    start made and resumes it (collect_garbage_again)."""
    from caseworker_ui import app as app_module

    collector = collect_on_this_thread(qapp)
    frozen: list[bool] = []
    monkeypatch.setattr(app_module.gc, "freeze", lambda: frozen.append(True))
    collector.pause()
    try:
        window = Cyclic()
        gone = weakref.ref(window)
        del window
        gc.get_count()
        [[n] for n in range(collector.thresholds[0] * 2)]
        qtbot.wait(int(collector.timer.interval() * 1.5))
        assert gone() is not None and frozen == []  # paused: nothing collected
        app_module.collect_garbage_again()
        assert frozen == [True] and not collector.paused
        app_module.collect_garbage_again()  # a second paint: nothing more
        assert frozen == [True]
    finally:
        collector.resume()
    assert isinstance(collector, MainThreadCollector)
