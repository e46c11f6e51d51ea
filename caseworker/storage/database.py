"""Opening a database: the engine, SQLite's safety settings, and migrating to the current schema.

The default database is SQLite in the user's data folder, created on first run. A team gives a
PostgreSQL URL instead (``--db`` or ``CASEWORKER_DB``). Every schema change is an Alembic migration
in :mod:`caseworker.storage.migrations`; opening a database brings it to the newest one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from caseworker.errors import UserError
from caseworker.storage.location import (  # noqa: F401  (where callers have found them)
    APP_NAME,
    ENV_DB,
    ENV_HOME,
    data_dir,
    database_url,
)
from caseworker.storage.revisions import (  # noqa: F401
    MIGRATIONS,
    head_revision,
    known_revision,
    migration_revisions,
)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a power cut never loses a save the app reported as done.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class _SQLiteCompiler(SQLiteCompiler):
    """SQLite's statement compiler, also writing a table's hint after its name, where SQLite
    takes ``NOT INDEXED`` and ``INDEXED BY`` (``select(…).with_hint(Case, "NOT INDEXED",
    "sqlite")``); SQLAlchemy's own drops such hints. Other databases ignore a hint made for
    SQLite."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def make_engine(url: str, **kwargs: Any) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise UserError(f"database URL '{url}' is not a URL: {error}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        engine.dialect.statement_compiler = _SQLiteCompiler
    return engine


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config parser treats '%' as interpolation; URLs carry it (e.g. host=%2Fvar%2Frun).
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class NewerDatabase(UserError):
    """The database was written by a newer Caseworker: refused rather than damaged."""

    def __init__(self, revision: str, known: str) -> None:
        self.revision = revision
        self.known = known
        super().__init__(
            f"this database was written by a newer version of Caseworker (revision {revision}); "
            f"this version knows up to revision {known}. Install the newer version of "
            "Caseworker (or open another database with --db); nothing was changed."
        )


def check_revision(revision: str | None) -> None:
    """Refuse a database at a revision this version does not know (one from a newer version)."""
    if revision is not None and not known_revision(revision):
        raise NewerDatabase(revision, head_revision())


_MIGRATION_LOCK = 7_007_007
"""PostgreSQL advisory lock key: two people opening a shared database with a new version at
the same moment migrate it one after the other, not both at once."""


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to the newest schema (creating it when empty).

    A database written by a newer Caseworker is refused with :class:`NewerDatabase` before
    anything is changed. Run it through :func:`caseworker.storage.upgrade.open_and_upgrade` to
    take a backup first when there is something to upgrade.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        if inspect(connection).has_table("alembic_version"):
            check_revision(MigrationContext.configure(connection).get_current_revision())
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_revision(engine: Engine) -> str | None:
    """The database's schema revision (``None`` for a new, empty database), read with one query
    on ``alembic_version``, as Alembic keeps it, without importing Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
    if len(found) > 1:  # branches: only ever a development mistake; Alembic says what is wrong
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    return found[0] if found else None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
