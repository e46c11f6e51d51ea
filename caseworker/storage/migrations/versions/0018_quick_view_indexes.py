"""Indexes for the Overdue and Stage 2 quick views' first page (issue 20).

Both views show their cases newest first. Overdue read every overdue open case through
``ix_cases_open_due`` and sorted them (23,587 of 250,000 demo cases: 70 ms on SQLite) to show
100; Stage 2 walked every case newest first through ``ix_cases_sort_received`` looking for
live stage 2 cases (7,233 of them, most of them old). Now:

* ``ix_cases_open_received``: the open cases by ``(received, id)``, with ``due_key`` in the
  index, so the Overdue page walks the open cases newest first and tests the due date in the
  index itself, reading only the 100 rows it shows;
* ``ix_cases_live_stage``: the live (open or suspended) cases by ``(stage, received, id)``, so
  the Stage 2 page is the first 100 entries of stage 2 in it.

Both are partial (``WHERE status ...``), so the statements must name the statuses as literals
(``caseworker.services.lists.caselist``): a bound parameter cannot prove the index's condition
to SQLite. On SQLite the fixed planner statistics of migration 0012 get a row for each.

Revision ID: 0018
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status = 'open'"
LIVE = "status IN ('open', 'suspended')"
"""Kept in step with ``caseworker.storage.models.Case``'s partial indexes."""

INDEXES = {
    "ix_cases_open_received": (["received", "id", "due_key"], OPEN, "55000 1 1 1"),
    "ix_cases_live_stage": (["stage", "received", "id"], LIVE, "56000 10000 1 1"),
}
"""name: (columns, condition, its ``sqlite_stat1`` row: rows, rows per stage/received, ...)."""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, (columns, where, stat) in INDEXES.items():
        op.create_index(
            name,
            "cases",
            columns,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
        if sqlite:
            op.execute("ANALYZE alembic_version")  # makes sqlite_stat1 if it is not there yet
            op.execute(
                sa.text(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('cases', :idx, :stat)"
                ).bindparams(idx=name, stat=stat)
            )
    if sqlite:
        op.execute("ANALYZE sqlite_schema")  # the planner reads them again


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in INDEXES:
        op.drop_index(name, table_name="cases")
        if sqlite:
            op.execute(sa.text("DELETE FROM sqlite_stat1 WHERE idx = :idx").bindparams(idx=name))
