"""The case list over every case: the free-text filter and each quick view, as the app asks for
them (the first page and the count), against the same SQL run raw on the same database. Targets:
within 1.5 times the raw SQL, and under 100 ms.

    python benchmarks/caselist.py [--db URL] [--runs 7] [--text TERM]

"App" is ``CaseList.page_and_count`` (the first 100 rows, sorted by date received, newest first,
each with its working days left, and how many cases match), exactly as the list model calls it
when a filter changes: for a complaints manager (every case, no condition) and for the
investigating officer with most live cases (only the cases they may see). "Raw" is the
statements the app sent for it, captured as they reached the driver, with their values, executed
on a DB-API cursor of the same engine and fetched in full, with no SQLAlchemy or row objects:
what the list costs besides the database. The hand-written floors are ``floors.py``'s.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import common
from sqlalchemy import event, select

from caseworker.bootstrap import open_app
from caseworker.services.lists import caselist as cl
from caseworker.storage.models import Complainant


def sent(engine: Any, call: Any) -> list[tuple[str, Any]]:
    """The statements (with their parameters) ``call()`` sends through ``engine``."""
    statements: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return statements


def busiest_login(session) -> str:
    """The login of the investigating officer with most live cases; demo officers have none, so
    the first run gives that officer a login ("benchmark-officer-<id>")."""
    return common.busiest_officer_with_login(session)[1]


def a_surname(session) -> str:
    name = session.execute(select(Complainant.name).order_by(Complainant.id).limit(1)).scalar_one()
    return name.split()[-1][:5]


def measure(url: str, runs: int, text: str | None = None) -> list[dict]:
    app = open_app(url, actor="benchmark")
    results = []
    try:
        with app.sessions() as session:
            officer = busiest_login(session)
            text = text or a_surname(session)
        sort = cl.CaseSort()
        filters = [(f"free text {text!r}", cl.CaseFilter(text=text))]
        filters += [(f"view: {v.label}", cl.CaseFilter(view=v)) for v in cl.QuickView]
        runs_for = [("", "benchmark"), ("officer, ", officer)]
        for (who, login), (label, filt) in (
            (viewer, listed) for viewer in runs_for for listed in filters
        ):
            cases = cl.CaseList(app.context(actor=login))
            label = who + label

            def service(filt=filt, cases=cases):
                rows, total = cases.page_and_count(filt, sort)
                return len(rows), total

            service()  # the officer looked up once, as the list does at its start
            statements = sent(app.engine, service)

            def raw(statements=statements):
                connection = app.engine.raw_connection()
                try:
                    cursor = connection.cursor()
                    for statement, parameters in statements:
                        cursor.execute(statement, parameters)
                        rows = cursor.fetchall()
                    cursor.close()
                    connection.rollback()
                finally:
                    connection.close()
                return len(rows), rows[0][-1] if rows else 0

            shown, total = service()
            raw_shown, raw_total = raw()
            assert (shown, total) == (raw_shown, raw_total), (
                label,
                shown,
                total,
                raw_shown,
                raw_total,
            )
            # alternate the two so a busy moment of the machine hits both
            app_times, raw_times = [], []
            for _ in range(runs):
                raw_times += common.measure(raw, 1, warmup=0)
                app_times += common.measure(service, 1, warmup=0)
            results.append(
                {
                    "label": label,
                    "rows": shown,
                    "total": total,
                    "app": common.median(app_times),
                    "raw": common.median(raw_times),
                }
            )
    finally:
        app.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.add_argument("--text", help="the free-text term (default: part of a surname)")
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    print(f"case list, first page + count, median of {args.runs} runs each, on {url.split(':')[0]}")
    print(f"{'list':32} {'matches':>8} {'app':>10} {'raw SQL':>10} {'ratio':>6}  verdict")
    for r in measure(url, args.runs, args.text):
        ok = r["app"] <= 1.5 * r["raw"] and r["app"] < 0.1
        print(
            f"{r['label']:32} {r['total']:>8,} {common.ms(r['app']):>10} "
            f"{common.ms(r['raw']):>10} {r['app'] / r['raw']:>5.2f}x  {common.verdict(ok)}"
        )
    print("targets: within 1.5x raw SQL and under 100 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
