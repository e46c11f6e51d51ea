"""Grow a PostgreSQL benchmark database to N times its cases, in SQL (issue 20: 1,000,000 cases).

    createdb -T caseworker_bench million_bench
    python benchmarks/grow.py --db 'postgresql+psycopg://root@/million_bench?host=/var/run/postgresql'

Filling 750,000 more demo cases through the app's generator ran over an hour; this copies the
database's own cases instead, ``--times`` 4 by default (250,000 -> 1,000,000: a shared service
for several councils), each copy a council like the first. One ``INSERT ... SELECT`` per table,
in one transaction:

* **What is copied**: the officers (each copy its own staff, so that an officer's workload, and
  with it Today's busiest officer, stays a council's; e-mail addresses tagged ``+councilK``, no
  login), the complainants, the cases and every table that refers to them, found from the
  database's foreign keys (issues, notes, letters, allocations, extensions, documents...), and
  the audit trail of those rows. New ids are the old plus ``K`` times the table's highest id;
  every foreign key into a copied table moves with it.
* **References** stay ``CW-YYYY-NNNNN``: copy ``K`` of a year's case number ``n`` is
  ``n + K * (the year's highest number)``, as if the service had numbered them all in turn,
  and each year's counter moves past them (the app's next reference is free).
* **Kept columns**: the list's sort keys (``due_key``, ``complainant_key``, ``officer_key``,
  migration 0012) are set by the database's own trigger as each copied case goes in; the
  full-text search is expression indexes (migrations 0006, 0007), kept by the inserts. Checked
  after the copy.
* **Audit**: the database's audit trigger (``caseworker_audit``, issue 17) is disabled on each
  copied table inside the copying transaction only (``ALTER TABLE ... DISABLE TRIGGER`` is
  transactional: nobody else ever sees it off; the tables' owner may do it), so the copies are
  not recorded as 750,000 new cases made today by the benchmark; instead the originals' trail is
  copied with the copies' ids (``--no-trail``: leave the trail as it is).
* Then the id sequences move past the new ids, and ``VACUUM ANALYZE``.

Use it only on a copy nobody else is using: it writes every table it copies. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict

import common
from sqlalchemy import Connection, text

from caseworker.storage.database import make_engine
from caseworker.storage.pgaudit import TRIGGER

ROOTS = ("officers", "complainants", "cases")
"""Copied whatever refers to them; then every table referring to a copied one (but officers:
the staff are copied with their council, tables that merely name an officer are not for that)."""

REFERENCE = r"^[A-Z]+-[0-9]{4}-[0-9]+$"
SPECIAL = {
    ("cases", "reference"): "{prefix} || '-' || y.year || '-' || "
    "to_char(split_part(t.reference, '-', 3)::integer + k * y.highest, 'FM9999999900000')",
    ("officers", "email"): "regexp_replace(t.email, '@', '+council' || (k + 1) || '@')",
    ("officers", "login"): "NULL",
}
"""Columns that must differ in each copy and are not ids: each table's unique columns."""


def foreign_keys(connection: Connection) -> list[tuple[str, str, str]]:
    """(table, column, referred table) of every foreign key in the public schema."""
    rows = connection.execute(
        text(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
            "array_length(c.conkey, 1) FROM pg_constraint c JOIN pg_attribute a "
            "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"
        )
    ).all()
    if any(width != 1 for *_, width in rows):
        raise SystemExit("a foreign key of several columns: teach grow.py about it")
    return [(table, column, referred) for table, column, referred, _ in rows]


KEPT_BY_THE_DATABASE = {
    "search_fts_cases",
    "search_fts_issues",
    "search_fts_notes",
    "search_fts_interviews",
}
"""Tables that refer to the cases (or their records) but are filled by the database's own
triggers as each row goes in (the parsed words for search, migrations 0026 and 0028): copying
them too would give each row twice. Checked after the copy."""


def copied_tables(keys: list[tuple[str, str, str]]) -> list[str]:
    """The tables to copy, each after the tables it refers to."""
    copied = set(ROOTS)
    while True:
        more = {
            t
            for t, _, r in keys
            if r in copied and r != "officers" and t not in KEPT_BY_THE_DATABASE
        } - copied
        if not more:
            break
        copied |= more
    order: list[str] = []
    while len(order) < len(copied):
        ready = sorted(
            t
            for t in copied - set(order)
            if all(r in order or r == t for tt, _, r in keys if tt == t and r in copied)
        )
        if not ready:
            raise SystemExit("the copied tables refer to each other in a circle")
        order += ready
    return order


def columns(connection: Connection, table: str) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"
            ),
            {"t": table},
        ).scalars()
    )


def check_unique_columns(
    connection: Connection, tables: list[str], moved: dict[str, set[str]]
) -> None:
    """Refuse to copy a table with a unique index that the copy would break: one of no moved
    id and no column :data:`SPECIAL` makes different."""
    rows = connection.execute(
        text(
            "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, "
            "array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey)) FROM pg_index i "
            "WHERE i.indisunique AND i.indrelid::regclass::text = ANY(:tables)"
        ),
        {"tables": tables},
    ).all()
    for table, index, cols in rows:
        if not any(c in moved[table] or (table, c) in SPECIAL for c in cols):
            raise SystemExit(f"{index} on {table}({', '.join(cols)}) would be broken by a copy")


def grow(connection: Connection, times: int, *, trail: bool = True) -> dict[str, int]:
    """Copy the cases and everything of theirs ``times - 1`` more times; rows added per table."""
    keys = foreign_keys(connection)
    tables = copied_tables(keys)
    refers: dict[str, dict[str, str]] = defaultdict(dict)
    for table, column, referred in keys:
        if table in tables and referred in tables:
            refers[table][column] = referred
    moved = {t: {"id", *refers[t]} for t in tables}
    check_unique_columns(connection, tables, moved)
    odd = connection.execute(
        text("SELECT count(*) FROM cases WHERE reference !~ :shape"), {"shape": REFERENCE}
    ).scalar_one()
    if odd:
        raise SystemExit(f"{odd} cases' references are not PREFIX-YYYY-NNNNN")
    offset = {
        t: connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
        for t in (*tables, "audit_events")
    }
    audited = set(
        connection.execute(
            text(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = :name "
                "AND tgrelid::regclass::text = ANY(:tables)"
            ),
            {"name": TRIGGER, "tables": tables},
        ).scalars()
    )
    for table in sorted(audited):
        connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER {TRIGGER}'))
    added: dict[str, int] = {}
    copies = f"generate_series(1, {times - 1}) AS k"
    for table in tables:
        names = columns(connection, table)
        values = []
        for name in names:
            if name == "id":
                values.append(f"t.id + k * {offset[table]}")
            elif name in refers[table]:
                values.append(f"t.{name} + k * {offset[refers[table][name]]}")
            elif (table, name) in SPECIAL:
                values.append(SPECIAL[table, name].format(prefix="split_part(t.reference, '-', 1)"))
            else:
                values.append(f"t.{name}")
        source = f"{table} t, {copies}"
        if table == "cases":
            source = (
                "cases t JOIN (SELECT split_part(reference, '-', 2) AS year, "
                "max(split_part(reference, '-', 3)::integer) AS highest FROM cases GROUP BY 1) y "
                f"ON y.year = split_part(t.reference, '-', 2), {copies}"
            )
        quoted = ", ".join(f'"{n}"' for n in names)
        started = time.perf_counter()
        result = connection.execute(
            text(f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(values)} FROM {source}')
        )
        added[table] = result.rowcount
        print(
            f"  {table}: {result.rowcount:,} rows in {time.perf_counter() - started:.0f}s",
            file=sys.stderr,
            flush=True,
        )
    if trail:
        # The copied rows' trail, with the copies' ids; the rest (the demo's own line) once.
        entity_id = "CASE t.entity " + " ".join(
            f"WHEN '{t}' THEN t.entity_id + k * {offset[t]}" for t in tables
        )
        names = columns(connection, "audit_events")
        values = [
            f"t.id + k * {offset['audit_events']}"
            if n == "id"
            else f"t.case_id + k * {offset['cases']}"
            if n == "case_id"
            else f"{entity_id} ELSE t.entity_id END"
            if n == "entity_id"
            else f"t.{n}"
            for n in names
        ]
        started = time.perf_counter()
        result = connection.execute(
            text(
                f"INSERT INTO audit_events ({', '.join(names)}) SELECT {', '.join(values)} "
                f"FROM audit_events t, {copies} WHERE t.case_id IS NOT NULL OR "
                "(t.entity_id IS NOT NULL AND t.entity = ANY(:tables))"
            ),
            {"tables": tables},
        )
        added["audit_events"] = result.rowcount
        print(
            f"  audit_events: {result.rowcount:,} rows in {time.perf_counter() - started:.0f}s",
            file=sys.stderr,
        )
    for table in sorted(audited):
        connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER {TRIGGER}'))
    # Each year's counter past the highest reference now given.
    connection.execute(
        text(
            "UPDATE counters SET value = greatest(value, (SELECT max(split_part(reference, '-', "
            "3)::integer) FROM cases WHERE split_part(reference, '-', 2) = "
            "substr(counters.name, 11))) WHERE name ~ '^reference-[0-9]{4}$'"
        )
    )
    for table in (*tables, "audit_events"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )
    return added


def check(connection: Connection) -> dict[str, int]:
    """What a copy could have got wrong, counted (all should be 0)."""
    return {
        "sort keys not as their trigger keeps them": connection.execute(
            text(
                "SELECT count(*) FROM cases c LEFT JOIN complainants p ON p.id = c.complainant_id "
                "LEFT JOIN officers o ON o.id = c.officer_id WHERE c.due_key <> "
                "coalesce(c.respond_by, c.acknowledge_by, DATE '9999-12-31') "
                "OR c.complainant_key <> coalesce(p.name, '') "
                "OR c.officer_key <> coalesce(o.name, '')"
            )
        ).scalar_one(),
        "references given twice": connection.execute(
            text("SELECT count(*) - count(DISTINCT reference) FROM cases")
        ).scalar_one(),
        "cases without their words for search": connection.execute(
            text(
                "SELECT count(*) FROM cases c WHERE NOT EXISTS "
                "(SELECT FROM search_fts_cases w WHERE w.id = c.id)"
            )
        ).scalar_one(),
        **{
            f"{table} without their words for search": connection.execute(
                text(
                    f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                    f"(SELECT FROM search_fts_{table} w WHERE w.id = t.id)"
                )
            ).scalar_one()
            for table in ("issues", "notes", "interviews")
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, metavar="URL", help="a PostgreSQL copy to grow")
    parser.add_argument("--times", type=int, default=4, help="as many cases as now, times this")
    parser.add_argument(
        "--no-trail", action="store_true", help="do not copy the audit trail of the copied rows"
    )
    args = parser.parse_args()
    if args.times < 2:
        parser.error("--times must be 2 or more")
    engine = make_engine(args.db)
    if engine.dialect.name != "postgresql":
        parser.error("PostgreSQL only: SQLite benchmark databases are built by common.database")
    started = time.perf_counter()
    with engine.begin() as connection:
        before = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        print(f"copying {before:,} cases {args.times - 1} more times...", file=sys.stderr)
        grow(connection, args.times, trail=not args.no_trail)
    copied = time.perf_counter() - started
    print(f"  copied in {copied:.0f}s; VACUUM ANALYZE...", file=sys.stderr, flush=True)
    common.analyze(engine)
    with engine.connect() as connection:
        after = connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        problems = check(connection)
        size = connection.execute(
            text("SELECT pg_size_pretty(pg_database_size(current_database()))")
        ).scalar_one()
    engine.dispose()
    print(
        f"{before:,} -> {after:,} cases in {time.perf_counter() - started:.0f}s "
        f"(copy {copied:.0f}s); database {size}"
    )
    for what, count in problems.items():
        print(f"  {what}: {count}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
