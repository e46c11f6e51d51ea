"""A team on one database, and offline copies: checkouts of cases to offline copies; where an
audit event came from (an offline copy, carried in at check-in); an index for polling changes;
on PostgreSQL, a notification on every change to a case for the case list (LISTEN/NOTIFY).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "caseworker_cases"
"""Kept in step with :data:`caseworker.services.team.changes.CHANNEL`."""
MANY = 200
"""More changed cases than this in one statement are notified as '*' (look them up)."""

_NOTIFY_FUNCTION = f"""
CREATE FUNCTION caseworker_notify_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text;
BEGIN
    IF TG_TABLE_NAME = 'audit_events' THEN
        SELECT CASE WHEN count(DISTINCT case_id) > {MANY} THEN '*'
                    ELSE string_agg(DISTINCT case_id::text, ',') END
          INTO payload FROM changed WHERE case_id IS NOT NULL;
    ELSE
        SELECT CASE WHEN count(*) > {MANY} THEN '*' ELSE string_agg(id::text, ',') END
          INTO payload FROM changed;
    END IF;
    IF payload IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', payload);
    END IF;
    RETURN NULL;
END $$
"""

_TRIGGERS = (
    ("cases_notify_insert", "cases", "INSERT", "NEW"),
    ("cases_notify_update", "cases", "UPDATE", "NEW"),
    ("cases_notify_delete", "cases", "DELETE", "OLD"),
    ("audit_events_notify", "audit_events", "INSERT", "NEW"),
)


def upgrade() -> None:
    op.create_table(
        "checkouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("copy_id", sa.String(length=36), nullable=False),
        sa.Column("checked_out_by", sa.String(length=200), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("base_audit_id", sa.Integer(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by", sa.String(length=200), nullable=False),
        sa.Column("result", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_checkouts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkouts")),
    )
    op.create_index(op.f("ix_checkouts_case_id"), "checkouts", ["case_id"], unique=False)
    op.create_index(op.f("ix_checkouts_copy_id"), "checkouts", ["copy_id"], unique=False)

    # Plain ADD COLUMN with a constant default and CREATE INDEX, never a batch rebuild: rebuilding
    # ``cases`` on SQLite drops the old table, which cascade-deletes every case's records (0003).
    op.add_column(
        "audit_events",
        sa.Column("origin", sa.String(length=300), server_default="", nullable=False),
    )
    op.create_index(op.f("ix_cases_updated_at"), "cases", ["updated_at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_NOTIFY_FUNCTION)
        for name, table, event, row in _TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {row} TABLE AS "
                "changed FOR EACH STATEMENT EXECUTE FUNCTION caseworker_notify_cases()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _event, _row in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS caseworker_notify_cases()")
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason as above.
    op.drop_index(op.f("ix_cases_updated_at"), table_name="cases")
    op.drop_column("audit_events", "origin")
    op.drop_index(op.f("ix_checkouts_copy_id"), table_name="checkouts")
    op.drop_index(op.f("ix_checkouts_case_id"), table_name="checkouts")
    op.drop_table("checkouts")
