"""Issues, notes, interviews and findings (Stockport Appendix A), without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import CaseStatus, Finding, InterviewMethod, NoteKind, Outcome
from caseworker.domain.refusals import BadDate, CaseClosed, MissingInformation, WrongState
from caseworker.services.cases.casefile import load_case_file, timeline
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.context import Context
from caseworker.services.investigation import issues as inv
from caseworker.storage.models import Case, Interview, Issue, Note

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def ctx(app) -> Context:
    """The signed-in officer (a complaints manager) on the test database, on a pinned day."""
    return app.context(today=lambda: TODAY)


@pytest.fixture
def case_id(app, ctx) -> int:
    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 11, 2),
        service_area="Parking",
        summary="A ticket issued while I was loading.",
        first_aware=dt.date(2026, 10, 30),
        complainant=PersonIn(name="Priya Shah", email="p@example.com"),
        issues=("The ticket was wrong.",),
    )
    return create_case(ctx, new).id


def issue_of(app, case_id: int) -> int:
    with app.uow() as uow:
        return uow.session.query(Issue).filter_by(case_id=case_id).one().id


def test_issues_are_numbered_after_the_last(app, ctx, case_id):
    second = inv.add_issue(ctx, case_id, "  The warden was rude.  ")
    with app.uow() as uow:
        issue = uow.session.get(Issue, second)
        assert (issue.number, issue.summary) == (2, "The warden was rude.")
    with pytest.raises(MissingInformation):
        inv.add_issue(ctx, case_id, "   ")


def test_a_finding_and_its_reasons_are_saved_and_gaps_reported(app, ctx, case_id):
    issue_id = issue_of(app, case_id)
    inv.update_issue(ctx, issue_id, finding="upheld")
    assert inv.issue_gaps(Finding.UPHELD, "", "", "") == [
        "A finding needs a valid and clear reason: write the explanation.",
        "Upheld: say how the council will put it right (the remedy).",
        "Upheld: say what changes so it does not happen again (the lesson).",
    ]
    assert inv.issue_gaps(Finding.NOT_UPHELD, "The bay allows loading.", "", "") == []
    inv.update_issue(
        ctx,
        issue_id,
        explanation="Loading was allowed there.",
        remedy="Ticket cancelled.",
        lesson_learnt="Wardens briefed.",
    )
    with app.uow() as uow:
        issue = uow.session.get(Issue, issue_id)
        assert issue.finding is Finding.UPHELD
    with pytest.raises(MissingInformation):
        inv.update_issue(ctx, issue_id, summary="")
    with pytest.raises(ValueError):
        inv.update_issue(ctx, issue_id, case_id=3)


def test_hearsay_and_evidence_say_where_they_came_from(app, ctx, case_id):
    issue_id = issue_of(app, case_id)
    with pytest.raises(MissingInformation, match="who said it"):
        inv.add_note(ctx, issue_id, NoteKind.HEARSAY, "A neighbour says the warden shouted.")
    with pytest.raises(MissingInformation, match="where it is"):
        inv.add_note(ctx, issue_id, NoteKind.EVIDENCE, "The handheld log shows 10:02.")
    inv.add_note(ctx, issue_id, "fact", "The bay is marked for loading.")
    inv.add_note(ctx, issue_id, NoteKind.HEARSAY, "The warden shouted.", "Neighbour at no. 4")
    with app.uow() as uow:
        notes = uow.session.query(Note).order_by(Note.id).all()
        assert [(n.kind, n.author) for n in notes] == [
            (NoteKind.FACT, "tester"),
            (NoteKind.HEARSAY, "tester"),
        ]


def test_an_interview_is_complete_only_after_both_end_steps_in_order(app, ctx, case_id):
    interview = inv.InterviewIn(
        interviewee="Sam Driver",
        held_on=dt.date(2026, 11, 20),
        method=InterviewMethod.IN_PERSON,
        interviewee_role="Warden",
        accompanied_by="Lee Union",
        accompanied_as="union representative",
    )
    interview_id = inv.record_interview(ctx, case_id, interview)
    assert inv.interview_steps_missing("", "", False, False) == [
        "Write the formal notes of the interview.",
        "Summarise the notes and read the summary back to the interviewee.",
        "Give the interviewee the chance to add further information.",
    ]
    with pytest.raises(MissingInformation, match="formal notes"):
        inv.read_back_summary(ctx, interview_id, "Summary")
    inv.update_interview(ctx, interview_id, notes="Said the van was loading.")
    with pytest.raises(WrongState, match="summary back first"):
        inv.invite_further_information(ctx, interview_id)
    inv.read_back_summary(ctx, interview_id, "Van loading; ticket issued at 10:02.")
    inv.invite_further_information(ctx, interview_id, "Will send the photos.")
    with app.uow() as uow:
        row = uow.session.get(Interview, interview_id)
        assert row.summary_read_back and row.further_information_invited
        assert inv.interview_steps_missing(row.notes, row.summary, True, True) == []
    # A changed summary has not been read back to anyone.
    inv.update_interview(ctx, interview_id, summary="Something else.")
    with app.uow() as uow:
        row = uow.session.get(Interview, interview_id)
        assert not row.summary_read_back and not row.further_information_invited


def test_interviews_check_dates_and_who_came_along(app, ctx, case_id):
    def record(**changes):
        values = dict(interviewee="Sam Driver", held_on=dt.date(2026, 11, 20))
        values.update(changes)
        return inv.record_interview(ctx, case_id, inv.InterviewIn(**values))

    with pytest.raises(BadDate, match="future"):
        record(held_on=dt.date(2026, 11, 26))
    with pytest.raises(BadDate, match="before the complaint"):
        record(held_on=dt.date(2026, 11, 1))
    with pytest.raises(MissingInformation, match="colleague or a union"):
        record(accompanied_by="Lee", accompanied_as="friend")
    with pytest.raises(MissingInformation, match="who was the colleague"):
        record(accompanied_as="colleague")
    with pytest.raises(MissingInformation, match="who was interviewed"):
        record(interviewee=" ")


def test_the_case_file_and_timeline_show_the_investigation(app, ctx, case_id):
    issue_id = issue_of(app, case_id)
    inv.add_note(ctx, issue_id, NoteKind.FACT, "The bay is marked for loading.")
    for text in ("Load", "Loading was", "Loading was allowed."):
        inv.update_issue(ctx, issue_id, explanation=text)
    view = load_case_file(ctx, case_id)
    events = timeline(ctx, case_id)
    assert view.reference == "CW-2026-00001"
    assert view.issues[0].notes[0].text == "The bay is marked for loading."
    assert view.clock.respond_by == dt.date(2026, 11, 30)
    assert view.clock.days_left_text == "3 days left"
    summaries = [e.summary for e in events]
    assert summaries[0] == "Complaint received (email)"
    assert "Case recorded: CW-2026-00001" in summaries
    assert "Issue 1 added: The ticket was wrong." in summaries
    assert "Fact on issue 1: The bay is marked for loading." in summaries
    # Three saves while typing show as one edit.
    assert summaries.count("Issue 1: explanation edited") == 1
    assert [e.at.date() for e in events] == sorted(e.at.date() for e in events)


def test_a_step_ticked_by_mistake_can_be_taken_back(app, ctx, case_id):
    interview = inv.InterviewIn(interviewee="Sam Driver", held_on=dt.date(2026, 11, 20))

    def row() -> Interview:
        with app.uow() as uow:
            return uow.session.get(Interview, interview_id)

    interview_id = inv.record_interview(ctx, case_id, interview)
    inv.update_interview(ctx, interview_id, notes="Notes.")
    inv.read_back_summary(ctx, interview_id, "Summary.")
    inv.invite_further_information(ctx, interview_id)
    inv.withdraw_interview_step(ctx, interview_id, "further-information")
    assert row().summary_read_back and not row().further_information_invited
    inv.invite_further_information(ctx, interview_id)
    inv.withdraw_interview_step(ctx, interview_id, "summary")
    assert not row().summary_read_back and not row().further_information_invited


def test_the_outcome_follows_the_findings_and_is_recorded_for_the_letter(app, ctx, case_id):
    assert inv.suggested_outcome([Finding.UPHELD, None]) is None
    assert inv.suggested_outcome([Finding.UPHELD, Finding.UPHELD]) is Outcome.UPHELD
    assert inv.suggested_outcome([Finding.NOT_UPHELD]) is Outcome.NOT_UPHELD
    assert inv.suggested_outcome([Finding.UPHELD, Finding.NOT_UPHELD]) is Outcome.PARTIALLY_UPHELD
    inv.record_outcome(ctx, case_id, "partially-upheld")
    with app.uow() as uow:
        assert uow.session.get(Case, case_id).outcome is Outcome.PARTIALLY_UPHELD
    with pytest.raises(WrongState, match="not as an investigation"):
        inv.record_outcome(ctx, case_id, Outcome.WITHDRAWN)
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        case.status = CaseStatus.CLOSED
        uow.commit()
    with pytest.raises(CaseClosed):
        inv.record_outcome(ctx, case_id, None)
