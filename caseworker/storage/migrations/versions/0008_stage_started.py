"""The date each stage after the first began, apart from the latest request for a next stage.

``cases.escalation_requested`` held both the date the current stage began and, once a request for
the stage after is logged, that request, so logging a stage 3 request (Warwickshire's children's
services) moved the stage 2 clock. ``stage_started`` keeps the current stage's start.

Filled for existing cases past stage 1: from ``escalation_requested`` where that is still the
current stage's request (before the current stage's response, or no response yet); where a request
for the stage after has since been logged, from the value the audit trail recorded before it was
overwritten. A column added in place: ``cases`` is never rebuilt (that would cascade-delete).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("stage_started", sa.Date(), nullable=True))
    op.execute(
        "UPDATE cases SET stage_started = escalation_requested "
        "WHERE stage > 1 AND escalation_requested IS NOT NULL "
        "AND (response_sent IS NULL OR escalation_requested < response_sent)"
    )
    # A request for the stage after overwrote the start: the audit trail kept the old value
    # (ISO dates, as storage.audit writes them). The start is the latest earlier value that is
    # before the current stage's response (requests for the stage after come after it).
    old = "a.old_value"
    if op.get_bind().dialect.name == "postgresql":
        old = "CAST(a.old_value AS DATE)"
    start = (
        f"(SELECT {old} FROM audit_events a WHERE a.case_id = cases.id "
        "AND a.entity = 'cases' AND a.field = 'escalation_requested' "
        f"AND a.old_value IS NOT NULL AND {old} < cases.response_sent "
        "ORDER BY a.id DESC LIMIT 1)"
    )
    op.execute(
        f"UPDATE cases SET stage_started = {start} "
        "WHERE stage > 1 AND stage_started IS NULL AND escalation_requested IS NOT NULL "
        "AND response_sent IS NOT NULL AND escalation_requested >= response_sent"
    )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN, not a batch rebuild of ``cases``.
    op.drop_column("cases", "stage_started")
