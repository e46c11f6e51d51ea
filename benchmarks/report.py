"""How long the yearly report takes on a large council's database: the target is under 1.5 s.

    python benchmarks/report.py [--db sqlite:///path.sqlite] [--cases 250000] [--year 2026]

Without ``--db`` it builds (once, then reuses) a demo database of ``--cases`` cases in the system's
temporary folder with ``caseworker demo`` (relative to 15 January of the year after ``--year``, so
the whole year has closed cases and responses). It then times ``build_report`` for the calendar year
``--year`` in this process: the first run includes loading the policies and building the
working-day calendars, as when someone opens the dashboard; the next runs show the steady state.
Each run prints the time of each part; ``--cold`` empties the system's disk cache before the
first (Linux, as root), as when the reports are first opened after a restart. ``--dashboard``
also opens the reports window offscreen, counts the same year from it and prints how long until
it shows, and the longest the window's event loop went without running (a 10 ms timer ticks
throughout): the window must not freeze. Not a test:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from caseworker.bootstrap import open_app  # noqa: E402
from caseworker.demo import generate_demo  # noqa: E402
from caseworker.reports import Period, build_report  # noqa: E402
from caseworker.services.officers import link_to_complaints_manager  # noqa: E402
from caseworker.storage.models import Case  # noqa: E402


def demo_database(cases: int, year: int) -> str:
    path = Path(tempfile.gettempdir()) / f"caseworker-report-bench-{cases}-{year}.sqlite"
    url = f"sqlite:///{path}"
    app = open_app(url, actor="benchmark")
    try:
        with app.sessions() as session:
            have = session.execute(select(func.count()).select_from(Case)).scalar_one()
        if have < cases:
            print(
                f"building a demo database of {cases:,} cases in {path} (once)...",
                file=sys.stderr,
                flush=True,
            )
            result = generate_demo(app.engine, cases - have, seed=1, today=dt.date(year + 1, 1, 15))
            print(f"  {result.cases:,} cases in {result.seconds:.0f}s", file=sys.stderr)
        # as benchmarks/common.py does: "benchmark" sees every case (a complaints manager)
        link_to_complaints_manager(app.context())
    finally:
        app.close()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", metavar="URL", help="an existing database (default: build one)")
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--dashboard",
        action="store_true",
        help="also count the year in the reports window, offscreen",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the system's disk cache before the first run, as after a "
        "restart (Linux, as root; PostgreSQL keeps its own shared buffers)",
    )
    args = parser.parse_args()

    url = args.db or demo_database(args.cases, args.year)
    app = open_app(url)
    period = Period.year(args.year)
    as_of = dt.date(args.year + 1, 1, 15)
    times = []
    try:
        with app.sessions() as session:
            total = session.execute(select(func.count()).select_from(Case)).scalar_one()
            print(f"database: {total:,} cases; report: {period.label}")
            for run in range(args.runs):
                marks: list[tuple[str, float]] = []

                def progress(
                    step: int, steps: int, what: str, marks: list[tuple[str, float]] = marks
                ) -> None:
                    marks.append((what, time.perf_counter()))

                if run == 0 and args.cold:
                    drop_disk_cache()
                started = time.perf_counter()
                report = build_report(session, period, as_of=as_of, progress=progress)
                seconds = time.perf_counter() - started
                times.append(seconds)
                parts = ", ".join(
                    f"{what} {end - begin:.2f}s"
                    for (what, begin), (_, end) in zip(marks, marks[1:], strict=False)
                )
                first = "first: policies and calendars loaded" + (
                    ", disk cache emptied" if args.cold else ""
                )
                print(f"run {run + 1}: {seconds:.2f}s ({first if run == 0 else 'warm'})")
                print(f"  {parts}")
            received = report.headline("Complaints received").value
            print(
                f"the year: {received:,} complaints received, "
                f"{report.headline('Cases closed').value:,} closed"
            )
    finally:
        app.close()
    print(
        f"yearly report over {total:,} cases: first {times[0]:.2f}s, "
        f"median {statistics.median(times):.2f}s (target: under 1.5 s)"
    )
    if args.dashboard:
        dashboard(url, args.year, as_of)
    return 0


def drop_disk_cache() -> None:
    """Write out and drop the system's page cache (Linux, as root), or stop saying why not."""
    import os

    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as error:
        raise SystemExit(f"--cold: cannot empty the disk cache here ({error})") from None


def dashboard(url: str, year: int, as_of: dt.date) -> None:
    """Count the year from the reports window and measure how long its event loop stalls."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from caseworker_ui.reports.dashboard import ReportsWindow

    qt = QApplication.instance() or QApplication([])
    app = open_app(url, actor="benchmark")  # the figures are a manager's (see demo_database)
    window = ReportsWindow(app.context(today=lambda: as_of))
    window.show()
    window.kind_combo.setCurrentIndex(1)
    window.year_spin.setValue(year)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    shown: list[float] = []

    def ready(_report: object) -> None:
        shown.append(time.perf_counter())
        QTimer.singleShot(0, qt.quit)

    window.report_ready.connect(ready)
    timer.start()
    started = time.perf_counter()
    window.show_button.click()
    qt.exec()
    timer.stop()
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    print(
        f"dashboard: the year shown {shown[0] - started:.2f}s after Show; the event loop's "
        f"longest stall while counting {max(gaps):.3f}s ({len(ticks)} timer ticks)"
    )
    window.close()
    app.close()


if __name__ == "__main__":
    sys.exit(main())
