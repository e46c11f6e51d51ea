"""Who is acting, and what their role lets them do to a case.

The person at the keyboard is the :class:`Officer` whose ``login`` is the operating-system account
(on a shared PostgreSQL database, the database's own login: :func:`database_login`). No passwords
are kept.

Roles (issue 5, "Permissions"):

* an **investigating officer** works on their own cases (the ones allocated to them) and may read
  the ones they handled at stage 1;
* a **line manager** works within their service area: allocates its stage 1 cases to its
  officers, makes the manager's decisions on its cases (suspend, discontinue, re-open, contact
  restrictions) and reads its whole file;
* a **complaints manager** handles stage 2 and sees everything: allocates any case, decides
  escalation requests, records Ombudsman involvement.

Closed cases are read-only except through re-opening. Four things are still done to a closed
case because they happen after closure: logging and deciding a request for the next stage (a
complainant asks after the stage 1 response closed the case), recording the Ombudsman's
involvement, completing the remedies and lessons-learnt actions promised in the letter (the
Complaint Handling Code: track outstanding actions), and contact restrictions on a complainant
who persists once the process is exhausted (Warwickshire appendix 5).

Every service calls :func:`check` before it changes anything, and before it shows one case; a
refusal is a :class:`~caseworker.domain.refusals.Refused` subclass whose message names the rule.
What reads many cases at once (the list, search, Today, previous complaints) asks the database
only for the cases :func:`check` would let the officer see, through :func:`visible_to`: the view
rule as one SQL condition, kept in step with :func:`check` by a test that runs both.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, false, func, or_, select, text
from sqlalchemy.orm import Session, object_session

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Role
from caseworker.domain.refusals import CaseClosed, NotAnOfficer, NotPermitted, Refused
from caseworker.policy.loader import get_policy
from caseworker.policy.schema import Policy
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Counter, Officer


class Action(StrEnum):
    """What someone wants to do to a case."""

    VIEW = "view"
    """Read the case."""
    WORK = "work"
    """Day-to-day handling: acknowledge, extend, contact attempts, response, withdrawal, close."""
    ALLOCATE = "allocate"
    """Give the case to an officer, or move it to another."""
    MANAGE = "manage"
    """A manager's decision: suspend, resume, discontinue, restrict contact."""
    REOPEN = "reopen"
    LOG_ESCALATION = "log-escalation"
    """Record a complainant's request for the next stage."""
    DECIDE_ESCALATION = "decide-escalation"
    """Accept or refuse that request."""
    OMBUDSMAN = "ombudsman"
    """Record the Ombudsman's enquiry, decision and remedy."""
    REVIEW_FILE = "review-file"
    """Export the whole file (the stage 2 file pack)."""
    TRACK_ACTIONS = "track-actions"
    """Complete the remedies and lessons-learnt actions promised in a letter."""
    RESTRICT_CONTACT = "restrict-contact"
    """Decide, notify and review restrictions on an unreasonably behaving complainant."""
    REVIEW_POINTS = "review-points"
    """Record the stage 2 review's own finding on each point of the complaint."""


_AFTER_CLOSURE = frozenset(
    {
        Action.VIEW,
        Action.REVIEW_FILE,
        Action.REOPEN,
        Action.LOG_ESCALATION,
        Action.DECIDE_ESCALATION,
        Action.OMBUDSMAN,
        Action.TRACK_ACTIONS,
        Action.RESTRICT_CONTACT,
    }
)
"""What may still be done to a closed case (see the module notes)."""

_ROLE_NAMES = {
    Role.INVESTIGATING_OFFICER: "an investigating officer",
    Role.LINE_MANAGER: "a line manager",
    Role.COMPLAINTS_MANAGER: "a complaints manager",
}

_DOING = {
    Action.VIEW: "see",
    Action.WORK: "work on",
    Action.ALLOCATE: "allocate",
    Action.MANAGE: "make a manager's decision on",
    Action.REOPEN: "re-open",
    Action.LOG_ESCALATION: "log an escalation request on",
    Action.DECIDE_ESCALATION: "decide the escalation request on",
    Action.OMBUDSMAN: "record Ombudsman involvement on",
    Action.REVIEW_FILE: "export the file of",
    Action.TRACK_ACTIONS: "complete actions on",
    Action.RESTRICT_CONTACT: "restrict the complainant's contact on",
    Action.REVIEW_POINTS: "record stage 2 findings on",
}


def database_login(session: Session) -> str | None:
    """The database's own login on PostgreSQL (who the shared database knows is connected);
    ``None`` on SQLite, where the operating-system account is the login."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT session_user")).scalar_one()  # as migration 0010
    return None


def current_officer(session: Session, login: str) -> Officer:
    """The active officer whose ``login`` is ``login``; :class:`NotAnOfficer` if there is none."""
    officer = session.execute(select(Officer).where(Officer.login == login)).scalar_one_or_none()
    if officer is None:
        raise NotAnOfficer(
            f"the login '{login}' is not linked to any officer record (an officer's login must "
            "be set before they can change cases; a complaints manager links it with "
            f"'caseworker officers --set-login <their email> --login {login}')"
        )
    if not officer.active:
        raise NotAnOfficer(inactive(officer))
    return officer


def acting_officer(uow: UnitOfWork) -> Officer:
    """The officer the unit of work acts for: its actor is the login the audit trail records."""
    return current_officer(uow.session, uow.actor)


def _is_manager_of(officer: Officer, case: Case) -> bool:
    return officer.role == Role.LINE_MANAGER and rules.same_area(
        officer.service_area, case.service_area
    )


def who(officer: Officer) -> str:
    """``Ann Smith (an investigating officer)``: how a refusal names the officer it refuses."""
    return f"{officer.name} ({_ROLE_NAMES.get(officer.role, officer.role)})"


def inactive(officer: Officer) -> str:
    """The refusal's words for an officer whose record is inactive (they have left)."""
    return f"{officer.name}'s officer record is inactive ({rules.INACTIVE})"


def _refuse(officer: Officer, action: Action, case: Case, rule: str) -> NotPermitted:
    return NotPermitted(f"{who(officer)} may not {_DOING[action]} {case.reference} ({rule})")


def permitted(officer: Officer, action: Action, case: Case) -> bool:
    try:
        check(officer, action, case)
    except Refused:
        return False
    return True


OFFLINE_COPY_MARK = "offline-copy:"
"""A database that is an officer's offline copy says so with a counter named this and its copy
id (see :mod:`caseworker.services.team.offline`)."""

TEAM_ONLY = frozenset(
    {
        Action.ALLOCATE,
        Action.MANAGE,
        Action.REOPEN,
        Action.DECIDE_ESCALATION,
        Action.OMBUDSMAN,
        Action.RESTRICT_CONTACT,
    }
)
"""What is never done on an offline copy: a manager's decisions and allocation are the team's,
made where colleagues see them at once (the copy's officer drafts; the team decides)."""


def is_offline_copy(session: Session | None) -> bool:
    """Whether ``session``'s database is an officer's offline copy (cached per engine)."""
    if session is None:
        return False
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    known = _COPIES.get(engine)
    if known is not None:
        return known
    if engine.dialect.name != "sqlite":
        found = False
    else:
        found = (
            session.execute(
                select(Counter.name).where(Counter.name.startswith(OFFLINE_COPY_MARK)).limit(1)
            ).first()
            is not None
        )
    _COPIES[engine] = found
    return found


_COPIES: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


def offline_refusal(session: Session | None, doing: str) -> Refused | None:
    """Why ``doing`` cannot be done here: the database is an offline copy; else ``None``."""
    if not is_offline_copy(session):
        return None
    return NotPermitted(
        f"you are working on an offline copy: bring your work back to {doing} "
        f"({rules.OFFLINE_TEAM_ONLY})"
    )


def check(officer: Officer, action: Action, case: Case) -> None:
    """Refuse, with the rule that refuses it, unless ``officer`` may do ``action`` to ``case``
    (on an offline copy, never one of :data:`TEAM_ONLY`)."""
    if not officer.active:
        raise NotPermitted(inactive(officer))
    if action in TEAM_ONLY:
        refusal = offline_refusal(object_session(case), f"{_DOING[action]} {case.reference}")
        if refusal is not None:
            raise refusal
    if case.status == CaseStatus.CLOSED and action not in _AFTER_CLOSURE:
        raise CaseClosed(f"{case.reference} is closed ({rules.CLOSED_READ_ONLY}): re-open it first")
    if officer.role == Role.COMPLAINTS_MANAGER:
        return

    own = case.officer_id is not None and case.officer_id == officer.id
    handled_before = case.stage1_officer_id is not None and case.stage1_officer_id == officer.id
    # The officer who took the complaint sees it until it is allocated (migration 0024).
    recorded = case.officer_id is None and case.recorded_by_id == officer.id
    manages = _is_manager_of(officer, case)

    if action == Action.DECIDE_ESCALATION:
        raise _refuse(officer, action, case, rules.ESCALATION_DECIDED_BY)
    if action == Action.OMBUDSMAN:
        raise _refuse(officer, action, case, rules.COMPLAINTS_MANAGER_STAGE_2)
    if action == Action.REVIEW_POINTS:
        # The stage 2 review is the complaints manager's, or the handler the case was given for
        # this stage, never whoever considered it at stage 1.
        if own and not handled_before and case.stage > 1:
            return
        raise _refuse(officer, action, case, rules.COMPLAINTS_MANAGER_STAGE_2)

    if officer.role == Role.LINE_MANAGER:
        if action in (Action.VIEW, Action.REVIEW_FILE, Action.LOG_ESCALATION, Action.TRACK_ACTIONS):
            if manages or own or handled_before or (recorded and action == Action.VIEW):
                return
            raise _refuse(officer, action, case, rules.LINE_MANAGER_AREA)
        if action in (Action.MANAGE, Action.REOPEN, Action.RESTRICT_CONTACT):
            if manages:
                return
            raise _refuse(officer, action, case, rules.LINE_MANAGER_AREA)
        if action in (Action.WORK, Action.ALLOCATE):
            if own and action == Action.WORK:
                return
            if case.stage > 1:
                raise _refuse(officer, action, case, rules.COMPLAINTS_MANAGER_STAGE_2)
            if manages:
                return
            raise _refuse(officer, action, case, rules.LINE_MANAGER_AREA)
        raise _refuse(officer, action, case, rules.LINE_MANAGER_AREA)

    # An investigating officer.
    if action == Action.VIEW and (own or handled_before or recorded):
        return
    if action in (Action.WORK, Action.LOG_ESCALATION, Action.TRACK_ACTIONS) and own:
        return
    if action in (
        Action.ALLOCATE,
        Action.MANAGE,
        Action.REOPEN,
        Action.REVIEW_FILE,
        Action.RESTRICT_CONTACT,
    ):
        raise _refuse(officer, action, case, rules.MANAGER_DECIDES)
    raise _refuse(officer, action, case, rules.OWN_CASES)


def policy_of(case: Case) -> Policy:
    return get_policy(case.policy_id)


def load_case(uow: UnitOfWork, case_id: int) -> Case:
    """The case, or a :class:`Refused` if there is none. Two people changing one case at once
    are kept apart by the case's version column: the second save fails instead of overwriting."""
    case = uow.session.get(Case, case_id)
    if case is None:
        raise Refused(f"there is no case with id {case_id}")
    return case


def authorise(uow: UnitOfWork, case_id: int, action: Action) -> tuple[Officer, Case]:
    """The acting officer and the case, once :func:`check` allows ``action``."""
    officer = acting_officer(uow)
    case = load_case(uow, case_id)
    check(officer, action, case)
    return officer, case


# -- reports and retention: about the council's figures, not one case -------------------------


def figures_refusal(officer: Officer, doing: str = "count the complaint figures") -> Refused | None:
    """Why ``officer`` may not see the complaint figures (a report, its export) or the retention
    list, in the rule's words; ``None`` when they may: complaints managers and line managers."""
    if not officer.active:
        return NotPermitted(inactive(officer))
    offline = offline_refusal(object_session(officer), doing)
    if offline is not None:
        return offline
    if officer.role in (Role.COMPLAINTS_MANAGER, Role.LINE_MANAGER):
        return None
    return NotPermitted(f"{who(officer)} may not {doing} ({rules.FIGURES_FOR_MANAGERS})")


def purge_refusal(officer: Officer) -> Refused | None:
    """Why ``officer`` may not purge cases under the retention policy; ``None`` for an active
    complaints manager."""
    if not officer.active:
        return NotPermitted(inactive(officer))
    if officer.role == Role.COMPLAINTS_MANAGER:
        return None
    return NotPermitted(
        f"{officer.name} may not purge cases under the retention policy "
        f"({rules.PURGE_BY_COMPLAINTS_MANAGER})"
    )


# -- Not about one case: recording a new case, the team, the database (issue 15) -----------------


def why_not_record(
    officer: Officer,
    *,
    service_area: str,
    stage: int = 1,
    allocated: bool = False,
    worked: bool = False,
) -> str | None:
    """Why ``officer`` may not record a case about ``service_area`` at ``stage``, already given
    to an officer (``allocated``) or already worked on (``worked``: acknowledged, answered,
    closed, findings...), or None when they may.

    The new-case form records what every officer may: a new stage 1 complaint, about any
    service, given to nobody yet. An imported case may arrive further on, which is a manager's
    to record: a line manager's for their service area at stage 1, a complaints manager's at any
    stage.
    """
    if not officer.active:
        return inactive(officer)
    if officer.role == Role.COMPLAINTS_MANAGER:
        return None
    if stage > 1:
        return (
            f"{who(officer)} may not record a stage {stage} case "
            f"({rules.COMPLAINTS_MANAGER_STAGE_2})"
        )
    if not allocated and not worked:
        return None
    if officer.role == Role.LINE_MANAGER and rules.same_area(officer.service_area, service_area):
        return None
    already = "given to an officer" if allocated else "worked on"
    return (
        f"{who(officer)} may not record a case about {service_area} already {already} "
        f"({rules.RECORDED_BY})"
    )


def check_record(
    officer: Officer,
    *,
    service_area: str,
    stage: int = 1,
    allocated: bool = False,
    worked: bool = False,
) -> None:
    """Refuse, naming the rule, unless ``officer`` may record the case (:func:`why_not_record`)."""
    refusal = why_not_record(
        officer, service_area=service_area, stage=stage, allocated=allocated, worked=worked
    )
    if refusal is not None:
        raise NotPermitted(refusal)


def require_complaints_manager(officer: Officer, doing: str, rule: str) -> None:
    """Refuse, naming ``rule``, unless ``officer`` is an active complaints manager."""
    if not officer.active:
        raise NotPermitted(inactive(officer))
    if officer.role != Role.COMPLAINTS_MANAGER:
        raise NotPermitted(f"{who(officer)} may not {doing} ({rule})")


# -- what an officer may see, as SQL ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewer:
    """What :func:`visible_to` needs of an officer record: read from the officers table's
    columns, not as a mapped :class:`Officer`, so that the list's first screen (sign-in, the
    list, its filter choices) runs without the ORM configuring its mappers, which a case's
    window does later."""

    id: int
    name: str
    role: Role
    service_area: str
    active: bool


_officers = Officer.__table__.c
_VIEWER = select(
    _officers.id, _officers.name, _officers.role, _officers.service_area, _officers.active
)


def viewer(uow: UnitOfWork) -> Viewer | None:
    """The officer record of the unit of work's login, active or not; None when the login is
    linked to no officer (who sees no case: :func:`visible_to`)."""
    row = uow.session.execute(_VIEWER.where(_officers.login == uow.actor)).one_or_none()
    return None if row is None else Viewer(*row)


def visible_to(
    session: Session | Connection, officer: Officer | Viewer | None
) -> ColumnElement[bool] | None:
    """The condition on :class:`Case` that holds for exactly the cases ``check(officer,
    Action.VIEW, case)`` allows: nothing for a login linked to no officer or an inactive one;
    ``None`` (no condition at all, so the list's plans are unchanged) for a complaints manager;
    otherwise the officer's own cases, those they handled at stage 1, those they recorded that
    are not allocated yet and, for a line manager, their service area's, each through its own
    index (``officer_id``, ``stage1_officer_id``, the partial ``recorded_by_id``,
    ``service_area``).

    The service area is compared as :func:`caseworker.domain.rules.same_area` compares it
    (case and runs of spaces ignored): the spellings cases are recorded under that it accepts
    are found first (one index seek per distinct spelling, not a scan), and the condition names
    them exactly, so that the index is used."""
    if officer is None or not officer.active:
        return false()
    if officer.role == Role.COMPLAINTS_MANAGER:
        return None
    cases = Case.__table__.c
    sees = [
        cases.officer_id == officer.id,
        cases.stage1_officer_id == officer.id,
        and_(cases.recorded_by_id == officer.id, cases.officer_id.is_(None)),
    ]
    if officer.role == Role.LINE_MANAGER:
        spellings = [a for a in area_spellings(session) if rules.same_area(officer.service_area, a)]
        if spellings:
            sees.append(cases.service_area.in_(spellings))
    return or_(*sees)


def why_nothing_visible(login: str, officer: Officer | Viewer | None) -> str | None:
    """Why the person at ``login`` sees no case at all (:func:`visible_to` holds for none), and
    how that is put right, addressed to them; None when they see what their role allows."""
    if officer is None:
        return (
            f"Your login '{login}' is not linked to an officer record, so no case is shown to you "
            "and you cannot change any. A complaints manager links it to your officer record "
            f"with: caseworker officers --set-login <your email> --login {login}"
        )
    if not officer.active:
        return (
            f"{officer.name}'s officer record (login '{login}') is inactive, so no case is "
            "shown to you and you cannot change any. A complaints manager can make it active "
            "again."
        )
    return None


def visible(uow: UnitOfWork) -> ColumnElement[bool] | None:
    """:func:`visible_to` for the officer the unit of work acts for."""
    return visible_to(uow.session, viewer(uow))


_SPELLINGS = text(
    "WITH RECURSIVE areas(area) AS ("
    " SELECT min(service_area) FROM cases"
    " UNION ALL"
    " SELECT (SELECT min(c.service_area) FROM cases c WHERE c.service_area > areas.area)"
    " FROM areas WHERE areas.area IS NOT NULL"
    ") SELECT area FROM areas WHERE area IS NOT NULL"
)


_SPELLINGS_KEPT: weakref.WeakKeyDictionary[Any, tuple[Any, list[str]]] = weakref.WeakKeyDictionary()
"""Each database's spellings, with the newest ``cases.updated_at`` when they were read."""

_NEWEST_CHANGE = select(func.max(Case.__table__.c.updated_at), func.max(Case.__table__.c.id))


def area_spellings(session: Session | Connection) -> list[str]:
    """Every service area cases are recorded under, each spelling once, in the index's order: a
    skip through the service area index (one seek per spelling, where ``DISTINCT`` would read
    every case), kept until a case is recorded or changed (the newest ``updated_at`` and ``id``,
    a seek of each one's index), so that a line manager's list does not read them again for
    every page (``session``: a session or a connection)."""
    bind = session.engine if isinstance(session, Connection) else session.get_bind()
    marker = tuple(session.execute(_NEWEST_CHANGE).one())
    kept = _SPELLINGS_KEPT.get(bind)
    if kept is not None and kept[0] == marker and marker[0] is not None:
        return kept[1]
    spellings = list(session.execute(_SPELLINGS).scalars())
    _SPELLINGS_KEPT[bind] = (marker, spellings)
    return spellings
