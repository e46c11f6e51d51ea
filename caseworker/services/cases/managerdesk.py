"""The manager's desk: the allocation view's services bound to one database, one person and one
"today".

Like the case file's services (:mod:`caseworker.services.cases.casefile`), each method is one
thing a manager does or looks at, in its own unit of work, and calls the module that owns the
rule (:mod:`~caseworker.services.cases.allocation`, :mod:`~caseworker.services.team.concurrency`,
:mod:`~caseworker.services.permissions`), so the allocation window holds no SQL and no rule.

What a manager sees follows their role: a line manager the stage 1 cases waiting in their own
service area and that area's officers (the cases they may allocate, to the officers they may
give them to); a complaints manager every waiting case and every officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Role
from caseworker.domain.refusals import NotAnOfficer, NotPermitted, Refused
from caseworker.services.cases import allocation
from caseworker.services.cases.allocation import OfficerLoad, QueueRow
from caseworker.services.lists.caselist import PolicyCalendars, days_left, days_left_text
from caseworker.services.permissions import current_officer
from caseworker.services.team.concurrency import claim_allocation
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Complainant, Officer

MANAGERS = (Role.LINE_MANAGER, Role.COMPLAINTS_MANAGER)


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
class Waiting:
    """A case in the unallocated queue, with its working days left."""

    row: QueueRow
    days_left: int | None

    @property
    def days_left_text(self) -> str:
        return days_left_text(CaseStatus.OPEN, self.days_left)


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


class ManagerDesk:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        actor: str,
        today: Callable[[], dt.date] = dt.date.today,
        calendars: Callable[[str], object] | None = None,
    ) -> None:
        self._sessions = sessions
        self.actor = actor
        self._today = today
        self._calendars = calendars or PolicyCalendars()

    def today(self) -> dt.date:
        return self._today()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, self.actor)

    # -- who is allocating -----------------------------------------------------------------------

    def manager(self) -> Manager:
        """The manager at the keyboard; refused (naming the rule) for anyone else."""
        with self._sessions() as session:
            officer = current_officer(session, self.actor)
            if officer.role not in MANAGERS:
                raise NotPermitted(
                    f"{officer.name} (an investigating officer) may not allocate "
                    f"cases ({rules.MANAGER_DECIDES})"
                )
            return Manager(officer.id, officer.name, officer.role, officer.service_area)

    def may_allocate(self) -> bool:
        """Whether the person at the keyboard is a line manager or a complaints manager."""
        try:
            self.manager()
        except (NotAnOfficer, NotPermitted):
            return False
        return True

    # -- what is waiting, and who has room ---------------------------------------------------------

    def queue(self) -> list[Waiting]:
        """The unallocated cases this manager may allocate, soonest due first."""
        manager = self.manager()
        today = self.today()
        with self._sessions() as session:
            rows = allocation.unallocated_cases(session)
        if manager.role == Role.LINE_MANAGER:
            rows = [
                row
                for row in rows
                if row.stage == 1 and rules.same_area(row.service_area, manager.service_area)
            ]
        return [
            Waiting(
                row,
                None
                if row.respond_by is None
                else days_left(self._calendars(row.policy_id), today, row.respond_by),
            )
            for row in rows
        ]

    def loads(self) -> list[OfficerLoad]:
        """Each active officer's open work (a line manager: their own service area's officers),
        by name."""
        manager = self.manager()
        with self._sessions() as session:
            loads = allocation.officer_loads(session, today=self.today())
        if manager.role == Role.LINE_MANAGER:
            loads = [
                load for load in loads if rules.same_area(load.service_area, manager.service_area)
            ]
        return loads

    def case(self, case_id: int) -> CaseHeld:
        with self._sessions() as session:
            return _held(session, Case.id == case_id, f"there is no case with id {case_id}")

    def find_case(self, reference: str) -> CaseHeld:
        """The case with this reference (spacing and letter case ignored)."""
        wanted = reference.strip().upper()
        if not wanted:
            raise Refused("type the case's reference, e.g. CW-2026-00012")
        with self._sessions() as session:
            return _held(
                session,
                func.upper(Case.reference) == wanted,
                f"there is no case with the reference {wanted}",
            )

    def conflicts(self, case_id: int, officer_id: int) -> list[str]:
        """Why the officer may not handle the case (empty when they may): shown before
        allocating; :meth:`allocate` refuses with the same rules."""
        with self._sessions() as session:
            case_row = session.get(Case, case_id)
            officer = session.get(Officer, officer_id)
            if case_row is None or officer is None:
                return []
            return allocation.conflicts(case_row, officer, allocation.policy_of(case_row))

    def history(self, case_id: int) -> list[AllocationEntry]:
        """Who the case was given to, when, by whom and why, oldest first."""
        with self._sessions() as session:
            return [
                AllocationEntry(
                    a.allocated_at,
                    a.stage,
                    a.officer.name,
                    a.previous_officer.name if a.previous_officer else "",
                    a.allocated_by.name if a.allocated_by else "",
                    a.reason,
                )
                for a in allocation.allocation_history(session, case_id)
            ]

    # -- allocating ----------------------------------------------------------------------------

    def allocate(
        self, case_id: int, officer_id: int, *, expected_officer_id: int | None, reason: str = ""
    ) -> str:
        """Give the case to the officer, if it is still with ``expected_officer_id`` (the officer
        the manager saw; None: unallocated); what was done, in words.

        Refused, naming the rule, by the permission and conflict rules; if another manager
        allocated it meanwhile, :class:`~caseworker.services.team.concurrency.AllocationConflict` says
        who has it.
        """
        with self.uow() as uow:
            claim_allocation(
                uow, case_id, officer_id, expected_officer_id=expected_officer_id, reason=reason
            )
            case_row = uow.session.get(Case, case_id)
            officer = uow.session.get(Officer, officer_id)
            assert case_row is not None and officer is not None
            moved = "Reallocated" if expected_officer_id is not None else "Allocated"
            return f"{moved} {case_row.reference} to {officer.name}"


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
