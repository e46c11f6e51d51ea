"""Officer records: who works in Caseworker, in which role and service, under which login.

Only a complaints manager adds officers, changes their roles, links their logins or deactivates
them, and nobody changes their own role, login or status (:func:`why_not`, which the command and
the app ask before each change). Two things record a complaints manager without one: the first
person to open an empty database becomes its complaints manager (:func:`sign_in`), and the
demonstration links the login that made it (:func:`link_to_complaints_manager`), only on a
database whose officers have no logins yet (:func:`why_not_demo`).

The acting login is the context's: the operating-system account on SQLite, the database login on
PostgreSQL (:func:`caseworker.bootstrap.open_app`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.enums import Role
from caseworker.domain.refusals import NotPermitted
from caseworker.errors import UserError
from caseworker.services.context import Context
from caseworker.services.permissions import (
    Viewer,
    acting_officer,
    inactive,
    viewer,
    who,
    why_nothing_visible,
)
from caseworker.services.uow import UnitOfWork
from caseworker.storage import teamdb
from caseworker.storage.models import Officer
from caseworker.storage.teamdb import LoginGrant


@dataclass(frozen=True, slots=True)
class OfficerRecord:
    """An officer as the commands and the app show them."""

    id: int
    name: str
    email: str
    role: Role
    service_area: str
    login: str | None
    active: bool

    @classmethod
    def of(cls, row: Officer) -> OfficerRecord:
        return cls(
            row.id, row.name, row.email, row.role, row.service_area, row.login, bool(row.active)
        )


class TeamChange(StrEnum):
    """A change to the team's records, as a refusal names it."""

    ADD = "add an officer"
    DETAILS = "change an officer's name, email or service area"
    ROLE = "change an officer's role"
    LOGIN = "link an officer's login"
    ACTIVE = "deactivate or reactivate an officer"


_OWN = {
    TeamChange.ROLE: "change their own role",
    TeamChange.LOGIN: "change their own login",
    TeamChange.ACTIVE: "change their own record's status",
}


def why_not(acting: Officer, change: TeamChange, target: Officer | None = None) -> str | None:
    """Why ``acting`` may not make ``change`` (to ``target``'s record), or None when they may."""
    if not acting.active:
        return inactive(acting)
    if acting.role != Role.COMPLAINTS_MANAGER:
        return f"{who(acting)} may not {change.value} ({rules.TEAM_MANAGED_BY})"
    if target is not None and target.id == acting.id and change in _OWN:
        return f"{acting.name} may not {_OWN[change]} ({rules.NOT_ONESELF})"
    return None


def _refuse_if(refusal: str | None) -> None:
    if refusal is not None:
        raise NotPermitted(refusal)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(
            f"'{role}' is not a role; choose one of " + ", ".join(r.value for r in Role)
        ) from None


def _by_email(session: Session, email: str) -> Officer:
    officer = session.scalar(
        select(Officer).where(func.lower(Officer.email) == email.strip().lower())
    )
    if officer is None:
        raise UserError(f"no officer has the email {email}")
    return officer


def _login_free(session: Session, login: str, officer_id: int | None = None) -> None:
    taken = select(Officer).where(Officer.login == login)
    if officer_id is not None:
        taken = taken.where(Officer.id != officer_id)
    if session.scalar(taken) is not None:
        raise UserError(f"the login '{login}' already belongs to another officer")


def _changed(
    ctx: Context, email: str, change: TeamChange, apply: Callable[[Session, Officer], None]
) -> OfficerRecord:
    """Authorise ``change`` to the officer with ``email``, ``apply`` it, and commit."""
    with ctx.unit() as uow:
        acting = acting_officer(uow)
        _refuse_if(why_not(acting, change))
        target = _by_email(uow.session, email)
        _refuse_if(why_not(acting, change, target))
        apply(uow.session, target)
        uow.commit()
        return OfficerRecord.of(target)


def team_refusal(ctx: Context) -> str | None:
    """Why the person at the keyboard may not change the team's records (None: they may, as a
    complaints manager). The Officers window is read-only, and says why, by this."""
    with ctx.unit() as uow:
        try:
            acting = acting_officer(uow)
        except UserError as error:
            return str(error)
        return why_not(acting, TeamChange.ADD)


def list_officers(ctx: Context) -> list[OfficerRecord]:
    """Every officer by service area and name (names and roles only: anyone may list them)."""
    with ctx.unit() as uow:
        rows = uow.session.scalars(select(Officer).order_by(Officer.service_area, Officer.name))
        return [OfficerRecord.of(row) for row in rows]


def add_officer(
    ctx: Context,
    *,
    name: str,
    email: str,
    role: Role | str,
    service_area: str,
    login: str | None = None,
) -> OfficerRecord:
    """Record an officer (a complaints manager's to do). ``login`` is their operating-system
    account, or their database login on PostgreSQL."""
    with ctx.unit() as uow:
        _refuse_if(why_not(acting_officer(uow), TeamChange.ADD))
        name, email, service_area = name.strip(), email.strip(), service_area.strip()
        login = (login or "").strip() or None
        if not name:
            raise UserError("an officer needs a name")
        if "@" not in email:
            raise UserError(f"'{email}' is not an email address")
        if not service_area:
            raise UserError("an officer needs a service area")
        role = _role(role)
        session = uow.session
        if session.scalar(select(Officer).where(func.lower(Officer.email) == email.lower())):
            raise UserError(f"an officer with the email {email} is already recorded")
        if login:
            _login_free(session, login)
        officer = Officer(
            name=name,
            email=email,
            role=role,
            service_area=service_area,
            login=login,
            active=True,
        )
        session.add(officer)
        uow.commit()
        return OfficerRecord.of(officer)


def set_details(
    ctx: Context,
    email: str,
    *,
    name: str | None = None,
    new_email: str | None = None,
    service_area: str | None = None,
) -> OfficerRecord:
    """Correct the officer's name, email address or service area (a complaints manager's to
    do; their cases stay theirs)."""
    name = name.strip() if name is not None else None
    new_email = new_email.strip() if new_email is not None else None
    service_area = service_area.strip() if service_area is not None else None
    if name == "":
        raise UserError("an officer needs a name")
    if new_email is not None and "@" not in new_email:
        raise UserError(f"'{new_email}' is not an email address")
    if service_area == "":
        raise UserError("an officer needs a service area")

    def apply(session: Session, officer: Officer) -> None:
        if new_email is not None and new_email.lower() != officer.email.lower():
            taken = select(Officer).where(
                func.lower(Officer.email) == new_email.lower(), Officer.id != officer.id
            )
            if session.scalar(taken) is not None:
                raise UserError(f"an officer with the email {new_email} is already recorded")
            officer.email = new_email
        if name is not None:
            officer.name = name
        if service_area is not None:
            officer.service_area = service_area

    return _changed(ctx, email, TeamChange.DETAILS, apply)


def set_login(ctx: Context, email: str, login: str | None) -> OfficerRecord:
    """Link the officer with ``email`` to the login they work under (or clear it)."""
    login = (login or "").strip() or None

    def apply(session: Session, officer: Officer) -> None:
        if login:
            _login_free(session, login, officer.id)
        officer.login = login

    return _changed(ctx, email, TeamChange.LOGIN, apply)


def give_database_login(ctx: Context, login: str | None) -> LoginGrant | None:
    """On a team (PostgreSQL) database, give ``login``, just linked to an officer, its place in
    the team: the same step as ``caseworker team login`` (:func:`~caseworker.storage.teamdb.
    grant_login`), so that linking a login in the app or with ``caseworker officers`` lets the
    officer connect. Created or granted where the connection may create roles, else
    :attr:`LoginGrant.statement` is for the DBA and nothing is done. None on SQLite (logins are
    the computer's accounts) or for no login. Only someone who may change the team asks."""
    login = (login or "").strip()
    if not login:
        return None
    engine = ctx.sessions.kw.get("bind")
    if engine is None or engine.dialect.name != "postgresql":
        return None
    with ctx.unit() as uow:
        _refuse_if(why_not(acting_officer(uow), TeamChange.LOGIN))
    return teamdb.grant_login(engine, login, teamdb.GROUP)  # the group `team setup` made


def set_role(ctx: Context, email: str, role: Role | str) -> OfficerRecord:
    """Give the officer with ``email`` another role."""
    chosen = _role(role)

    def apply(session: Session, officer: Officer) -> None:
        officer.role = chosen

    return _changed(ctx, email, TeamChange.ROLE, apply)


def set_active(ctx: Context, email: str, active: bool) -> OfficerRecord:
    """Deactivate the officer with ``email`` (they may no longer act or be given cases), or make
    their record active again."""

    def apply(session: Session, officer: Officer) -> None:
        officer.active = active

    return _changed(ctx, email, TeamChange.ACTIVE, apply)


FIRST_TEAM = "Corporate Complaints"
"""The service area of the first complaints manager recorded on an empty database."""


@dataclass(frozen=True, slots=True)
class SignIn:
    """Who is at the keyboard, as the app opens."""

    login: str
    officer_id: int | None
    name: str
    role: Role | None
    service_area: str
    first_run: bool
    """True when this login was just recorded as the database's first complaints manager."""
    notice: str
    """What to tell the person as the app opens ('' when nothing needs saying)."""

    @property
    def may_change_cases(self) -> bool:
        return self.officer_id is not None

    @property
    def viewer(self) -> Viewer | None:
        """The active officer signed in as, as the case list's visibility needs them
        (:class:`CaseList <caseworker.services.lists.caselist.CaseList>` given it reads the
        officer record no second time); None for a login linked to no active officer."""
        if self.officer_id is None or self.role is None:
            return None
        return Viewer(self.officer_id, self.name, self.role, self.service_area, True)


def _full_name(login: str) -> str:
    """The account's full name where the operating system knows it, else the login."""
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, OSError):
        gecos = ""
    return gecos or login


def link_instructions(login: str) -> str:
    return (
        f"A complaints manager links it to your officer record with: caseworker officers "
        f"--set-login <your email> --login {login}"
    )


def sign_in(uow: UnitOfWork) -> SignIn:
    """The officer the unit of work's actor (the login) is, recording one if need be; commits.

    * A database with no officer records at all (a fresh install): the person opening it is
      recorded as its first complaints manager, so the app works with no set-up; the audit trail
      has the new officer record with the login that made it.
    * Officers exist but none has this login (or it is inactive): nothing is recorded; the person
      is shown no case and every change is refused, and the notice says which login and how to
      link it (:func:`caseworker.services.permissions.why_nothing_visible`).
    """
    session = uow.session
    login = uow.actor
    # The officers table's columns, not a mapped Officer: the app's start then reaches the
    # list's first paint without the ORM configuring its mappers (a first run records one).
    officer: Officer | Viewer | None = viewer(uow)
    first_run = False
    if officer is None and not session.scalar(select(func.count(Officer.__table__.c.id))):
        name = _full_name(login)
        officer = Officer(
            name=name,
            email=f"{login}@localhost",
            role=Role.COMPLAINTS_MANAGER,
            service_area=FIRST_TEAM,
            login=login,
            active=True,
        )
        session.add(officer)
        uow.commit()
        first_run = True
    if officer is None:
        return SignIn(
            login,
            None,
            "",
            None,
            "",
            False,
            why_nothing_visible(login, None) or "",
        )
    if not officer.active:
        return SignIn(
            login,
            None,
            officer.name,
            officer.role,
            officer.service_area,
            False,
            why_nothing_visible(login, officer) or "",
        )
    notice = ""
    if first_run:
        notice = (
            f"Welcome. This database had no officers, so your login '{login}' is recorded "
            f"as its first complaints manager, {officer.name}. Add your colleagues with "
            "'caseworker officers --add'."
        )
    return SignIn(
        login, officer.id, officer.name, officer.role, officer.service_area, first_run, notice
    )


def _why_not_link(session: Session, login: str) -> str | None:
    if session.scalar(select(Officer.id).where(Officer.login.is_not(None)).limit(1)) is not None:
        return (
            f"the login '{login}' is not linked to an officer record, and this database's "
            f"officers already work under their logins ({rules.DEMO_RULE})"
        )
    return None


def why_not_demo(ctx: Context) -> str | None:
    """Why the acting login may not add synthetic cases (``caseworker demo``), or None: a
    complaints manager may, and anyone may on a database whose officers have no logins yet
    (a new one, or one only the demonstration has filled), which is then linked to them."""
    with ctx.unit() as uow:
        session = uow.session
        officer = session.scalar(select(Officer).where(Officer.login == ctx.actor))
        if officer is None:
            return _why_not_link(session, ctx.actor)
        if not officer.active:
            return inactive(officer)
        if officer.role != Role.COMPLAINTS_MANAGER:
            return f"{who(officer)} may not add synthetic cases ({rules.DEMO_RULE})"
        return None


def link_to_complaints_manager(ctx: Context) -> OfficerRecord | None:
    """Make the acting login a complaints manager, for a demonstration database; the officer
    linked, or None when the login already belongs to an officer (nothing changes then).

    Refused (:data:`~caseworker.domain.rules.DEMO_RULE`) once any officer has a login: from then
    on a complaints manager links logins. The first complaints manager with no login is linked;
    if there is none, one is recorded for it. Commits.
    """
    login = ctx.actor
    with ctx.unit() as uow:
        session = uow.session
        if session.scalar(select(Officer).where(Officer.login == login)) is not None:
            return None
        _refuse_if(_why_not_link(session, login))
        officer = session.scalar(
            select(Officer)
            .where(Officer.role == Role.COMPLAINTS_MANAGER, Officer.active.is_(True))
            .order_by(Officer.id)
            .limit(1)
        )
        if officer is None:
            officer = Officer(
                name=_full_name(login),
                email=f"{login}@localhost",
                role=Role.COMPLAINTS_MANAGER,
                service_area=FIRST_TEAM,
                login=login,
                active=True,
            )
            session.add(officer)
        else:
            officer.login = login
        uow.commit()
        return OfficerRecord.of(officer)
