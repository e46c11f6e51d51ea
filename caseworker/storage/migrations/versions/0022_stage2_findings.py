"""Stage 2 findings of their own, per point (issue 19).

At stage 2 the complaints manager reviews each point of the complaint and reaches their own
finding (upheld, partially upheld, not upheld), with its explanation and remedy. These are kept
beside the stage 1 finding, never in its place: the stage 1 finding is what was sent at stage 1,
and stays on the file unchanged for the review and the Ombudsman. A point the stage 2 request
adds says so (``raised_at_stage``), so it is not shown as having been answered at stage 1.

Columns on ``issues``: they fall under the table's row-level security (migration 0010) and its
audit trigger (0011) as they are, the offline check-in and the JSON case file carry them with
the rest of the row, and the purge blanks their free text as it does the stage 1 explanation.

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (plain ALTER TABLE), so no table is rebuilt.
    op.add_column(
        "issues", sa.Column("raised_at_stage", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("issues", sa.Column("stage2_finding", sa.String(32), nullable=True))
    op.add_column(
        "issues", sa.Column("stage2_explanation", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "issues", sa.Column("stage2_remedy", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("issues", "stage2_remedy")
    op.drop_column("issues", "stage2_explanation")
    op.drop_column("issues", "stage2_finding")
    op.drop_column("issues", "raised_at_stage")
