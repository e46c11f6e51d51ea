"""Indexes for the case list at council scale (docs/performance.md):

* ``cases (stage, status, received)`` for the Stage 2 quick view. Without it the view read every
  open and suspended case (about 55,000 of 250,000) through ``ix_cases_status_respond_by`` to
  find the few thousand at stage 2, then sorted them: 168 ms for the first page and the count on
  SQLite. With it the page walks the index and the count reads the index alone.
* A full-text index of what the list's free-text filter looks in: each case's reference, its
  complainant's name and its service area. On SQLite an FTS5 table (``caselist_fts``, rowid =
  the case id) kept up to date by triggers on ``cases`` and ``complainants``; on PostgreSQL GIN
  indexes over ``to_tsvector('simple', …)`` of the case's reference and service area and of the
  complainant's name. The search index of 0006 is not enough for the list: a complainant's record
  there holds the address too, so "Larch" found 47,000 complainants living on a Larch Road where
  12,500 cases have a Larch in the name, and narrowing them down took longer than the scan it was
  meant to replace. The filter was a ``LIKE '%…%'`` scan of all cases: 250 ms with 250,000.

Nothing here rebuilds ``cases``: one index, and a new table with its triggers (or two indexes).

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGE_INDEX = "ix_cases_stage_status_received"
FTS = "caselist_fts"
"""Kept in step with :data:`caseworker.services.lists.caselist.LIST_FTS_TABLE`."""
PG_CASES_TEXT = "reference || ' ' || service_area"
PG_NAME_TEXT = "name"
"""Kept in step with :mod:`caseworker.services.lists.caselist` (the query must use these exact
expressions for PostgreSQL to use the indexes)."""

_ROW = (
    "{r}.id, {r}.reference, "
    "coalesce((SELECT name FROM complainants WHERE complainants.id = {r}.complainant_id), ''), "
    "{r}.service_area"
)


def _sqlite_upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(reference, complainant, service, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    insert_new = (
        f"INSERT INTO {FTS}(rowid, reference, complainant, service) "
        f"VALUES ({_ROW.format(r='NEW')});"
    )
    delete_old = f"DELETE FROM {FTS} WHERE rowid = OLD.id;"
    op.execute(f"CREATE TRIGGER {FTS}_cases_ai AFTER INSERT ON cases BEGIN {insert_new} END")
    op.execute(
        f"CREATE TRIGGER {FTS}_cases_au AFTER UPDATE OF reference, complainant_id, "
        f"service_area ON cases BEGIN {delete_old} {insert_new} END"
    )
    op.execute(f"CREATE TRIGGER {FTS}_cases_ad AFTER DELETE ON cases BEGIN {delete_old} END")
    their_cases = "SELECT id FROM cases WHERE complainant_id = OLD.id"
    op.execute(
        f"CREATE TRIGGER {FTS}_complainants_au AFTER UPDATE OF name ON complainants BEGIN "
        f"DELETE FROM {FTS} WHERE rowid IN ({their_cases}); "
        f"INSERT INTO {FTS}(rowid, reference, complainant, service) "
        f"SELECT id, reference, NEW.name, service_area FROM cases WHERE complainant_id = NEW.id; "
        "END"
    )
    op.execute(
        f"INSERT INTO {FTS}(rowid, reference, complainant, service) "
        f"SELECT {_ROW.format(r='cases')} FROM cases"
    )


def _sqlite_downgrade() -> None:
    for trigger in ("cases_ai", "cases_au", "cases_ad", "complainants_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")


def upgrade() -> None:
    op.create_index(STAGE_INDEX, "cases", ["stage", "status", "received"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        op.execute(
            f"CREATE INDEX ix_cases_list_fulltext ON cases "
            f"USING gin (to_tsvector('simple', {PG_CASES_TEXT}))"
        )
        op.execute(
            f"CREATE INDEX ix_complainants_name_fulltext ON complainants "
            f"USING gin (to_tsvector('simple', {PG_NAME_TEXT}))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_downgrade()
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_complainants_name_fulltext")
        op.execute("DROP INDEX IF EXISTS ix_cases_list_fulltext")
    op.drop_index(STAGE_INDEX, table_name="cases")
