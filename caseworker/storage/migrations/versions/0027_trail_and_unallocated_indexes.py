"""Two reads that grew with the database (issue 20):

* ``ix_audit_events_entity`` on ``audit_events (entity, entity_id)``: a case's Timeline reads
  the case's trail (``case_id``, indexed since the first schema) and its complainant's
  (``entity = 'complainants' AND entity_id = ...``: a complainant is not a case's row), and the
  interview editor one interview's. Nothing served the second term of that ``OR``, so on
  PostgreSQL at 250,000 cases showing the Timeline scanned the whole trail (1.4 million rows,
  0.33-0.58 s); now the two indexes answer it together.
* ``ix_cases_live_unallocated``: the Unallocated quick view's cases (live, no officer) newest
  first. Its page read every unallocated live case and sorted them (3,797 of 250,000 demo
  cases, 90 ms on PostgreSQL; 15,188 at 1,000,000); now it is the first 100 entries of this
  index. Its condition is written as literals in the list's statement
  (:mod:`caseworker.services.lists.caselist`), as 0018's are. On SQLite the fixed planner
  statistics of migration 0012 get a row for it.

Revision ID: 0027
Revises: 0026
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRAIL = "ix_audit_events_entity"
UNALLOCATED = "ix_cases_live_unallocated"
WHERE = "status IN ('open', 'suspended') AND officer_id IS NULL"
"""Kept in step with ``caseworker.storage.models.Case``'s partial indexes."""
STAT = "4000 1 1"
"""Its ``sqlite_stat1`` row: a council's unallocated live cases, about one per day received."""


def upgrade() -> None:
    op.create_index(TRAIL, "audit_events", ["entity", "entity_id"])
    op.create_index(
        UNALLOCATED,
        "cases",
        ["received", "id"],
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE alembic_version")  # makes sqlite_stat1 if it is not there yet
        op.execute(
            sa.text(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('cases', :idx, :stat)"
            ).bindparams(idx=UNALLOCATED, stat=STAT)
        )
        op.execute("ANALYZE sqlite_schema")  # the planner reads them again


def downgrade() -> None:
    op.drop_index(UNALLOCATED, table_name="cases")
    op.drop_index(TRAIL, table_name="audit_events")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text("DELETE FROM sqlite_stat1 WHERE idx = :idx").bindparams(idx=UNALLOCATED))
