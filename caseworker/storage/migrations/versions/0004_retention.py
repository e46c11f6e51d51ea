"""Retention: when a case's personal data was purged and who confirmed it, and whether reasonable
adjustments were made for its complainant (kept so that reports still count them).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with constant defaults, never a batch rebuild: rebuilding ``cases`` on
    # SQLite drops the old table, which cascade-deletes every case's records (see 0003).
    op.add_column("cases", sa.Column("purged_on", sa.Date(), nullable=True))
    op.add_column(
        "cases", sa.Column("purged_by", sa.String(length=200), server_default="", nullable=False)
    )
    op.add_column("cases", sa.Column("adjustments_made", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), for the same reason.
    op.drop_column("cases", "adjustments_made")
    op.drop_column("cases", "purged_by")
    op.drop_column("cases", "purged_on")
