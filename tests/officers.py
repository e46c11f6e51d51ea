"""Officer records for tests that act under several logins (the services check who is acting)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from caseworker.domain.enums import Role
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Officer


def complaints_managers(app: Any, *logins: str) -> None:
    """Link each login to a complaints manager (who may change any open case), once."""
    with UnitOfWork(app.sessions, "setup") as uow:
        for login in logins:
            if uow.session.scalar(select(Officer).where(Officer.login == login)) is None:
                uow.session.add(Officer(name=f"{login.capitalize()} Manager",
                                        email=f"{login}@council.example",
                                        role=Role.COMPLAINTS_MANAGER,
                                        service_area="Corporate complaints", login=login,
                                        active=True))
        uow.commit()
