"""Two indexes for the Today list of an officer with many cases (issue 20):

* ``ix_cases_officer_status`` gains ``purged_on``: Today looks at the officer's cases being
  worked on and not purged, and names them to the database by that condition in a subquery of
  each record's statement (extensions, issues, risk assessments, letters). With the purge date
  in the index the subquery is the index alone; before, each statement read each of the
  officer's cases from the table to see it was not purged (1,521 cases of the busiest demo
  officer, 3-4 ms a statement on SQLite). The index's other uses read its first two columns,
  as before.
* ``ix_issues_open_actions``: the issues with an agreed action not yet completed, by case. Today
  shows the officer's actions falling due; it read every issue of the officer's cases (10,351)
  to find the 87 with an open action.

On SQLite the fixed planner statistics of migration 0012 get a row for each.

Revision ID: 0029
Revises: 0028
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFICER = "ix_cases_officer_status"
ACTIONS = "ix_issues_open_actions"
OPEN_ACTION = "action_due IS NOT NULL AND action_completed IS NULL"
"""Kept in step with ``caseworker.storage.models.Issue``'s index."""
STATS = {
    # index: (table, its sqlite_stat1 row): 0012's for the officer's cases, each officer's
    # cases not purged being all of them; an open action on about one case in a hundred
    OFFICER: ("cases", "250000 500 100 100"),
    ACTIONS: ("issues", "4000 2"),
}


def _statistics(indexes: dict[str, tuple[str, str]]) -> None:
    op.execute("ANALYZE alembic_version")  # makes sqlite_stat1 if it is not there yet
    for index, (table, stat) in indexes.items():
        op.execute(sa.text("DELETE FROM sqlite_stat1 WHERE idx = :idx").bindparams(idx=index))
        op.execute(
            sa.text(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (:tbl, :idx, :stat)"
            ).bindparams(tbl=table, idx=index, stat=stat)
        )
    op.execute("ANALYZE sqlite_schema")  # the planner reads them again


def upgrade() -> None:
    op.drop_index(OFFICER, table_name="cases")
    op.create_index(OFFICER, "cases", ["officer_id", "status", "purged_on"])
    op.create_index(
        ACTIONS,
        "issues",
        ["case_id"],
        sqlite_where=sa.text(OPEN_ACTION),
        postgresql_where=sa.text(OPEN_ACTION),
    )
    if op.get_bind().dialect.name == "sqlite":
        _statistics(STATS)


def downgrade() -> None:
    op.drop_index(ACTIONS, table_name="issues")
    op.drop_index(OFFICER, table_name="cases")
    op.create_index(OFFICER, "cases", ["officer_id", "status"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text("DELETE FROM sqlite_stat1 WHERE idx = :idx").bindparams(idx=ACTIONS))
        _statistics({OFFICER: ("cases", "250000 500 100")})
