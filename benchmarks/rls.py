"""Row-level security at 250,000 cases: what the busiest investigating officer does, as their own
database login (PostgreSQL's policies applied) and as the database owner with the same officer
as actor (only the app's own visibility condition), side by side.

    python benchmarks/rls.py --db URL [--runs 7] [--search-runs 3] [--roles-lock /tmp/pg-roles.lock]

``URL`` is a PostgreSQL database the benchmark may change (a copy: ``createdb -T caseworker_bench
mycopy``), opened by its owner (or a superuser). The set-up is the administrator's, with no SQL
typed by hand: ``caseworker team setup --group rls_bench_officers`` and ``caseworker team login
rls_bench_officer``; the busiest investigating officer's login is set to that role for the run
and put back afterwards, and both roles are dropped at the end (also after an error). The
connection switches to the login with ``SET SESSION AUTHORIZATION`` (so ``session_user`` is the
login, as if it had signed in), which needs the owner to be a superuser, as on the test server.
``--roles-lock`` names a file locked while roles are created and dropped (the test suites that
create roles take the same lock).

Prints one table: measure, owner, officer's login; and whether both gave the same answer. Not a
test: figures depend on the machine and what else runs on it.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import common
from sqlalchemy import Engine, event, func, select, text

from caseworker.cli.main import main as caseworker
from caseworker.services.context import Context
from caseworker.services.lists import caselist as cl
from caseworker.services.lists.today import today_list
from caseworker.services.search.fulltext import search
from caseworker.storage.database import make_engine, session_factory
from caseworker.storage.models import Case
from caseworker_ui.search import LIMIT

GROUP, LOGIN = "rls_bench_officers", "rls_bench_officer"
TODAY = common.DEMO_TODAY
TARGET = 0.100


@contextlib.contextmanager
def locked(path: str | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with open(path, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def as_login(url: str, login: str) -> Engine:
    """An engine whose connections are ``login``'s session (``session_user`` is the login)."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def switch(dbapi_connection: Any, record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f'SET SESSION AUTHORIZATION "{login}"')
        dbapi_connection.commit()

    return engine


def drop_roles(owner: Engine) -> None:
    with owner.begin() as connection:
        for role in (LOGIN, GROUP):
            if connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first():
                connection.execute(text(f'DROP OWNED BY "{role}"'))
                connection.execute(text(f'DROP ROLE "{role}"'))


def set_login(owner: Engine, officer_id: int, login: str | None) -> None:
    with owner.begin() as connection:
        connection.execute(
            text("UPDATE officers SET login = :l WHERE id = :i"), {"l": login, "i": officer_id}
        )


def measures(ctx: Context) -> dict[str, Callable[[], object]]:
    """What the officer does, each returning what is compared between the two ways."""
    cases = cl.CaseList(ctx)

    def page_and_count(view: cl.QuickView) -> Callable[[], object]:
        filt = cl.CaseFilter(view=view)
        return lambda: (len(cases.page(filt, cl.CaseSort())), cases.count(filt))

    def counts() -> object:
        with ctx.unit() as uow:
            from caseworker.services import permissions

            return cl.quick_view_counts(
                uow.session, today=TODAY, login=ctx.actor, visible=permissions.visible(uow)
            )

    return {
        "Today": lambda: len(today_list(ctx).lines),
        "All cases, first page + count": page_and_count(cl.QuickView.ALL),
        "Overdue, first page + count": page_and_count(cl.QuickView.OVERDUE),
        "Stage 2, first page + count": page_and_count(cl.QuickView.STAGE_2),
        "sort by complainant, first page": lambda: len(
            cases.page(cl.CaseFilter(), cl.CaseSort(cl.SortKey.COMPLAINANT))
        ),
        "quick-view counts": counts,
        'search "council"': lambda: [f.case_id for f in search(ctx, "council", LIMIT)],
        'search "missed bin"': lambda: [f.case_id for f in search(ctx, "missed bin", LIMIT)],
    }


def explain(engine: Engine, ctx: Context, words: str) -> None:
    """The search statement's plan as the login, with what each step took."""

    def explained(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if "ts_headline" in statement:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(row[0] for row in cursor.fetchall()))
        return statement, parameters

    event.listen(engine, "before_cursor_execute", explained, retval=True)
    try:
        search(ctx, words, LIMIT)
    finally:
        event.remove(engine, "before_cursor_execute", explained)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", required=True, help="a PostgreSQL database copy")
    parser.add_argument("--runs", type=int, default=7, help="timed runs (the median is reported)")
    parser.add_argument("--search-runs", type=int, default=3, help="timed runs of each search")
    parser.add_argument("--roles-lock", metavar="PATH", help="a file to lock around role changes")
    parser.add_argument(
        "--explain",
        metavar="WORDS",
        help="also print EXPLAIN (ANALYZE, BUFFERS) of the search for WORDS as the login",
    )
    args = parser.parse_args()
    owner = make_engine(args.db)
    if owner.dialect.name != "postgresql":
        parser.error("row-level security is PostgreSQL's: --db must be a PostgreSQL URL")
    with session_factory(owner)() as session:
        officer_id, old_login = common.busiest_officer(session)
    login_engine = None
    failed = 0
    try:
        with locked(args.roles_lock):
            drop_roles(owner)
            for command in (["setup"], ["login", LOGIN]):
                if caseworker(["--db", args.db, "team", *command, "--group", GROUP]) != 0:
                    raise SystemExit(f"caseworker team {command[0]} failed")
        set_login(owner, officer_id, LOGIN)
        login_engine = as_login(args.db, LOGIN)
        ways = {
            "owner": Context(session_factory(owner), actor=LOGIN, today=lambda: TODAY),
            "login": Context(session_factory(login_engine), actor=LOGIN, today=lambda: TODAY),
        }
        with session_factory(login_engine)() as session:
            seen = session.scalar(select(func.count()).select_from(Case))
            live = session.scalar(
                select(func.count()).select_from(Case).where(Case.status.in_(sorted(cl.LIVE)))
            )
        print(
            f"officer {officer_id} as {LOGIN}: {seen:,} cases visible through row-level "
            f"security, {live:,} live; median of {args.runs} runs ({args.search_runs} for search)"
        )
        print(f"| {'what the officer does':34} | {'owner':>9} | {'login':>9} | same | < 100 ms |")
        print(f"|{'-' * 36}|{'-' * 11}|{'-' * 11}|------|----------|")
        if args.explain:
            explain(login_engine, ways["login"], args.explain)
        both = {way: measures(ctx) for way, ctx in ways.items()}
        for name in both["owner"]:
            runs = args.search_runs if name.startswith("search") else args.runs
            answers = {way: both[way][name]() for way in ways}  # warm, and the answers
            times: dict[str, list[float]] = {way: [] for way in ways}
            for _ in range(runs):  # alternating, so a busy moment hits both
                for way in ways:
                    times[way].append(timed(both[way][name]))
            owner_s, login_s = (statistics.median(times[way]) for way in ways)
            same = answers["owner"] == answers["login"]
            met = login_s < TARGET and owner_s < TARGET
            failed += not same
            print(
                f"| {name:34} | {owner_s * 1000:7.1f}ms | {login_s * 1000:7.1f}ms | "
                f"{'yes' if same else 'NO':4} | {'yes' if met else 'NO':8} |"
            )
    finally:
        if login_engine is not None:
            login_engine.dispose()
        set_login(owner, officer_id, old_login)
        with locked(args.roles_lock):
            drop_roles(owner)
        owner.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
