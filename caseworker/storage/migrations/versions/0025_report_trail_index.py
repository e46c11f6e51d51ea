"""The changes of a case's stage and stage 1 dates in the audit trail, by case (issue 20).

The yearly report's CH02 (:mod:`caseworker.reports.tsm`) reads, for every housing case now at
stage 2 or beyond, the trail's updates of its stage, acknowledgement and response dates: the
stage 1 dates the change to stage 2 replaced. Through ``ix_audit_events_case_id`` that read
every event of those cases (their notes', issues' and contacts' creation too: 1.4 million events
at 250,000 demo cases) to keep the few it wants: on PostgreSQL 7,907 index probes and 50,000
pages of the trail, about 230 ms of the report. This index holds only those updates, so the
read is of what it keeps.

Partial, on both databases. On SQLite the report's statement names the condition with bound
parameters, which cannot prove a partial index's condition there: it keeps the case's index,
as before (an SQLite database is one officer's, with a trail to match).

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_audit_events_case_dates"
DATES = (
    "entity = 'cases' AND action = 'update' AND field IN ('stage', 'acknowledged', 'response_sent')"
)
"""Kept in step with ``caseworker.storage.models.AuditEvent``'s index."""


def upgrade() -> None:
    op.create_index(
        INDEX,
        "audit_events",
        ["case_id"],
        sqlite_where=sa.text(DATES),
        postgresql_where=sa.text(DATES),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="audit_events")
