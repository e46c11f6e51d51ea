"""Evidence and correspondence: documents attached to a case or an issue (bytes in their own
table, read only when opened), correspondence (emails imported onto a case), and the full-text
search index: on SQLite an FTS5 table kept up to date by triggers, on PostgreSQL GIN indexes over
``to_tsvector`` expressions (always current, no triggers needed).

Nothing here rebuilds ``cases``: only new tables, triggers and indexes.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "search_fts"
"""Kept in step with :data:`caseworker.services.search.fulltext.FTS_TABLE`."""

# Each indexed row has rowid = source id * 8 + kind; ``owner`` is the case id, except for a
# complainant (kind 2) where it is the complainant id (their cases are found at query time).
# kind: (table, body expression over NEW/OLD, owner expression, columns whose change re-indexes)
_SOURCES: dict[int, tuple[str, str, str, str]] = {
    0: ("documents", "{r}.filename", "{r}.case_id", "filename"),
    1: (
        "cases",
        "{r}.reference || ' ' || coalesce({r}.summary, '') || ' ' || "
        "coalesce({r}.referrer_name, '') || ' ' || coalesce({r}.service_area, '')",
        "{r}.id",
        "reference, summary, referrer_name, service_area",
    ),
    2: (
        "complainants",
        "{r}.name || ' ' || coalesce({r}.address, '') || ' ' || "
        "coalesce({r}.postcode, '') || ' ' || coalesce({r}.email, '')",
        "{r}.id",
        "name, address, postcode, email",
    ),
    3: (
        "issues",
        "{r}.summary || ' ' || coalesce({r}.explanation, '') || ' ' || "
        "coalesce({r}.remedy, '') || ' ' || coalesce({r}.action, '')",
        "{r}.case_id",
        "summary, explanation, remedy, action",
    ),
    4: ("notes", "{r}.text", "(SELECT case_id FROM issues WHERE issues.id = {r}.issue_id)", "text"),
    5: (
        "interviews",
        "{r}.interviewee || ' ' || coalesce({r}.notes, '') || ' ' || "
        "coalesce({r}.summary, '') || ' ' || coalesce({r}.further_information, '')",
        "{r}.case_id",
        "interviewee, notes, summary, further_information",
    ),
    6: ("letters", "coalesce({r}.draft, '')", "{r}.case_id", "draft"),
    7: (
        "correspondence",
        "coalesce({r}.sender, '') || ' ' || coalesce({r}.subject, '') || ' ' || "
        "coalesce({r}.body, '')",
        "{r}.case_id",
        "sender, subject, body",
    ),
}

# PostgreSQL: one expression GIN index per table; search.py uses the same expressions.
_PG_INDEXES: dict[str, str] = {
    "cases": "reference || ' ' || summary || ' ' || referrer_name || ' ' || service_area",
    "complainants": "name || ' ' || address || ' ' || postcode || ' ' || email",
    "issues": "summary || ' ' || explanation || ' ' || remedy || ' ' || action",
    "notes": "text",
    "interviews": "interviewee || ' ' || notes || ' ' || summary || ' ' || further_information",
    "letters": "coalesce(draft::text, '')",
    "correspondence": "sender || ' ' || subject || ' ' || body",
    "documents": "translate(filename, '-_.', '   ')",
}
"""Kept in step with :data:`caseworker.services.search.fulltext.PG_TEXT`."""


def _sqlite_upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(body, kind UNINDEXED, owner UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    for kind, (table, body, owner, watched) in _SOURCES.items():
        new_body, new_owner = body.format(r="NEW"), owner.format(r="NEW")
        insert_new = (
            f"INSERT INTO {FTS}(rowid, body, kind, owner) "
            f"VALUES (NEW.id * 8 + {kind}, {new_body}, {kind}, {new_owner});"
        )
        delete_old = f"DELETE FROM {FTS} WHERE rowid = OLD.id * 8 + {kind};"
        op.execute(
            f"CREATE TRIGGER {FTS}_{table}_ai AFTER INSERT ON {table} BEGIN {insert_new} END"
        )
        op.execute(
            f"CREATE TRIGGER {FTS}_{table}_au AFTER UPDATE OF {watched} ON {table} "
            f"BEGIN {delete_old} {insert_new} END"
        )
        op.execute(
            f"CREATE TRIGGER {FTS}_{table}_ad AFTER DELETE ON {table} BEGIN {delete_old} END"
        )
        op.execute(
            f"INSERT INTO {FTS}(rowid, body, kind, owner) SELECT id * 8 + {kind}, "
            f"{body.format(r=table)}, {kind}, {owner.format(r=table)} FROM {table}"
        )


def _sqlite_downgrade() -> None:
    for table, *_ in _SOURCES.values():
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{table}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")


def upgrade() -> None:
    op.create_table(
        "correspondence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("sender", sa.String(length=300), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source_filename", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_correspondence_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correspondence")),
    )
    op.create_index(op.f("ix_correspondence_case_id"), "correspondence", ["case_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("correspondence_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=200), nullable=False),
        sa.Column("removal_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_documents_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_documents_issue_id_issues"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["correspondence_id"],
            ["correspondence.id"],
            name=op.f("fk_documents_correspondence_id_correspondence"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index("ix_documents_case_removed", "documents", ["case_id", "removed_at"])
    op.create_index(op.f("ix_documents_issue_id"), "documents", ["issue_id"])
    op.create_index(op.f("ix_documents_correspondence_id"), "documents", ["correspondence_id"])
    op.create_index(op.f("ix_documents_sha256"), "documents", ["sha256"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        for table, expression in _PG_INDEXES.items():
            op.execute(
                f"CREATE INDEX ix_{table}_fulltext ON {table} "
                f"USING gin (to_tsvector('english', {expression}))"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_downgrade()
    elif dialect == "postgresql":
        for table in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_fulltext")
    op.drop_table("documents")
    op.drop_table("correspondence")
