"""Opening a database safely across versions of Caseworker.

* A database from an older version is upgraded by the migrations, with a backup taken first
  into the data folder's ``backups/``, named with the revision it had (for example
  ``caseworker-before-upgrade-from-0003-20261123T090807123456Z.sqlite``), so an upgrade that goes
  wrong can be undone with ``caseworker restore``.
* A database from a newer version (its ``alembic_version`` holds a revision this code does not
  know) is refused with :class:`~caseworker.storage.database.NewerDatabase`, before anything is
  written to it.
* A new, empty database is simply created: there is nothing to back up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from caseworker.storage.database import check_revision, head_revision, migrate, schema_revision


@dataclass(frozen=True)
class Upgrade:
    before: str | None
    after: str | None
    backup: Path | None
    """The backup taken before upgrading, if the database had to be upgraded."""


def upgrade_database(engine: Engine, *, backups: Path | None = None) -> Upgrade:
    """Bring the database to this version's schema, backing it up first if it is older."""
    before = schema_revision(engine)
    check_revision(before)
    if before is not None and before == head_revision():
        return Upgrade(before, before, None)  # current: nothing to do, and Alembic not imported
    taken = None
    if before is not None and before != head_revision():
        # Only for an upgrade: not at every start (gzip, sqlite3, json and the audit SQL)
        from caseworker.storage.backup import backup, backup_name, backups_dir

        folder = backups or backups_dir()
        name = backup_name(engine, f"before-upgrade-from-{before}")
        taken = backup(engine, folder / name).path
    migrate(engine)
    return Upgrade(before, schema_revision(engine), taken)
