"""Builds the running application's pieces once the database is known.

Nothing here runs at import time: the command line and the desktop app each call
:func:`open_app` with the URL they were given, and tests call it with a temporary one.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from caseworker.services.uow import UnitOfWork
from caseworker.storage.database import database_url, make_engine, migrate, session_factory


@dataclass
class App:
    """The engine, the session factory and who is at the keyboard."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    actor: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.actor)

    def close(self) -> None:
        self.engine.dispose()


def current_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (some service accounts)
        return "unknown"


def open_app(url: str | None = None, *, actor: str | None = None, upgrade: bool = True) -> App:
    """Open (creating or upgrading as needed) the database at ``url`` or the default one."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    if upgrade:
        migrate(engine)
    return App(resolved, engine, session_factory(engine), actor or current_login())
