"""Setting a shared PostgreSQL database up for a team, with no SQL typed by hand (issue 17).

The database owner (the administrator, who runs the migrations) runs :func:`setup_team` once and
again after each upgrade (``caseworker team setup``): it brings the schema up to date (with the
row-level security of migration 0010), creates the group role every officer's login belongs to,
and grants the group what officers need and nothing more:

* ``CONNECT`` on the database and ``USAGE`` on the schema, never ``CREATE``;
* ``SELECT, INSERT, UPDATE, DELETE`` on the case tables, which row-level security narrows to the
  rows the officer's role reaches;
* on the audit trail ``SELECT`` only: the database writes it (the triggers of
  :mod:`caseworker.storage.pgaudit`, recreated here), nobody inserts, changes or deletes rows;
* ``SELECT`` on ``alembic_version`` (which version wrote the database), nothing more.

:func:`grant_login` gives one officer's database login the group (creating the login where the
person running it may create roles); otherwise it returns the exact statement for the DBA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, text

from caseworker.errors import UserError
from caseworker.storage import pgaudit
from caseworker.storage.models import FULLTEXT_TABLES

GROUP = "caseworker_officers"
"""The group role of every officer's database login."""

_READ_ONLY = ("alembic_version", "audit_events")
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")


def quoted(name: str) -> str:
    """``name`` as a PostgreSQL identifier; refuses names a login could not reasonably have."""
    if not _NAME.match(name):
        raise UserError(
            f"'{name}' is not a database login Caseworker will create: use letters, digits "
            "and . _ @ - (at most 63)"
        )
    return '"' + name + '"'


@dataclass
class TeamSetup:
    group: str
    created_group: bool = False
    statements: list[str] = field(default_factory=list)
    """What was run, in order."""


def _is_postgres(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise UserError(
            "a team shares a PostgreSQL database; SQLite is one officer's and needs no set-up "
            "(see docs/team-database.md)"
        )


def _role_exists(connection: Connection, name: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name})
    return found.first() is not None


def _may_create_roles(connection: Connection) -> bool:
    return bool(
        connection.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def _tables(connection: Connection) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ).scalars()
    )


def grant_statements(connection: Connection, group: str) -> list[str]:
    """The grants that give ``group`` what officers need on this database as it now is."""
    role = quoted(group)
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    statements = [
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"REVOKE CREATE ON SCHEMA public FROM {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
    ]
    for table in _tables(connection):
        statements.append(f'REVOKE ALL ON TABLE "{table}" FROM {role}')
        if table.startswith(FULLTEXT_TABLES):
            # The search's index (the words of cases, issues, notes and interviews): every
            # case's, so never the login's to read; found through caseworker_search_ids, kept
            # by the tables' triggers as the owner.
            continue
        if table in _READ_ONLY:
            statements.append(f'GRANT SELECT ON TABLE "{table}" TO {role}')
        else:
            statements.append(f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "{table}" TO {role}')
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return statements


def setup_team(engine: Engine, group: str = GROUP) -> TeamSetup:
    """Create or refresh the team's roles, grants and audit triggers on the (already upgraded)
    database."""
    _is_postgres(engine)
    role = quoted(group)
    done = TeamSetup(group)
    with engine.begin() as connection:
        if not _role_exists(connection, group):
            if not _may_create_roles(connection):
                raise UserError(
                    f"the group role {group} does not exist and this login may not create roles; "
                    f"ask the DBA to run:  CREATE ROLE {role} NOLOGIN;  then run this again"
                )
            statement = f"CREATE ROLE {role} NOLOGIN"
            connection.execute(text(statement))
            done.statements.append(statement)
            done.created_group = True
        for statement in grant_statements(connection, group):
            connection.execute(text(statement))
            done.statements.append(statement)
        # The trail the database writes: its functions and a trigger on every table.
        done.statements += pgaudit.install(connection)
    return done


def login_statement(login: str, group: str = GROUP, *, exists: bool = False) -> str:
    """What gives ``login`` a place in the team: a new login in the group, or the group."""
    if exists:
        return f"GRANT {quoted(group)} TO {quoted(login)};"
    return f"CREATE ROLE {quoted(login)} LOGIN IN ROLE {quoted(group)};"


@dataclass(frozen=True)
class LoginGrant:
    login: str
    done: bool
    """True when the login now belongs to the group; False when :attr:`statement` is for the DBA."""
    statement: str

    def __str__(self) -> str:
        """What was done, or what to ask the DBA, in one line (the command and the app)."""
        if self.done:
            return f"database login: ran {self.statement}"
        return f"database login: ask the DBA to run:  {self.statement}"


def grant_login(engine: Engine, login: str, group: str = GROUP) -> LoginGrant:
    """Create ``login`` in the group (or give an existing login the group) where the person
    running it may; otherwise the statement for the DBA, nothing done."""
    _is_postgres(engine)
    with engine.begin() as connection:
        exists = _role_exists(connection, login)
        statement = login_statement(login, group, exists=exists)
        if not _role_exists(connection, group) or not _may_create_roles(connection):
            return LoginGrant(login, False, statement)
        connection.execute(text(statement.rstrip(";")))
    return LoginGrant(login, True, statement)
