"""Notes can be withdrawn without leaving the case file (issue 19).

A note recorded in error (wrong kind, wrong point, wrong case) is corrected in place, with the
audit trail keeping each old value, or withdrawn: it stays in the case's record, marked with who
withdrew it, when and why, and is left out of the investigation list and the letters. The
complaint file is evidence for a review or the Ombudsman, so nothing an officer once recorded
disappears from it.

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns added in place (plain ALTER TABLE), so no table is rebuilt.
    op.add_column("notes", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "notes", sa.Column("withdrawn_by", sa.String(200), nullable=False, server_default="")
    )
    op.add_column(
        "notes", sa.Column("withdrawn_reason", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("notes", "withdrawn_reason")
    op.drop_column("notes", "withdrawn_by")
    op.drop_column("notes", "withdrawn_at")
