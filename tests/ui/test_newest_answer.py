"""Reads of a page on a worker thread where only the newest asked for is answered
(:class:`caseworker_ui.reports.worker.NewestAnswer`: Today, search, the quick views' counts,
the retention list), and a window that waits for the read under way before the database goes."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject

from caseworker_ui.reports.worker import NewestAnswer


def held(release: threading.Event, value: Any, ran: list[int]) -> Any:
    def read() -> Any:
        ran.append(threading.get_ident())
        assert release.wait(30)
        return value

    return read


def test_only_the_newest_read_is_answered(qtbot: Any) -> None:
    owner = QObject()
    reads = NewestAnswer(owner, "a test's page")
    first, second = threading.Event(), threading.Event()
    ran: list[int] = []
    answers: list[str] = []
    reads.ask(held(first, "old", ran), answers.append, lambda error: answers.append(str(error)))
    reads.ask(held(second, "new", ran), answers.append, lambda error: answers.append(str(error)))
    assert reads.waiting
    first.set()
    second.set()
    qtbot.waitUntil(lambda: not reads.waiting)
    assert answers == ["new"]  # the older answer came first and was not shown
    assert len(ran) == 2 and threading.get_ident() not in ran


def test_a_failed_read_says_why_and_forget_drops_an_answer(qtbot: Any) -> None:
    owner = QObject()
    reads = NewestAnswer(owner, "a test's page")
    answers: list[str] = []
    failures: list[Exception] = []

    def broken() -> None:
        raise OSError("disk I/O error")

    reads.ask(broken, answers.append, failures.append)
    qtbot.waitUntil(lambda: not reads.waiting)
    assert [f"{type(e).__name__}: {e}" for e in failures] == ["OSError: disk I/O error"]
    assert answers == []  # the page is given the error to word, not an answer

    release = threading.Event()
    reads.ask(held(release, "late", []), answers.append, failures.append)
    reads.forget()  # the page has nothing to ask now (the search box emptied)
    assert not reads.waiting
    release.set()
    reads.wait()  # the read under way is done
    qtbot.wait(0)
    assert answers == []


def test_wait_returns_once_the_read_under_way_is_done(qtbot: Any) -> None:
    owner = QObject()
    reads = NewestAnswer(owner, "a test's page")
    release, done = threading.Event(), threading.Event()

    def read() -> str:
        assert release.wait(30)
        done.set()
        return "answer"

    reads.ask(read, lambda _answer: None, lambda _why: None)
    threading.Timer(0.05, release.set).start()
    reads.wait()
    assert done.is_set()  # the window closes the database only after this


def test_the_main_window_waits_for_every_read_under_way_in_it_before_it_closes(
    qtbot: Any, window: Any
) -> None:
    """Closing the main window (the app then closes the database) waits for the reads of its
    own pages and of the windows it keeps open, such as the allocation view, a child of it."""
    child = QObject(window)  # a window the main window opened and keeps
    reads = NewestAnswer(child, "a kept window's page")
    release, ran = threading.Event(), []
    reads.ask(held(release, "late", ran), lambda _answer: None, lambda _error: None)
    qtbot.waitUntil(lambda: bool(ran))
    threading.Timer(0.1, release.set).start()
    window.close()
    assert release.is_set() and not reads.waiting  # waited for, its answer not shown
