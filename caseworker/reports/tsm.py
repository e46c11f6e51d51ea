"""The Regulator of Social Housing's Tenant Satisfaction Measures on complaints, CH01 and CH02,
for the council as landlord (the ``housing`` route), each for stage 1 and stage 2 separately.

* **CH01, complaints relative to the size of the landlord**: the complaints received in the
  reporting year at each stage, per 1,000 homes owned.
* **CH02, complaints responded to within the Complaint Handling Code's timescales**: of the
  responses sent in the reporting year at each stage, the share sent within the Code's time.

What counts, which date puts a complaint in a year and how an extension counts are set out, with
the reading taken where the Regulator's text leaves room, in ``docs/reports/tsm.md``. In short:

* a complaint is a case on the housing route; one not taken on (refused under the policy's
  exclusions) is not counted; one later withdrawn is counted in CH01 (it was received) and not in
  CH02 (it had no response);
* CH01 counts a stage 1 complaint by the day it was received, a stage 2 complaint by the day the
  request that took it to stage 2 was made (the request being accepted);
* CH02 counts a response by the day it was sent, whenever the complaint was received, and times
  it by the Code's own clock (the baseline policy's housing route: acknowledged within 5 working
  days, answered within 10 (stage 1) or 20 (stage 2) working days of the acknowledgement, or of
  the day it was due if that came first), whatever the council's own policy promises;
* an extension counts where it was recorded for that stage with the resident told of it on or
  before the day the response was first due, up to the Code's limit (10 further working days at
  stage 1, 20 at stage 2);
* the Code does not stop its clock, so a suspension under a council's policy does not move the
  Code's date;
* a case keeps the dates of the stage it has reached, so a stage 1 response of a case now at
  stage 2 is read from the audit trail (the change that took it to stage 2 kept the old dates);
  where the trail has none (a case imported at stage 2), it is counted as "not held" and left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from caseworker.domain.enums import Outcome, RouteId
from caseworker.errors import UserError
from caseworker.policy.deadlines import compute_deadlines
from caseworker.policy.schema import Policy
from caseworker.reports.onepass import Part, count_parts
from caseworker.reports.period import Period
from caseworker.reports.tables import Table, percent
from caseworker.services.records.homes import HomesFigure, homes_at
from caseworker.storage.models import AuditEvent, Case, Extension

SECTION_TSM = "Tenant Satisfaction Measures (the council as landlord)"
STAGES = (1, 2)


@dataclass
class StageResponses:
    sent: int = 0
    on_time: int = 0
    on_time_by_extension: int = 0
    not_held: int = 0


@dataclass
class TsmFigures:
    period: Period
    homes: HomesFigure | None
    received: dict[int, int] = field(default_factory=lambda: {s: 0 for s in STAGES})
    responses: dict[int, StageResponses] = field(
        default_factory=lambda: {s: StageResponses() for s in STAGES}
    )

    def ch01(self, stage: int) -> float | None:
        """Complaints received per 1,000 homes (unrounded); ``None`` without a homes figure."""
        if self.homes is None or self.homes.homes == 0:
            return None
        return 1000.0 * self.received[stage] / self.homes.homes

    def ch02(self, stage: int) -> float | None:
        """The percentage responded to within the Code's timescales, to one decimal place."""
        counted = self.responses[stage]
        return percent(counted.on_time, counted.sent)


def code_policy(policies: Mapping[str, Policy]) -> Policy:
    """The Complaint Handling Code (the baseline policy) whose housing route times CH02."""
    for policy in policies.values():
        if policy.baseline:
            return policy
    raise UserError("the Complaint Handling Code policy (baseline = true) is not installed")


def _housing(policy_id: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Case.route == RouteId.HOUSING]
    if policy_id is not None:
        conditions.append(Case.policy_id == policy_id)
    return conditions


def _taken_on() -> ColumnElement[bool]:
    """Not a complaint refused under the policy's exclusions (at the stage it reached)."""
    return or_(Case.outcome.is_(None), Case.outcome != Outcome.REFUSED)


def _stage2_start() -> ColumnElement[dt.date | None]:
    return func.coalesce(Case.stage_started, Case.escalation_requested)


def tsm_cases(period: Period, policy_id: str | None = None) -> ColumnElement[bool]:
    """The cases :func:`tsm_parts` count: on the housing route, received, moved to stage 2 or
    answered in ``period``."""
    return and_(
        *_housing(policy_id),
        or_(
            Case.received.between(period.start, period.end),
            _stage2_start().between(period.start, period.end),
            Case.response_sent.between(period.start, period.end),
        ),
    )


def tsm_parts(period: Period, policy_id: str | None = None) -> list[Part]:
    """What CH01 and CH02 count over the period's cases, as parts of one statement
    (:func:`~caseworker.reports.onepass.count_parts`): the complaints received at each stage,
    and the responses at the stage each case is at now, one row per case."""
    housing = _housing(policy_id)
    return [
        Part(
            "tsm: stage 1 received",
            (),
            (func.count(),),
            (
                *housing,
                Case.received.between(period.start, period.end),
                or_(Case.stage > 1, _taken_on()),
            ),
        ),
        Part(
            "tsm: stage 2 received",
            (),
            (func.count(),),
            (*housing, Case.stage >= 2, _stage2_start().between(period.start, period.end)),
        ),
        Part(
            "tsm: responses",
            (
                Case.id,
                Case.stage,
                Case.received,
                _stage2_start(),
                Case.acknowledged,
                Case.response_sent,
            ),
            (),
            (
                *housing,
                Case.stage.in_(STAGES),
                Case.response_sent.between(period.start, period.end),
                _taken_on(),
            ),
        ),
    ]


def count_tsm(
    session: Session,
    period: Period,
    *,
    policies: Mapping[str, Policy],
    policy_id: str | None = None,
    rows: Mapping[str, list[Any]] | None = None,
) -> TsmFigures:
    """CH01 and CH02 for ``period`` (the Regulator's year is 1 April to 31 March: ``2026/27``).

    ``rows``: the rows of :func:`tsm_parts`, where the caller counted them with its own
    (the yearly report, in its one reading of the period's cases); counted here otherwise."""
    code = code_policy(policies)
    figures = TsmFigures(period, homes_at(session, period.end))
    housing = _housing(policy_id)
    if rows is None:
        rows = count_parts(session, tsm_cases(period, policy_id), tsm_parts(period, policy_id))
    figures.received[1] = int(rows["tsm: stage 1 received"][0][0] or 0)
    figures.received[2] = int(rows["tsm: stage 2 received"][0][0] or 0)

    # Responses at the stage each case is at now.
    responses: list[tuple[int, int, dt.date, dt.date | None, dt.date]] = []
    for case_id, stage, received, stage2_start, acknowledged, sent in rows["tsm: responses"]:
        start = received if stage == 1 else stage2_start
        if start is None or sent is None:
            figures.responses[stage].not_held += 1
            continue
        responses.append((case_id, stage, start, acknowledged, sent))

    # Stage 1 responses of cases now at stage 2: the dates the change to stage 2 replaced.
    # Received by the period's end is compared here: in SQL that condition had SQLite walk the
    # received index to nearly every case rather than read the few at stage 2.
    escalated, kept = _stage1_dates_from_trail(session, housing)
    received_of = {case_id: received for case_id, received in escalated if received <= period.end}
    for case_id, received in received_of.items():
        dates = kept.get(case_id)
        if dates is None:
            # No trail of its stage 1 (imported at stage 2): counted only if it could have been
            # answered in the year, as "not held".
            if received >= period.start:
                figures.responses[1].not_held += 1
            continue
        acknowledged, sent = dates
        if sent is not None and period.start <= sent <= period.end:
            responses.append((case_id, 1, received, acknowledged, sent))

    answered = {(case_id, stage) for case_id, stage, *_ in responses}
    extensions = {key: agreed for key, agreed in _extensions(session).items() if key in answered}
    # The Code's date without an extension depends on the dates only: worked out once for each
    # stage, start and acknowledgement, not once per response.
    plain: dict[tuple[int, dt.date, dt.date | None], tuple[dt.date, bool]] = {}
    for case_id, stage, start, acknowledged, sent in responses:
        counted = figures.responses[stage]
        counted.sent += 1
        agreed = extensions.get((case_id, stage), [])
        if agreed:
            due, by_extension = code_due(
                code, stage=stage, start=start, acknowledged=acknowledged, extensions=agreed
            )
        else:
            key = (stage, start, acknowledged)
            if key not in plain:
                plain[key] = code_due(
                    code, stage=stage, start=start, acknowledged=acknowledged, extensions=[]
                )
            due, by_extension = plain[key]
        if sent <= due:
            counted.on_time += 1
            if by_extension:
                counted.on_time_by_extension += 1
    return figures


def code_due(
    code: Policy,
    *,
    stage: int,
    start: dt.date,
    acknowledged: dt.date | None,
    extensions: list[tuple[dt.date, dt.date | None]],
) -> tuple[dt.date, bool]:
    """The day the Code's timescale ends for a response, and whether that is an extension's.

    ``extensions`` are (new date, day the resident was told) recorded for the stage."""
    plain = compute_deadlines(code, route=RouteId.HOUSING, stage=stage, received=start)
    clock_from = acknowledged
    if plain.acknowledge_by is not None and (
        acknowledged is None or acknowledged > plain.acknowledge_by
    ):
        clock_from = plain.acknowledge_by  # a late acknowledgement buys no time
    normal = compute_deadlines(
        code, route=RouteId.HOUSING, stage=stage, received=start, acknowledged=clock_from
    )
    agreed = [new for new, told in extensions if told is not None and told <= normal.respond_by]
    if not agreed or max(agreed) <= normal.respond_by:
        return normal.respond_by, False
    latest = normal.respond_by_latest or normal.respond_by
    return min(max(agreed), latest), True


def _extensions(session: Session) -> dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]]:
    """Every extension recorded, by case and stage: one statement over a small table (one row
    per extension agreed; 11,406 at 250,000 cases), not one per 500 responses nor a join to the
    cases (SQLite walked every case for it)."""
    found: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for case_id, stage, new_date, told in session.execute(
        select(Extension.case_id, Extension.stage, Extension.new_date, Extension.complainant_told)
    ):
        found[(case_id, stage)].append((new_date, told))
    return found


def _stage1_dates_from_trail(
    session: Session, housing: list[ColumnElement[bool]]
) -> tuple[list[tuple[int, dt.date]], dict[int, tuple[dt.date | None, dt.date | None]]]:
    """The cases ``housing`` selects now at stage 2 or beyond (id, received), and the
    (acknowledged, response sent) at stage 1 of those whose trail has them, from the change that
    took the case to stage 2: the stage's update and the dates it cleared share the flush's
    time. One statement, the cases joined to their trail (it was a statement for the cases and
    one per 500 of them for the trail: 16 on PostgreSQL at 250,000 cases)."""
    trail = (
        select(
            AuditEvent.id,
            AuditEvent.case_id,
            AuditEvent.at,
            AuditEvent.field,
            AuditEvent.old_value,
            AuditEvent.new_value,
        )
        .where(
            AuditEvent.entity == Case.__tablename__,
            AuditEvent.action == "update",
            AuditEvent.field.in_(("stage", "acknowledged", "response_sent")),
        )
        .subquery("trail")
    )
    rows = session.execute(
        select(
            Case.id,
            Case.received,
            trail.c.at,
            trail.c.field,
            trail.c.old_value,
            trail.c.new_value,
        )
        .select_from(Case)
        .outerjoin(trail, trail.c.case_id == Case.id)
        .where(*housing, Case.stage >= 2)
        .order_by(trail.c.id)
    ).all()
    escalated: dict[int, dt.date] = {}
    flushes: dict[tuple[int, object], dict[str, tuple[str | None, str | None]]] = defaultdict(dict)
    for case_id, received, at, name, old, new in rows:
        escalated[case_id] = received
        if name is not None:
            flushes[(case_id, at)][name] = (old, new)
    found: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    for (case_id, _), changed in flushes.items():
        if case_id in found or changed.get("stage") != ("1", "2"):
            continue
        found[case_id] = (
            _day(changed.get("acknowledged", (None, None))[0]),
            _day(changed.get("response_sent", (None, None))[0]),
        )
    return list(escalated.items()), found


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _one_place(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def tsm_table(figures: TsmFigures) -> Table:
    """The measures as one table: a row per figure, a column per stage."""
    homes = figures.homes
    homes_label = (
        f"Homes owned (as at {homes.as_at.isoformat()})" if homes else "Homes owned (not recorded)"
    )
    r = figures.responses
    rows = (
        (
            "CH01: complaints received per 1,000 homes",
            *(_one_place(figures.ch01(s)) for s in STAGES),
        ),
        ("Complaints received in the year", *(figures.received[s] for s in STAGES)),
        (homes_label, *((homes.homes if homes else None) for _ in STAGES)),
        (
            "CH02: % responded to within the Code's timescales",
            *(figures.ch02(s) for s in STAGES),
        ),
        ("Responses sent in the year", *(r[s].sent for s in STAGES)),
        ("Within the Code's timescales", *(r[s].on_time for s in STAGES)),
        ("of which within an agreed extension", *(r[s].on_time_by_extension for s in STAGES)),
        ("Responses whose dates are not held (left out)", *(r[s].not_held for s in STAGES)),
    )
    note = (
        "Complaints about the council as landlord (the housing route). CH01: received in the "
        "year (stage 2: the request for stage 2 made in the year and accepted), per 1,000 homes "
        "owned at the year's end; refused complaints are not counted, withdrawn ones are. CH02: "
        "responses sent in the year, on time by the Complaint Handling Code's clock (5 working "
        "days to acknowledge, then 10 at stage 1 or 20 at stage 2), with an extension agreed "
        "with the resident before the response was due counted up to the Code's limit."
    )
    if homes is None:
        note += " No number of homes was recorded on or before the year's end: CH01 is blank."
    return Table(
        "tsm-ch01-ch02",
        "Tenant Satisfaction Measures CH01 and CH02",
        ("Measure", "Stage 1", "Stage 2"),
        rows,
        note=note,
        section=SECTION_TSM,
    )


__all__ = [
    "SECTION_TSM",
    "tsm_cases",
    "tsm_parts",
    "TsmFigures",
    "code_due",
    "code_policy",
    "count_tsm",
    "tsm_table",
]
