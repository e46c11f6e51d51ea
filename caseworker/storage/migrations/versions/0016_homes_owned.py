"""What councils must report and answer (issue 22): the number of homes the council owns as
landlord, with its date (the denominator of the Tenant Satisfaction Measure CH01), and subject
access requests with their clock.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_CM = "((SELECT caseworker_officer_role()) = 'complaints-manager')"
"""The connected login is an active complaints manager's (migration 0010's function)."""


def upgrade() -> None:
    op.create_table(
        "homes_owned",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("homes", sa.Integer(), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_homes_owned")),
    )
    op.create_index(op.f("ix_homes_owned_as_at"), "homes_owned", ["as_at"], unique=False)
    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("extended_to", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("requester_told", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_requests")),
    )
    op.create_index(
        op.f("ix_subject_access_requests_due"), "subject_access_requests", ["due"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        # The database's own wall (0010): a request names a person and is a complaints
        # manager's alone; the number of homes is read by everyone and recorded (never changed)
        # by a complaints manager.
        op.execute("ALTER TABLE subject_access_requests ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY subject_access_requests_managers ON subject_access_requests "
            f"FOR ALL USING ({_CM}) WITH CHECK ({_CM})"
        )
        op.execute("ALTER TABLE homes_owned ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY homes_owned_see ON homes_owned FOR SELECT USING (TRUE)")
        op.execute(f"CREATE POLICY homes_owned_add ON homes_owned FOR INSERT WITH CHECK ({_CM})")


def downgrade() -> None:
    op.drop_index(op.f("ix_subject_access_requests_due"), table_name="subject_access_requests")
    op.drop_table("subject_access_requests")
    op.drop_index(op.f("ix_homes_owned_as_at"), table_name="homes_owned")
    op.drop_table("homes_owned")
