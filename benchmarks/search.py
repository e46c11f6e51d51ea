"""How long search-everything and previous-complaint matching take on a large database.

    python benchmarks/search.py [--db URL] [--cases 250000] [--runs 7]

Without ``--db`` it builds a demo database of ``--cases`` cases in a temporary folder first
(``caseworker demo``; about 45 s for 250,000). Then it times :func:`search` on a set of queries
(a reference, a surname, a street, a postcode, issue words, a word found in very many cases) and
:func:`previous_for_case` on a sample of cases, several runs each, and prints the median and the
slowest query's median. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from caseworker.bootstrap import open_app  # noqa: E402
from caseworker.services.previous import previous_for_case  # noqa: E402
from caseworker.services.search import search  # noqa: E402
from caseworker.storage.models import Case, Complainant  # noqa: E402


def build(cases: int, folder: Path) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    env = dict(os.environ, CASEWORKER_DB=url, CASEWORKER_HOME=str(folder / "home"))
    subprocess.run([sys.executable, "-m", "caseworker.cli.main", "demo", "--cases", str(cases),
                    "--quiet"], check=True, env=env)
    return url


def timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or build(args.cases, Path(folder))
        app = open_app(url, actor="benchmark")
        try:
            run(app, args.runs)
        finally:
            app.close()


def run(app, runs: int) -> None:  # noqa: ANN001
    rng = random.Random(1)
    with app.uow() as uow:
        s = uow.session
        count = s.scalar(select(func.count()).select_from(Case))
        top = s.scalar(select(func.max(Case.id)))
        sample = [s.get(Case, rng.randint(1, top)) for _ in range(20)]
        sample = [c for c in sample if c is not None and c.complainant is not None]
        person: Complainant = sample[0].complainant
        queries = {
            "reference": sample[1].reference,
            "surname": person.name.split()[-1],
            "street": " ".join(person.address.split()[1:3]),
            "postcode": person.postcode,
            "issue words": "missed bin",
            "common word": "council",
        }
        print(f"{count:,} cases; {runs} runs each")
        medians = {}
        for label, query in queries.items():
            times = [timed(lambda q=query: search(s, q, 50)) for _ in range(runs)]
            medians[label] = statistics.median(times)
            hits = len(search(s, query, 50))
            print(f"  search {label:12} {query!r:32} median {medians[label] * 1000:7.1f} ms "
                  f"({hits} cases)")
        print(f"search: median over queries {statistics.median(medians.values()) * 1000:.1f} ms, "
              f"slowest {max(medians.values()) * 1000:.1f} ms")
        times = []
        for case in sample:
            times.extend(timed(lambda c=case.id: previous_for_case(s, c)) for _ in range(3))
        print(f"previous complaints: median {statistics.median(times) * 1000:.1f} ms, "
              f"slowest {max(times) * 1000:.1f} ms over {len(sample)} cases")


if __name__ == "__main__":
    main()
