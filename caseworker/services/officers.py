"""Officer records: who works in Caseworker, in which role and service, under which login."""

from __future__ import annotations

from sqlalchemy import func, select

from caseworker.domain.enums import Role
from caseworker.errors import UserError
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Officer


def list_officers(uow: UnitOfWork) -> list[Officer]:
    return list(uow.session.scalars(select(Officer).order_by(Officer.service_area, Officer.name)))


def add_officer(
    uow: UnitOfWork, *, name: str, email: str, role: Role | str, service_area: str,
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
    officer = Officer(name=name, email=email, role=role, service_area=service_area,
                      login=login or None, active=True)
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
