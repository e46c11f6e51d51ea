"""Managers' work: allocation history, Ombudsman involvement, contact restrictions on
complainants; on the case the escalation request and its decision, discontinuation and
re-opening; whether a contact attempt was answered.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FALSE = "0"
"""A constant default, so SQLite adds the column in place: an expression such as ``sa.false()``
would make Alembic rebuild the table, and dropping the old ``cases`` table would cascade-delete
every case's records. PostgreSQL reads '0' as false."""


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("previous_officer_id", sa.Integer(), nullable=True),
        sa.Column("allocated_by_id", sa.Integer(), nullable=True),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["allocated_by_id"],
            ["officers.id"],
            name=op.f("fk_allocations_allocated_by_id_officers"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_allocations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officers.id"], name=op.f("fk_allocations_officer_id_officers")
        ),
        sa.ForeignKeyConstraint(
            ["previous_officer_id"],
            ["officers.id"],
            name=op.f("fk_allocations_previous_officer_id_officers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocations_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_allocations_officer_id"), ["officer_id"], unique=False)

    op.create_table(
        "contact_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complainant_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("restrictions", sa.JSON(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("notify_by", sa.Date(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column(
            "notified_method",
            _enum("contactmethod", "email", "letter", "phone", "in-person", "text"),
            nullable=True,
        ),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_contact_restrictions_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["complainant_id"],
            ["complainants.id"],
            name=op.f("fk_contact_restrictions_complainant_id_complainants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["officers.id"],
            name=op.f("fk_contact_restrictions_decided_by_id_officers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_restrictions")),
    )
    with op.batch_alter_table("contact_restrictions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_restrictions_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_restrictions_complainant_id"), ["complainant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_restrictions_review_on"), ["review_on"], unique=False
        )

    op.create_table(
        "ombudsman_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("body", _enum("ombudsmanbody", "lgsco", "housing-ombudsman"), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("enquiry_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("remedy_agreed", sa.Text(), nullable=False),
        sa.Column("remedy_due", sa.Date(), nullable=True),
        sa.Column("complied_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_ombudsman_cases_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_cases")),
    )
    with op.batch_alter_table("ombudsman_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ombudsman_cases_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("escalation_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("escalation_late", sa.Boolean(), server_default=FALSE, nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "escalation_reason_missing", sa.Boolean(), server_default=FALSE, nullable=False
            )
        )
        batch_op.add_column(sa.Column("escalation_decide_by", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "escalation_decision",
                _enum("escalationdecision", "accepted", "refused"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("escalation_decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("discontinued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reopened_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("reopening_ground", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reopening_reason", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("contact_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answered", sa.Boolean(), server_default=FALSE, nullable=False)
        )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: rebuilding ``cases``
    # would drop the old table and cascade-delete every case's records.
    op.drop_column("contact_attempts", "answered")
    for name in (
        "reopening_reason",
        "reopening_ground",
        "reopened_on",
        "discontinued_on",
        "escalation_decided_on",
        "escalation_decision",
        "escalation_decide_by",
        "escalation_reason_missing",
        "escalation_late",
        "escalation_reason",
    ):
        op.drop_column("cases", name)

    with op.batch_alter_table("ombudsman_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ombudsman_cases_case_id"))
    op.drop_table("ombudsman_cases")

    with op.batch_alter_table("contact_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_restrictions_review_on"))
        batch_op.drop_index(batch_op.f("ix_contact_restrictions_complainant_id"))
        batch_op.drop_index(batch_op.f("ix_contact_restrictions_case_id"))
    op.drop_table("contact_restrictions")

    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocations_officer_id"))
        batch_op.drop_index(batch_op.f("ix_allocations_case_id"))
    op.drop_table("allocations")
