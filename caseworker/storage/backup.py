"""Backups and restores that can be taken while people are working.

Three formats, chosen by the database (``caseworker backup FILE`` picks one; ``restore`` reads
the file's first bytes to know which it is):

``sqlite``
    A SQLite database is copied with SQLite's online backup API, page by page from one
    consistent read snapshot: saves made meanwhile by the running app are either wholly in the
    copy or not at all. The copy is checked with ``PRAGMA integrity_check`` and is itself a
    Caseworker database: ``caseworker --db sqlite:///COPY`` opens it.
``pg_dump``
    A PostgreSQL database is dumped with ``pg_dump --format=custom`` when ``pg_dump`` is
    installed (it reads one snapshot too), and restored with ``pg_restore``.
``json``
    Where ``pg_dump`` is missing (or on request), every table is written through SQLAlchemy
    from one REPEATABLE READ snapshot as gzip-compressed JSON lines: a header naming the schema
    revision, then the rows of each table in dependency order. It restores into PostgreSQL or
    SQLite alike (the schema is made by the migrations at the dump's revision first).

A restore refuses to overwrite a database holding anything unless forced, and then takes a
backup of it first; a backup from a newer Caseworker than this one is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, func, insert, select, text
from sqlalchemy.engine import make_url

from caseworker.errors import UserError
from caseworker.storage import scratch
from caseworker.storage.database import (
    check_revision,
    data_dir,
    migrate,
    schema_revision,
)
from caseworker.storage.models import FULLTEXT_TABLES, KEPT_WORDS_TABLES
from caseworker.storage.pgaudit import FUNCTIONS as AUDIT_FUNCTIONS
from caseworker.storage.pgaudit import TRIGGER as AUDIT_TRIGGER

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
GZIP_MAGIC = b"\x1f\x8b"
DUMP_FORMAT = "caseworker-dump"
DUMP_VERSION = 1
_CHUNK = 500
_NOT_DATA = {"alembic_version", "counters"}
"""Tables that say nothing about whether a database holds work (a fresh one has them)."""
_PG_FUNCTIONS = (
    "audit_events_append_only()",
    "caseworker_notify_cases()",
    # row-level security (migration 0010)
    "caseworker_officer_id()",
    "caseworker_officer_role()",
    "caseworker_officer_area()",
    "caseworker_no_officers()",
    "caseworker_area(text)",
    # the trail written by the database (migration 0011)
    *AUDIT_FUNCTIONS,
    # the case list's sort keys (migration 0012)
    "caseworker_case_sort_keys()",
    "caseworker_complainant_sort_key()",
    "caseworker_officer_sort_key()",
    # search as an officer's login (migration 0019; with a limit from 0026)
    "caseworker_search_ids(text, tsquery)",
    "caseworker_search_ids(text, tsquery, integer)",
    # the cases' words for search (migration 0026)
    "caseworker_case_words()",
    # the words of issues, notes and interviews with who sees them (migration 0028)
    "caseworker_issue_words()",
    "caseworker_note_words()",
    "caseworker_interview_words()",
    "caseworker_case_seen_by()",
)


class BackupFormat(StrEnum):
    SQLITE = "sqlite"
    PG_DUMP = "pg_dump"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return {"sqlite": ".sqlite", "pg_dump": ".pgdump", "json": ".jsonl.gz"}[self.value]


class BackupError(UserError):
    """A backup or restore that could not be made; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    format: BackupFormat
    revision: str | None
    seconds: float
    note: str = ""


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    format: BackupFormat
    revision: str | None
    previous: Path | None
    """Where the database's contents before the restore were saved (None if it was empty)."""


def backups_dir() -> Path:
    """``backups/`` in the data folder: where backups before upgrades and restores go."""
    folder = data_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_label(engine: Engine) -> str:
    """A short name for the database, for backup file names (file stem or database name)."""
    url = engine.url
    name = url.database or "database"
    if url.get_backend_name() == "sqlite":
        name = Path(name).stem or "database"
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name)


def default_format(engine: Engine) -> BackupFormat:
    if engine.dialect.name == "sqlite":
        return BackupFormat.SQLITE
    if engine.dialect.name == "postgresql" and shutil.which("pg_dump"):
        return BackupFormat.PG_DUMP
    return BackupFormat.JSON


def backup_name(engine: Engine, label: str, fmt: BackupFormat | None = None) -> str:
    """``<database>-<label>-<UTC time><suffix>``, e.g. ``caseworker-before-upgrade-from-0003-
    20261123T090807Z.sqlite``."""
    fmt = fmt or default_format(engine)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{database_label(engine)}-{label}-{stamp}{fmt.suffix}"


# -- values that travel between PostgreSQL and SQLite ------------------------------------------


def to_dialect(value: Any, dialect: str) -> Any:
    """``value`` as it must be bound for ``dialect``: SQLite keeps times as naive UTC text (it
    would drop an offset without converting), PostgreSQL wants them aware."""
    if isinstance(value, dt.datetime):
        if dialect == "sqlite" and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        if dialect != "sqlite" and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
    return value


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "v": to_dialect(value, "sqlite").isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, dict | list):
        return {"$": "json", "v": value}
    return value


def _decode(value: Any, dialect: str) -> Any:
    if not isinstance(value, dict):
        return value
    kind, raw = value.get("$"), value.get("v")
    if raw is None:
        return None
    if kind == "datetime":
        return to_dialect(dt.datetime.fromisoformat(raw), dialect)
    if kind == "date":
        return dt.date.fromisoformat(raw)
    if kind == "bytes":
        return base64.b64decode(raw)
    if kind == "decimal":
        return Decimal(raw)
    return raw


# -- what is in a database ----------------------------------------------------------------------


def _reflect(engine: Engine) -> MetaData:
    """The database's tables, less the SQLite full-text indexes (search's and the case list's,
    rebuilt by their triggers as rows are restored, never copied)."""
    metadata = MetaData()
    metadata.reflect(engine, only=lambda name, _: not name.startswith(FULLTEXT_TABLES))
    return metadata


def is_empty(engine: Engine) -> bool:
    """True when the database holds no work: no tables, or none with a row in it (a freshly
    migrated database is empty)."""
    metadata = _reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in _NOT_DATA:
                continue
            if connection.execute(select(1).select_from(table).limit(1)).first() is not None:
                return False
    return True


def file_format(path: Path) -> BackupFormat:
    """Which kind of backup ``path`` is, from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror or error}") from None
    if head.startswith(SQLITE_MAGIC):
        return BackupFormat.SQLITE
    if head.startswith(PG_DUMP_MAGIC):
        return BackupFormat.PG_DUMP
    if head.startswith(GZIP_MAGIC):
        return BackupFormat.JSON
    raise BackupError(
        f"{path} is not a Caseworker backup (not a SQLite file, a pg_dump "
        "archive or a Caseworker JSON dump)"
    )


def file_revision(path: Path) -> str | None:
    """The schema revision a backup file was taken at."""
    fmt = file_format(path)
    if fmt == BackupFormat.SQLITE:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
        finally:
            connection.close()
        return row[0] if row else None
    if fmt == BackupFormat.JSON:
        return _read_header(path).get("revision")
    return _pg_dump_revision(path)


# -- backup -------------------------------------------------------------------------------------


def backup(
    engine: Engine, target: Path, *, fmt: BackupFormat | None = None, overwrite: bool = False
) -> BackupResult:
    """Copy the database into ``target`` (a new file) while others may be working in it."""
    target = Path(target).expanduser()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists: give a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    chosen = fmt
    fmt = fmt or default_format(engine)
    if fmt == BackupFormat.SQLITE and engine.dialect.name != "sqlite":
        raise BackupError("only a SQLite database can be backed up as a SQLite file")
    if fmt == BackupFormat.PG_DUMP and engine.dialect.name != "postgresql":
        raise BackupError("pg_dump backs up PostgreSQL databases only")
    started = time.monotonic()
    revision = schema_revision(engine)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    note = ""
    # The partial file holds everyone's personal data: it is removed however this ends, and a
    # killed backup's is removed at the next start (scratch.sweep).
    with scratch.in_progress(partial):
        scratch.write_private(partial, b"")  # the account's alone before a byte is copied
        if fmt == BackupFormat.SQLITE:
            _sqlite_copy(engine, partial)
        elif fmt == BackupFormat.PG_DUMP:
            try:
                _pg_dump(engine, partial)
            except BackupError as error:
                if chosen is not None:
                    raise
                # pg_dump older than the server, say: a JSON dump restores just as well.
                note = f"{error}; wrote a JSON dump instead"
                fmt = BackupFormat.JSON
                _json_dump(engine, partial, revision)
        else:
            _json_dump(engine, partial, revision)
        _fsync(partial)
        os.replace(partial, target)
    return BackupResult(target, fmt, revision, time.monotonic() - started, note)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _sqlite_copy(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        source: Any = raw.driver_connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one consistent snapshot, even while others write
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            copy.close()
    finally:
        raw.close()
    if verdict != "ok":
        raise BackupError(f"the copy failed its integrity check: {verdict}")


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The database as a libpq URI for pg_dump/pg_restore, the password passed in the
    environment rather than on the command line."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")
    return result


def _pg_dump(engine: Engine, target: Path) -> None:
    uri, env = _libpq(engine)
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            f"--dbname={uri}",
        ],
        env,
        "pg_dump",
    )


def _pg_dump_revision(path: Path) -> str | None:
    if not shutil.which("pg_restore"):
        raise BackupError(f"{path} is a pg_dump archive and pg_restore is not installed")
    result = _run(
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],
        dict(os.environ),
        "pg_restore",
    )
    lines = result.stdout.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value == "\\." else value
    return None


def _json_dump(engine: Engine, target: Path, revision: str | None) -> None:
    if engine.dialect.name == "sqlite":
        # Dump a consistent copy: pysqlite runs reads outside a transaction.
        from caseworker.storage.database import make_engine

        # In the session's private folder, which a killed process's next start sweeps away.
        snapshot = scratch.session_folder() / f"snapshot-{time.monotonic_ns()}.sqlite"
        try:
            _sqlite_copy(engine, snapshot)
            copy = make_engine(f"sqlite:///{snapshot}")
            try:
                _write_dump(copy, target, revision, engine.dialect.name)
            finally:
                copy.dispose()
        finally:
            snapshot.unlink(missing_ok=True)
        return
    _write_dump(engine, target, revision, engine.dialect.name)


def _write_dump(engine: Engine, target: Path, revision: str | None, dialect: str) -> None:
    metadata = _reflect(engine)
    tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
    header = {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "revision": revision,
        "dialect": dialect,
        "made_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": [t.name for t in tables],
    }
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with (
        gzip.open(target, "wt", encoding="utf-8") as out,
        engine.connect().execution_options(**options) as connection,
        connection.begin(),
    ):
        out.write(json.dumps(header) + "\n")
        for table in tables:
            columns = [c.name for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            rows: list[list[Any]] = []
            result = connection.execution_options(stream_results=True).execute(
                select(table).order_by(*order)
            )
            for row in result:
                rows.append([_encode(value) for value in row])
                if len(rows) >= _CHUNK:
                    out.write(
                        json.dumps({"table": table.name, "columns": columns, "rows": rows}) + "\n"
                    )
                    rows = []
            if rows:
                out.write(
                    json.dumps({"table": table.name, "columns": columns, "rows": rows}) + "\n"
                )


def _read_header(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} is not a Caseworker JSON dump ({error})") from None
    if not isinstance(header, dict) or header.get("format") != DUMP_FORMAT:
        raise BackupError(f"{path} is not a Caseworker JSON dump")
    if header.get("version") != DUMP_VERSION:
        raise BackupError(
            f"{path} is a Caseworker dump of version {header.get('version')}; "
            f"this Caseworker reads version {DUMP_VERSION}"
        )
    return header


def _dump_chunks(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        handle.readline()
        for line in handle:
            if line.strip():
                yield json.loads(line)


# -- restore ------------------------------------------------------------------------------------


def restore(
    engine: Engine, source: Path, *, force: bool = False, backups: Path | None = None
) -> RestoreResult:
    """Replace the database's contents with the backup in ``source``.

    A database holding anything is only overwritten with ``force``, and then a backup of it is
    taken first (into ``backups``, by default the data folder's ``backups/``). A backup taken by
    a newer Caseworker is refused.
    """
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"there is no backup file {source}")
    fmt = file_format(source)
    revision = file_revision(source)
    check_revision(revision)
    if fmt == BackupFormat.PG_DUMP and engine.dialect.name != "postgresql":
        raise BackupError(f"{source} is a pg_dump archive: it restores into PostgreSQL only")
    if fmt == BackupFormat.SQLITE and engine.dialect.name != "sqlite":
        raise BackupError(
            f"{source} is a SQLite database: restore it into SQLite, or open it "
            "with --db and back it up as JSON (--format json) to move it"
        )
    previous = None
    if not is_empty(engine):
        if not force:
            raise BackupError(
                "the database already holds cases or other records: restoring would replace "
                "them. Give --force to restore anyway (a backup of it is taken first)"
            )
        folder = backups or backups_dir()
        previous = backup(engine, folder / backup_name(engine, "before-restore")).path
    if fmt == BackupFormat.SQLITE:
        _sqlite_restore(engine, source)
    else:
        _drop_everything(engine)
        if fmt == BackupFormat.PG_DUMP:
            uri, env = _libpq(engine)
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={uri}",
                    str(source),
                ],
                env,
                "pg_restore",
            )
        else:
            _json_restore(engine, source, revision)
    engine.dispose()
    return RestoreResult(source, fmt, revision, previous)


def _sqlite_restore(engine: Engine, source: Path) -> None:
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{source} failed its integrity check: {verdict}")
        raw = engine.raw_connection()
        try:
            live: Any = raw.driver_connection
            copy.backup(live)  # replaces every page, in one go
        finally:
            raw.close()
    finally:
        copy.close()


def _drop_everything(engine: Engine) -> None:
    metadata = _reflect(engine)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":  # a virtual table takes its shadow tables with it
            for fulltext in FULLTEXT_TABLES:
                connection.execute(text(f"DROP TABLE IF EXISTS {fulltext}"))
        else:  # the words kept for search (0026, 0028), which refer to the cases and records
            for kept in KEPT_WORDS_TABLES:
                connection.execute(text(f"DROP TABLE IF EXISTS {kept}"))
        if engine.dialect.name == "postgresql":  # policies (0010) tie one table to another
            policies = connection.execute(
                text(
                    "SELECT tablename, policyname FROM pg_policies "
                    "WHERE schemaname = current_schema()"
                )
            ).all()
            for table, policy in policies:
                connection.execute(text(f'DROP POLICY IF EXISTS "{policy}" ON "{table}"'))
        metadata.drop_all(connection)
        if engine.dialect.name == "postgresql":
            for function in _PG_FUNCTIONS:
                connection.execute(text(f"DROP FUNCTION IF EXISTS {function} CASCADE"))


def _json_restore(engine: Engine, source: Path, revision: str | None) -> None:
    if revision is not None:
        migrate(engine, revision)
    tables: dict[str, Table] = {t.name: t for t in _reflect(engine).sorted_tables}
    dialect = engine.dialect.name
    with engine.begin() as connection:
        # The restored trail is the trail: the database's audit triggers (0011) must not record
        # the restore's inserts as new changes.
        audited = []
        if dialect == "postgresql":
            audited = list(
                connection.execute(
                    text(
                        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "WHERE t.tgname = :name"
                    ),
                    {"name": AUDIT_TRIGGER},
                ).scalars()
            )
        for table_name in audited:
            connection.execute(text(f'ALTER TABLE "{table_name}" DISABLE TRIGGER {AUDIT_TRIGGER}'))
        for chunk in _dump_chunks(source):
            table = tables.get(chunk["table"])
            if table is None:
                raise BackupError(
                    f"{source}: table {chunk['table']} is not in the schema at revision {revision}"
                )
            columns = chunk["columns"]
            unknown = set(columns) - {c.name for c in table.columns}
            if unknown:
                raise BackupError(
                    f"{source}: {chunk['table']} has no column "
                    f"{', '.join(sorted(unknown))} at revision {revision}"
                )
            rows = [
                {name: _decode(value, dialect) for name, value in zip(columns, row, strict=True)}
                for row in chunk["rows"]
            ]
            connection.execute(insert(table), rows)
        if dialect == "postgresql":
            for table in tables.values():
                if "id" in table.columns and table.name != "alembic_version":
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
                        )
                    )
        for table_name in audited:
            connection.execute(text(f'ALTER TABLE "{table_name}" ENABLE TRIGGER {AUDIT_TRIGGER}'))


def count_rows(engine: Engine, table: str) -> int:
    """Rows in ``table`` (for messages and tests)."""
    metadata = MetaData()
    reflected = Table(table, metadata, autoload_with=engine)
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(reflected)).scalar_one())


def shown(engine: Engine) -> str:
    """The database's URL without its password."""
    return make_url(engine.url).render_as_string(hide_password=True)
