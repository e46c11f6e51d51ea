"""Search: the cases' words kept by PostgreSQL in a narrow table of their own, so the newest
matches of a common word are read without reading every match (issue 20).

A search ranks the newest :data:`caseworker.services.search.fulltext.RANKED` matches, the cases'
own details first. On PostgreSQL the cases' matches came from their GIN index over
``to_tsvector(...)``, which knows which rows match but not their ids: "council" (44,093 cases of
250,000) read every one of them from the cases table, nearly every page of it, to keep the
newest 1,000 (the hand-written statement alone took 232 ms on a loaded machine). Reading the
cases newest first and testing each one's words stops after about 6,000, but only if the words
are there to test: parsing each case's text again costs more than the scan it saves.

So each case's words (migration 0006's indexed expression, parsed) are kept in
``search_fts_cases`` (id, words), filled here and kept current by a trigger on the cases, with
a full-text index of its own. The planner, with its statistics, walks it newest first for a word
found in many cases and uses the index for a rarer one; the stored words also rank the matches
without parsing them again. The cases' own full-text index stays: an investigating officer's
few cases are found through it and their officer indexes together, reading only the matches.
Not a column of the cases: that made every scan of the cases (the yearly report's) read a third
more pages. Like SQLite's ``search_fts`` tables it is the search's index, not data
(:data:`caseworker.storage.models.FULLTEXT_TABLES`): not audited, not granted to officers' logins
(the trigger writes it as the owner), not in the JSON backup (a restore's cases fill it again).
The row-level security function of 0019 reads it for a complaints manager's login, and gives
only the newest ``newest`` ids (``NULL``: all).

SQLite is unchanged (its FTS5 index already gives matches in that order).

Revision ID: 0026
Revises: 0025
"""

import re
from collections.abc import Sequence

from alembic import op

from caseworker.storage.revisions import earlier_migration

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORDS = "search_fts_cases"
KEEP = "caseworker_case_words"
FUNCTION = "caseworker_search_ids"


def _expression(row: str = "") -> str:
    """Migration 0006's indexed expression for the cases (as ``fulltext.PG_TEXT`` has it), its
    columns those of ``row`` (``NEW``, say) if given."""
    expression = str(earlier_migration("0006")._PG_INDEXES["cases"])
    if not row:
        return expression
    return re.sub(r"\b(reference|summary|referrer_name|service_area)\b", rf"{row}.\1", expression)


def _function() -> str:
    """``caseworker_search_ids(source, query, newest)``: 0019's function with 0024's rule for
    seeing a case, giving only the newest ``newest`` ids (by id); a complaints manager's cases
    (every case) through their kept words."""
    search = earlier_migration("0019")
    sees = earlier_migration("0024").sees_case(search._SEES)
    # A complaints manager sees every case (cases_see): the newest first for a common word, the
    # index for a rarer one. Anyone else's cases are found by their own indexes and the cases'
    # full-text index together (a bitmap of both, only the matches among them read), below.
    branches = [
        "  IF source = 'cases' AND role = 'complaints-manager' THEN\n"
        f"    RETURN QUERY EXECUTE $q$SELECT w.id FROM {WORDS} w WHERE w.words @@ $1 "
        "ORDER BY w.id DESC LIMIT $2$q$ USING query, newest;"
    ]
    for table, (expression, seen) in search._searched(sees).items():
        # The words are parsed per row: the matches are asked for in full, through the index
        # (given the LIMIT, the planner would test the newest rows one by one).
        statement = (
            f"SELECT n.id FROM unnest(ARRAY(SELECT t.id FROM {table} t "
            f"WHERE to_tsvector('english', {expression}) @@ $4 AND {seen})) AS n(id) "
            "ORDER BY n.id DESC LIMIT $5"
        )
        branches.append(
            f"  ELSIF source = '{table}' THEN\n"
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE TABLE {WORDS} (id integer PRIMARY KEY "
        "REFERENCES cases (id) ON DELETE CASCADE, words tsvector NOT NULL)"
    )
    op.execute(f"INSERT INTO {WORDS} SELECT id, to_tsvector('english', {_expression()}) FROM cases")
    op.execute(f"CREATE INDEX ix_{WORDS}_fulltext ON {WORDS} USING gin (words)")
    # Kept as the owner (officers' logins have no rights on it) by each change of the words.
    op.execute(
        f"CREATE FUNCTION {KEEP}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = public AS $$ BEGIN INSERT INTO {WORDS} (id, words) VALUES "
        f"(NEW.id, to_tsvector('english', {_expression('NEW')})) ON CONFLICT (id) DO UPDATE "
        "SET words = EXCLUDED.words; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER cases_search_words AFTER INSERT OR UPDATE OF reference, summary, "
        f"referrer_name, service_area ON cases FOR EACH ROW EXECUTE FUNCTION {KEEP}()"
    )
    if op.get_bind().exec_driver_sql("SELECT EXISTS (SELECT 1 FROM cases)").scalar_one():
        # Its statistics, for the planner's choice (an empty one gets them from autovacuum as
        # it fills: analysed empty, it would be planned as one row until then).
        op.execute(f"ANALYZE {WORDS}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery)")
    op.execute(_function())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery, integer)")
    earlier_migration("0024")._search_function(recorded=True)
    op.execute("DROP TRIGGER IF EXISTS cases_search_words ON cases")
    op.execute(f"DROP FUNCTION IF EXISTS {KEEP}()")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
