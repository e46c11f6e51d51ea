"""Issue 19: the officer's day, the steps the first walk (test_officers_day_by_keys) leaves out,
by key presses only: an interview recorded in its dialog and taken through Appendix A's end
steps, and a home-visit risk assessment answered, refused a sign-off by its own writer, signed
off by the line manager in their own window, and the visit booked. Every step is read back from
the database; the focus is checked where Tab or an access key should have taken it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from caseworker.domain.enums import InterviewMethod, RiskDecision
from caseworker.services.cases import casefile
from caseworker.services.context import Context
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.dialogs.interview import InterviewDialog
from tests.ui.keys import activate, alt
from tests.ui.test_case_window import case_id, desk  # noqa: F401  (fixtures: Jo's allocated case)

TODAY = dt.date(2026, 11, 25)
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focus():
    return QApplication.focusWidget()


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    widget = focus()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClick(widget, k, modifier)
    if modifier == ALT:
        qtbot.wait(150)  # an access key on a button "animates" its click


def access(qtbot, letter: str) -> None:
    key(qtbot, *alt(letter))


def typed(qtbot, text: str) -> None:
    widget = focus()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClicks(widget, text)


def opened(qtbot, desk: Context, case_id: int) -> CaseWindow:  # noqa: F811
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    activate(qtbot, window)
    return window


def in_the_dialog(steps, seen: list[str]) -> None:
    """When the interview dialog opens (modal: its own event loop), run ``steps(dialog)`` on
    it; whatever happens, never leave it open (a test would hang)."""
    tries = [0]

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, InterviewDialog):
            tries[0] += 1
            if tries[0] < 100:
                QTimer.singleShot(20, run)
            return
        dialog.activateWindow()
        for _ in range(50):
            if dialog.isActiveWindow():
                break
            QTest.qWait(20)
        try:
            steps(dialog)
        except AssertionError as failed:  # said after the dialog is gone
            seen.append(f"failed: {failed}")
        finally:
            if dialog.isVisible():
                seen.append("left open")
                dialog.done(0)

    QTimer.singleShot(0, run)


def test_an_interview_recorded_and_completed_by_keys(qtbot, app, desk, case_id):  # noqa: F811
    window = opened(qtbot, desk, case_id)
    access(qtbot, "v")  # Interviews
    assert window.tabs.currentWidget() is window.interviews

    seen: list[str] = []

    def fill(dialog: InterviewDialog) -> None:
        def now():  # the dialog's focus (the window system may not have made it active)
            return dialog.focusWidget() or dialog

        def press(k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
            QTest.keyClick(now(), k, modifier)

        def write(text: str) -> None:
            QTest.keyClicks(now(), text)

        # In reading order, one Tab from each field to the next.
        assert now() is dialog.who_edit, now()
        write("Sam Driver")
        press(Qt.Key.Key_Tab)
        assert now() is dialog.role_edit
        write("Civil enforcement officer")
        press(Qt.Key.Key_Tab)
        assert now() is dialog.date_edit
        write("20/11")
        press(Qt.Key.Key_Tab)
        assert now() is dialog.method_combo
        press(Qt.Key.Key_Down)  # Phone
        press(Qt.Key.Key_Tab)
        assert now() is dialog.accompanied_combo
        press(Qt.Key.Key_Down)  # a colleague: their name can now be typed
        press(Qt.Key.Key_Tab)
        assert now() is dialog.companion_edit
        write("Lee Hart")
        press(*alt("n"))  # the notes, by their access key
        assert now() is dialog.notes_edit
        write("Says the loading bay sign was missing that week.")
        press(Qt.Key.Key_Return, CTRL)  # records from the notes, where Enter is a new line
        seen.append("recorded" if not dialog.isVisible() else dialog.ok_button.toolTip())

    in_the_dialog(fill, seen)
    access(qtbot, "r")  # Record an interview…
    assert seen == ["recorded"], seen
    [interview] = casefile.load_case_file(desk, case_id).interviews
    assert (
        interview.interviewee,
        interview.interviewee_role,
        interview.held_on,
        interview.method,
        interview.accompanied_by,
        interview.accompanied_as,
        interview.notes,
    ) == (
        "Sam Driver",
        "Civil enforcement officer",
        dt.date(2026, 11, 20),
        InterviewMethod.PHONE,
        "Lee Hart",
        "colleague",
        "Says the loading bay sign was missing that week.",
    )
    assert not interview.complete

    # The end steps: the summary, read back (Alt+B), the invitation (Alt+A), what they added.
    activate(qtbot, window)
    tab = window.interviews
    access(qtbot, "s")
    assert focus() is tab.summary_edit
    typed(qtbot, "The sign was missing; the ticket was issued anyway.")
    key(qtbot, Qt.Key.Key_Tab)
    assert focus() is tab.read_back_check  # Tab from the summary to its step
    access(qtbot, "a")  # not yet: the summary has not been read back
    assert not casefile.load_case_file(desk, case_id).interviews[0].further_information_invited
    access(qtbot, "b")
    assert tab.read_back_check.isChecked()
    access(qtbot, "a")
    assert tab.invited_check.isChecked()
    access(qtbot, "w")
    assert focus() is tab.further_edit
    typed(qtbot, "Will send a photo of the bay.")
    key(qtbot, Qt.Key.Key_S, CTRL)
    done = casefile.load_case_file(desk, case_id).interviews[0]
    assert done.summary == "The sign was missing; the ticket was issued anyway."
    assert done.summary_read_back and done.further_information_invited and done.complete
    assert done.further_information == "Will send a photo of the bay."
    assert tab.state_bar.text().startswith("Complete:")


def test_a_risk_assessment_signed_off_and_the_visit_booked_by_keys(qtbot, app, desk, case_id):  # noqa: F811
    window = opened(qtbot, desk, case_id)
    tab = window.home_visit
    access(qtbot, "h")  # Home visit
    assert window.tabs.currentWidget() is tab
    access(qtbot, "a")  # Start a risk assessment: the address, from the complainant's
    assert focus() is tab.address_edit
    assert tab.address_edit.toPlainText() == "4 Mill Lane\nQQ1 2AB"
    key(qtbot, Qt.Key.Key_Tab)  # the checklist follows the address, in order
    answers = {
        "previous_contact": "No earlier complaints; no warning markers.",
        "location": "Terraced street; parking outside; good signal.",
        "lone_working": "The team diary; I ring in after the visit.",
    }
    for question, answer in answers.items():
        assert focus() is tab.question_edits[question], (question, focus())
        typed(qtbot, answer)
        key(qtbot, Qt.Key.Key_Tab)
    assert focus() is tab.risks_edit
    typed(qtbot, "None known")
    for letter, edit, text in (
        ("u", "colleague_attending", "Ravi Patel"),
        ("r", "means_of_contact", "Work mobile 07700 900123"),
        ("f", "call_if_concerned", "Team leader, 0161 496 0000"),
    ):
        access(qtbot, letter)
        assert focus() is tab.line_edits[edit], (letter, focus())
        typed(qtbot, text)
    access(qtbot, "e")
    assert focus() is tab.decision_combo
    key(qtbot, Qt.Key.Key_Down)  # Visit
    key(qtbot, Qt.Key.Key_Down)  # Visit with a colleague
    key(qtbot, Qt.Key.Key_S, CTRL)
    assert tab.gaps_label.text() == "Every question is answered."
    saved = casefile.load_case_file(desk, case_id).assessment
    assert saved is not None
    assert {k: saved.answers.get(k) for k in answers} == answers
    assert (saved.known_risks, saved.colleague_attending, saved.decision) == (
        "None known",
        "Ravi Patel",
        RiskDecision.PROCEED_WITH_COLLEAGUE,
    )

    # The writer may not sign it off: the button says why, and nothing changes.
    access(qtbot, "m")
    assert "Jo Bloggs is not a manager" in tab.error_bar.text()
    assert casefile.load_case_file(desk, case_id).assessment.approved_by == ""

    # The line manager, in their own window, signs it off by keys.
    manager = opened(qtbot, desk.acting_as("mmanager"), case_id)
    key(qtbot, Qt.Key.Key_H, ALT)
    assert manager.tabs.currentWidget() is manager.home_visit
    access(qtbot, "m")
    assert manager.home_visit.error_bar.text() == "Signed off."
    assert casefile.load_case_file(desk, case_id).assessment.approved_by == "Mo Manager"
    manager.close()

    # The officer reloads (F5), goes to the date (Alt+S), types it and presses Enter to book.
    activate(qtbot, window)
    key(qtbot, Qt.Key.Key_F5)
    assert tab.booking_bar.text() == "Ready to book: choose the date."
    access(qtbot, "s")
    assert focus() is tab.visit_date
    typed(qtbot, "1 Dec 2026")
    key(qtbot, Qt.Key.Key_Return)
    assert casefile.load_case_file(desk, case_id).assessment.visit_on == dt.date(2026, 12, 1)
    assert tab.booking_bar.text() == "Visit booked for 1 Dec 2026."
