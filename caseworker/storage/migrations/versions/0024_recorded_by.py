"""The officer who recorded a case sees it until it is allocated (issue 19).

An investigating officer who takes a complaint by phone and records it could not open it a
moment later: they saw only the cases allocated to them. A council expects the officer who took
the call to answer the complainant ringing back ("has my complaint been logged?") and to check
what they typed, until the line manager gives the case to someone. So a case remembers who
recorded it (``cases.recorded_by_id``) and that officer sees it while it is unallocated
(:func:`caseworker.services.permissions.check`, ``visible_to``); seeing is all: working on it
still waits for the allocation.

On PostgreSQL the row-level security policy ``cases_see`` (migration 0010) gains the same
term; everything hanging off a case follows it (its policies ask whether the case is seen).
The index is partial (unallocated cases only), one seek for the list's ``OR``.

Revision ID: 0024
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from caseworker.storage.revisions import earlier_migration

revision: str = "0024"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_cases_recorded_unallocated"
UNALLOCATED = "officer_id IS NULL"

_ME = "(SELECT caseworker_officer_id())"
_CM = "((SELECT caseworker_officer_role()) = 'complaints-manager')"
_LM = "((SELECT caseworker_officer_role()) = 'line-manager')"
_FRESH = "cases.xmin = (SELECT pg_current_xact_id_if_assigned()::xid)"
_BEFORE = (
    f"({_CM} OR cases.officer_id = {_ME} OR cases.stage1_officer_id = {_ME} "
    f"OR ({_LM} AND caseworker_area(cases.service_area) = (SELECT caseworker_officer_area())))"
)
"""Migration 0010's ``cases_see``: who sees a case."""
_RECORDED = f"(cases.recorded_by_id = {_ME} AND cases.officer_id IS NULL)"


def _search_function(recorded: bool) -> None:
    """Migration 0019's ``caseworker_search_ids`` made again with the same rule as
    ``cases_see``: the search keeps only the rows of cases the login can read, so a rule for
    seeing a case is given to both or the search silently misses cases (the database wall test
    compares the function with plain SQL as each login)."""
    search = earlier_migration("0019")
    op.execute(search._function(sees_case(search._SEES) if recorded else search._SEES, True))


def sees_case(before: str) -> str:
    """Migration 0019's rule for seeing the case ``{c}`` (``before``) with the recorder's term
    ($1 is the officer): ``cases_see`` from this migration on (0026 makes the function again)."""
    return f"({before[1:-1]} OR ({{c}}.recorded_by_id = $1 AND {{c}}.officer_id IS NULL))"


def _see_policy(condition: str) -> None:
    op.execute("DROP POLICY IF EXISTS cases_see ON cases")
    op.execute(f"CREATE POLICY cases_see ON cases FOR SELECT USING (({condition} OR {_FRESH}))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # a column with its reference, no table rebuilt
        op.execute("ALTER TABLE cases ADD COLUMN recorded_by_id INTEGER REFERENCES officers (id)")
    else:
        op.add_column(
            "cases",
            sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("officers.id"), nullable=True),
        )
    op.create_index(
        INDEX,
        "cases",
        ["recorded_by_id"],
        sqlite_where=sa.text(UNALLOCATED),
        postgresql_where=sa.text(UNALLOCATED),
    )
    if op.get_bind().dialect.name == "postgresql":
        _see_policy(f"({_BEFORE[1:-1]} OR {_RECORDED})")
        _search_function(recorded=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _see_policy(_BEFORE)
        _search_function(recorded=False)
    op.drop_index(INDEX, table_name="cases")
    # SQLite drops the column in place (3.35+), its reference too: no table rebuilt, so the
    # full-text triggers on cases stay as they are.
    op.drop_column("cases", "recorded_by_id")
