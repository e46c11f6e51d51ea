"""Issue 19: an officer's day by key presses only, at 1366×768: a phone complaint typed into New
case, the case file opened, the acknowledgement recorded, a hearsay note with its source, the
finding with its explanation and remedy, the letter saved (its failing checks asked about), the
response recorded as sent, and the case closed. Every step is read back from the core.

(Interviews and the home-visit risk assessment are driven by their own tests; their dialogs are
not yet in this walk.)"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from caseworker.domain.enums import CaseStatus, Finding, NoteKind
from caseworker.services.cases import casefile
from caseworker.services.cases.progress import progress_of
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.dialogs.new_case import NewCaseDialog
from tests.ui.keys import ESC, activate, alt, answer_box, answer_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClick(widget, k, modifier)
    if modifier == ALT:
        qtbot.wait(150)  # an access key on a button "animates" its click


def access(qtbot, letter: str) -> None:
    k, modifier = alt(letter)
    key(qtbot, k, modifier)


def typed(qtbot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClicks(widget, text)


def test_an_officers_day_by_keys(qtbot, desk, real_questions):
    # -- a phone complaint ----------------------------------------------------------------
    form = NewCaseDialog(desk)
    qtbot.addWidget(form)
    form.resize(1366, 728)
    form.show()
    activate(qtbot, form)
    access(qtbot, "p")
    assert QApplication.focusWidget() is form.policy_combo
    typed(qtbot, "Stockport")  # the combo box finds the council as it is typed
    assert form.policy_combo.currentData() == "stockport"
    access(qtbot, "v")
    typed(qtbot, "2/11")
    key(qtbot, Qt.Key.Key_Tab)
    access(qtbot, "e")
    typed(qtbot, "Highways")
    access(qtbot, "f")
    typed(qtbot, "30 Oct 2026")
    key(qtbot, Qt.Key.Key_Tab)
    access(qtbot, "n")
    typed(qtbot, "Priya Shah")
    access(qtbot, "d")
    typed(qtbot, "4 Mill Lane")
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "QQ1 2AB")
    access(qtbot, "l")
    typed(qtbot, "priya@example.com")
    access(qtbot, "u")
    typed(qtbot, "The pothole outside my house was not repaired.")
    access(qtbot, "o")
    typed(qtbot, "Nobody came to repair the pothole.")
    key(qtbot, Qt.Key.Key_Return, CTRL)  # record the case
    assert form.created is not None, form.error_bar.text() or form.triage_status.text()
    case_id = form.created.id
    assert casefile.load_case_file(desk, case_id).received == dt.date(2026, 11, 2)

    # -- the case file ----------------------------------------------------------------------
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    activate(qtbot, window)

    key(qtbot, Qt.Key.Key_7, ALT)  # Progress
    access(qtbot, "a")  # Acknowledge…
    assert window.progress.panel.open_form() is window.progress.panel.forms["acknowledge"]
    typed(qtbot, "today")
    offered: list[str] = []
    answer_box([ESC], offered)  # the acknowledgement letter is offered: Esc, not now
    key(qtbot, Qt.Key.Key_Return)
    assert progress_of(desk, case_id).acknowledged == desk.today()
    assert offered == ["Acknowledgement recorded. Write the acknowledgement letter now?"]
    activate(qtbot, window)  # back from the question box (a window system does this itself)

    key(qtbot, Qt.Key.Key_2, ALT)  # Issues and notes
    access(qtbot, "k")
    assert QApplication.focusWidget() is window.issues.kind_combo, QApplication.focusWidget()
    key(qtbot, Qt.Key.Key_Down)  # "Choose the kind…" → Fact
    key(qtbot, Qt.Key.Key_Down)  # → Hearsay
    assert window.issues.kind_combo.currentData() == NoteKind.HEARSAY
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "A neighbour says the crew never came.")
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "Neighbour at no. 6")
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.issues.add_note_button
    key(qtbot, Qt.Key.Key_Space)
    issue = casefile.load_case_file(desk, case_id).issues[0]
    assert [(n.kind, n.source) for n in issue.notes] == [(NoteKind.HEARSAY, "Neighbour at no. 6")]

    access(qtbot, "f")  # the finding
    key(qtbot, Qt.Key.Key_Down)  # Upheld
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "The repair was ordered but never done.")
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "The pothole was repaired on 1 December.")
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "Repairs are now checked when closed.")
    key(qtbot, Qt.Key.Key_S, CTRL)
    issue = casefile.load_case_file(desk, case_id).issues[0]
    assert (issue.finding, issue.remedy) == (
        Finding.UPHELD,
        "The pothole was repaired on 1 December.",
    )

    key(qtbot, Qt.Key.Key_5, ALT)  # Letters
    letters = window.letters  # the preview of the letter as it stands (a worker thread's)
    qtbot.waitUntil(lambda: letters.preview is not None and not letters.previewing)
    seen: list[str] = []
    if window.letters.preview.gaps:
        # Keeping a letter whose checks fail asks why; the reason is typed and Enter pressed.
        answer_text("Sent as drafted: the manager asked for it today", seen)
    access(qtbot, "w")  # Save as Word document
    assert len(casefile.load_case_file(desk, case_id).letters) == 1, (
        seen,
        window.letters.error_bar.text(),
        QApplication.focusWidget(),
    )

    activate(qtbot, window)  # back from the question box (a window system does this itself)
    key(qtbot, Qt.Key.Key_7, ALT)  # Progress
    access(qtbot, "s")  # Response sent…
    response = window.progress.panel.forms["response"]
    assert window.progress.panel.open_form() is response
    typed(qtbot, "today")
    key(qtbot, Qt.Key.Key_Tab)  # sent by: email, as the complainant gave
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is response.fields["outcome"]
    key(qtbot, Qt.Key.Key_Down)  # Upheld
    key(qtbot, Qt.Key.Key_Return)
    assert progress_of(desk, case_id).response_sent == desk.today()

    # From the step just taken, Tab along the step buttons to Close.
    for _ in range(15):
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and focus.text() == "Close the &file…":
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.progress.panel.buttons["close"]
    key(qtbot, Qt.Key.Key_Space)
    typed(qtbot, "today")
    warnings = progress_of(desk, case_id).closure_warnings
    asked: list[str] = []
    if warnings:  # the letter saved with failing checks: asked again before closing
        answer_box([alt("c")], asked)  # Close anyway
    key(qtbot, Qt.Key.Key_Return)
    assert asked == (["Before closing: " + "; ".join(warnings) + "."] if warnings else [])
    after = progress_of(desk, case_id)
    assert after.status == CaseStatus.CLOSED, window.message_bar.text()
    assert after.closed_on == desk.today()
