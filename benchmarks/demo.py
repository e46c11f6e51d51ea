"""How fast ``caseworker demo`` fills a database: the benchmarks build 250,000-case databases
with it, so 2,000 cases a second or better is the aim.

    python benchmarks/demo.py [--cases 5000] [--runs 3] [--db-folder DIR]

Each run fills a new SQLite database in a temporary folder (or DIR) with the same seed and date,
and the median rate is printed with a pass/MISS verdict. Moved here from the test suite, where
a busy machine made a wall-clock threshold fail for no fault of the code. Not a test: the rate
depends on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import common

from caseworker.bootstrap import open_app
from caseworker.demo import generate_demo

TARGET = 2000
"""Cases a second."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the median is reported)")
    parser.add_argument("--db-folder", type=Path, help="where the databases go (default: temp)")
    args = parser.parse_args()
    rates = []
    with tempfile.TemporaryDirectory(dir=args.db_folder) as folder:
        for run in range(args.runs):
            app = open_app(f"sqlite:///{Path(folder) / f'demo-{run}.sqlite'}", actor="benchmark")
            try:
                result = generate_demo(app.engine, args.cases, seed=1, today=common.DEMO_TODAY)
            finally:
                app.close()
            rates.append(result.rate)
            print(f"  run {run + 1}: {result.cases:,} cases in {result.seconds:.2f} s")
    rate = sorted(rates)[len(rates) // 2]
    print(
        f"demo: {rate:,.0f} cases/s (median of {args.runs}; target >= {TARGET:,}) "
        f"{common.verdict(rate >= TARGET)}"
    )
    print(f"machine: {common.machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
