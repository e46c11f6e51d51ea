"""How long recomputing every open case's deadlines takes: the screen-refresh budget is 1 s.

    python benchmarks/clock.py [--cases 250000] [--runs 7] [--seed 1]

Builds random (received, policy, route, stage) tuples over the six bundled policies, receipt
dates spread over 2024-2028, and times ``compute_deadlines`` on every one of them, several times.
Prints the median and the fastest run, twice: as the app runs (cases received on the same day at
the same stage share one answer, computed once) and with that sharing turned off, so that every
case is worked out afresh from the precomputed calendar. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from caseworker.policy import deadlines  # noqa: E402
from caseworker.policy.deadlines import compute_deadlines  # noqa: E402
from caseworker.policy.loader import load_policies  # noqa: E402


def build_cases(count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    policies = sorted(load_policies().values(), key=lambda p: p.id)
    choices = [
        (policy, route.id.value, stage.number)
        for policy in policies
        for route in policy.routes
        for stage in route.stages
    ]
    first = dt.date(2024, 1, 1).toordinal()
    span = dt.date(2029, 1, 1).toordinal() - first
    cases = []
    for _ in range(count):
        policy, route, stage = rng.choice(choices)
        cases.append((policy, route, stage, dt.date.fromordinal(first + rng.randrange(span))))
    return cases


def run_once(cases: list[tuple]) -> float:
    start = time.perf_counter()
    for policy, route, stage, received in cases:
        compute_deadlines(policy, route=route, stage=stage, received=received)
    return time.perf_counter() - start


def forget_shared_answers() -> None:
    for plan in deadlines._plans.values():
        plan.memo.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    cases = build_cases(args.cases, args.seed)
    print(
        f"{len(cases):,} cases over {len({c[0].id for c in cases})} policies, "
        f"{len({(c[0].id, c[1], c[2]) for c in cases})} route stages, "
        f"{len({c[3] for c in cases}):,} receipt dates"
    )

    first = time.perf_counter()
    run_once(cases)  # builds the calendars and per-stage plans
    print(f"first run, calendars built on the way: {time.perf_counter() - first:.3f} s")

    times = []
    for _ in range(args.runs):
        forget_shared_answers()
        times.append(run_once(cases))
    print(
        f"as the app runs:       median {statistics.median(times):.3f} s, "
        f"fastest {min(times):.3f} s over {args.runs} runs"
    )

    saved = deadlines._MAX_MEMO
    deadlines._MAX_MEMO = 0  # every case worked out afresh
    try:
        forget_shared_answers()
        times = [run_once(cases) for _ in range(args.runs)]
    finally:
        deadlines._MAX_MEMO = saved
    median = statistics.median(times)
    print(
        f"nothing shared:        median {median:.3f} s, "
        f"fastest {min(times):.3f} s over {args.runs} runs"
    )
    print(
        f"per case, nothing shared: {median / len(cases) * 1e6:.2f} µs; "
        f"target: all {len(cases):,} under 1 s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
