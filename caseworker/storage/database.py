"""Opening a database: the engine, SQLite's safety settings, and migrating to the current schema.

The default database is SQLite in the user's data folder, created on first run. A team gives a
PostgreSQL URL instead (``--db`` or ``CASEWORKER_DB``). Every schema change is an Alembic migration
in :mod:`caseworker.storage.migrations`; opening a database brings it to the newest one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
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
    # What is deleted is overwritten, not left in free pages (a purged complainant, issue 17).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``, refusing one that cannot be a database before anything is made.

    A SQLite file may be new, but its folder must exist: a mistyped path is refused rather than
    answered with a new, empty database in a new folder. A database that cannot be reached (an
    unknown host or role, a server that is down, a file that is not SQLite) is reported as a
    :class:`DatabaseUnavailable`, one line naming the database, not a driver's traceback.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise UserError(f"database URL '{url}' is not a URL: {error}") from None
    shown_url = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database).expanduser()
        if not parsed.database.startswith("file:") and not path.parent.is_dir():
            raise UserError(
                f"database {shown_url}: there is no folder {path.parent}; check the URL "
                "(a new database file is made only in a folder that exists)"
            )
        parsed = parsed.set(database=str(path))
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, **kwargs)
    except (ImportError, NoSuchModuleError) as error:
        raise UserError(
            f"database {shown_url}: no database driver for '{parsed.drivername}' is installed "
            f"({_one_line(error)}); Caseworker works with sqlite:/// and postgresql:// URLs"
        ) from None
    event.listen(engine, "handle_error", _explain_unreachable)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if engine.dialect.name in ("sqlite", "postgresql"):
        from caseworker.storage.models import partial_indexes

        partial_indexes(engine.dialect.name)  # not declared with the models: see there
    return engine


class DatabaseUnavailable(UserError):
    """A database that cannot be connected to or is not a database: nothing was changed."""

    def __init__(self, url: str, reason: str, advice: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot open the database {url}: {reason}; {advice}")


_SQLITE_NOTADB = 26


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()).rstrip(".")


def _explain_unreachable(context: ExceptionContext) -> None:
    """``handle_error``: a failure to connect (no connection yet) or a SQLite file that is not a
    database becomes a :class:`DatabaseUnavailable`; every other error is left as it is."""
    error = context.original_exception
    engine = context.engine
    if engine is None:
        return
    url = engine.url.render_as_string(hide_password=True)
    code = getattr(error, "sqlite_errorcode", None)
    if code == _SQLITE_NOTADB:
        raise DatabaseUnavailable(
            url, _one_line(error), "check that the file is a Caseworker database"
        ) from error
    if context.connection is None:  # the driver refused to connect
        if engine.dialect.name == "sqlite":
            advice = "check that the file and its folder can be read and written"
        else:
            advice = (
                "check that the database server is running and the host, database name, "
                "login and password are right"
            )
        raise DatabaseUnavailable(url, _one_line(error), advice) from error


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
