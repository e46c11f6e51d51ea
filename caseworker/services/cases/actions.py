"""Remedies and lessons-learnt actions, tracked to completion after the letter is sent.

The Complaint Handling Code: respond when the answer is known, without waiting for every action
to be done, and track what is outstanding (Stoke: "Outstanding actions will be tracked and
actioned as quickly as possible"; Stockport 2.1: "Any further action or lessons learnt should be
followed through and monitored"). So an outstanding action never stops a case closing; it stays
on the list below, from the day the response goes, until someone records it done — on a closed
case too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from caseworker.domain.enums import LetterKind
from caseworker.domain.refusals import BadDate, MissingInformation, Refused
from caseworker.services.cases.steps import Step, authorise_step
from caseworker.services.context import Context
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Issue, Letter, Officer

RESPONSE_LETTERS = (LetterKind.OUTCOME, LetterKind.DECISION, LetterKind.MEMBER_REPLY)


def _issue(uow: UnitOfWork, issue_id: int) -> Issue:
    issue = uow.session.get(Issue, issue_id)
    if issue is None:
        raise Refused(f"there is no issue with id {issue_id}")
    return issue


def check_action(case_row: Case, issue: Issue, action: str, due: dt.date | None) -> None:
    """Refuse an action's due date with nothing to be done, or a due date before the complaint
    was received: the rule for every way an action is set (:func:`set_action`, and the case
    window's edits saved by :func:`caseworker.services.team.concurrency.save_case_edits`)."""
    if due is not None and not action.strip():
        raise MissingInformation(
            f"issue {issue.number} of {case_row.reference}: say what the "
            "action is before giving it a due date"
        )
    if due is not None and due < case_row.received:
        raise BadDate(
            f"the action's due date {due.isoformat()} is before {case_row.reference} "
            f"was received ({case_row.received.isoformat()})"
        )


# Each step below is one public function (its own unit of work) over a private one that works in
# a unit of work it is given, for a caller that changes an issue's action along with its other
# fields in one transaction (:func:`caseworker.services.investigation.issues.update_issue`).


def _set_action(
    uow: UnitOfWork,
    issue_id: int,
    *,
    action: str,
    due: dt.date | None = None,
    lesson_learnt: str | None = None,
) -> None:
    issue = _issue(uow, issue_id)
    _, case_row, _ = authorise_step(uow, issue.case_id, Step.SET_ACTION, issue)
    action = action.strip()
    if not action:
        raise MissingInformation(
            f"issue {issue.number} of {case_row.reference}: say what the action is"
        )
    check_action(case_row, issue, action, due)
    issue.action = action
    issue.action_due = due
    issue.action_completed = None
    if lesson_learnt is not None:
        issue.lesson_learnt = lesson_learnt.strip()
    uow.session.flush()


def set_action(
    ctx: Context,
    issue_id: int,
    *,
    action: str,
    due: dt.date | None = None,
    lesson_learnt: str | None = None,
) -> None:
    """Set what will be done about an issue (and by when), while the case is being handled."""
    with ctx.unit() as uow:
        _set_action(uow, issue_id, action=action, due=due, lesson_learnt=lesson_learnt)
        uow.commit()


def _clear_action(uow: UnitOfWork, issue_id: int) -> None:
    issue = _issue(uow, issue_id)
    authorise_step(uow, issue.case_id, Step.SET_ACTION, issue)
    issue.action = ""
    issue.action_due = None
    issue.action_completed = None
    uow.session.flush()


def clear_action(ctx: Context, issue_id: int) -> None:
    """No action on this issue after all (its text deleted while the case is being handled)."""
    with ctx.unit() as uow:
        _clear_action(uow, issue_id)
        uow.commit()


def _reopen_action(uow: UnitOfWork, issue_id: int) -> None:
    issue = _issue(uow, issue_id)
    authorise_step(uow, issue.case_id, Step.REOPEN_ACTION, issue)
    issue.action_completed = None
    uow.session.flush()


def reopen_action(ctx: Context, issue_id: int) -> None:
    """Take back an action's completion recorded by mistake (it is outstanding again)."""
    with ctx.unit() as uow:
        _reopen_action(uow, issue_id)
        uow.commit()


def _complete_action(uow: UnitOfWork, issue_id: int, *, completed_on: dt.date) -> None:
    issue = _issue(uow, issue_id)
    _, case_row, _ = authorise_step(uow, issue.case_id, Step.COMPLETE_ACTION, issue)
    if completed_on < case_row.received:
        raise BadDate(
            f"the completion date {completed_on.isoformat()} is before "
            f"{case_row.reference} was received ({case_row.received.isoformat()})"
        )
    issue.action_completed = completed_on
    uow.session.flush()


def complete_action(ctx: Context, issue_id: int, *, completed_on: dt.date) -> None:
    """Record the issue's action as done (on a closed case too: see the module notes)."""
    with ctx.unit() as uow:
        _complete_action(uow, issue_id, completed_on=completed_on)
        uow.commit()


@dataclass(frozen=True, slots=True)
class OutstandingAction:
    """An action promised in a sent letter and not yet done."""

    case_id: int
    reference: str
    service_area: str
    officer: str
    issue_id: int
    issue_number: int
    action: str
    remedy: str
    lesson_learnt: str
    due: dt.date | None
    overdue: bool


def outstanding_actions(
    session: Session,
    *,
    today: dt.date,
    service_area: str | None = None,
    officer_id: int | None = None,
) -> list[OutstandingAction]:
    """Actions not yet done on cases whose response has gone (a response date, or a sent outcome,
    decision or Member/MP reply letter), soonest due first; undated ones last."""
    letter_sent = exists().where(
        Letter.case_id == Case.id, Letter.sent_on.is_not(None), Letter.kind.in_(RESPONSE_LETTERS)
    )
    query = (
        select(
            Case.id,
            Case.reference,
            Case.service_area,
            func.coalesce(Officer.name, ""),
            Issue.id,
            Issue.number,
            Issue.action,
            Issue.remedy,
            Issue.lesson_learnt,
            Issue.action_due,
        )
        .join(Issue, Issue.case_id == Case.id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .where(
            Issue.action != "",
            Issue.action_completed.is_(None),
            or_(Case.response_sent.is_not(None), letter_sent),
        )
        .order_by(Issue.action_due.is_(None), Issue.action_due, Case.reference, Issue.number)
    )
    if service_area is not None:
        query = query.where(Case.service_area == service_area)
    if officer_id is not None:
        query = query.where(Case.officer_id == officer_id)
    found = []
    for (
        case_id,
        reference,
        area,
        officer,
        issue_id,
        number,
        action,
        remedy,
        lesson,
        due,
    ) in session.execute(query):
        found.append(
            OutstandingAction(
                case_id,
                reference,
                area,
                officer,
                issue_id,
                number,
                action,
                remedy,
                lesson,
                due,
                overdue=due is not None and due < today,
            )
        )
    return found
