"""Allocation: the unallocated queue, each officer's load, and giving a case to an officer.

Conflict rules are enforced, not just advised:

* nobody investigates a complaint about themselves (Stockport Appendix A; every policy's
  ``rules.subject_may_not_investigate``): an officer named among the case's subjects, by record or
  by name, cannot be given it;
* where the stage's ``handler_must_differ`` is set (Southampton, the Complaint Handling Code),
  nobody who held the case at the stage before may handle this stage. "Held" is read strictly,
  as the Code's "did not consider the complaint at stage 1": the recorded stage 1 officer and
  anyone the case was allocated to at that stage.

Every allocation is a row in ``allocations`` with who made it and why (a reason is required to
move a case from one officer to another), and the case's ``officer_id`` change is in the audit
trail with the actor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Role
from caseworker.domain.refusals import ConflictOfInterest, MissingInformation, NotPermitted
from caseworker.policy.deadlines import find_stage
from caseworker.policy.schema import Policy
from caseworker.services.permissions import Action, authorise, policy_of
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Allocation, Case, CaseSubject, Complainant, Officer


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A case waiting for an officer."""

    id: int
    reference: str
    complainant: str
    service_area: str
    policy_id: str
    stage: int
    received: dt.date
    respond_by: dt.date | None


@dataclass(frozen=True, slots=True)
class OfficerLoad:
    """One officer's open work."""

    officer_id: int
    name: str
    role: Role
    service_area: str
    open_cases: int
    due_this_week: int
    """Open cases whose response is due from today to Sunday, response not yet sent."""
    overdue: int
    """Open cases whose response date has passed, response not yet sent."""


def end_of_week(today: dt.date) -> dt.date:
    """The Sunday ending ``today``'s week."""
    return today + dt.timedelta(days=6 - today.weekday())


def unallocated_cases(session: Session, *, service_area: str | None = None) -> list[QueueRow]:
    """Cases not closed and with no officer, soonest due first (undated ones last)."""
    query = (
        select(
            Case.id,
            Case.reference,
            func.coalesce(Complainant.name, ""),
            Case.service_area,
            Case.policy_id,
            Case.stage,
            Case.received,
            Case.respond_by,
        )
        .outerjoin(Complainant, Case.complainant_id == Complainant.id)
        .where(Case.officer_id.is_(None), Case.status != CaseStatus.CLOSED)
        .order_by(Case.respond_by.is_(None), Case.respond_by, Case.received, Case.reference)
    )
    if service_area is not None:
        query = query.where(Case.service_area == service_area)
    return [QueueRow(*row) for row in session.execute(query)]


def officer_loads(
    session: Session, *, today: dt.date, service_area: str | None = None
) -> list[OfficerLoad]:
    """Each active officer's open cases, those due this week and those overdue, in one query.

    Officers with no cases are listed with noughts; ``service_area`` keeps to one area's officers.
    """
    waiting = and_(Case.response_sent.is_(None), Case.respond_by.is_not(None))
    week_end = end_of_week(today)
    query = (
        select(
            Officer.id,
            Officer.name,
            Officer.role,
            Officer.service_area,
            func.count(Case.id),
            func.coalesce(
                func.sum(
                    case(
                        (and_(waiting, Case.respond_by >= today, Case.respond_by <= week_end), 1),
                        else_=0,
                    )
                ),
                0,
            ),
            func.coalesce(func.sum(case((and_(waiting, Case.respond_by < today), 1), else_=0)), 0),
        )
        .outerjoin(Case, and_(Case.officer_id == Officer.id, Case.status != CaseStatus.CLOSED))
        .where(Officer.active.is_(True))
        .group_by(Officer.id, Officer.name, Officer.role, Officer.service_area)
        .order_by(Officer.name, Officer.id)
    )
    if service_area is not None:
        query = query.where(Officer.service_area == service_area)
    return [OfficerLoad(*row) for row in session.execute(query)]


def earlier_handlers(case_row: Case, stage: int) -> set[int]:
    """Officers who held ``case_row`` at ``stage``."""
    held = {a.officer_id for a in case_row.allocations if a.stage == stage}
    if stage == 1 and case_row.stage1_officer_id is not None:
        held.add(case_row.stage1_officer_id)
    return held


def conflicts(case_row: Case, officer: Officer, policy: Policy) -> list[str]:
    """Why ``officer`` may not handle ``case_row`` at its current stage (empty when they may)."""
    found: list[str] = []
    if not officer.active:
        found.append(f"{officer.name}'s officer record is inactive ({rules.INACTIVE})")
    if policy.rules.subject_may_not_investigate and _is_subject(officer, case_row.subjects):
        found.append(
            f"{officer.name} is named in this complaint ({rules.SUBJECT_MAY_NOT_INVESTIGATE})"
        )
    stage = find_stage(policy, case_row.route, case_row.stage)
    if stage.handler_must_differ and case_row.stage > 1:
        before = case_row.stage - 1
        if officer.id in earlier_handlers(case_row, before):
            found.append(
                f"{officer.name} handled stage {before} of {case_row.reference} ("
                + rules.HANDLER_MUST_DIFFER.format(stage=case_row.stage, before=before)
                + f"; policy {policy.id} stage {case_row.stage}: handler_must_differ)"
            )
    return found


def _is_subject(officer: Officer, subjects: list[CaseSubject]) -> bool:
    return any(
        (subject.officer_id is not None and subject.officer_id == officer.id)
        or rules.same_name(subject.name, officer.name)
        for subject in subjects
    )


def check_handler(case_row: Case, officer: Officer, policy: Policy) -> None:
    """Refuse with the first conflict rule that keeps ``officer`` off ``case_row``."""
    found = conflicts(case_row, officer, policy)
    if found:
        raise ConflictOfInterest(found[0])


def allocate(uow: UnitOfWork, case_id: int, officer_id: int, *, reason: str = "") -> Allocation:
    """Give the case to an officer (or move it to another one: then ``reason`` is required).

    A line manager allocates their service area's stage 1 cases to its own officers; a
    complaints manager allocates any case to anyone. The conflict rules (module notes) apply to
    both.
    """
    acting, case_row = authorise(uow, case_id, Action.ALLOCATE)
    officer = uow.session.get(Officer, officer_id)
    if officer is None:
        raise MissingInformation(f"there is no officer with id {officer_id}")
    if case_row.officer_id == officer.id:
        raise MissingInformation(f"{case_row.reference} is already allocated to {officer.name}")
    if acting.role == Role.LINE_MANAGER and not rules.same_area(
        officer.service_area, acting.service_area
    ):
        raise NotPermitted(
            f"{acting.name} (a line manager for {acting.service_area}) may not give "
            f"{case_row.reference} to {officer.name} of {officer.service_area} "
            f"({rules.LINE_MANAGER_AREA})"
        )
    reason = reason.strip()
    previous = case_row.officer_id
    if previous is not None and not reason:
        raise MissingInformation(
            f"moving {case_row.reference} from one officer to another needs a reason "
            "(reallocations are recorded with their reason)"
        )
    check_handler(case_row, officer, policy_of(case_row))
    allocation = Allocation(
        stage=case_row.stage,
        officer_id=officer.id,
        previous_officer_id=previous,
        allocated_by_id=acting.id,
        reason=reason,
    )
    case_row.allocations.append(allocation)
    case_row.officer_id = officer.id
    uow.session.flush()
    return allocation


def allocation_history(session: Session, case_id: int) -> list[Allocation]:
    return list(
        session.execute(
            select(Allocation).where(Allocation.case_id == case_id).order_by(Allocation.id)
        ).scalars()
    )
