"""What an officer feels (issue 20), each measure against a hand-written floor, side by side.

    python benchmarks/floors.py [--db URL] [--cases 250000] [--runs 5]

Each measure runs the app's own function (``CaseList.page``/``count`` as the list model calls
them, ``today_list``, ``search``, the yearly report's figures) and a *floor*: SQL written here by
hand for the same answer, run on a DB-API cursor of the same engine, fetched in full. Floors are
never the app's compiled statements, so a slow statement in the app shows as a ratio. The two
alternate run by run (a busy moment of a shared machine hits both) and the median of each is
reported. Dates are pinned: the list's "today" is ``common.DEMO_TODAY`` (15 January 2027), the
report's year 2026, whatever day it runs.

Time to interactive (``startup.py``) is the app's start until its list is painted on the loaded
core, against a bare PySide6 window (the floor). Prints one table: measure, floor, app, ratio,
target, met. Not a test: figures depend on the
machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import common

from caseworker.bootstrap import open_app
from caseworker.services.lists import caselist as cl

TODAY = common.DEMO_TODAY
PAGE = 100
PAGE_51 = 50 * PAGE  # rows before page 51

# The list's columns, as a person sees them, written by hand (kept sort keys of migration 0012)
COLUMNS = (
    "c.id, c.reference, c.complainant_key, c.service_area, c.policy_id, c.route, c.stage, "
    "c.officer_key, c.received, c.due_key, c.status, c.outcome"
)
SORT_COLUMN = {
    cl.SortKey.REFERENCE: "reference",
    cl.SortKey.COMPLAINANT: "complainant_key",
    cl.SortKey.SERVICE: "service_area",
    cl.SortKey.STAGE: "stage",
    cl.SortKey.OFFICER: "officer_key",
    cl.SortKey.RECEIVED: "received",
    cl.SortKey.DUE: "due_key",
    cl.SortKey.STATUS: "status",
}


@dataclass
class Row:
    measure: str
    floor: float
    app: float
    target: str
    met: bool


def timed(fn: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    started = clock()
    fn()
    return clock() - started


def side_by_side(
    floor: Callable[[], object],
    app: Callable[[], object],
    runs: int,
    pick=statistics.median,
    clock: Callable[[], float] = time.perf_counter,
):
    floor(), app()  # warm
    floors, apps = [], []
    for _ in range(runs):
        floors.append(timed(floor, clock))
        apps.append(timed(app, clock))
    return pick(floors), pick(apps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.add_argument("--skip-ui", action="store_true", help="leave out time to interactive")
    parser.add_argument(
        "--fastest",
        action="store_true",
        help="report the fastest run of each rather than the median (on a machine shared with "
        "other work, the run least disturbed by it)",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time processor time of this thread (time.thread_time) instead of the wall clock: "
        "on a machine shared with other work, a figure its waits for the processor do not "
        "inflate; on SQLite the database's work is in this thread, on PostgreSQL it is not "
        "(the server's)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="measure only the rows whose name contains TEXT (may be given more than once)",
    )
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    app = open_app(url, actor="benchmark")
    engine = app.engine
    pg = engine.dialect.name == "postgresql"
    mark = "%s" if pg else "?"

    def raw(*statements: tuple[str, tuple]) -> Callable[[], object]:
        def run() -> None:
            connection = engine.raw_connection()
            try:
                cursor = connection.cursor()
                for sql, params in statements:
                    cursor.execute(sql.replace("?", mark), params)
                    cursor.fetchall()
                cursor.close()
                connection.rollback()
            finally:
                connection.close()

        return run

    rows: list[Row] = []
    ctx = app.context(actor="benchmark", today=lambda: TODAY)
    cases = cl.CaseList(ctx)

    def wanted(measure: str) -> bool:
        """Whether ``--only`` (none, or any of its texts in the row's name) asks for the row."""
        return not args.only or any(text in measure for text in args.only)

    def add(measure, floor, app_fn, limit=None, ratio=None) -> None:  # noqa: ANN001
        if not wanted(measure):
            return
        f, a = side_by_side(
            floor,
            app_fn,
            args.runs,
            min if args.fastest else statistics.median,
            time.thread_time if args.cpu else time.perf_counter,
        )
        met = (limit is None or a < limit) and (ratio is None or a <= ratio * f)
        target = " and ".join(
            t
            for t in (
                f"< {limit * 1000:.0f} ms" if limit is not None else "",
                f"<= {ratio}x floor" if ratio is not None else "",
            )
            if t
        )
        rows.append(Row(measure, f, a, target, met))
        print(f"  {measure}: floor {f * 1000:.1f} ms, app {a * 1000:.1f} ms", file=sys.stderr)

    # -- every sort, both directions, first page and page 51 -------------------------------
    sorts = [
        (key, column)
        for key, column in SORT_COLUMN.items()
        if any(
            wanted(f"sort {key.value} {way}, {page}")
            for way in ("asc", "desc")
            for page in ("first page", "page 51")
        )
    ]
    for key, column in sorts:
        for descending in (False, True):
            sort = cl.CaseSort(key, descending)
            way = "DESC" if descending else "ASC"
            order = f"ORDER BY c.{column} {way}, c.id {way}"
            first = f"SELECT {COLUMNS} FROM cases c {order} LIMIT {PAGE}"
            add(
                f"sort {key.value} {way.lower()}, first page",
                raw((first, ())),
                lambda sort=sort: cases.page(cl.CaseFilter(), sort),
                limit=0.1,
            )
            # where page 51 starts (set-up, not timed): the 5,000th row
            shown = cases.page(cl.CaseFilter(), sort, limit=PAGE_51)
            last = shown[-1].summary
            value = cl.sort_value(key, last)
            value = value.value if hasattr(value, "value") else value
            if isinstance(value, dt.date) and not pg:
                value = value.isoformat()
            cmp = "<" if descending else ">"
            later = (
                f"SELECT {COLUMNS} FROM cases c WHERE (c.{column}, c.id) {cmp} (?, ?) "
                f"{order} LIMIT {PAGE}"
            )
            add(
                f"sort {key.value} {way.lower()}, page 51",
                raw((later, (value, last.id))),
                lambda sort=sort, last=last: cases.page(cl.CaseFilter(), sort, after=last),
                limit=0.1,
            )

    # -- the quick views and the free-text filter: first page (newest first) and count ------
    newest = f"ORDER BY c.received DESC, c.id DESC LIMIT {PAGE}"
    day = TODAY.isoformat() if not pg else TODAY
    week_end = cl.end_of_week(TODAY)
    week_end_v = week_end.isoformat() if not pg else week_end
    live = "c.status IN ('open', 'suspended')"
    views = {
        cl.QuickView.ALL: ("", ()),
        cl.QuickView.DUE_THIS_WEEK: (
            "c.status = 'open' AND c.due_key >= ? AND c.due_key <= ?",
            (day, week_end_v),
        ),
        cl.QuickView.OVERDUE: ("c.status = 'open' AND c.due_key < ?", (day,)),
        cl.QuickView.UNALLOCATED: (f"{live} AND c.officer_id IS NULL", ()),
        cl.QuickView.STAGE_2: (f"{live} AND c.stage = 2", ()),
    }
    first_pages = [
        (f"{view.label}, first page + count", cl.CaseFilter(view=view), where, params)
        for view, (where, params) in views.items()
    ]
    # The free-text filter ("Reference, complainant or service"): a common start of a surname
    # in the demo's names (5% of cases) and a single letter (26%), as an officer types them
    # into the filter box and pauses.
    for term in ("Larch", "T"):
        if pg:
            words = (
                "to_tsvector('simple', c.reference || ' ' || c.service_area || ' ' || "
                "c.complainant_key) @@ to_tsquery('simple', ?)"
            )
            matched: tuple = (f"{term.lower()}:*",)
        else:
            words = "c.id IN (SELECT rowid FROM caselist_fts WHERE caselist_fts MATCH ?)"
            matched = (f'"{term.lower()}"*',)
        first_pages.append(
            (f"filter '{term}', first page + count", cl.CaseFilter(text=term), words, matched)
        )
    for measure, filt, where, params in first_pages:
        clause = f"WHERE {where}" if where else ""
        add(
            measure,
            raw(
                (f"SELECT {COLUMNS} FROM cases c {clause} {newest}", params),
                (f"SELECT count(*) FROM cases c {clause}", params),
            ),
            lambda filt=filt: cases.page_and_count(filt, cl.CaseSort()),
            limit=0.1,
            ratio=1.5,
        )

    # -- the quick views' counts, by their names (a complaints manager: every case) ----------
    mine = f"{live} AND c.officer_id = (SELECT o.id FROM officers o WHERE o.login = ?)"
    counted = {
        **views,
        cl.QuickView.MINE: (mine, ("benchmark",)),
    }
    add(
        "quick-view counts",
        raw(
            (
                "SELECT "
                + ", ".join(
                    f"(SELECT count(*) FROM cases c{' WHERE ' + where if where else ''})"
                    for where, _ in (counted[view] for view in cl.QuickView)
                ),
                tuple(p for view in cl.QuickView for p in counted[view][1]),
            )
        ),
        cases.view_counts,
        limit=0.1,
    )

    # -- Today, for the busiest officer ------------------------------------------------------
    from caseworker.services.lists.today import today_list

    with app.sessions() as session:
        busiest_id, login = common.busiest_officer_with_login(session)
    officer_ctx = app.context(actor=login, today=lambda: TODAY)
    add(
        "Today, busiest officer",
        raw(
            (
                "SELECT c.id, c.reference, c.policy_id, c.status, c.received, c.acknowledged, "
                "c.acknowledge_by, c.response_sent, c.respond_by, c.anonymous, c.complainant_id "
                "FROM cases c WHERE c.officer_id = ? AND c.purged_on IS NULL "
                "AND c.status IN ('open', 'suspended', 'responded')",
                (busiest_id,),
            )
        ),
        lambda: today_list(officer_ctx),
        limit=0.1,
    )

    # -- the allocation view's officer loads (a complaints manager: every active officer) -----
    from caseworker.services.cases.allocation import officer_loads

    waiting = "c.officer_id = o.id AND c.response_sent IS NULL AND c.status != 'closed'"
    add(
        "allocation: officer loads",
        raw(
            (
                "SELECT o.id, o.name, o.role, o.service_area, "
                "(SELECT count(*) FROM cases c WHERE c.officer_id = o.id "
                "AND c.status IN ('open', 'responded', 'suspended')), "
                f"(SELECT count(*) FROM cases c WHERE {waiting} "
                "AND c.respond_by >= ? AND c.respond_by <= ?), "
                f"(SELECT count(*) FROM cases c WHERE {waiting} AND c.respond_by < ?) "
                "FROM officers o WHERE o.active ORDER BY o.name, o.id",
                (day, week_end_v, day),
            )
        ),
        lambda: officer_loads(ctx),
        limit=0.1,
    )

    # -- search a common word --------------------------------------------------------------
    # The app ranks the first 1,000 matches in the order of where they were found (the case's
    # details first), newest first, and makes snippets of the best 500 (search.fulltext.RANKED).
    from caseworker.services.search.fulltext import search

    if pg:
        # The cases' details alone hold more than 1,000 matches of "council", so the first
        # 1,000 are the newest cases' (the app reads no other table's matches either), found
        # and ranked on the cases' kept words (migration 0026).
        body = "t.reference || ' ' || t.summary || ' ' || t.referrer_name || ' ' || t.service_area"
        first = (
            f"SELECT t.id, {body} AS body, w.words FROM (SELECT w.id, w.words FROM "
            "search_fts_cases w WHERE w.words @@ to_tsquery('english', 'council:*') "
            "ORDER BY w.id DESC LIMIT 1000) w JOIN cases t ON t.id = w.id"
        )
        floor_search = (
            "SELECT best.id, ts_headline('english', best.body, q, 'StartSel=[, StopSel=], "
            "MaxWords=18, MinWords=6') FROM (SELECT taken.id, taken.body, "
            f"ts_rank(taken.words, q) AS rank FROM ({first}) taken, "
            "to_tsquery('english', 'council:*') q ORDER BY rank DESC LIMIT 500) best, "
            "to_tsquery('english', 'council:*') q ORDER BY best.rank DESC",
            (),
        )
    else:
        floor_search = (
            "SELECT owner, s FROM (SELECT rowid, owner, rank AS r, snippet(search_fts, 0, '[', "
            "']', '…', 12) AS s FROM search_fts WHERE search_fts MATCH '\"council\"*' "
            "ORDER BY rowid DESC LIMIT 1000) ORDER BY r, rowid DESC LIMIT 500",
            (),
        )

    add('search "council"', raw(floor_search), lambda: search(ctx, "council"), limit=0.1)

    # -- the yearly report -----------------------------------------------------------------
    from caseworker.reports.figures import build_report
    from caseworker.reports.period import Period

    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026")
    start, end = ("2026-01-01", "2026-12-31") if not pg else (year.start, year.end)

    def report() -> None:
        with app.sessions() as session:
            build_report(session, year, as_of=TODAY)

    add(
        "yearly report (2026)",
        raw(
            (
                "SELECT policy_id, route, service_area, channel, count(*) FROM cases "
                "WHERE received BETWEEN ? AND ? GROUP BY policy_id, route, service_area, channel",
                (start, end),
            ),
            (
                "SELECT stage, route, outcome, count(*) FROM cases WHERE closed_on BETWEEN ? AND ? "
                "GROUP BY stage, route, outcome",
                (start, end),
            ),
        ),
        report,
        limit=1.5,
    )
    app.close()

    # -- time to interactive: the list painted on the loaded core, against a bare window --------
    if not args.skip_ui and wanted("start until the list answers"):
        import startup

        try:
            started = startup.measure(url, args.runs)
        except Exception as error:  # the table still prints
            print(f"  start: could not be measured: {error}", file=sys.stderr)
            started = {"bare": [float("nan")], "app": [float("nan")]}
        bare, shown = statistics.median(started["bare"]), statistics.median(started["app"])
        rows.append(
            Row(
                "start until the list answers",
                bare,
                shown,
                "<= 4x a bare window",
                shown <= 4 * bare,
            )
        )
        print(f"  start: bare {bare * 1000:.0f} ms, app {shown * 1000:.0f} ms", file=sys.stderr)

    dialect = url.split(":")[0]
    print(f"\n{dialect}, {args.cases:,} cases, median of {args.runs} runs, {common.machine()}")
    print(f"| {'measure':44} | {'floor':>9} | {'app':>9} | {'ratio':>6} | {'target':24} | met |")
    print(f"|{'-' * 46}|{'-' * 11}|{'-' * 11}|{'-' * 8}|{'-' * 26}|-----|")
    for r in rows:
        print(
            f"| {r.measure:44} | {r.floor * 1000:7.1f}ms | {r.app * 1000:7.1f}ms | "
            f"{r.app / r.floor:5.2f}x | {r.target:24} | {'yes' if r.met else 'NO':3} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
