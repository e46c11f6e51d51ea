"""`caseworker demo`: fill a database with realistic synthetic cases.

    caseworker demo --cases 500 --seed 7
    caseworker --db sqlite:///bench.sqlite demo --cases 250000

Every installed policy and route, every outcome, open and overdue cases, stage 2, councillors and
MPs, representatives: see :mod:`caseworker.demo`. Nobody in it is real. Progress goes to
standard error; the last line gives the speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from caseworker.bootstrap import open_app
from caseworker.demo import PROGRESS_EVERY, generate_demo
from caseworker.domain.refusals import NotPermitted
from caseworker.errors import UserError
from caseworker.services.officers import link_to_complaints_manager, why_not_demo


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="add realistic synthetic cases (for demonstrations and benchmarks)",
        description="Add N synthetic cases across every policy's routes and every outcome, with "
        "officers, issues, notes, interviews and contact attempts. Names, streets and "
        "postcodes are invented. The same --seed (and --today) gives the same cases. "
        "If your login already has an officer record (the app records the first person to "
        "open an empty database as its complaints manager), you are given the cases of one demo "
        "officer of your role. "
        "The rows are inserted in bulk: the audit trail records one event for the whole run "
        "rather than one per row.",
    )
    parser.add_argument(
        "--cases", type=int, required=True, metavar="N", help="how many cases to add"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default: 0)")
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the date the cases are made relative to (default: today)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.set_defaults(handler=run)


def _today(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--today: '{text}' is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    if args.cases < 0:
        raise UserError(f"--cases: {args.cases} is not a number of cases")
    today = _today(args.today)
    app = open_app(args.db)
    next_report = [PROGRESS_EVERY]

    def progress(done: int, total: int, seconds: float) -> None:
        if args.quiet or (done < next_report[0] and done < total):
            return
        while next_report[0] <= done:
            next_report[0] += PROGRESS_EVERY
        rate = done / seconds if seconds else 0.0
        print(
            f"demo: {done:,} of {total:,} cases ({rate:,.0f} cases/s)", file=sys.stderr, flush=True
        )

    try:
        ctx = app.context()
        refusal = why_not_demo(ctx)  # refused before anything is added, not after
        if refusal is not None:
            raise NotPermitted(refusal)
        result = generate_demo(
            app.engine,
            args.cases,
            seed=args.seed,
            today=today,
            actor=app.actor,
            progress=progress,
            batch=1000,
            share_with=app.actor,  # an officer already (the app's first start): given cases too
        )
        linked = link_to_complaints_manager(ctx)  # so its maker can use it straight away
        if linked is not None:
            print(
                f"demo: your login '{app.actor}' is {linked.name}, a complaints manager",
                file=sys.stderr,
            )
        if result.shared_with is not None:
            print(
                f"demo: {result.shared:,} of the cases are yours ({result.shared_with}, login "
                f"'{app.actor}')",
                file=sys.stderr,
            )
    finally:
        app.close()
    if result.cases:
        print(
            f"added {result.cases:,} cases in {result.seconds:.1f}s ({result.rate:,.0f} cases/s)",
            file=sys.stderr,
        )
    else:
        print("added no cases", file=sys.stderr)
    return 0
