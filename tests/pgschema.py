"""Emptying the PostgreSQL test database between tests, and acting as a test's roles.

The server's autovacuum analyses a table the moment a test has filled it, and its analyse holds
the table while it asks for the table's indexes: ``DROP SCHEMA public CASCADE``, which takes the
indexes and tables one after the other, can meet it the other way round and one of the two is
cancelled as a deadlock. The server keeps no harm from that (the drop is rolled back whole), so
the drop is simply tried again; any other error is the test's to see.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

TRIES = 5


def empty_public_schema(engine: Engine, then: Callable[[Any], None] | None = None) -> None:
    """Drop and re-make the ``public`` schema in one transaction (and run ``then`` in it, for a
    test's roles), again after a pause if the server chose it as a deadlock's victim."""
    for attempt in range(1, TRIES + 1):
        try:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
                if then is not None:
                    then(connection)
            return
        except OperationalError as error:
            if not isinstance(error.orig, psycopg.errors.DeadlockDetected) or attempt == TRIES:
                raise
            time.sleep(0.2 * attempt)


def as_role(url: str, role: str) -> Engine:
    """An engine whose connections act as ``role``: the test server trusts only our own OS
    account, so each connection switches its session's role (``session_user`` is then
    ``role``, as if it had logged in) instead of logging in with a password."""
    from caseworker.storage.database import make_engine

    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def switch(dbapi_connection: Any, record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET SESSION AUTHORIZATION "{role}"')
        dbapi_connection.commit()

    return engine


def drop_roles(connection: Any, roles: tuple[str, ...]) -> None:
    """Drop each of ``roles`` that exists, with what it owns (in this database)."""
    for role in roles:
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).first()
        if exists:
            connection.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
            connection.execute(text(f'DROP ROLE "{role}"'))
