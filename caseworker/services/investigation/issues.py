"""The investigation: the complainant's numbered points, notes on each, interviews and findings.

Stockport Appendix A, "Good investigative practice", is what these rules follow:

* separate hearsay from fact: every note is tagged fact, hearsay, evidence or action, and hearsay
  and evidence say where they came from (who said it, which record);
* staff interviewed may be accompanied by a colleague or a union representative;
* formal notes are made during an interview and summarised at the end, and the interviewee must
  be given the chance to add information: the summary read back and the invitation to add more
  are explicit steps, in that order, and an interview is complete only once both are done;
* there is a valid and clear reason for every finding: a finding needs its explanation.

Saving accepts work in progress (the case file saves as the officer types), so a finding without
its explanation is saved and reported by :func:`issue_gaps` rather than refused.

Each thing a person does here is one function taking the
:class:`~caseworker.services.context.Context`: it opens its own unit of work, authorises the
acting officer (working on the case: :data:`~caseworker.services.permissions.Action.WORK`),
checks the step's rule, makes the change and commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from caseworker.domain.enums import CaseStatus, Finding, InterviewMethod, NoteKind, Outcome
from caseworker.domain.outcomes import suggested_outcome as suggested_outcome
from caseworker.domain.refusals import (
    BadDate,
    CaseClosed,
    MissingInformation,
    Refused,
    WrongState,
)
from caseworker.services.cases import actions
from caseworker.services.context import Context
from caseworker.services.permissions import Action, authorise
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Interview, Issue, Note, utcnow

ACCOMPANIED_AS = ("colleague", "union representative")
"""Who may accompany a member of staff at an interview (Stockport Appendix A)."""

ISSUE_FIELDS = frozenset(
    {
        "summary",
        "finding",
        "explanation",
        "remedy",
        "lesson_learnt",
        "action",
        "action_public",
        "action_due",
        "action_completed",
    }
)
INTERVIEW_FIELDS = frozenset(
    {
        "interviewee",
        "interviewee_role",
        "held_on",
        "method",
        "accompanied_by",
        "accompanied_as",
        "notes",
        "summary",
        "further_information",
    }
)
STAGE1_FIELDS = frozenset({"finding", "explanation", "remedy"})
"""The fields of a point that hold what stage 1 found (kept once the case has moved on)."""


def stage1_fixed(reference: str, stage: int) -> str | None:
    """Why the stage 1 finding, explanation and remedy of the case's points cannot be changed
    now (None: they can): once the case is past stage 1 they are what stage 1 sent. The Issues
    tab shows them read-only by this; :func:`~caseworker.services.investigation.issues.update_issue`
    and the case window's save refuse with it."""
    if stage > 1:
        return (
            f"{reference} is at stage {stage}: the stage 1 finding is kept as it was sent; "
            "record the stage 2 finding instead"
        )
    return None


CASE_TEXT_FIELDS = frozenset(
    {"complaint_subject", "understanding", "steps_taken", "evidence_considered"}
)


def _case(uow: UnitOfWork, case_id: int) -> Case:
    """The case, once the person at the keyboard may work on it (their own, their service's as
    its line manager, any as complaints manager; never a closed one)."""
    _, case = authorise(uow, case_id, Action.WORK)
    return case


def _issue(uow: UnitOfWork, issue_id: int) -> Issue:
    """The issue, once the person at the keyboard may work on its case."""
    issue = uow.session.get(Issue, issue_id)
    if issue is None:
        raise Refused(f"there is no issue with id {issue_id}")
    authorise(uow, issue.case_id, Action.WORK)
    return issue


def _interview(uow: UnitOfWork, interview_id: int) -> Interview:
    """The interview, once the person at the keyboard may work on its case."""
    interview = uow.session.get(Interview, interview_id)
    if interview is None:
        raise Refused(f"there is no interview with id {interview_id}")
    authorise(uow, interview.case_id, Action.WORK)
    return interview


# -- issues ------------------------------------------------------------------------------------


def add_issue(ctx: Context, case_id: int, summary: str) -> int:
    """Add the complainant's next point to the case; its id. Numbered after the last one."""
    with ctx.unit() as uow:
        case = _case(uow, case_id)
        if not summary.strip():
            raise MissingInformation("an issue needs the complainant's point, in their words")
        highest = uow.session.execute(
            select(func.max(Issue.number)).where(Issue.case_id == case.id)
        ).scalar_one()
        issue = Issue(
            case_id=case.id,
            number=(highest or 0) + 1,
            summary=summary.strip(),
            raised_at_stage=case.stage,
        )
        uow.session.add(issue)
        uow.commit()
        return issue.id


def update_issue(ctx: Context, issue_id: int, **changes: Any) -> None:
    """Change an issue's point, finding, explanation, remedy, lesson learnt or action.

    The action and its due date go through :func:`caseworker.services.cases.actions.set_action` (an
    action says what will be done; its due date is not before the complaint), and its completion
    through :func:`~caseworker.services.cases.actions.complete_action`, so the rules are the same
    whichever screen changes them. Like every change under a case, it moves the case's version
    (the audit flush does), so a window that started from the older version gets a conflict
    instead of overwriting it.
    """
    unknown = set(changes) - ISSUE_FIELDS
    if unknown:
        raise ValueError(f"issues have no field {', '.join(sorted(unknown))}")
    with ctx.unit() as uow:
        issue = _issue(uow, issue_id)
        if "summary" in changes and not str(changes["summary"]).strip():
            raise MissingInformation(
                f"issue {issue.number} needs the complainant's point; it cannot be blank"
            )
        if STAGE1_FIELDS & set(changes):
            fixed = stage1_fixed(issue.case.reference, issue.case.stage)
            if fixed is not None:
                raise WrongState(fixed)
        if "action_completed" in changes:
            completed = changes.pop("action_completed")
            if completed is not None:
                actions._complete_action(uow, issue_id, completed_on=completed)
            else:
                actions._reopen_action(uow, issue_id)
        changes_made = set(changes)
        if "action" in changes or "action_due" in changes:
            action = str(changes.pop("action", issue.action) or "")
            due = changes.pop("action_due", issue.action_due)
            if "action" in changes_made and not action.strip():
                actions._clear_action(uow, issue_id)  # the action's text deleted: no action now
            else:
                actions._set_action(uow, issue_id, action=action, due=due)
        if "finding" in changes and changes["finding"] is not None:
            changes["finding"] = Finding(changes["finding"])
        for name, value in changes.items():
            setattr(issue, name, value)
        uow.commit()


def issue_gaps(
    finding: Finding | None, explanation: str, remedy: str, lesson_learnt: str
) -> list[str]:
    """What an issue still needs before a letter can answer it (Appendix A)."""
    gaps = []
    if finding is None:
        gaps.append("No finding yet: upheld, partially upheld or not upheld.")
        return gaps
    if not explanation.strip():
        gaps.append("A finding needs a valid and clear reason: write the explanation.")
    if finding in (Finding.UPHELD, Finding.PARTIALLY_UPHELD):
        if not remedy.strip():
            gaps.append("Upheld: say how the council will put it right (the remedy).")
        if not lesson_learnt.strip():
            gaps.append("Upheld: say what changes so it does not happen again (the lesson).")
    return gaps


NOTE_KIND_CHOICE = (
    "choose what the note is: fact, hearsay, evidence or action (Stockport Appendix A: "
    "separate hearsay from fact)"
)


def note_missing(kind: NoteKind | str | None, text: str, source: str) -> str | None:
    """What a note still lacks before it can be recorded, in the rule's words (None: nothing).

    The kind is always chosen by the officer, never carried over from the note before: two
    hearsay notes went in as evidence that way. Hearsay must say who said it and evidence where
    it is (Appendix A: separate hearsay from fact; conflicting evidence backed up with
    corroborative evidence). The notes form checks by this; :func:`add_note` and
    :func:`correct_note` refuse with it.
    """
    if kind is None or kind == "":
        return NOTE_KIND_CHOICE
    kind = NoteKind(kind)
    if not text.strip():
        return "a note needs its text"
    if kind == NoteKind.HEARSAY and not source.strip():
        return (
            "hearsay must say who said it (the source), so it is kept "
            "apart from fact (Stockport Appendix A)"
        )
    if kind == NoteKind.EVIDENCE and not source.strip():
        return "evidence must say where it is (the source: a document, a record, a photograph)"
    return None


def add_note(
    ctx: Context, issue_id: int, kind: NoteKind | str | None, text: str, source: str = ""
) -> int:
    """Add an investigation note to an issue; its id. The author is the person at the keyboard.
    The kind is required (see :func:`note_missing`)."""
    with ctx.unit() as uow:
        issue = _issue(uow, issue_id)
        _refuse_missing(note_missing(kind, text, source))
        # Through the relationship, so that the audit trail can tell which case the note is on.
        note = Note(
            issue=issue,
            kind=NoteKind(str(kind)),
            text=text.strip(),
            source=source.strip(),
            author=uow.actor,
        )
        uow.session.add(note)
        uow.commit()
        return note.id


def _note(uow: UnitOfWork, note_id: int) -> Note:
    """The note, once the person at the keyboard may work on its case; a withdrawn note is kept
    as it was withdrawn."""
    note = uow.session.get(Note, note_id)
    if note is None:
        raise Refused(f"there is no note with id {note_id}")
    authorise(uow, note.issue.case_id, Action.WORK)
    if note.withdrawn_at is not None:
        raise WrongState(
            f"that note was withdrawn by {note.withdrawn_by} and is kept as it was: "
            "add a new note instead"
        )
    return note


def correct_note(
    ctx: Context,
    note_id: int,
    *,
    kind: NoteKind | str | None = None,
    text: str | None = None,
    source: str | None = None,
) -> None:
    """Correct a note: its text, its source, or its kind (re-tagging hearsay recorded as
    evidence, say). The audit trail keeps each old value with who changed it and when; the
    corrected note must still meet :func:`note_missing` (hearsay re-tagged needs its source)."""
    with ctx.unit() as uow:
        note = _note(uow, note_id)
        new_kind = NoteKind(kind) if kind is not None else note.kind
        new_text = text if text is not None else note.text
        new_source = source if source is not None else note.source
        _refuse_missing(note_missing(new_kind, new_text, new_source))
        note.kind = new_kind
        note.text = new_text.strip()
        note.source = new_source.strip()
        uow.commit()


def withdraw_note(ctx: Context, note_id: int, reason: str) -> None:
    """Withdraw a note recorded in error, saying why.

    The note is not deleted: a complaint file is evidence for a review and the Ombudsman, who
    must be able to see what was recorded during the investigation, that it was withdrawn, by
    whom, when and why. It stays in the case's record (the stage file lists it as withdrawn) and
    is left out of the notes list and the letters; the audit trail records the withdrawal.
    """
    with ctx.unit() as uow:
        note = _note(uow, note_id)
        if not reason.strip():
            raise MissingInformation(
                "say why the note is withdrawn (recorded on the wrong point, wrong kind…): "
                "the reason stays on the case file"
            )
        note.withdrawn_at = utcnow()
        note.withdrawn_by = uow.actor
        note.withdrawn_reason = reason.strip()
        uow.commit()


INVESTIGATION_OUTCOMES = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
"""The outcomes an investigation reaches; withdrawal, settlement, discontinuation and refusal
are recorded by the case's lifecycle instead."""


def outcome_fixed(status: CaseStatus | str, reference: str, outcome: Outcome | None) -> str | None:
    """Why the investigation's outcome cannot be recorded or changed on this case now (None: it
    can): a closed case keeps the outcome it was sent with, and a withdrawal, settlement,
    discontinuation or refusal is changed by re-opening. The Letters tab enables its outcome
    chooser by this, and :func:`record_outcome` refuses with it."""
    if status == CaseStatus.CLOSED:
        return f"{reference} is closed: its outcome is kept as it was sent"
    if outcome is not None and outcome not in INVESTIGATION_OUTCOMES:
        return (
            f"{reference} is {outcome.value.replace('-', ' ')}: that "
            "outcome is changed by re-opening the case, not here"
        )
    return None


def record_outcome(ctx: Context, case_id: int, outcome: Outcome | str | None) -> None:
    """The outcome the investigation reached at this stage (upheld, partly, not upheld), which
    the response letter states; None takes it back. A closed case keeps its outcome."""
    value = Outcome(outcome) if outcome is not None else None
    with ctx.unit() as uow:
        case = _case(uow, case_id)
        if value is not None and value not in INVESTIGATION_OUTCOMES:
            raise WrongState(
                f"'{value.value}' is recorded when the case is "
                f"{value.value.replace('-', ' ')}, not as an investigation's outcome"
            )
        fixed = outcome_fixed(case.status, case.reference, case.outcome)
        if fixed is not None:
            raise (CaseClosed if case.status == CaseStatus.CLOSED else WrongState)(fixed)
        case.outcome = value
        uow.commit()


def update_case_text(ctx: Context, case_id: int, **changes: str) -> None:
    """Change what the letters say beyond the issues: our understanding of the complaint, the
    steps taken to investigate, the evidence considered."""
    unknown = set(changes) - CASE_TEXT_FIELDS
    if unknown:
        raise ValueError(f"cases have no text field {', '.join(sorted(unknown))}")
    with ctx.unit() as uow:
        case = _case(uow, case_id)
        for name, value in changes.items():
            setattr(case, name, value)
        uow.commit()


# -- interviews ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewIn:
    interviewee: str
    held_on: dt.date
    method: InterviewMethod = InterviewMethod.IN_PERSON
    interviewee_role: str = ""
    accompanied_by: str = ""
    accompanied_as: str = ""
    notes: str = ""


def _accompaniment_problem(accompanied_by: str, accompanied_as: str) -> str | None:
    if accompanied_as and accompanied_as not in ACCOMPANIED_AS:
        return (
            f"accompanied as '{accompanied_as}': an interviewee may be "
            "accompanied by a colleague or a union representative "
            "(Stockport Appendix A)"
        )
    if accompanied_as and not accompanied_by.strip():
        return f"who was the {accompanied_as} accompanying the interviewee?"
    if accompanied_by.strip() and not accompanied_as:
        return f"was {accompanied_by.strip()} a colleague or a union representative?"
    return None


def interview_missing(interview: InterviewIn) -> str | None:
    """What the interview's record still lacks before it can be recorded, in the rule's words
    (None: nothing): who was interviewed, and who came with them as what. The interview form
    enables its Record button by this; :func:`record_interview` refuses with it."""
    if not interview.interviewee.strip():
        return "who was interviewed?"
    return _accompaniment_problem(interview.accompanied_by, interview.accompanied_as)


def _refuse_missing(problem: str | None) -> None:
    if problem is not None:
        raise MissingInformation(problem)


def record_interview(ctx: Context, case_id: int, interview: InterviewIn) -> int:
    """Record an interview held for the case; its id. Its summary and the invitation to add
    information are later steps (:func:`read_back_summary`, :func:`invite_further_information`)."""
    today = ctx.today()
    with ctx.unit() as uow:
        case = _case(uow, case_id)
        _refuse_missing(interview_missing(interview))
        if interview.held_on > today:
            raise BadDate(f"the interview date {interview.held_on.isoformat()} is in the future")
        if interview.held_on < case.received:
            raise BadDate(
                f"the interview date {interview.held_on.isoformat()} is before the "
                f"complaint was received ({case.received.isoformat()})"
            )
        row = Interview(
            case_id=case.id,
            interviewee=interview.interviewee.strip(),
            interviewee_role=interview.interviewee_role.strip(),
            held_on=interview.held_on,
            method=InterviewMethod(interview.method),
            accompanied_by=interview.accompanied_by.strip(),
            accompanied_as=interview.accompanied_as,
            notes=interview.notes,
            recorded_by=uow.actor,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def change_interview(uow: UnitOfWork, interview_id: int, **changes: Any) -> None:
    """:func:`update_interview`'s change inside a unit of work the caller commits (the case
    window's version-checked save of an interview's text composes it)."""
    unknown = set(changes) - INTERVIEW_FIELDS
    if unknown:
        raise ValueError(f"interviews have no field {', '.join(sorted(unknown))}")
    interview = _interview(uow, interview_id)
    if "interviewee" in changes and not str(changes["interviewee"]).strip():
        raise MissingInformation("who was interviewed? The name cannot be blank")
    if "accompanied_by" in changes or "accompanied_as" in changes:
        _refuse_missing(
            _accompaniment_problem(
                changes.get("accompanied_by", interview.accompanied_by),
                changes.get("accompanied_as", interview.accompanied_as),
            )
        )
    if "method" in changes:
        changes["method"] = InterviewMethod(changes["method"])
    if "summary" in changes and changes["summary"] != interview.summary:
        interview.summary_read_back = False
        interview.further_information_invited = False
    for name, value in changes.items():
        setattr(interview, name, value)


def update_interview(ctx: Context, interview_id: int, **changes: Any) -> None:
    """Change what was recorded of an interview (the notes as they are typed, and so on).

    Changing the summary after it was read back un-does that step (and the one after it): the
    changed summary has not been read back to anyone.
    """
    with ctx.unit() as uow:
        change_interview(uow, interview_id, **changes)
        uow.commit()


def read_back_summary(ctx: Context, interview_id: int, summary: str) -> None:
    """Step 1 at the end of an interview: the summary of the formal notes, read back to the
    interviewee (Appendix A: notes "summarised at the end")."""
    with ctx.unit() as uow:
        interview = _interview(uow, interview_id)
        if not interview.notes.strip():
            raise MissingInformation("write the formal notes of the interview before its summary")
        if not summary.strip():
            raise MissingInformation("write the summary before recording that it was read back")
        interview.summary = summary
        interview.summary_read_back = True
        uow.commit()


def invitation_blocked(summary_read_back: bool) -> str | None:
    """Why the interviewee cannot be recorded as invited to add information yet (None: they
    can). The Interviews tab enables step 2 by this; :func:`invite_further_information` refuses
    with it."""
    if not summary_read_back:
        return (
            "read the summary back first: the interviewee adds information to the "
            "summary they have heard"
        )
    return None


def invite_further_information(
    ctx: Context, interview_id: int, further_information: str = ""
) -> None:
    """Step 2: the interviewee was given the chance to add information (Appendix A: "opportunity
    for any additional information to be included must be given"); what they added, if
    anything."""
    with ctx.unit() as uow:
        interview = _interview(uow, interview_id)
        blocked = invitation_blocked(interview.summary_read_back)
        if blocked is not None:
            raise WrongState(blocked)
        interview.further_information_invited = True
        interview.further_information = further_information
        uow.commit()


def withdraw_interview_step(ctx: Context, interview_id: int, step: str) -> None:
    """Take back a step recorded by mistake: ``"summary"`` (which takes back the invitation too,
    since it came after) or ``"further-information"``."""
    if step not in ("summary", "further-information"):
        raise ValueError(f"no interview step '{step}'")
    with ctx.unit() as uow:
        interview = _interview(uow, interview_id)
        interview.further_information_invited = False
        if step == "summary":
            interview.summary_read_back = False
        uow.commit()


def interview_steps_missing(
    notes: str, summary: str, summary_read_back: bool, further_information_invited: bool
) -> list[str]:
    """What an interview still needs before it is complete, in the order to do it."""
    missing = []
    if not notes.strip():
        missing.append("Write the formal notes of the interview.")
    if not summary.strip() or not summary_read_back:
        missing.append("Summarise the notes and read the summary back to the interviewee.")
    if not further_information_invited:
        missing.append("Give the interviewee the chance to add further information.")
    return missing
