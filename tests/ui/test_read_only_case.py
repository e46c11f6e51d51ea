"""A case the signed-in officer may not change opens read-only: a bar under the heading says why
in the core's words, the editing tabs' fields are read-only and their buttons disabled, nothing is
saved and closing asks nothing; re-opening from the Progress tab makes it editable again. A case
the officer may not even see does not open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from caseworker.domain.enums import Outcome, Role, SendMethod
from caseworker.domain.refusals import NotAnOfficer, NotPermitted
from caseworker.services.cases import casefile
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.storage.models import Officer
from caseworker_ui.case_window import CaseWindow
from tests.ui.test_progress_tab import new_case, step

TODAY = dt.date(2026, 11, 25)
D = dt.date
CLOSED_REASON = (
    "CW-2026-00001 is closed (closed cases are read-only except through "
    "re-opening): re-open it first"
)


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Every "changes not saved" question the window would ask on closing."""
    questions: list[str] = []

    def ask(_window, why: str) -> str:
        questions.append(why)
        return "discard"

    monkeypatch.setattr(CaseWindow, "ask_unsaved", ask)
    return questions


def open_window(qtbot, desk: Context, case_id: int, tab: str = "issues") -> CaseWindow:
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(getattr(window, tab))
    return window


def close_case(qtbot, desk: Context, window: CaseWindow) -> None:
    """Send the response and close the case from the Progress tab, as a manager would."""
    issue = casefile.load_case_file(desk, window.case_id).issues[0].id
    investigation.update_issue(
        desk, issue, finding="not-upheld", explanation="The repair was booked in time."
    )
    window.reload()
    window.tabs.setCurrentWidget(window.progress)
    step(
        qtbot,
        window.progress.panel,
        "response",
        sent_on=D(2026, 11, 20),
        method=SendMethod.EMAIL,
        outcome=Outcome.NOT_UPHELD,
    )
    step(qtbot, window.progress.panel, "close", on=D(2026, 11, 23))


def editing_locked(window: CaseWindow) -> list[str]:
    """What shows the window's editing tabs locked (all of it, for a read-only case), each tab
    looked at (a tab is made, and shows the case as it is now, when it is shown)."""
    issues, overview, letters = window.issues, window.overview, window.letters
    was = window.tabs.currentWidget()
    for tab in (overview, issues, window.interviews, window.home_visit, letters, window.documents):
        window.tabs.setCurrentWidget(tab)
    window.tabs.setCurrentWidget(was)
    locks = {
        "issue summary": issues.text_edits["summary"].isReadOnly(),
        "new point": issues.new_issue_edit.isReadOnly(),
        "add point": not issues.add_issue_button.isEnabled(),
        "note text": issues.note_edit.isReadOnly(),
        "add note": not issues.add_note_button.isEnabled(),
        "finding": not issues.finding_combo.isEnabled(),
        "adjustments": overview.adjustments_edit.isReadOnly(),
        "record interview": not window.interviews.record_button.isEnabled(),
        "start assessment": not window.home_visit.start_button.isEnabled(),
        "save letter": not letters.save_button.isEnabled(),
        "attach": not window.documents.attach_button.isEnabled(),
        "save now": not window.save_action.isEnabled(),
    }
    return sorted(name for name, locked in locks.items() if locked)


def test_a_closed_case_opens_read_only_and_closes_without_asking(qtbot, desk, asked):
    case_id = new_case(desk, "stockport", D(2026, 11, 2))
    window = open_window(qtbot, desk, case_id)
    assert window.read_only_bar.text() == ""
    assert editing_locked(window) == []
    close_case(qtbot, desk, window)
    window.close()

    window = open_window(qtbot, desk, case_id)
    assert window.read_only_bar.text().startswith(f"Read only: {CLOSED_REASON}")
    assert window.read_only_bar.kind == "warning"
    assert len(editing_locked(window)) == 12, editing_locked(window)
    summary = window.issues.text_edits["summary"]
    before = summary.toPlainText()
    assert before == "Nobody came to repair the pothole."
    summary.setFocus()
    qtbot.keyClicks(summary, " Typed anyway")
    assert summary.toPlainText() == before
    summary.selectAll()  # still selectable, to copy
    assert summary.textCursor().selectedText() == before
    # Viewing still works: the issue filter and the letter chooser are not locked.
    assert window.issues.filter_combo.isEnabled() and window.letters.kind_combo.isEnabled()
    assert not window.saver.has_pending and window.saver.last_error is None
    # The letter's preview, built when its tab is shown, leaves saving it disabled.
    window.tabs.setCurrentWidget(window.letters)
    qtbot.waitUntil(lambda: window.letters.preview is not None)
    assert not window.letters.save_button.isEnabled()
    window.close()
    assert asked == []
    assert not window.isVisible()
    assert casefile.load_case_file(desk, case_id).issues[0].summary == before


def test_closing_the_case_in_the_window_locks_it_and_re_opening_unlocks_it(qtbot, desk, asked):
    case_id = new_case(desk, "stockport", D(2026, 11, 2))
    window = open_window(qtbot, desk, case_id)
    close_case(qtbot, desk, window)
    assert window.read_only_bar.text().startswith(f"Read only: {CLOSED_REASON}")
    window.tabs.setCurrentWidget(window.issues)
    assert window.issues.text_edits["summary"].isReadOnly()
    window.tabs.setCurrentWidget(window.progress)
    assert window.progress.panel.buttons["reopen"].isEnabled()

    step(
        qtbot,
        window.progress.panel,
        "reopen",
        on=D(2026, 11, 24),
        reason="The complainant sent photographs we had not seen",
    )
    assert window.message_bar.text() == "Case re-opened."
    assert window.read_only_bar.text() == ""
    assert editing_locked(window) == []
    # Editable again for real: typed text is saved.
    window.tabs.setCurrentWidget(window.issues)
    summary = window.issues.text_edits["summary"]
    summary.setFocus()
    summary.moveCursor(summary.textCursor().MoveOperation.End)
    qtbot.keyClicks(summary, " Twice.")
    assert window.save_now()
    assert casefile.load_case_file(desk, case_id).issues[0].summary.endswith("pothole. Twice.")
    window.close()
    assert asked == []


def _investigating_officer(app, name: str, login: str) -> int:
    with app.uow() as uow:
        officer = Officer(
            name=name,
            email=f"{login}@council.example",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
            login=login,
            active=True,
        )
        uow.session.add(officer)
        uow.commit()
        return officer.id


def _allocate(app, case_id: int, officer_id: int, handled_before: int | None = None) -> None:
    from caseworker.storage.models import Case

    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        case.officer_id = officer_id
        case.stage1_officer_id = handled_before
        uow.commit()


def test_an_investigating_officer_changes_their_own_case_only(qtbot, app, desk, asked, tmp_path):
    ann = _investigating_officer(app, "Ann Smith", "asmith")
    bob = _investigating_officer(app, "Bob Jones", "bjones")
    hers = new_case(desk, "stockport", D(2026, 11, 2))
    his = new_case(desk, "stockport", D(2026, 11, 3))
    not_hers = new_case(desk, "stockport", D(2026, 11, 4))
    _allocate(app, hers, ann)
    _allocate(app, his, bob, handled_before=ann)  # Ann had it before: she may read it
    _allocate(app, not_hers, bob)
    as_ann = Context(app.sessions, actor="asmith", today=lambda: TODAY)

    own = open_window(qtbot, as_ann, hers)
    assert own.read_only_bar.text() == ""
    assert editing_locked(own) == []
    own.close()

    colleagues = open_window(qtbot, as_ann, his)
    assert colleagues.read_only_bar.text().startswith(
        "Read only: Ann Smith (an investigating officer) may not work on CW-2026-00002 "
        "(an investigating officer works on their own cases)"
    )
    assert len(editing_locked(colleagues)) == 12
    # A file dropped on the window is refused with the reason, not attached.
    dropped = tmp_path / "photo.txt"
    dropped.write_text("a photograph")
    colleagues.documents.drop_files([Path(dropped)])
    assert colleagues.message_bar.text().startswith("Not attached: Ann Smith")
    assert colleagues.documents.documents_model.rowCount() == 0
    colleagues.close()
    assert asked == []
    # A colleague's case she never had does not open at all (reading is authorised too).
    with pytest.raises(NotPermitted) as refused:
        CaseWindow(as_ann, not_hers)
    assert str(refused.value) == (
        "Refused: Ann Smith (an investigating officer) may not see CW-2026-00003 (an "
        "investigating officer works on their own cases)"
    )


@pytest.mark.no_officer
def test_a_login_linked_to_no_officer_sees_no_case_file(qtbot, app, asked):
    from caseworker.domain.enums import CaseStatus, Channel, RouteId
    from caseworker.storage.models import Case

    with app.uow() as uow:
        case = Case(
            reference="CW-2026-00009",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            stage=1,
            status=CaseStatus.OPEN,
            received=D(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Highways",
        )
        uow.session.add(case)
        uow.commit()
        case_id = case.id
    with pytest.raises(NotAnOfficer) as refused:
        CaseWindow(Context(app.sessions, actor="tester", today=lambda: TODAY), case_id)
    assert str(refused.value).startswith(
        "Refused: the login 'tester' is not linked to any officer record"
    )
    assert asked == []
