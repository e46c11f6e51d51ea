"""The Today list at 250,000 cases: what the busiest officer needs to do now, as the main window
loads it just after it opens. Target: under 250 ms (the demo's busiest officer has thousands of
live cases, many times a real caseload).

    python benchmarks/today.py [--db URL] [--runs 7]

It times :func:`caseworker.services.lists.today.today_list` for the investigating officer with
most live cases (the login ``caselist.py`` gives them), on the demo's "today".
"""

from __future__ import annotations

import argparse
import sys

import common
from caselist import busiest_login
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.services.lists import caselist as cl
from caseworker.services.lists.today import today_list
from caseworker.storage.models import Case, Officer

TARGET = 0.250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_db_arguments(parser)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    app = open_app(url, actor="benchmark")
    try:
        with app.sessions() as session:
            login = busiest_login(session)
            live = session.scalar(
                select(func.count())
                .select_from(Case)
                .join(Officer, Case.officer_id == Officer.id)
                .where(Officer.login == login, Case.status.in_(sorted(cl.LIVE)))
            )
        ctx = app.context(actor=login, today=lambda: common.DEMO_TODAY)
        times = common.measure(lambda: today_list(ctx), args.runs)
        lines = len(today_list(ctx).lines)
    finally:
        app.close()
    median = common.median(times)
    verdict = common.verdict(median < TARGET)
    print(
        f"Today for the busiest officer ({live:,} live cases, {lines:,} lines): median "
        f"{common.ms(median)}, slowest {common.ms(max(times))}  {verdict}"
    )
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
