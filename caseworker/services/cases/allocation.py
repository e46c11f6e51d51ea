"""Allocation: the unallocated queue, each officer's load, and giving a case to an officer.

Each thing a manager does or looks at is one function taking the
:class:`~caseworker.services.context.Context` first (the allocation window, the tests and any
command call them directly): :func:`allocation_queue`, :func:`officer_loads`, :func:`case_held`
and :func:`find_case`, :func:`allocation_history`, :func:`conflicts_for` and :func:`allocate`.
Each opens its own unit of work and authorises the acting officer first, reads included: only a
line manager or a complaints manager allocates (:func:`allocator_refusal`), and what they see
follows their role: a line manager the stage 1 cases waiting in their own service area and that
area's officers (the cases they may allocate, to the officers they may give them to); a
complaints manager every waiting case and every officer.

Conflict rules are enforced, not just advised:

* nobody investigates a complaint about themselves (Stockport Appendix A; every policy's
  ``rules.subject_may_not_investigate``): an officer named among the case's subjects, by record or
  by name, cannot be given it;
* where the stage's ``handler_must_differ`` is set (Southampton, the Complaint Handling Code),
  nobody who held the case at the stage before may handle this stage. "Held" is read strictly,
  as the Code's "did not consider the complaint at stage 1": the recorded stage 1 officer and
  anyone the case was allocated to at that stage.

:func:`conflicts` is that rule; the window shows its answer (:func:`conflicts_for`) before the
click, and :func:`why_not_allocate`, the one precondition :func:`allocate` checks, refuses with
the same words. Every allocation is a row in ``allocations`` with who made it and why (a reason
is required to move a case from one officer to another), and the case's ``officer_id`` change is
in the audit trail with the actor. Two managers allocating one case at once: the second is told
who got there first (:class:`~caseworker.services.team.concurrency.AllocationConflict`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from caseworker.domain import rules
from caseworker.domain.caselist import Urgency, days_left, days_left_text, end_of_week, urgency
from caseworker.domain.enums import CaseStatus, Role
from caseworker.domain.refusals import (
    ConflictOfInterest,
    MissingInformation,
    NotPermitted,
    Refused,
)
from caseworker.policy.deadlines import find_stage
from caseworker.policy.schema import Policy
from caseworker.services.context import Context
from caseworker.services.lists.caselist import PolicyCalendars, status_literal
from caseworker.services.permissions import (
    Action,
    acting_officer,
    authorise,
    check,
    inactive,
    offline_refusal,
    policy_of,
)
from caseworker.services.team.concurrency import AllocationConflict
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Allocation, Case, CaseSubject, Complainant, Officer

MANAGERS = (Role.LINE_MANAGER, Role.COMPLAINTS_MANAGER)
CLOSED = CaseStatus.CLOSED


@dataclass(frozen=True, slots=True)
class Manager:
    """The manager at the keyboard."""

    id: int
    name: str
    role: Role
    service_area: str

    @property
    def scope(self) -> str:
        """Whose cases and officers the allocation view shows, in words."""
        if self.role == Role.COMPLAINTS_MANAGER:
            return "every service area (complaints manager)"
        return f"{self.service_area}, stage 1 (line manager)"


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
class Waiting:
    """A case in the unallocated queue, with its working days left."""

    row: QueueRow
    days_left: int | None

    @property
    def days_left_text(self) -> str:
        return days_left_text(CaseStatus.OPEN, self.days_left)

    @property
    def urgency(self) -> Urgency:
        """Late, due soon (the case list's threshold) or on track: what the colour shows."""
        return urgency(CaseStatus.OPEN, self.days_left)


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


@dataclass(frozen=True, slots=True)
class CaseHeld:
    """A case picked for (re)allocation: who has it now."""

    id: int
    reference: str
    complainant: str
    service_area: str
    stage: int
    status: CaseStatus
    officer_id: int | None
    officer: str


@dataclass(frozen=True, slots=True)
class AllocationEntry:
    """One line of a case's allocation history."""

    at: dt.datetime | None
    stage: int
    officer: str
    previous_officer: str
    allocated_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class Allocated:
    """What :func:`allocate` did."""

    allocation_id: int
    case_id: int
    reference: str
    officer_id: int
    officer: str
    reallocated: bool

    @property
    def message(self) -> str:
        moved = "Reallocated" if self.reallocated else "Allocated"
        return f"{moved} {self.reference} to {self.officer}"


# -- who allocates -------------------------------------------------------------------------------


def allocator_refusal(officer: Officer) -> NotPermitted | None:
    """Why ``officer`` may not allocate cases at all (``None`` for a line or complaints manager)."""
    if officer.role in MANAGERS:
        return None
    return NotPermitted(
        f"{officer.name} (an investigating officer) may not allocate cases "
        f"({rules.MANAGER_DECIDES})"
    )


def _manager(uow: UnitOfWork) -> Officer:
    """The acting officer, refused (naming the rule) unless a manager."""
    officer = acting_officer(uow)
    refusal = allocator_refusal(officer) or offline_refusal(uow.session, "allocate cases")
    if refusal is not None:
        raise refusal
    return officer


def manager(ctx: Context) -> Manager:
    """The manager at the keyboard; refused (naming the rule) for anyone else."""
    with ctx.unit() as uow:
        officer = _manager(uow)
        return Manager(officer.id, officer.name, officer.role, officer.service_area)


def may_allocate(ctx: Context) -> bool:
    """Whether the person at the keyboard is a line manager or a complaints manager (the app
    offers "Allocate cases…" to them alone; :func:`why_not_allocate_here` says when not now)."""
    with ctx.unit() as uow:
        try:
            officer = acting_officer(uow)
        except Refused:
            return False
        return allocator_refusal(officer) is None


def why_not_allocate_here(ctx: Context) -> str | None:
    """Why a manager cannot allocate here and now (on an offline copy), or None."""
    with ctx.unit() as uow:
        refusal = offline_refusal(uow.session, "allocate cases")
    return None if refusal is None else str(refusal).removeprefix("Refused: ")


# -- what is waiting, and who has room -----------------------------------------------------------


def allocation_queue(ctx: Context) -> list[Waiting]:
    """The unallocated cases the acting manager may allocate, soonest due first, each with its
    working days left on ``ctx.today()``."""
    today = ctx.today()
    with ctx.unit() as uow:
        acting = _manager(uow)
        rows = _unallocated(uow.session)
    if acting.role == Role.LINE_MANAGER:
        rows = [
            row
            for row in rows
            if row.stage == 1 and rules.same_area(row.service_area, acting.service_area)
        ]
    calendars = PolicyCalendars(ctx.policy)
    return [
        Waiting(
            row,
            None
            if row.respond_by is None
            else days_left(calendars(row.policy_id), today, row.respond_by),
        )
        for row in rows
    ]


def officer_loads(ctx: Context) -> list[OfficerLoad]:
    """Each active officer's open work on ``ctx.today()`` (a line manager: their own service
    area's officers), by name."""
    with ctx.unit() as uow:
        acting = _manager(uow)
        loads = _loads(uow.session, today=ctx.today())
    if acting.role == Role.LINE_MANAGER:
        loads = [load for load in loads if rules.same_area(load.service_area, acting.service_area)]
    return loads


def _unallocated(session: Session) -> list[QueueRow]:
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
    return [QueueRow(*row) for row in session.execute(query)]


def _loads(session: Session, *, today: dt.date) -> list[OfficerLoad]:
    """Each active officer's open cases (not closed), those waiting for a response due this
    week and those overdue (:func:`officer_loads_query`); officers with no cases are listed
    with noughts."""
    return [OfficerLoad(*row) for row in session.execute(officer_loads_query(today))]


def officer_loads_query(today: dt.date) -> Select[int, str, Role, str, int, int, int]:
    """The officer loads in one statement, each figure a count through an index, per officer
    (the open cases ``ix_cases_officer_status`` alone; those waiting for a response
    ``ix_cases_officer_waiting``, migration 0030), not a read of every case not closed. The
    statuses are written into the statement, as the index's condition is."""
    cases = Case.__table__.c
    not_closed = [status_literal(status) for status in CaseStatus if status != CLOSED]
    waiting = [cases.response_sent.is_(None), cases.status != status_literal(CLOSED)]

    def counted(*where: ColumnElement[bool]) -> ScalarSelect[int]:
        return select(func.count()).where(cases.officer_id == Officer.id, *where).scalar_subquery()

    return (
        select(
            Officer.id,
            Officer.name,
            Officer.role,
            Officer.service_area,
            counted(cases.status.in_(not_closed)),
            counted(*waiting, cases.respond_by >= today, cases.respond_by <= end_of_week(today)),
            counted(*waiting, cases.respond_by < today),
        )
        .where(Officer.active.is_(True))
        .order_by(Officer.name, Officer.id)
    )


# -- one case ------------------------------------------------------------------------------------


def case_held(ctx: Context, case_id: int) -> CaseHeld:
    """The case picked for (re)allocation and who has it now (a manager who may see it)."""
    with ctx.unit() as uow:
        _manager(uow)
        authorise(uow, case_id, Action.VIEW)
        return _held(uow.session, Case.id == case_id, f"there is no case with id {case_id}")


def find_case(ctx: Context, reference: str) -> CaseHeld:
    """The case with this reference (spacing and letter case ignored), for a manager who may
    see it."""
    wanted = reference.strip().upper()
    if not wanted:
        raise Refused("type the case's reference, e.g. CW-2026-00012")
    with ctx.unit() as uow:
        acting = _manager(uow)
        held = _held(
            uow.session,
            func.upper(Case.reference) == wanted,
            f"there is no case with the reference {wanted}",
        )
        case_row = uow.session.get(Case, held.id)
        assert case_row is not None
        check(acting, Action.VIEW, case_row)
        return held


def allocation_history(ctx: Context, case_id: int) -> list[AllocationEntry]:
    """Who the case was given to, when, by whom and why, oldest first."""
    with ctx.unit() as uow:
        _manager(uow)
        authorise(uow, case_id, Action.VIEW)
        rows = uow.session.execute(
            select(Allocation).where(Allocation.case_id == case_id).order_by(Allocation.id)
        ).scalars()
        return [
            AllocationEntry(
                a.allocated_at,
                a.stage,
                a.officer.name,
                a.previous_officer.name if a.previous_officer else "",
                a.allocated_by.name if a.allocated_by else "",
                a.reason,
            )
            for a in rows
        ]


def conflicts_for(ctx: Context, case_id: int, officer_id: int) -> list[str]:
    """Why the officer may not handle the case (empty when they may), each naming its rule:
    shown before allocating; :func:`allocate` refuses with the first of them."""
    with ctx.unit() as uow:
        _manager(uow)
        _, case_row = authorise(uow, case_id, Action.VIEW)
        officer = uow.session.get(Officer, officer_id)
        if officer is None:
            return []
        return conflicts(case_row, officer, policy_of(case_row))


def _held(session: Session, where: object, missing: str) -> CaseHeld:
    row = session.execute(
        select(
            Case.id,
            Case.reference,
            func.coalesce(Complainant.name, ""),
            Case.service_area,
            Case.stage,
            Case.status,
            Case.officer_id,
            func.coalesce(Officer.name, ""),
        )
        .outerjoin(Complainant, Case.complainant_id == Complainant.id)
        .outerjoin(Officer, Case.officer_id == Officer.id)
        .where(where)  # type: ignore[arg-type]
    ).first()
    if row is None:
        raise Refused(missing)
    return CaseHeld(*row)


# -- the rules -----------------------------------------------------------------------------------


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
        found.append(inactive(officer))
    if policy.rules.subject_may_not_investigate and _is_subject(officer, case_row.subjects):
        found.append(
            f"{officer.name} is named in this complaint ("
            + rules.SUBJECT_MAY_NOT_INVESTIGATE.format(council=policy.council_name)
            + ")"
        )
    stage = find_stage(policy, case_row.route, case_row.stage)
    if stage.handler_must_differ and case_row.stage > 1:
        before = case_row.stage - 1
        if officer.id in earlier_handlers(case_row, before):
            found.append(
                f"{officer.name} handled stage {before} of {case_row.reference} ("
                + rules.HANDLER_MUST_DIFFER.format(
                    council=policy.council_name, stage=case_row.stage, before=before
                )
                + f"; policy {policy.id} stage {case_row.stage}: handler_must_differ)"
            )
    return found


def _is_subject(officer: Officer, subjects: list[CaseSubject]) -> bool:
    return any(
        (subject.officer_id is not None and subject.officer_id == officer.id)
        or rules.same_name(subject.name, officer.name)
        for subject in subjects
    )


def why_not_allocate(
    acting: Officer, case_row: Case, officer: Officer, policy: Policy, *, reason: str = ""
) -> Refused | None:
    """Why ``acting`` (already allowed to allocate ``case_row``) may not give it to ``officer``
    with this ``reason``, naming the rule; ``None`` when they may.

    A line manager gives their service area's cases to its own officers; a complaints manager
    to anyone. Moving a case from one officer to another needs a reason. The conflict rules
    (:func:`conflicts`) apply to both.
    """
    if case_row.officer_id == officer.id:
        return MissingInformation(f"{case_row.reference} is already allocated to {officer.name}")
    if acting.role == Role.LINE_MANAGER and not rules.same_area(
        officer.service_area, acting.service_area
    ):
        return NotPermitted(
            f"{acting.name} (a line manager for {acting.service_area}) may not give "
            f"{case_row.reference} to {officer.name} of {officer.service_area} "
            f"({rules.LINE_MANAGER_AREA})"
        )
    if case_row.officer_id is not None and not reason.strip():
        return MissingInformation(
            f"moving {case_row.reference} from one officer to another needs a reason "
            "(reallocations are recorded with their reason)"
        )
    found = conflicts(case_row, officer, policy)
    if found:
        return ConflictOfInterest(found[0])
    return None


# -- allocating ----------------------------------------------------------------------------------


def allocate(
    ctx: Context,
    case_id: int,
    officer_id: int,
    *,
    expected_officer_id: int | None = None,
    reason: str = "",
) -> Allocated:
    """Give the case to the officer, if it is still with ``expected_officer_id`` (the officer the
    manager saw; ``None``, the default: unallocated), and commit.

    Refused, naming the rule, by the permission rules and :func:`why_not_allocate`; if another
    manager allocated it meanwhile, :class:`AllocationConflict` says who has it, who allocated it
    and when, and nothing is written.
    """
    with ctx.unit() as uow:
        _, case_row = authorise(uow, case_id, Action.ALLOCATE)
        if case_row.officer_id != expected_officer_id:
            raise _allocation_conflict(uow.session, case_id)
        try:
            allocation = _allocate(uow, case_id, officer_id, reason=reason)
            done = Allocated(
                allocation.id,
                case_id,
                case_row.reference,
                officer_id,
                allocation.officer.name,
                allocation.previous_officer_id is not None,
            )
            uow.commit()
        except StaleDataError:
            raise _allocation_conflict(uow.session, case_id) from None
        return done


def _allocate(uow: UnitOfWork, case_id: int, officer_id: int, *, reason: str = "") -> Allocation:
    """The allocation inside a unit of work the caller commits: :func:`allocate`'s, or accepting
    a request for the next stage with its new handler in one transaction."""
    acting, case_row = authorise(uow, case_id, Action.ALLOCATE)
    officer = uow.session.get(Officer, officer_id)
    if officer is None:
        raise MissingInformation(f"there is no officer with id {officer_id}")
    refusal = why_not_allocate(acting, case_row, officer, policy_of(case_row), reason=reason)
    if refusal is not None:
        raise refusal
    allocation = Allocation(
        stage=case_row.stage,
        officer_id=officer.id,
        previous_officer_id=case_row.officer_id,
        allocated_by_id=acting.id,
        reason=reason.strip(),
    )
    case_row.allocations.append(allocation)
    case_row.officer_id = officer.id
    uow.session.flush()
    return allocation


def _allocation_conflict(session: Session, case_id: int) -> AllocationConflict:
    """Who has the case now, who gave it to them and when (the transaction is rolled back)."""
    session.rollback()
    case_row = session.get(Case, case_id, populate_existing=True)
    assert case_row is not None
    latest = session.execute(
        select(Allocation)
        .where(Allocation.case_id == case_id)
        .order_by(Allocation.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    officer = session.get(Officer, case_row.officer_id) if case_row.officer_id else None
    by = latest.allocated_by.name if latest and latest.allocated_by else ""
    conflict = AllocationConflict(
        case_row.reference,
        officer.name if officer else "nobody",
        by,
        latest.allocated_at if latest else None,
    )
    session.rollback()
    return conflict


__all__ = [
    "Allocated",
    "AllocationEntry",
    "CaseHeld",
    "Manager",
    "OfficerLoad",
    "QueueRow",
    "Waiting",
    "allocate",
    "allocation_history",
    "allocation_queue",
    "allocator_refusal",
    "case_held",
    "conflicts",
    "conflicts_for",
    "find_case",
    "manager",
    "may_allocate",
    "officer_loads",
    "why_not_allocate",
]
