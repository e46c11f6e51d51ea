"""An index for the Stage 2 quick view: ``cases (stage, status, received)``.

Without it the view read every open and suspended case (about 55,000 of 250,000) through
``ix_cases_status_respond_by`` to find the few thousand at stage 2, then sorted them by date
received: 168 ms for the first page and the count on SQLite. With it the page walks the index
on ``stage = 2 AND status IN (...)`` and the count reads the index alone (docs/performance.md).

The index is added in place; nothing here rebuilds ``cases``.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_cases_stage_status_received"


def upgrade() -> None:
    op.create_index(INDEX, "cases", ["stage", "status", "received"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="cases")
