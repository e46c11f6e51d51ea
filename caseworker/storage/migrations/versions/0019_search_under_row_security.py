"""Search: an officer's own login through the full-text indexes, and the newest matches ranked
(issue 20).

PostgreSQL: under row-level security a query's own conditions run after the policies' unless
they are leakproof, and the full-text match (``to_tsvector(...) @@ query``) is not, so it could
not be an index condition: an officer's search read each table through its policy (every issue,
note and complainant of every case the officer sees, each one's text parsed again) and took
4.4 s at 250,000 cases where the owner's took 0.37 s. ``caseworker_search_ids(source, query)``
finds the matching rows of one table through its GIN index and keeps those of the cases the
connected officer may see, by the rule of the policies of migration 0010 (and 0011 for
complainants): it returns only ids of rows the login can already read, and the app then reads
those rows as the login, so the policies still apply to every row read. SECURITY DEFINER so that
the index can be used (the owner is not subject to the policies); the officer is
``session_user``, as in the policies. The app calls it only where row-level security applies
(``row_security_active``); the owner searches the indexes itself, as before.

SQLite: search ranks (bm25) only the first :data:`caseworker.services.search.fulltext.RANKED`
matches in the order of where they were found (the case's own details, the complainant, issues,
notes, interviews, letters, emails, documents) and, within each, newest first: ranking every
match of a common word ("council": 75,000 records at 250,000 cases) cost more than the 100 ms a
search may take. FTS5 gives its matches cheaply only in rowid order (and stops at a LIMIT), so
that order must be the rowids': a record's rowid is now ``block << 40 | id``, the case's details
in the highest block, instead of ``id * 8 + kind``. The index is made again from its own content
under the new rowids, and the triggers that keep it current are made again (half a minute of
work at 250,000 cases on a quiet machine, two on a busy one).

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

from alembic import op

from caseworker.storage.revisions import earlier_migration

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "caseworker_search_ids"

_SEES = (
    "($2 = 'complaints-manager' OR {c}.officer_id = $1 OR {c}.stage1_officer_id = $1 "
    "OR ($2 = 'line-manager' AND caseworker_area({c}.service_area) = $3))"
)
"""Migration 0010's ``cases_see`` for the case ``{c}``: $1 the officer, $2 their role, $3 their
service area (as ``caseworker_area`` spells it)."""


def _searched(sees: str) -> dict[str, tuple[str, str]]:
    """table: (the indexed expression of migration 0006, the rule for seeing the row), with
    ``sees`` the rule for seeing the case ``{c}`` (a later migration that changes ``cases_see``
    makes the function again with its own)."""

    def of_case(case_id: str) -> str:
        return f"EXISTS (SELECT 1 FROM cases c WHERE c.id = {case_id} AND {sees.format(c='c')})"

    # The indexed expressions are kept in step with caseworker.services.search.fulltext.PG_TEXT.
    return {
        "cases": (
            "t.reference || ' ' || t.summary || ' ' || t.referrer_name || ' ' || t.service_area",
            sees.format(c="t"),
        ),
        "complainants": (
            "t.name || ' ' || t.address || ' ' || t.postcode || ' ' || t.email",
            "($2 = 'complaints-manager' OR EXISTS (SELECT 1 FROM cases c "
            f"WHERE c.complainant_id = t.id AND {sees.format(c='c')}))",
        ),
        "issues": (
            "t.summary || ' ' || t.explanation || ' ' || t.remedy || ' ' || t.action",
            of_case("t.case_id"),
        ),
        "notes": ("t.text", of_case("(SELECT i.case_id FROM issues i WHERE i.id = t.issue_id)")),
        "interviews": (
            "t.interviewee || ' ' || t.notes || ' ' || t.summary || ' ' || t.further_information",
            of_case("t.case_id"),
        ),
        "letters": ("coalesce(t.draft::text, '')", of_case("t.case_id")),
        "correspondence": ("t.sender || ' ' || t.subject || ' ' || t.body", of_case("t.case_id")),
        "documents": ("translate(t.filename, '-_.', '   ')", of_case("t.case_id")),
    }


def _function(sees_case: str = _SEES, replace: bool = False) -> str:
    """The function's definition with ``sees_case`` the rule for seeing a case."""
    branches = []
    for number, (table, (expression, sees)) in enumerate(_searched(sees_case).items()):
        keyword = "IF" if number == 0 else "ELSIF"
        statement = (
            f"SELECT t.id FROM {table} t WHERE to_tsvector('english', {expression}) @@ $4 "
            f"AND {sees}"
        )
        branches.append(
            f"  {keyword} source = '{table}' THEN\n"
            f"    RETURN QUERY EXECUTE $q${statement}$q$ USING me, role, area, query;"
        )
    # EXECUTE plans each call with the officer's values, so a complaints manager's search has
    # no condition left and an investigating officer's reads their cases by their indexes.
    return (
        f"CREATE {'OR REPLACE ' if replace else ''}FUNCTION {FUNCTION}(source text, "
        "query tsquery) RETURNS SETOF integer\n"
        "LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $fn$\n"
        "DECLARE\n"
        "  me integer := caseworker_officer_id();\n"
        "  role text := caseworker_officer_role();\n"
        "  area text := caseworker_officer_area();\n"
        "BEGIN\n"
        "  IF me IS NULL THEN RETURN; END IF;\n" + "\n".join(branches) + "\n  END IF;\nEND\n$fn$"
    )


FTS = "search_fts"
BLOCK = {1: 8, 2: 7, 3: 6, 4: 5, 5: 4, 6: 3, 7: 2, 0: 1}
"""kind: its block of rowids (kind 1 the case, 2 the complainant, 3 an issue, 4 a note, 5 an
interview, 6 a letter, 7 an email, 0 a document); kept in step with
:data:`caseworker.services.search.fulltext.BLOCK`."""
SHIFT = 40


def _sources() -> dict[int, tuple[str, str, str, str]]:
    """Migration 0006's indexed records: kind: (table, body, owner, watched columns)."""
    return earlier_migration("0006")._SOURCES


def _rowid(kind: int, record: str, new: bool) -> str:
    return f"{record}.id + {BLOCK[kind] << SHIFT}" if new else f"{record}.id * 8 + {kind}"


def _drop_triggers() -> None:
    for table, *_ in _sources().values():
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{table}_{suffix}")


def _triggers(new: bool) -> None:
    for kind, (table, body, owner, watched) in _sources().items():
        insert_new = (
            f"INSERT INTO {FTS}(rowid, body, kind, owner) VALUES ({_rowid(kind, 'NEW', new)}, "
            f"{body.format(r='NEW')}, {kind}, {owner.format(r='NEW')});"
        )
        delete_old = f"DELETE FROM {FTS} WHERE rowid = {_rowid(kind, 'OLD', new)};"
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


def _renumber(new: bool) -> None:
    """The index made again from its own content, each record under its rowid (new or old)."""
    if new:
        blocks = " ".join(f"WHEN {k} THEN {b << SHIFT}" for k, b in BLOCK.items())
        rowid = f"(rowid - kind) / 8 + (CASE kind {blocks} END)"
    else:
        rowid = f"(rowid & {(1 << SHIFT) - 1}) * 8 + kind"
    op.execute(f"ALTER TABLE {FTS} RENAME TO {FTS}_before")
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(body, kind UNINDEXED, owner UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        f"INSERT INTO {FTS}(rowid, body, kind, owner) "
        f"SELECT {rowid}, body, kind, owner FROM {FTS}_before"
    )
    op.execute(f"DROP TABLE {FTS}_before")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_function())
    elif dialect == "sqlite":
        _drop_triggers()
        _renumber(new=True)
        _triggers(new=True)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery)")
    elif dialect == "sqlite":
        _drop_triggers()
        _renumber(new=False)
        _triggers(new=False)
