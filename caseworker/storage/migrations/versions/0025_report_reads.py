"""The yearly report's reads on PostgreSQL (issue 20): the audit trail's stage 1 dates by case,
and statistics of the day a case's stage began.

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

The day a case's current stage began (:data:`caseworker.reports.figures.STAGE_START`: receipt,
or the request that took it to its stage) is an expression the report counts stages begun and
the Code's acknowledgements by. PostgreSQL had no statistics for it, so it took a year of it to
be 0.5% of the cases (147 rows expected of 65,109 for the Code's acknowledgements) and sorted
them to group them, where it hashes once it knows (0.38 s against 0.2 s under load). PostgreSQL
14 and later keep statistics of an expression (``CREATE STATISTICS``); ``ANALYZE`` fills them
now (where there are cases), autovacuum afterwards. No index: nothing is looked up by it, and no
write pays for it.

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

STATISTICS = "cases_stage_start"
STAGE_START = (
    "CASE WHEN stage > 1 AND stage_started IS NOT NULL THEN stage_started "
    "WHEN stage > 1 AND escalation_requested IS NOT NULL THEN escalation_requested "
    "ELSE received END"
)
"""``caseworker.reports.figures.STAGE_START`` as PostgreSQL reads it: kept in step with it
(``tests/integration/test_report_postgres.py`` checks the planner's estimate)."""


def upgrade() -> None:
    op.create_index(
        INDEX,
        "audit_events",
        ["case_id"],
        sqlite_where=sa.text(DATES),
        postgresql_where=sa.text(DATES),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and (bind.dialect.server_version_info or (0,)) >= (14,):
        op.execute(f"CREATE STATISTICS {STATISTICS} ON ({STAGE_START}) FROM cases")
        # A database with cases has its statistics at once; an empty one (a new team) is left
        # unanalysed, as before: analysed empty, the planner would take its first cases for a
        # table too small for any index until autovacuum came round.
        if bind.execute(sa.text("SELECT EXISTS (SELECT FROM cases)")).scalar():
            op.execute("ANALYZE cases")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
    op.drop_index(INDEX, table_name="audit_events")
