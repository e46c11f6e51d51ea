"""The performance benchmarks: issue 20's table of measures against hand-written floors, then
(with ``--all``) every other benchmark script, one after the other, on one database.

    python benchmarks/run_all.py [--db URL] [--cases N] [--runs N] [--skip-ui] [--all]

First ``floors.py``: one table (measure, floor, app, ratio, target, met) over every sort column
and direction (first page and page 51), each quick view, Today, search, the yearly report and
time to interactive, dates pinned.

Each script runs in its own process (so one's caches and memory do not flatter the next) and
prints its own figures and pass/MISS verdicts; see ``docs/performance.md`` for the targets and
the last recorded figures. With ``--db`` (e.g. PostgreSQL), the clock benchmark, which reads no
database, is skipped; ``--skip-ui`` leaves out start-up, the window's stalls and memory (the
list queries, case file, letter and report still run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import common


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--skip-ui", action="store_true")
    parser.add_argument("--cases", type=int, default=common.CASES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="the other scripts too")
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    here = common.ROOT / "benchmarks"
    db = ["--db", url]
    table = [sys.executable, str(here / "floors.py"), *db, "--cases", str(args.cases)]
    table += ["--runs", str(args.runs)] + (["--skip-ui"] if args.skip_ui else [])
    failed = int(subprocess.call(table) != 0)
    if not args.all:
        return 1 if failed else 0
    steps = []
    if not args.skip_ui:
        steps.append(["startup.py", *db])
    steps += [["caselist.py", *db], ["casefile.py", *db], ["letter.py", *db]]
    steps += [["search.py", *db], ["previous.py", *db], ["today.py", *db]]
    if not args.db:
        steps.append(["clock.py"])
    steps.append(["report.py", *db])
    if not args.skip_ui:
        steps += [["stalls.py", *db], ["memory.py", *db]]
    print(f"machine: {common.machine()}; database: {url}", flush=True)
    for script, *rest in steps:
        print(f"\n$ python benchmarks/{script} {' '.join(rest)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(here / script), *rest])
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
