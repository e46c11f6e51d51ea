"""Issue 19, item 6: closing a case with an action still open, and saving a letter that fails
its checks, ask first, in the core's words; the question is answered by keys."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from caseworker.services.cases import casefile
from caseworker.services.cases.progress import progress_of
from caseworker.services.investigation import issues as investigation
from tests.ui.keys import ENTER, activate, alt, answer_box, answer_text
from tests.ui.test_progress_tab import new_case, open_window  # noqa: F401  (a fixture)

NO = Qt.KeyboardModifier.NoModifier


def test_closing_with_an_open_action_asks_in_the_cores_words(
    qtbot,
    desk,
    open_window,  # noqa: F811
    real_questions,
):
    case_id = new_case(desk, "stockport", dt.date(2026, 11, 2))
    issue = casefile.load_case_file(desk, case_id).issues[0]
    investigation.update_issue(desk, issue.id, action="Repair the pothole")
    warnings = progress_of(desk, case_id).closure_warnings
    assert warnings == ("the action on issue 1 (Repair the pothole) is not completed",)

    window = open_window(case_id)
    activate(qtbot, window)
    seen: list[str] = []
    answer_box([ENTER], seen)  # Enter: the default keeps it open
    assert window.progress.confirm_close() is False
    assert seen == ["Before closing: " + warnings[0] + "."]
    answer_box([alt("c")], seen)  # Alt+C: Close anyway
    assert window.progress.confirm_close() is True


def test_no_question_when_nothing_is_open(qtbot, desk, open_window, real_questions):  # noqa: F811
    window = open_window(new_case(desk, "stockport", dt.date(2026, 11, 2)))
    assert progress_of(desk, window.case_id).closure_warnings == ()
    assert window.progress.confirm_close() is True  # asked nothing: no box to answer


def test_saving_a_letter_that_fails_its_checks_asks_first(
    qtbot,
    desk,
    open_window,  # noqa: F811
    real_questions,
):
    window = open_window(new_case(desk, "stockport", dt.date(2026, 11, 2)), "letters")
    activate(qtbot, window)
    tab = window.letters
    qtbot.waitUntil(lambda: tab.preview is not None)
    assert tab.preview.gaps  # no finding yet: the outcome letter lacks it
    seen: list[str] = []
    answer_text("", seen)  # Enter with no reason: not kept
    tab.save_button.setFocus()
    qtbot.keyClick(tab.save_button, Qt.Key.Key_Space)
    assert seen and seen[0].startswith("The letter lacks")
    assert tab.preview.gaps[0] in seen[0]
    assert casefile.load_case_file(desk, window.case_id).letters == ()
    assert "Not saved" in tab.error_bar.text()

    answer_text("The manager wants it out today", seen)
    qtbot.keyClick(tab.save_button, Qt.Key.Key_Space)
    assert len(casefile.load_case_file(desk, window.case_id).letters) == 1


def test_closing_with_a_failing_response_letter_asks_in_the_checks_words(
    qtbot,
    desk,
    open_window,  # noqa: F811
    real_questions,
):
    window = open_window(new_case(desk, "stockport", dt.date(2026, 11, 2)), "letters")
    activate(qtbot, window)
    tab = window.letters
    qtbot.waitUntil(lambda: tab.preview is not None)
    gaps = list(tab.preview.gaps)
    assert gaps  # no finding yet: the outcome letter lacks it
    assert progress_of(desk, window.case_id).closure_warnings == ()  # no letter saved yet
    seen: list[str] = []
    # Tab from "Go back and fix it" (the default) to "Save anyway", Space to press it.
    answer_text("Sent as it stands at the manager's request", seen)
    tab.save_button.setFocus()
    qtbot.keyClick(tab.save_button, Qt.Key.Key_Space)
    assert len(casefile.load_case_file(desk, window.case_id).letters) == 1

    warnings = progress_of(desk, window.case_id).closure_warnings
    assert warnings == ("the response letter fails its checks: " + "; ".join(map(str, gaps)),)
    answer_box([ENTER], seen)  # Enter: the default keeps it open
    assert window.progress.confirm_close() is False
    assert seen[-1] == "Before closing: " + warnings[0] + "."
