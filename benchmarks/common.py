"""Shared by the benchmark scripts: the 250,000-case database, the big cases in it, and timing.

The database is the one ``benchmarks/report.py`` builds (``caseworker demo`` with seed 1, relative
to 15 January 2027) in the system's temporary folder, built once and reused; ``--db URL`` uses any
other (e.g. a PostgreSQL database from ``bash .ci/start-postgres caseworker_bench``, which is
filled the same way when it has fewer cases than asked for).

Not tests: the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from caseworker.bootstrap import open_app  # noqa: E402
from caseworker.domain.caselist import LIVE  # noqa: E402
from caseworker.domain.enums import CaseStatus, Finding, NoteKind, Outcome, Role  # noqa: E402
from caseworker.storage.models import Case, Issue, Note, Officer  # noqa: E402

CASES = 250_000
DEMO_TODAY = dt.date(2027, 1, 15)
BIG_CASE_ISSUES, BIG_CASE_NOTES = 20, 100
LETTER_ISSUES = 10


def default_url(cases: int = CASES) -> str:
    name = f"caseworker-report-bench-{cases}-{DEMO_TODAY.year - 1}.sqlite"
    path = Path(tempfile.gettempdir()) / name
    return f"sqlite:///{path}"


def add_db_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: the cached SQLite "
        "demo database under the temporary folder, built on first use)",
    )
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--runs", type=int, default=7, help="timed runs (the median is reported)")


def database(url: str | None, cases: int = CASES) -> str:
    """The URL of a database holding at least ``cases`` cases, filling it with demo cases first
    when it has fewer."""
    from caseworker.demo import generate_demo
    from caseworker.services.officers import link_to_complaints_manager

    url = url or default_url(cases)
    app = open_app(url, actor="benchmark")
    try:
        with app.sessions() as session:
            have = session.execute(select(func.count()).select_from(Case)).scalar_one()
        if have < cases:
            print(
                f"building {cases - have:,} demo cases in {url} (once)...",
                file=sys.stderr,
                flush=True,
            )
            result = generate_demo(app.engine, cases - have, seed=1, today=DEMO_TODAY)
            print(f"  {result.cases:,} cases in {result.seconds:.0f}s", file=sys.stderr)
            analyze(app.engine)
        # "benchmark" sees every case (a complaints manager), as before
        link_to_complaints_manager(app.context())
    finally:
        app.close()
    return url


def busiest_officer(session) -> tuple[int, str | None]:
    """The investigating officer with most live cases (Today's and row-level security's
    officer): id and login (demo officers have none)."""
    row = session.execute(
        select(Officer.id, Officer.login)
        .join(Case, Case.officer_id == Officer.id)
        .where(Case.status.in_(sorted(LIVE)), Officer.role == Role.INVESTIGATING_OFFICER)
        .group_by(Officer.id, Officer.login)
        .order_by(func.count().desc(), Officer.id)
        .limit(1)
    ).one()
    return row.id, row.login


def busiest_officer_with_login(session) -> tuple[int, str]:
    """:func:`busiest_officer`, given a login ("benchmark-officer-<id>") on the first run if it
    has none, so that it can act in the app."""
    officer_id, login = busiest_officer(session)
    if not login:
        officer = session.get(Officer, officer_id)
        officer.login = login = f"benchmark-officer-{officer_id}"
        session.commit()
    return officer_id, login


def analyze(engine) -> None:
    """On PostgreSQL, vacuum and gather the planner's statistics, as autovacuum does in a
    database in use (it had not 3 minutes after a 250,000-case demo build, and the quick views'
    plans were 2-3 times slower; on some servers, as on the machine these figures were taken
    on, it is turned off). Vacuuming also marks the pages all-visible, which lets counting every
    case read the primary key's index alone. Not on SQLite: it never analyses by itself and the
    app does not either, and there ANALYZE makes two quick views slower
    (docs/performance.md)."""
    from sqlalchemy import text

    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def case_with(url: str, issues: int, notes: int, *, closed: bool) -> int:
    """The id of a case with exactly ``issues`` issues (each with a finding) and ``notes`` notes,
    made once from a demo case by adding issues and notes through the ORM (so with the audit
    trail, as if typed in the app)."""
    app = open_app(url, actor="benchmark")
    try:
        with app.sessions() as session:
            marker = f"benchmark case: {issues} issues, {notes} notes"
            found = session.execute(
                select(Case.id).where(Case.summary == marker)
            ).scalar_one_or_none()
            if found is not None:
                return found
            wanted = CaseStatus.CLOSED if closed else CaseStatus.OPEN
            query = select(Case).where(Case.status == wanted).order_by(Case.id.desc())
            if closed:
                query = query.where(Case.outcome == Outcome.UPHELD)
            case = session.execute(query.limit(1)).scalar_one()
            case.summary = marker
            session.flush()
            findings = list(Finding)
            number = max((i.number for i in case.issues), default=0)
            for issue in case.issues[issues:]:
                session.delete(issue)
            while len(case.issues) < issues:
                number += 1
                case.issues.append(
                    Issue(
                        number=number,
                        summary=f"Issue {number}: the bins on the street were not collected on the "
                        f"day the council's calendar gave, for the {number}th week running",
                        finding=findings[number % len(findings)],
                        explanation="We looked at the crew's round sheets and the in-cab records. "
                        "They show the street was missed on those days.",
                        remedy="We apologise and have collected the bins.",
                        lesson_learnt="Crews now confirm each street on the in-cab device.",
                    )
                )
            session.flush()
            kept = case.issues[:issues]
            for issue in kept:
                if issue.finding is None:
                    issue.finding = Finding.UPHELD
            have = sum(len(i.notes) for i in kept)
            kinds = list(NoteKind)
            k = 0
            while have < notes:
                issue = kept[k % len(kept)]
                issue.notes.append(
                    Note(
                        kind=kinds[k % len(kinds)],
                        author="benchmark",
                        text=f"Note {k + 1}: spoke to the crew supervisor, who "
                        "confirmed the round sheet for that day.",
                        source="phone call",
                    )
                )
                have += 1
                k += 1
            while have > notes:
                for issue in kept:
                    if issue.notes and have > notes:
                        session.delete(issue.notes.pop())
                        have -= 1
            session.commit()
            return case.id
    finally:
        app.close()


def measure(fn: Callable[[], object], runs: int, *, warmup: int = 1) -> list[float]:
    """Seconds of each of ``runs`` calls of ``fn`` after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "pass" if ok else "MISS"


def machine() -> str:
    import os
    import platform

    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
