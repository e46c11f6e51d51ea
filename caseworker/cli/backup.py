"""`caseworker backup`, `caseworker restore` and `caseworker upgrade`: nothing lost.

    caseworker backup ~/caseworker-2026-11-23.sqlite      # while the app is running, too
    caseworker --db postgresql+psycopg://admin@db/caseworker backup team.pgdump
    caseworker restore ~/caseworker-2026-11-23.sqlite      # into an empty database
    caseworker restore --force yesterday.sqlite           # replaces it, after backing it up
    caseworker upgrade                                     # migrate now (a backup is taken first)

Both are a complaints manager's (:mod:`caseworker.services.records.backups`); a refused restore
writes nothing. See :mod:`caseworker.storage.backup` for the formats. There is deliberately no
command that changes or deletes the audit trail.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Engine

from caseworker import bootstrap
from caseworker.services.context import Context
from caseworker.services.records.backups import backup_database, restore_database
from caseworker.storage.backup import BackupFormat, shown
from caseworker.storage.database import database_url, make_engine, session_factory
from caseworker.storage.upgrade import upgrade_database


def register(subparsers: argparse._SubParsersAction) -> None:
    saver = subparsers.add_parser(
        "backup",
        help="copy the database into a file (safe while people are working)",
        description="Copy the whole database into FILE from one consistent snapshot, while the "
        "app may be running. SQLite gives a SQLite file (itself a Caseworker database); "
        "PostgreSQL gives a pg_dump archive where pg_dump is installed, else a JSON dump. "
        "Restore it with `caseworker restore FILE`.",
    )
    saver.add_argument("file", metavar="FILE", type=Path, help="the backup file to make (new)")
    saver.add_argument(
        "--format",
        choices=[f.value for f in BackupFormat],
        help="sqlite (SQLite databases), pg_dump (PostgreSQL) or json (either); "
        "default: the database's own",
    )
    saver.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    saver.set_defaults(handler=run_backup)

    restorer = subparsers.add_parser(
        "restore",
        help="replace the database's contents with a backup",
        description="Restore a backup made by `caseworker backup`. A database that holds "
        "anything is only replaced with --force, and then it is backed up first into the "
        "data folder's backups/. A backup from a newer Caseworker is refused.",
    )
    restorer.add_argument("file", metavar="FILE", type=Path, help="the backup file")
    restorer.add_argument(
        "--force",
        action="store_true",
        help="replace a database that is not empty (after backing it up)",
    )
    restorer.set_defaults(handler=run_restore)

    upgrader = subparsers.add_parser(
        "upgrade",
        help="bring the database to this version's schema (backing it up first)",
        description="Run the migrations now rather than when the app next opens the database. "
        "An older database is backed up into the data folder's backups/ first; one written by "
        "a newer Caseworker is refused. On a shared database, the administrator runs this "
        "after installing a new version.",
    )
    upgrader.set_defaults(handler=run_upgrade)


def _context(engine: Engine) -> Context:
    """Who is acting on the database as it is (not upgraded first: a backup is taken of it as
    it stands): the database login on PostgreSQL, the operating-system account on SQLite."""
    actor = bootstrap.database_login(engine) or bootstrap.current_login()
    return Context(session_factory(engine), actor=actor)


def run_backup(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args.db))
    try:
        fmt = BackupFormat(args.format) if args.format else None
        result = backup_database(_context(engine), args.file, fmt=fmt, overwrite=args.overwrite)
    finally:
        engine.dispose()
    if result.note:
        print(f"caseworker: {result.note}")
    print(
        f"backed up {shown(engine)} (schema revision {result.revision or 'none'}) to "
        f"{result.path} as {result.format.value} in {result.seconds:.1f}s"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args.db))
    try:
        result = restore_database(_context(engine), args.file, force=args.force)
    finally:
        engine.dispose()
    if result.previous is not None:
        print(f"the database's previous contents were backed up to {result.previous}")
    print(
        f"restored {result.source} ({result.format.value}, schema revision "
        f"{result.revision or 'none'}) into {shown(engine)}"
    )
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    engine = make_engine(database_url(args.db))
    try:
        done = upgrade_database(engine)
    finally:
        engine.dispose()
    if done.before == done.after:
        print(f"{shown(engine)} is up to date (schema revision {done.after})")
    elif done.before is None:
        print(f"created the schema in {shown(engine)} (revision {done.after})")
    else:
        print(
            f"upgraded {shown(engine)} from revision {done.before} to {done.after}; the "
            f"database as it was is in {done.backup}"
        )
    return 0
