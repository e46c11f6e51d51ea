"""Recording the acknowledgement offers its letter, and a step's "done" message does not follow
the officer to other tabs (issue 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from caseworker.domain.enums import LetterKind
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.cases.progress import progress_of
from caseworker_ui.case_window import CaseWindow


@pytest.fixture
def window(qtbot, desk, real_questions):
    case_id = intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 23),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 11, 20),
            complainant=PersonIn(name="Priya Shah", email="priya@example.com"),
            issues=("The ticket was wrong.",),
        ),
    ).id
    shown = CaseWindow(desk, case_id)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.tabs.setCurrentWidget(shown.progress)
    yield shown
    shown.close()


def in_dialog(act: Callable[[QWidget], None]) -> list[str]:
    seen: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        seen.append(dialog.objectName())
        act(dialog)

    QTimer.singleShot(0, run)
    return seen


def acknowledge(qtbot, window: CaseWindow, answer: Qt.Key) -> list[str]:
    panel = window.progress.panel
    panel.buttons["acknowledge"].setFocus()
    qtbot.keyClick(panel.buttons["acknowledge"], Qt.Key.Key_Space)
    form = panel.forms["acknowledge"]
    seen = in_dialog(lambda box: qtbot.keyClick(box, answer))
    form.submit.setFocus()
    qtbot.keyClick(form.submit, Qt.Key.Key_Space)
    return seen


def test_the_acknowledgement_letter_is_offered_and_opened(qtbot, desk, window):
    seen = acknowledge(qtbot, window, Qt.Key.Key_Return)  # Enter: write the letter
    assert seen == ["offerAcknowledgementLetter"]
    assert progress_of(desk, window.case.id).acknowledged == dt.date(2026, 11, 25)
    assert window.tabs.currentWidget() is window.letters
    assert window.letters.kind() == LetterKind.ACKNOWLEDGEMENT
    # The step's message belonged to the Progress tab: it does not stay up on the Letters tab.
    assert window.message_bar.text() == ""


def test_not_now_stays_on_progress_and_the_message_clears_on_the_next_tab(qtbot, window):
    seen = acknowledge(qtbot, window, Qt.Key.Key_Escape)
    assert seen == ["offerAcknowledgementLetter"]
    assert window.tabs.currentWidget() is window.progress
    assert window.message_bar.text() == "Acknowledgement recorded."
    window.tabs.setCurrentWidget(window.issues)
    assert window.message_bar.text() == ""
