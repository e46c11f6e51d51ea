"""Officer records: who works in Caseworker, in which role and service, under which login."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from caseworker.domain.enums import Role
from caseworker.errors import UserError
from caseworker.services.permissions import why_nothing_visible
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Officer


def list_officers(uow: UnitOfWork) -> list[Officer]:
    return list(uow.session.scalars(select(Officer).order_by(Officer.service_area, Officer.name)))


def add_officer(
    uow: UnitOfWork,
    *,
    name: str,
    email: str,
    role: Role | str,
    service_area: str,
    login: str | None = None,
) -> Officer:
    """Record an officer. ``login`` is their OS account, or their database login on PostgreSQL."""
    name, email, service_area = name.strip(), email.strip(), service_area.strip()
    if not name:
        raise UserError("an officer needs a name")
    if "@" not in email:
        raise UserError(f"'{email}' is not an email address")
    if not service_area:
        raise UserError("an officer needs a service area")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(
            f"'{role}' is not a role; choose one of " + ", ".join(r.value for r in Role)
        ) from None
    session = uow.session
    if session.scalar(select(Officer).where(func.lower(Officer.email) == email.lower())):
        raise UserError(f"an officer with the email {email} is already recorded")
    if login and session.scalar(select(Officer).where(Officer.login == login)):
        raise UserError(f"the login '{login}' already belongs to another officer")
    officer = Officer(
        name=name,
        email=email,
        role=role,
        service_area=service_area,
        login=login or None,
        active=True,
    )
    session.add(officer)
    session.flush()
    return officer


def set_login(uow: UnitOfWork, email: str, login: str | None) -> Officer:
    """Map an officer to the login they work under (or clear it)."""
    session = uow.session
    officer = session.scalar(select(Officer).where(func.lower(Officer.email) == email.lower()))
    if officer is None:
        raise UserError(f"no officer has the email {email}")
    if login and session.scalar(
        select(Officer).where(Officer.login == login, Officer.id != officer.id)
    ):
        raise UserError(f"the login '{login}' already belongs to another officer")
    officer.login = login or None
    session.flush()
    return officer


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
    officer = session.scalar(select(Officer).where(Officer.login == login))
    first_run = False
    if officer is None and not session.scalar(select(func.count(Officer.id))):
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


def link_to_complaints_manager(uow: UnitOfWork, login: str) -> Officer | None:
    """Make ``login`` a complaints manager, for a demonstration database; the officer linked, or
    None when the login already belongs to an officer (nothing changes then).

    The first complaints manager with no login is linked; if every one has a login, one is
    recorded for it. Commits.
    """
    session = uow.session
    if session.scalar(select(Officer).where(Officer.login == login)) is not None:
        return None
    officer = session.scalar(
        select(Officer)
        .where(
            Officer.role == Role.COMPLAINTS_MANAGER,
            Officer.login.is_(None),
            Officer.active.is_(True),
        )
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
    return officer
