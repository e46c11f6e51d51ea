"""Backing up and restoring the database: a complaints manager's to do.

A backup holds every case's personal data, and a restore replaces everyone's work, so both are
refused (:data:`~caseworker.domain.rules.BACKUP_BY`) unless the acting login is an active
complaints manager's. A refused restore writes nothing: not even the backup of the database it
would have replaced. The one exception is the first-run rule: a database that holds nothing
(a new installation being restored from a backup) has nobody to ask and nothing to protect, and
the person restoring it is, as the first to open it, its complaints manager.

The copying itself is :mod:`caseworker.storage.backup`'s, which the upgrade also uses (before a
migration, with nobody acting).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from caseworker.domain import rules
from caseworker.services.context import Context
from caseworker.services.permissions import acting_officer, require_complaints_manager
from caseworker.storage import backup as copies
from caseworker.storage.backup import BackupFormat, BackupResult, RestoreResult


def _engine(ctx: Context) -> Engine:
    return ctx.sessions.kw["bind"]


def _authorise(ctx: Context, doing: str) -> None:
    with ctx.unit() as uow:
        require_complaints_manager(acting_officer(uow), doing, rules.BACKUP_BY)


def backup_database(
    ctx: Context, target: Path, *, fmt: BackupFormat | None = None, overwrite: bool = False
) -> BackupResult:
    """Copy the database into ``target`` (see :func:`caseworker.storage.backup.backup`); a
    database that holds anything is a complaints manager's to copy."""
    engine = _engine(ctx)
    if not copies.is_empty(engine):
        _authorise(ctx, "back up the database")
    return copies.backup(engine, target, fmt=fmt, overwrite=overwrite)


def restore_database(
    ctx: Context, source: Path, *, force: bool = False, backups: Path | None = None
) -> RestoreResult:
    """Replace the database's contents with the backup in ``source`` (see
    :func:`caseworker.storage.backup.restore`); a database that holds anything is a complaints
    manager's to replace."""
    engine = _engine(ctx)
    if not copies.is_empty(engine):
        _authorise(ctx, "restore a backup over the database")
    return copies.restore(engine, source, force=force, backups=backups)
