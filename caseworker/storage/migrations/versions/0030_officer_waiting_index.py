"""An index for the allocation view's officer loads (issue 20: "fast where officers feel it"):

``ix_cases_officer_waiting``: each officer's cases not closed and waiting for a response, by the
date the response is due. The allocation view shows every active officer's open cases, those
due this week and those overdue; it read every case not closed from the table to find the
response dates (64,571 cases at 250,000, 0.18 s on SQLite, every time the view opened or a
case was allocated). With this index each officer's two figures are a seek each, and the open
cases a count of ``ix_cases_officer_status`` alone (10 ms).

On SQLite the fixed planner statistics of migration 0012 get a row for it.

Revision ID: 0030
Revises: 0029
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from caseworker.storage.revisions import earlier_migration

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = "ix_cases_officer_waiting"
NOT_ANSWERED = "response_sent IS NULL AND status != 'closed'"
"""Kept in step with ``caseworker.storage.models.Case``'s index."""
STATS = {
    # of 0012's 250,000 cases and 500 per officer, about a fifth waiting: 110 per officer,
    # a couple a day
    WAITING: ("cases", "55000 110 2"),
}


def upgrade() -> None:
    op.create_index(
        WAITING,
        "cases",
        ["officer_id", "respond_by"],
        sqlite_where=sa.text(NOT_ANSWERED),
        postgresql_where=sa.text(NOT_ANSWERED),
    )
    if op.get_bind().dialect.name == "sqlite":
        earlier_migration("0029")._statistics(STATS)


def downgrade() -> None:
    op.drop_index(WAITING, table_name="cases")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text("DELETE FROM sqlite_stat1 WHERE idx = :idx").bindparams(idx=WAITING))
