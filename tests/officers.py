"""Officer records for tests that act under several logins (the services check who is acting)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from caseworker.domain.enums import Role
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Officer

TEAM = {
    "ann": ("Ann Smith", Role.INVESTIGATING_OFFICER, "Waste"),
    "bob": ("Bob Jones", Role.INVESTIGATING_OFFICER, "Waste"),
    "hal": ("Hal Green", Role.INVESTIGATING_OFFICER, "Housing"),
    "lee": ("Lee Line", Role.LINE_MANAGER, "Waste"),
    "lyn": ("Lyn Hart", Role.LINE_MANAGER, "Housing"),
    "cam": ("Cam Chief", Role.COMPLAINTS_MANAGER, "Customer Feedback"),
    "ivy": ("Ivy Gone", Role.INVESTIGATING_OFFICER, "Waste"),
}
"""A council's complaints team by login: name, role and service area (Ivy has left)."""


def add_team(app: Any) -> dict[str, int]:
    """Record :data:`TEAM` (Ivy inactive); every officer's id by login."""
    with UnitOfWork(app.sessions, "setup") as uow:
        for login, (name, role, area) in TEAM.items():
            uow.session.add(
                Officer(
                    name=name,
                    email=f"{login}@council.example",
                    role=role,
                    service_area=area,
                    login=login,
                    active=login != "ivy",
                )
            )
        uow.commit()
        return {o.login: o.id for o in uow.session.scalars(select(Officer)) if o.login}


def complaints_managers(app: Any, *logins: str) -> None:
    """Link each login to a complaints manager (who may change any open case), once."""
    with UnitOfWork(app.sessions, "setup") as uow:
        for login in logins:
            if uow.session.scalar(select(Officer).where(Officer.login == login)) is None:
                uow.session.add(
                    Officer(
                        name=f"{login.capitalize()} Manager",
                        email=f"{login}@council.example",
                        role=Role.COMPLAINTS_MANAGER,
                        service_area="Corporate complaints",
                        login=login,
                        active=True,
                    )
                )
        uow.commit()
