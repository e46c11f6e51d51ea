"""The case list's free-text filter on PostgreSQL through one index of the case's own columns
(issue 20: "fast where officers feel it"):

``ix_cases_list_words_fulltext``: a GIN index over ``to_tsvector('simple', …)`` of the case's
reference, service area and complainant's name (``complainant_key``, the name 0012's triggers
keep on the case). It replaces 0007's two indexes, one of the cases' reference and service area
and one of the complainants' names, which the filter used as "the case's own words match, or its
complainant is one of those whose name matches": with a common start of a name ("Larch", 12,499
cases of 250,000) the complainants' ids came back as an array the page tested each row against
one by one while it walked the date order, 119 ms for the first page and the count, 156 ms for a
rarer name (845 cases) where the walk went further, and the planner could not tell how many
cases a name matched. With one index of the case's row the planner reads how common the words
are from its statistics: it walks the date order for a common word and stops at a page, and
takes a rare one's few cases from the index (4-50 ms for the same names).

The words may now come from any of the three, as on SQLite ("parker housing": Tom Parker's
housing complaint), where before each had to be all in the name or all in the reference and
service area.

On SQLite nothing changes: 0007's full-text table already holds the three together.

Revision ID: 0031
Revises: 0030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORDS = "ix_cases_list_words_fulltext"
LIST_TEXT = "reference || ' ' || service_area || ' ' || complainant_key"
"""Kept in step with :data:`caseworker.services.lists.caselist.PG_LIST_TEXT` (the filter must
use this exact expression for PostgreSQL to use the index)."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX {WORDS} ON cases USING gin (to_tsvector('simple', {LIST_TEXT}))")
    op.execute("DROP INDEX IF EXISTS ix_cases_list_fulltext")
    op.execute("DROP INDEX IF EXISTS ix_complainants_name_fulltext")
    # The statistics of the new index's expression: how common each word is, which decides
    # between walking the list's order and reading the index (autovacuum may not analyse the
    # cases again for weeks). An empty table is left unanalysed: analysed, the planner would
    # take it for empty until autovacuum looked again after the first cases came in.
    if op.get_bind().scalar(sa.text("SELECT EXISTS (SELECT 1 FROM cases)")):
        op.execute("ANALYZE cases")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_cases_list_fulltext ON cases "
        "USING gin (to_tsvector('simple', reference || ' ' || service_area))"
    )
    op.execute(
        "CREATE INDEX ix_complainants_name_fulltext ON complainants "
        "USING gin (to_tsvector('simple', name))"
    )
    op.execute(f"DROP INDEX IF EXISTS {WORDS}")
