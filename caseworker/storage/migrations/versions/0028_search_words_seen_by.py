"""Search as an investigating officer: the words of issues, notes and interviews kept by
PostgreSQL with the columns of their case that decide who sees it (issue 20).

An officer's search (as their own login through ``caseworker_search_ids``, or as the owner with
the app's condition) found each table's matches through its full-text index and then kept those
of the cases the officer sees. The index knows which rows match, not their case: "council" at
250,000 cases read all 27,045 matching issues from the issues table (12,199 pages) and the
officer's 6,474 cases from theirs to test each one, 87 ms for the issues, 61 for the notes (the
officer's cases again, hashed), 25 for the interviews; the officer's own issues hold none of
them. Reading the officer's cases' issues first and testing each one's words parsed 10,351
issues (0.2-0.3 s), and passing the officer's case ids in did not change the planner's mind.

So each issue's, note's and interview's words (migration 0006's indexed expression, parsed)
are kept in ``search_fts_issues``, ``search_fts_notes`` and ``search_fts_interviews`` with
copies of their case's ``officer_id``, ``stage1_officer_id``, ``recorded_by_id`` and
``service_area`` (and its id), each of the first three indexed as on the cases, the words by a
GIN index: the rule for seeing a case (the policy ``cases_see``, the app's
``permissions.visible_to``) applies to a kept row as it is, and PostgreSQL answers the officer's
rows and the word's matches by indexes together (a bitmap of both), reading only the rows that
are both (none for "council": 8 ms for the issues instead of 87). Kept current by triggers: each
record's own as its text (or its case) changes, and the cases' as the columns that decide who
sees a case change (an allocation). Like migration 0026's ``search_fts_cases`` they are the
search's index, not data: not audited, not granted to officers' logins (the triggers write them
as the owner), not in the JSON backup (a restore's rows fill them again).

``caseworker_search_ids`` (0019, 0026) reads them for these three tables: for an officer
by the rule above, for a complaints manager the newest first.

SQLite is unchanged (its FTS5 index keeps each record's case with its words already).

Revision ID: 0028
Revises: 0027
"""

import re
from collections.abc import Sequence

from alembic import op

from caseworker.storage.revisions import earlier_migration

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "search_fts_"
FUNCTION = "caseworker_search_ids"
SEEN_BY = ("officer_id", "stage1_officer_id", "recorded_by_id", "service_area")
"""The columns of a case that decide who sees it (``cases_see``), copied to its records' kept
words."""
KEPT: dict[str, tuple[str, str, str]] = {
    # table: (its case's id from the row NEW, the joins from the record t to its case c, the
    # trigger function that keeps its words)
    "issues": ("NEW.case_id", " JOIN cases c ON c.id = t.case_id", "caseworker_issue_words"),
    "notes": (
        "(SELECT i.case_id FROM issues i WHERE i.id = NEW.issue_id)",
        " JOIN issues i ON i.id = t.issue_id JOIN cases c ON c.id = i.case_id",
        "caseworker_note_words",
    ),
    "interviews": (
        "NEW.case_id",
        " JOIN cases c ON c.id = t.case_id",
        "caseworker_interview_words",
    ),
}
WATCHED = {
    "issues": "case_id",
    "notes": "issue_id",
    "interviews": "case_id",
}
"""Besides the words' own columns: the column that says which case a record belongs to."""
SEEN_TRIGGER, SEEN_FUNCTION = "cases_search_seen_by", "caseworker_case_seen_by"


def _columns(table: str) -> list[str]:
    """The columns of ``table``'s indexed expression (migration 0006)."""
    expression = str(earlier_migration("0006")._PG_INDEXES[table])
    return [part.strip() for part in expression.split("|| ' ' ||")]


def _expression(table: str, row: str) -> str:
    """Migration 0006's indexed expression for ``table`` with its columns those of ``row``."""
    expression = str(earlier_migration("0006")._PG_INDEXES[table])
    names = "|".join(_columns(table))
    return re.sub(rf"\b({names})\b(?!')", rf"{row}.\1", expression)


def _words(table: str) -> str:
    return PREFIX + table


def _keep_function(table: str) -> str:
    """The trigger function that keeps ``table``'s kept row for the row ``NEW`` (and, for an
    issue moved to another case, its notes' case columns). The case is locked as an update of
    it would (``FOR NO KEY UPDATE``): a record written while its case is being allocated waits
    for the allocation and copies its result (the allocation's own trigger could not see the
    record's uncommitted row). Not ``FOR SHARE``: two people each adding a record to the same
    case and then saving the case would each hold a share of it and wait for the other's to
    update it, a deadlock; with the update's own lock the second waits from its record on."""
    case_of_new, _, function = KEPT[table]
    words = _words(table)
    copied = ", ".join(f"c.{column}" for column in SEEN_BY)
    updated = ", ".join(f"{column} = EXCLUDED.{column}" for column in ("case_id", *SEEN_BY))
    moved = ""
    if table == "issues":
        notes = _words("notes")
        moved = (
            " IF TG_OP = 'UPDATE' AND NEW.case_id IS DISTINCT FROM OLD.case_id THEN "
            f"UPDATE {notes} w SET case_id = c.id, "
            + ", ".join(f"{column} = c.{column}" for column in SEEN_BY)
            + " FROM cases c WHERE c.id = NEW.case_id AND w.id IN "
            "(SELECT n.id FROM notes n WHERE n.issue_id = NEW.id); END IF;"
        )
    return (
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = public AS $$ BEGIN INSERT INTO {words} (id, case_id, "
        f"{', '.join(SEEN_BY)}, words) SELECT NEW.id, c.id, {copied}, "
        f"to_tsvector('english', {_expression(table, 'NEW')}) FROM cases c "
        f"WHERE c.id = {case_of_new} FOR NO KEY UPDATE OF c "
        f"ON CONFLICT (id) DO UPDATE SET {updated}, words = EXCLUDED.words;{moved} "
        "RETURN NULL; END $$"
    )


def _seen_function() -> str:
    """The cases' trigger function: a case's columns that decide who sees it, copied to its
    records' kept words when they change (an allocation, say)."""
    copies = ", ".join(f"{column} = NEW.{column}" for column in SEEN_BY)
    updates = " ".join(f"UPDATE {_words(t)} SET {copies} WHERE case_id = NEW.id;" for t in KEPT)
    return (
        f"CREATE FUNCTION {SEEN_FUNCTION}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = public AS $$ BEGIN {updates} RETURN NULL; END $$"
    )


def _function(kept: bool) -> str:
    """``caseworker_search_ids(source, query, newest)`` as migration 0026 made it, with (``kept``)
    the issues', notes' and interviews' matches from their kept words: for a complaints manager
    the newest first, for anyone else by the rule for seeing a case applied to the kept row's
    copy of its case's columns (their indexes and the words' index together)."""
    made = earlier_migration("0026")._function()
    if not kept:
        return made
    sees = earlier_migration("0024").sees_case(earlier_migration("0019")._SEES).format(c="w")
    for table in KEPT:
        words = _words(table)
        branch = re.search(
            rf"  ELSIF source = '{table}' THEN\n.*?\n(?=  (ELSIF|END IF))", made, re.S
        )
        assert branch is not None, table
        made = made.replace(
            branch.group(0),
            f"  ELSIF source = '{table}' AND role = 'complaints-manager' THEN\n"
            f"    RETURN QUERY EXECUTE $q$SELECT w.id FROM {words} w WHERE w.words @@ $1 "
            "ORDER BY w.id DESC LIMIT $2$q$ USING query, newest;\n"
            f"  ELSIF source = '{table}' THEN\n"
            # The matches asked for in full (a LIMIT would have the planner walk the newest
            # rows one by one, the officer's few among them), then the newest taken.
            "    RETURN QUERY EXECUTE $q$SELECT n.id FROM unnest(ARRAY(SELECT w.id "
            f"FROM {words} w WHERE w.words @@ $4 AND {sees})) AS n(id) "
            "ORDER BY n.id DESC LIMIT $5$q$ USING me, role, area, query, newest;\n",
        )
    return made.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    filled = op.get_bind().exec_driver_sql("SELECT EXISTS (SELECT 1 FROM cases)").scalar_one()
    for table, (_, joins, function) in KEPT.items():
        words = _words(table)
        op.execute(
            f"CREATE TABLE {words} (id integer PRIMARY KEY REFERENCES {table} (id) "
            "ON DELETE CASCADE, case_id integer NOT NULL, officer_id integer, "
            "stage1_officer_id integer, recorded_by_id integer, "
            "service_area varchar(200) NOT NULL, words tsvector NOT NULL)"
        )
        op.execute(
            f"INSERT INTO {words} SELECT t.id, c.id, "
            + ", ".join(f"c.{column}" for column in SEEN_BY)
            + f", to_tsvector('english', {_expression(table, 't')}) FROM {table} t{joins}"
        )
        # Who sees a row by the same indexes as on the cases (the recorder's only while the
        # case is unallocated, as ix_cases_recorded_unallocated); the case, for its trigger.
        op.execute(f"CREATE INDEX ix_{words}_case_id ON {words} (case_id)")
        op.execute(f"CREATE INDEX ix_{words}_officer_id ON {words} (officer_id)")
        op.execute(f"CREATE INDEX ix_{words}_stage1_officer_id ON {words} (stage1_officer_id)")
        op.execute(
            f"CREATE INDEX ix_{words}_recorded_unallocated ON {words} (recorded_by_id) "
            "WHERE officer_id IS NULL"
        )
        op.execute(f"CREATE INDEX ix_{words}_fulltext ON {words} USING gin (words)")
        op.execute(_keep_function(table))
        watched = ", ".join([*_columns(table), WATCHED[table]])
        op.execute(
            f"CREATE TRIGGER {table}_search_words AFTER INSERT OR UPDATE OF {watched} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        if filled:  # its statistics for the planner (see 0026)
            op.execute(f"ANALYZE {words}")
    op.execute(_seen_function())
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in SEEN_BY)
    op.execute(
        f"CREATE TRIGGER {SEEN_TRIGGER} AFTER UPDATE OF {', '.join(SEEN_BY)} ON cases "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {SEEN_FUNCTION}()"
    )
    op.execute(_function(kept=True))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text, tsquery, integer)")
    op.execute(_function(kept=False))
    op.execute(f"DROP TRIGGER IF EXISTS {SEEN_TRIGGER} ON cases")
    op.execute(f"DROP FUNCTION IF EXISTS {SEEN_FUNCTION}()")
    for table, (_, _, function) in KEPT.items():
        op.execute(f"DROP TRIGGER IF EXISTS {table}_search_words ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        op.execute(f"DROP TABLE IF EXISTS {_words(table)}")
