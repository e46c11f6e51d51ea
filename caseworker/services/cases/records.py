"""Cases: references, the clock on each case, and the rows of the case list."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from caseworker.domain.caselist import CaseSummary
from caseworker.policy.schema import Policy
from caseworker.storage.models import Case, Counter

REFERENCE_PREFIX = "CW"


def next_reference(session: Session, year: int) -> str:
    """The next free reference for ``year``, e.g. ``CW-2026-00042``.

    The counter row is updated inside the caller's transaction, so two people saving at once on
    PostgreSQL get different numbers (the second waits for the first's row lock).
    """
    name = f"reference-{year}"
    counter = session.execute(
        select(Counter).where(Counter.name == name).with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        prefix = f"{REFERENCE_PREFIX}-{year}-"
        highest = session.execute(
            select(func.max(Case.reference)).where(Case.reference.like(prefix + "%"))
        ).scalar_one()
        start = int(highest.rsplit("-", 1)[1]) if highest else 0
        counter = Counter(name=name, value=start)
        session.add(counter)
    counter.value += 1
    session.flush()
    return f"{REFERENCE_PREFIX}-{year}-{counter.value:05d}"


def stage_received(case: Case) -> dt.date:
    """The date the current stage's clock starts from: receipt at stage 1; after it, the request
    the stage was accepted on (``stage_started``), never a later request for the stage after.

    A case written without ``stage_started`` (imported, or made before it existed) falls back to
    ``escalation_requested`` while that is still its own stage's request.
    """
    if case.stage > 1:
        started = getattr(case, "stage_started", None)  # absent on the demo's clock stand-in
        if started is not None:
            return started
        if case.escalation_requested is not None:
            return case.escalation_requested
    return case.received


def refresh_clock(case: Case, policy: Policy) -> None:
    """Recompute the stored due dates of ``case`` from its policy (after any change to it).

    While a suspension has no end date the response date is unknown, so ``respond_by`` is cleared
    until the case is resumed; the acknowledgement date is unaffected.
    """
    from caseworker.policy.deadlines import compute_deadlines

    if any(suspension.end is None for suspension in case.suspensions):
        acknowledge = compute_deadlines(
            policy,
            route=case.route,
            stage=case.stage,
            received=stage_received(case),
            acknowledged=case.acknowledged,
        )
        case.acknowledge_by = acknowledge.acknowledge_by
        case.respond_by = None
        case.respond_by_latest = None
        return
    extended = [ext.new_date for ext in case.extensions if ext.stage == case.stage]
    deadlines = compute_deadlines(
        policy,
        route=case.route,
        stage=case.stage,
        received=stage_received(case),
        acknowledged=case.acknowledged,
        suspensions=[(s.start, s.end) for s in case.suspensions if s.end is not None],
        extended_to=max(extended) if extended else None,
    )
    case.acknowledge_by = deadlines.acknowledge_by
    case.respond_by = deadlines.respond_by
    case.respond_by_latest = deadlines.respond_by_latest


@cache
def summary_query() -> Select[*tuple[Any, ...]]:
    """The case list's columns in one query (no query per row), from ``cases`` alone.

    The complainant's and the officer's names are the sort keys the database keeps on each case
    (``complainant_key``, ``officer_key``: migration 0012, ``coalesce(name, '')``), not joins of
    ``complainants`` and ``officers``: with those joins, a page whose keyset condition PostgreSQL
    reckons to match one row (``(stage, id) < (1, …)``, judged by its first column alone: a page
    in the last stage, status or service area of the order) was planned as a hash join of every
    remaining case and a sort, 2.4 s at 250,000 cases instead of an index walk of 100 rows
    (docs/performance.md, "Growth").

    Built once: a statement is immutable (``where`` and ``order_by`` return new ones).
    """
    due = func.coalesce(Case.respond_by, Case.acknowledge_by)
    return select(
        Case.id,
        Case.reference,
        Case.complainant_key,
        Case.service_area,
        Case.policy_id,
        Case.route,
        Case.stage,
        Case.officer_key,
        Case.received,
        due,
        Case.status,
        Case.outcome,
    )


def case_summaries(session: Session, *, limit: int | None = None) -> list[CaseSummary]:
    query = summary_query().order_by(Case.reference)
    if limit is not None:
        query = query.limit(limit)
    return [CaseSummary(*row) for row in session.execute(query)]
