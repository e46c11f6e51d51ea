"""Two people with the same case open, typing in the same field: the second save shows both
versions and a choice, and nothing either typed is lost. Each person has their own Context
(their own login) on the one database, as on two machines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

from caseworker.domain.enums import Role
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.services.team.editing import CaseEditor
from caseworker.services.team.offline import check_out
from caseworker.storage.models import AuditEvent, Officer
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.dialogs.conflict import ConflictDialog

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def me(app, signed_in) -> Context:
    return Context(app.sessions, actor="tester", today=lambda: TODAY)


@pytest.fixture
def jo(app, signed_in) -> Context:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Jo Bloggs",
                email="jo@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
                login="jbloggs",
                active=True,
            )
        )
        uow.commit()
    return Context(app.sessions, actor="jbloggs", today=lambda: TODAY)


@pytest.fixture
def case_id(me: Context, jo: Context) -> int:
    return intake.create_case(
        me,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(
                name="Priya Shah",
                address="4 Mill Lane",
                postcode="QQ1 2AB",
                email="priya@example.com",
            ),
            issues=("The ticket was wrong.", "The warden was rude."),
        ),
    ).id


def open_window(qtbot, desk: Context, case_id: int) -> CaseWindow:
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(window.issues)
    return window


@pytest.fixture
def mine(qtbot, me, case_id) -> CaseWindow:
    return open_window(qtbot, me, case_id)


@pytest.fixture
def theirs(qtbot, jo, case_id) -> CaseWindow:
    return open_window(qtbot, jo, case_id)


def type_in(qtbot, window: CaseWindow, field: str, text: str) -> None:
    edit = window.issues.text_edits[field]
    edit.setFocus()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(edit, text)


def answer(
    window: CaseWindow,
    button: str,
    seen: list[dict],
    before_click: Callable[[], None] | None = None,
) -> QTimer:
    """Answer the conflict dialog(s) the window shows, by clicking ``button`` in each, after
    noting what each showed in ``seen``."""

    def act() -> None:
        dialogs = [d for d in window.findChildren(ConflictDialog) if d.isVisible()]
        if not dialogs:
            return
        dialog = dialogs[0]
        if any(s["dialog"] is dialog for s in seen):
            return
        seen.append(
            {
                "dialog": dialog,
                "title": dialog.windowTitle(),
                "panes": {
                    key: tuple(p.toPlainText() for p in panes)
                    for key, panes in dialog.panes.items()
                },
            }
        )
        if before_click is not None:
            before_click()
        dialog.findChild(QPushButton, button).click()

    timer = QTimer(window)
    timer.timeout.connect(act)
    timer.start(10)
    return timer


def test_the_second_save_shows_both_versions_and_keep_mine_saves_mine(qtbot, app, me, mine, theirs):
    type_in(qtbot, theirs, "remedy", "Cancel the ticket.")
    assert theirs.save_now()
    type_in(qtbot, mine, "remedy", "Refund the fine.")
    seen: list[dict] = []
    answer(mine, "keepMine", seen)

    assert mine.save_now()

    assert len(seen) == 1
    assert seen[0]["title"] == "CW-2026-00001 was changed by Jo Bloggs"
    assert seen[0]["panes"][("issue 1", "remedy")] == (
        "(empty)",
        "Cancel the ticket.",
        "Refund the fine.",
    )
    assert casefile.load_case_file(me, mine.case_id).issues[0].remedy == "Refund the fine."
    assert "saved over Jo Bloggs's" in mine.message_bar.text()
    with app.sessions() as session:
        trail = session.execute(
            select(AuditEvent.actor, AuditEvent.new_value)
            .where(AuditEvent.field == "remedy")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(t) for t in trail] == [
        ("jbloggs", "Cancel the ticket."),
        ("tester", "Refund the fine."),
    ]


def test_keep_mine_meeting_yet_another_save_shows_the_dialog_again(
    qtbot, me, jo, mine, theirs, case_id
):
    type_in(qtbot, theirs, "remedy", "First.")
    assert theirs.save_now()
    type_in(qtbot, mine, "remedy", "Mine.")
    seen: list[dict] = []

    def jo_saves_again() -> None:
        if len(seen) == 1:  # while I am still looking at the first dialog
            editor = CaseEditor(jo, case_id)
            editor.change_issue(1, "remedy", "Second.")
            editor.save()

    answer(mine, "keepMine", seen, before_click=jo_saves_again)
    assert mine.save_now()

    assert [s["panes"][("issue 1", "remedy")][1] for s in seen] == ["First.", "Second."]
    assert casefile.load_case_file(me, case_id).issues[0].remedy == "Mine."


def test_reload_shows_theirs_and_keeps_my_text_to_copy_until_dismissed(
    qtbot, me, mine, theirs, case_id
):
    type_in(qtbot, theirs, "explanation", "The sign was clear.")
    assert theirs.save_now()
    type_in(qtbot, mine, "explanation", "The bay markings were worn.")
    seen: list[dict] = []
    answer(mine, "reloadTheirs", seen)

    assert mine.save_now()

    assert mine.issues.text_edits["explanation"].toPlainText() == "The sign was clear."
    assert casefile.load_case_file(me, case_id).issues[0].explanation == "The sign was clear."
    panel = mine.unsaved_panel
    assert panel.isVisible()
    assert "Issue 1 — Explanation:\nThe bay markings were worn." in panel.text()
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert "The bay markings were worn." in QApplication.clipboard().text()
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    # After reloading, my next edit starts from theirs: no conflict.
    type_in(qtbot, mine, "explanation", " And worn bays.")
    assert mine.save_now()
    assert (
        casefile.load_case_file(me, case_id).issues[0].explanation
        == "The sign was clear. And worn bays."
    )


def test_deciding_later_keeps_the_text_unsaved_and_asks_again(qtbot, me, mine, theirs, case_id):
    type_in(qtbot, theirs, "action", "Write to the warden.")
    assert theirs.save_now()
    type_in(qtbot, mine, "action", "Retrain the warden.")
    seen: list[dict] = []
    timer = answer(mine, "decideLater", seen)

    assert not mine.save_now()

    assert mine.issues.text_edits["action"].toPlainText() == "Retrain the warden."
    assert mine.saver.has_pending
    assert mine.message_bar.text() == (
        "Not saved: CW-2026-00001 was changed by a colleague meanwhile; choose whose version "
        "to keep. Your text is kept; press Ctrl+S to try again."
    )
    timer.stop()
    answer(mine, "keepMine", seen)
    assert mine.save_now()
    assert len(seen) == 2
    assert casefile.load_case_file(me, case_id).issues[0].action == "Retrain the warden."


def test_a_colleagues_save_of_another_field_merges_without_asking(qtbot, me, mine, theirs, case_id):
    type_in(qtbot, theirs, "lesson_learnt", "Check the bays monthly.")
    assert theirs.save_now()
    type_in(qtbot, mine, "remedy", "Refund the fine.")
    seen: list[dict] = []
    answer(mine, "keepMine", seen)

    assert mine.save_now()

    assert seen == []
    case = casefile.load_case_file(me, case_id)
    assert (case.issues[0].remedy, case.issues[0].lesson_learnt) == (
        "Refund the fine.",
        "Check the bays monthly.",
    )
    # Theirs is on my screen now, so I cannot edit it from the older version unknowingly.
    assert mine.issues.text_edits["lesson_learnt"].toPlainText() == "Check the bays monthly."
    assert "Jo Bloggs had changed other parts" in mine.message_bar.text()


def test_the_letter_texts_are_checked_too(qtbot, me, mine, theirs, case_id):
    for window, text in ((theirs, "Jo's steps."), (mine, "My steps.")):
        window.tabs.setCurrentWidget(window.letters)
        edit = window.letters.findChild(type(window.issues.text_edits["remedy"]), "stepsTaken")
        assert edit is not None
        edit.setFocus()
        edit.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(edit, text)
        if window is theirs:
            assert theirs.save_now()
    seen: list[dict] = []
    answer(mine, "keepMine", seen)
    assert mine.save_now()
    assert seen[0]["panes"][("case", "steps_taken")][1:] == ("Jo's steps.", "My steps.")


def test_a_checked_out_case_says_so_under_the_heading(qtbot, app, me, case_id, tmp_path: Path):
    check_out(
        app.context(actor="jbloggs"),
        ["CW-2026-00001"],
        tmp_path / "copy.sqlite",
        machine="LAPTOP-7",
    )
    window = open_window(qtbot, me, case_id)
    assert window.checkout_bar.text().startswith(
        "Checked out to Jo Bloggs's laptop (LAPTOP-7) since"
    )


def test_an_interview_typed_by_two_people_shows_both_and_reload_keeps_mine_to_copy(
    qtbot, me, jo, case_id
):
    from caseworker.services.investigation.issues import InterviewIn

    investigation.record_interview(me, case_id, InterviewIn("Sam Warden", dt.date(2026, 11, 20)))
    windows = []
    for desk in (me, jo):
        window = open_window(qtbot, desk, case_id)
        window.tabs.setCurrentWidget(window.interviews)
        window.interviews.notes_edit.setFocus()
        qtbot.keyClicks(window.interviews.notes_edit, f"Notes by {desk.actor}.")
        windows.append(window)
    mine, theirs = windows
    assert theirs.save_now()
    seen: list[dict] = []
    answer(mine, "reloadTheirs", seen)

    assert mine.save_now()

    assert seen[0]["panes"][("interview with Sam Warden", "notes")] == (
        "(empty)",
        "Notes by jbloggs.",
        "Notes by tester.",
    )
    assert mine.interviews.notes_edit.toPlainText() == "Notes by jbloggs."
    assert (
        "Interview with Sam Warden — Formal notes:\nNotes by tester." in mine.unsaved_panel.text()
    )
