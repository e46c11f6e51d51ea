"""What letters need beyond the first schema: understanding, steps taken, evidence considered,
settlement terms, withdrawal details and escalation refusal reasons on the case; the structured
draft on each stored letter.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    "understanding",
    "steps_taken",
    "evidence_considered",
    "settlement_terms",
    "escalation_refusal_reasons",
)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("withdrawn_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "withdrawal_method",
                sa.Enum(
                    "email",
                    "letter",
                    "phone",
                    "in-person",
                    "text",
                    name="contactmethod",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: rebuilding ``cases``
    # drops the old table, and its ON DELETE CASCADE children would lose every record.
    op.drop_column("letters", "draft")
    op.drop_column("cases", "withdrawal_method")
    op.drop_column("cases", "withdrawn_on")
    for name in reversed(_TEXT_COLUMNS):
        op.drop_column("cases", name)
