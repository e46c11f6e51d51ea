"""Search: the cases' words kept by PostgreSQL, so the newest matches of a common word are read
without reading every match (issue 20).

A search ranks the newest :data:`caseworker.services.search.fulltext.RANKED` matches, the cases'
own details first. On PostgreSQL the cases' matches came from their GIN index over
``to_tsvector(...)``, which knows which rows match but not their ids: "council" (44,093 cases of
250,000) read every one of them from the table, nearly every page of it, to keep the newest
1,000 (about 130 ms of the 232 ms that the hand-written statement took on a loaded machine).
Reading the cases newest first and testing each one's words stops after about 6,000 cases,
but only if the words are there to test: parsing each case's text again costs more than the
scan it saves (20 µs a case).

So the cases' words are a stored column, ``cases.search_words``, kept by the database from the
indexed expression of migration 0006 (generated, never written by the app), and the full-text
index is made on it. The planner, with the column's statistics, walks the cases newest first
for a word found in many of them and uses the index for a rarer one; the stored words also
rank the matches without parsing them again. The database's trail does not record the column
(:data:`caseworker.storage.audit.NOISE`: the trail's functions are made again), and neither
schema comparison nor the JSON backup carry it. The row-level security function of 0019 reads
the column too and gives only the newest ``newest`` ids (``NULL``: all, as before).

SQLite is unchanged (its FTS5 index already gives matches in that order).

Revision ID: 0025
Revises: 0024
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMN = "search_words"
INDEX = "ix_cases_fulltext"
FUNCTION = "caseworker_search_ids"


def _migration(number: str) -> ModuleType:
    """An earlier migration's module (``number``: the start of its file's name)."""
    (path,) = Path(__file__).parent.glob(f"{number}_*.py")
    spec = importlib.util.spec_from_file_location(f"caseworker_migration_{number}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expression() -> str:
    """Migration 0006's indexed expression for the cases (as ``fulltext.PG_TEXT`` has it)."""
    return str(_migration("0006")._PG_INDEXES["cases"])


def _function() -> str:
    """``caseworker_search_ids(source, query, newest)``: 0019's function with 0024's rule for
    seeing a case, the cases' stored words, and only the newest ``newest`` ids (by id)."""
    search = _migration("0019")
    sees = _migration("0024").sees_case(search._SEES)
    branches = []
    for number, (table, (expression, seen)) in enumerate(search._searched(sees).items()):
        keyword = "IF" if number == 0 else "ELSIF"
        if table == "cases":
            # The planner sees the LIMIT: newest first for a common word, the index otherwise.
            statement = (
                f"SELECT t.id FROM cases t WHERE t.{COLUMN} @@ $4 AND {seen} "
                "ORDER BY t.id DESC LIMIT $5"
            )
        else:
            # The words are parsed per row: the matches are asked for in full, through the
            # index (given the LIMIT, the planner would test the newest rows one by one).
            statement = (
                f"SELECT n.id FROM unnest(ARRAY(SELECT t.id FROM {table} t "
                f"WHERE to_tsvector('english', {expression}) @@ $4 AND {seen})) AS n(id) "
                "ORDER BY n.id DESC LIMIT $5"
            )
        branches.append(
            f"  {keyword} source = '{table}' THEN\n"
            f"    RETURN QUERY EXECUTE $q${statement}$q$ USING me, role, area, query, newest;"
        )
    return (
        f"CREATE FUNCTION {FUNCTION}(source text, query tsquery, newest integer DEFAULT NULL) "
        "RETURNS SETOF integer\n"
        "LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $fn$\n"
        "DECLARE\n"
        "  me integer := caseworker_officer_id();\n"
        "  role text := caseworker_officer_role();\n"
        "  area text := caseworker_officer_area();\n"
        "BEGIN\n"
        "  IF me IS NULL THEN RETURN; END IF;\n" + "\n".join(branches) + "\n  END IF;\nEND\n$fn$"
    )


def _audit_functions() -> None:
    """The trail's functions made again, so that they leave out the columns the app's list
    (NOISE) now names, this one among them."""
    from caseworker.storage import pgaudit

    installed = op.get_bind().exec_driver_sql(
        "SELECT to_regprocedure('caseworker_audit_row()') IS NOT NULL"
    )
    if installed.scalar_one():
        pgaudit.install(op.get_bind())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(
        f"ALTER TABLE cases ADD COLUMN {COLUMN} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('english', {_expression()})) STORED"
    )
    op.execute(f"CREATE INDEX {INDEX} ON cases USING gin ({COLUMN})")
    if op.get_bind().exec_driver_sql("SELECT EXISTS (SELECT 1 FROM cases)").scalar_one():
        # The column's statistics, for the planner's choice (an empty table gets them from
        # autovacuum as it fills, as before: analysed empty, it would be planned as one row).
        op.execute("ANALYZE cases")
    _audit_functions()
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery)")
    op.execute(_function())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery, integer)")
    _migration("0024")._search_function(recorded=True)
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(f"ALTER TABLE cases DROP COLUMN {COLUMN}")
    op.execute(f"CREATE INDEX {INDEX} ON cases USING gin (to_tsvector('english', {_expression()}))")
