"""Issue 19, item 3: Esc, Cancel or closing a half-filled form asks before throwing it away;
an untouched form closes at once. The question box is answered by keys."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from caseworker.domain.enums import Role
from caseworker.services.context import Context
from caseworker.storage.models import Officer
from caseworker_ui.dialogs.interview import InterviewDialog
from caseworker_ui.dialogs.new_case import NewCaseDialog
from tests.ui.keys import ENTER, ESC, activate, alt, answer_box
from tests.ui.test_progress_tab import new_case, open_window  # noqa: F401  (a fixture)

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def jo_desk(app) -> Context:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Jo Bloggs",
                email="jo@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Parking",
                login="jbloggs",
            )
        )
        uow.commit()
    return Context(app.sessions, actor="jbloggs", today=lambda: TODAY)


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_esc_on_an_untouched_new_case_closes_it_without_asking(qtbot, jo_desk, real_questions):
    dialog = shown(qtbot, NewCaseDialog(jo_desk))
    seen: list[str] = []
    qtbot.keyClick(dialog.policy_combo, Qt.Key.Key_Escape)
    assert seen == [] and not dialog.isVisible()


def test_esc_on_a_half_filled_phone_intake_asks_and_keeps_it(qtbot, jo_desk, real_questions):
    dialog = shown(qtbot, NewCaseDialog(jo_desk))
    qtbot.keyClicks(dialog.name_edit, "Ann Example")
    qtbot.keyClicks(dialog.summary_edit, "Called about a missed bin.")

    seen: list[str] = []
    answer_box([ENTER], seen)  # Enter: the default answer keeps the form
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert seen == ["You have typed into the new case. Discard it?"]
    assert dialog.isVisible()
    assert dialog.name_edit.text() == "Ann Example"

    answer_box([ESC], seen)  # Esc on the question keeps it too
    dialog.close()  # the window's close button
    assert dialog.isVisible() and len(seen) == 2

    answer_box([alt("d")], seen)  # Alt+D: Discard what I typed
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert len(seen) == 3 and not dialog.isVisible()


def test_the_interview_form_asks_too(qtbot, real_questions):
    dialog = shown(qtbot, InterviewDialog(TODAY))
    qtbot.keyClicks(dialog.who_edit, "Sam Driver")
    seen: list[str] = []
    answer_box([ENTER], seen)
    qtbot.keyClick(dialog.who_edit, Qt.Key.Key_Escape)
    assert seen == ["You have typed into the interview. Discard it?"] and dialog.isVisible()


def test_a_step_form_commits_on_enter_cancels_on_esc_and_asks_if_typed(
    qtbot,
    desk,
    open_window,  # noqa: F811
    real_questions,
):
    window = open_window(new_case(desk, "stockport", dt.date(2026, 11, 2)))
    activate(qtbot, window)
    panel = window.progress.panel
    button = panel.buttons["extend"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    form = panel.forms["extend"]
    assert panel.open_form() is form
    qtbot.keyClick(form.fields["new_date"], Qt.Key.Key_Escape)  # nothing typed: closes
    assert panel.open_form() is None
    assert window.focusWidget() is button

    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.keyClick(form.fields["new_date"], Qt.Key.Key_Tab)
    qtbot.keyClicks(form.fields["reason"], "Waiting for the contractor's records")
    seen: list[str] = []
    answer_box([ENTER], seen)
    qtbot.keyClick(form.fields["reason"], Qt.Key.Key_Escape)
    assert seen and panel.open_form() is form
    assert form.fields["reason"].toPlainText() == "Waiting for the contractor's records"

    answer_box([alt("d")], seen)
    qtbot.keyClick(form.fields["reason"], Qt.Key.Key_Escape)
    assert panel.open_form() is None


def test_enter_commits_a_step_form_and_tab_never_leaves_it(qtbot, desk, open_window):  # noqa: F811
    window = open_window(new_case(desk, "stockport", dt.date(2026, 11, 2)))
    activate(qtbot, window)
    tab = window.progress
    button = tab.panel.buttons["extend"]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    form = tab.panel.forms["extend"]
    first = form.fields["new_date"]
    assert QApplication.focusWidget() is first
    # Tab goes round the form's own fields and buttons, never out to the step buttons.
    visited = []
    for _ in range(len(form.focus_chain())):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited[-1] is first
    assert all(form.isAncestorOf(widget) for widget in visited)
    assert form.cancel in visited and form.submit in visited

    qtbot.keyClick(first, Qt.Key.Key_Tab)  # the core's default date kept
    qtbot.keyClicks(QApplication.focusWidget(), "Waiting for the contractor's records")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.fields["told_on"]
    qtbot.keyClick(form.fields["told_on"], Qt.Key.Key_Return)
    assert tab.panel.open_form() is None, window.message_bar.text()
    assert tab.extensions_model.rowCount() == 1
