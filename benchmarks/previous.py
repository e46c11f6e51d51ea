"""Previous complaints at 250,000 cases: the other cases from the same person (email; postcode
with a similar name) or about the same address, as the new-case form asks while a complainant is
typed in and as a case file's Overview asks when it opens. Target: median under 50 ms, slowest
under 100 ms (the form looks up after each pause in typing).

    python benchmarks/previous.py [--db URL] [--runs 7]

"Open a case" is :func:`caseworker.services.search.previous.previous_for_case` (as a complaints
manager, who sees every case) on 20 cases picked at random; "typing" is
:func:`~caseworker.services.search.previous.previous_for_draft` for a new complaint from one of
their complainants (email, postcode, name and address typed, the same service: so the
likely-duplicate check runs too); "busy postcode" is a draft with the postcode shared by most
complainants in the database and a name nobody has (every candidate at that postcode compared).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys

import common
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.search.previous import previous_for_case, previous_for_draft
from caseworker.storage.models import Case, Complainant

MEDIAN_TARGET, SLOWEST_TARGET = 0.050, 0.100


def draft(
    case: Case, name: str | None = None, postcode: str | None = None, email: str | None = None
) -> NewCase:
    person = case.complainant
    return NewCase(
        policy_id=case.policy_id,
        received=common.DEMO_TODAY,
        service_area=case.service_area,
        summary="Again",
        complainant=PersonIn(
            name=person.name if name is None else name,
            email=person.email if email is None else email,
            postcode=person.postcode if postcode is None else postcode,
            address=person.address,
        ),
    )


def report(label: str, times: list[float], found: int) -> bool:
    median, slowest = statistics.median(times), max(times)
    ok = median < MEDIAN_TARGET and slowest < SLOWEST_TARGET
    print(
        f"  {label:14} median {common.ms(median):>9}  slowest {common.ms(slowest):>9}  "
        f"({found} earlier cases found in all)  {common.verdict(ok)}"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.add_db_arguments(parser)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    app = open_app(url, actor="benchmark")
    ok = True
    try:
        ctx = app.context(today=lambda: common.DEMO_TODAY)
        rng = random.Random(1)
        with app.sessions() as session:
            count = session.scalar(select(func.count()).select_from(Case))
            top = session.scalar(select(func.max(Case.id)))
            sample = [session.get(Case, rng.randint(1, top)) for _ in range(40)]
            sample = [c for c in sample if c is not None and c.complainant is not None][:20]
            drafts = [draft(c) for c in sample]
            busy, sharing = session.execute(
                select(Complainant.postcode, func.count())
                .where(Complainant.postcode != "")
                .group_by(Complainant.postcode)
                .order_by(func.count().desc())
                .limit(1)
            ).one()
            busy_draft = draft(sample[0], name="Nobody Atall", postcode=busy, email="")
            ids = [c.id for c in sample]
        print(
            f"previous complaints: {count:,} cases, {app.engine.dialect.name}, "
            f"{len(ids)} cases x {args.runs} runs"
        )
        times: list[float] = []
        found = 0
        for case_id in ids:
            times += common.measure(lambda c=case_id: previous_for_case(ctx, c), args.runs)
            found += len(previous_for_case(ctx, case_id).cases)
        ok &= report("open a case", times, found)
        times, found, duplicates = [], 0, 0
        for new in drafts:
            times += common.measure(lambda n=new: previous_for_draft(ctx, n), args.runs)
            result = previous_for_draft(ctx, new)
            found += len(result.cases)
            duplicates += result.likely_duplicate is not None
        ok &= report("typing", times, found)
        print(f"    ({duplicates} of {len(drafts)} drafts flagged as a likely duplicate)")
        times = common.measure(lambda: previous_for_draft(ctx, busy_draft), args.runs)
        ok &= report(
            f"busy postcode ({sharing} complainants at {busy})",
            times,
            len(previous_for_draft(ctx, busy_draft).cases),
        )
    finally:
        app.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
