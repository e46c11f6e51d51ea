"""Builds the running application's pieces once the database is known.

Nothing here runs at import time: the command line and the desktop app each call
:func:`open_app` with the URL they were given, and tests call it with a temporary one.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from caseworker.services.context import Context
from caseworker.services.uow import UnitOfWork
from caseworker.storage.database import (
    check_revision,
    database_url,
    make_engine,
    schema_revision,
    session_factory,
)


@dataclass
class App:
    """The engine, the session factory and who is at the keyboard."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    actor: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.actor)

    def context(
        self, *, actor: str | None = None, today: Callable[[], dt.date] = dt.date.today
    ) -> Context:
        """What every service is given: this database, the login at the keyboard (or ``actor``)
        and the real date (or ``today``)."""
        return Context(self.sessions, actor=actor or self.actor, today=today)

    def close(self) -> None:
        self.engine.dispose()


def current_login() -> str:
    """The operating-system account running Caseworker: on SQLite, who is acting.

    Read from the system (the password database on Linux and macOS, the Windows API), never
    from ``LOGNAME``/``USER``/``USERNAME``, which anyone can set for one command to act as a
    colleague (``getpass.getuser`` reads those first)."""
    try:
        import pwd
    except ImportError:  # Windows: os.getlogin asks GetUserNameW, not the environment
        try:
            return os.getlogin()
        except OSError:
            return "unknown"
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # an account the password database does not know (some containers)
        return "unknown"


def database_login(engine: Engine) -> str | None:
    """On PostgreSQL, the login the server knows the connection by: on a shared database it is
    the officer's identity (each officer connects as their own role, matched to
    ``Officer.login``); ``None`` on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        # session_user, not current_user: a SET ROLE changes neither who logged in nor, in the
        # database's row-level security and audit policies (migration 0010), who is acting.
        return str(connection.execute(text("SELECT session_user")).scalar_one())


def open_app(url: str | None = None, *, actor: str | None = None, upgrade: bool = True) -> App:
    """Open (creating or upgrading as needed) the database at ``url`` or the default one.

    An older database is backed up into the data folder's ``backups/`` and then upgraded; one
    written by a newer Caseworker is refused with
    :class:`~caseworker.storage.database.NewerDatabase` (see :mod:`caseworker.storage.upgrade`).
    The actor is, unless given, the database login on PostgreSQL and the operating-system
    account on SQLite.
    """
    from caseworker.storage.upgrade import upgrade_database

    resolved = database_url(url)
    engine = make_engine(resolved)
    try:
        if upgrade:
            upgrade_database(engine)
        else:
            check_revision(schema_revision(engine))
        who = actor or database_login(engine) or current_login()
    except BaseException:
        engine.dispose()
        raise
    return App(resolved, engine, session_factory(engine), who)
