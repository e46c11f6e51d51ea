"""The list for the words typed in the filter box is read on a worker thread: at 250,000 cases
the start of a common word matches tens of thousands of cases and took 0.1-0.2 s, a window that
stopped answering keys. The rows on show stay, the count says "Filtering…", and only the newest
list asked for is shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from caseworker.services.lists.caselist import QuickView
from caseworker_ui.models.case_list import CaseListModel as M


def shown(window: Any) -> list[str]:
    model = window.table.model()
    return sorted(model.index(row, M.REFERENCE).data() for row in range(model.rowCount()))


@pytest.fixture
def held(window: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The list's reads for words typed wait (on their worker thread) until this is set; every
    other read goes through at once."""
    release = threading.Event()
    cases = window.model._source
    read: Callable[..., Any] = cases.page_and_count

    def page_and_count(filt: Any, sort: Any, **kwargs: Any) -> Any:
        if filt.text and threading.current_thread() is not threading.main_thread():
            assert release.wait(10), "the test never let the read finish"
        return read(filt, sort, **kwargs)

    monkeypatch.setattr(cases, "page_and_count", page_and_count)
    yield release
    release.set()  # whatever is still reading finishes before the window closes


def type_words(qtbot: Any, window: Any, words: str) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.filter_edit, words)
    qtbot.keyClick(window.filter_edit, Qt.Key.Key_Return)  # at once, not after the pause


def test_the_rows_stay_and_the_window_answers_while_the_words_are_read(
    some_cases: None, window: Any, qtbot: Any, held: threading.Event
) -> None:
    before = shown(window)
    type_words(qtbot, window, "park")  # returns: the read waits on another thread
    assert window.model.loading
    assert window.count_label.text() == "Filtering…"
    qtbot.wait(50)  # the window goes on handling events meanwhile
    assert window.model.loading
    assert shown(window) == before
    assert not window.model.canFetchMore()  # not the old rows' next page

    held.set()
    qtbot.waitUntil(lambda: not window.model.loading)
    assert shown(window) == ["CW-2026-00001", "CW-2026-00002", "CW-2026-00004"]
    assert window.count_label.text() == "3 cases"


def test_a_newer_choice_is_shown_not_the_words_read_before_it(
    some_cases: None, window: Any, qtbot: Any, held: threading.Event
) -> None:
    type_words(qtbot, window, "park")
    assert window.model.loading
    window.show_view(QuickView.STAGE_2)  # read at once, with the words: the newer list
    assert not window.model.loading
    assert shown(window) == ["CW-2026-00004"]
    answered: list[object] = []
    window.model.modelReset.connect(lambda: answered.append(True))

    held.set()
    qtbot.wait(200)  # time for the older read to come back
    assert answered == []
    assert shown(window) == ["CW-2026-00004"]
    assert window.count_label.text() == "1 case"


def test_a_failed_read_of_the_words_says_why_as_any_other(
    some_cases: None, window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = window.model._source
    read = cases.page_and_count

    def page_and_count(filt: Any, sort: Any, **kwargs: Any) -> Any:
        if filt.text:
            raise OSError("disk I/O error")
        return read(filt, sort, **kwargs)

    monkeypatch.setattr(cases, "page_and_count", page_and_count)
    type_words(qtbot, window, "park")
    qtbot.waitUntil(lambda: not window.model.loading)
    assert window.model.load_error is not None and "disk I/O error" in window.model.load_error
    assert window.stack.currentWidget() is window.empty_page
    assert window.empty_label.text().startswith("The cases could not be loaded:")

    monkeypatch.setattr(cases, "page_and_count", read)
    qtbot.keyClick(window, Qt.Key.Key_F5)  # F5 tries again, at once
    assert shown(window) == ["CW-2026-00001", "CW-2026-00002", "CW-2026-00004"]
