"""The Complaint Handling Code self-assessment: where a council's policy departs from the Code,
and how its cases did against the Code's timescales.

The Code is ``policies/complaint-handling-code.toml`` (the policy with ``baseline = true``): stage 1
acknowledged within 5 working days and answered within 10 working days of the acknowledgement,
extendable by at most 10; stage 2 acknowledged within 5 and answered within 20 of the
acknowledgement, extendable by at most 20; the stage 2 handler differs from the stage 1 one; no
reason may be demanded for escalating; two stages.

Each council policy's routes are compared stage by stage with the Code's route for the same kind of
complaint (housing with housing, everything else with the corporate route). Statutory routes (adult
social care and children's services follow their own regulations) and Member/MP enquiries (not
complaints) are listed as not compared. Response times are compared as the longest they allow
from receipt, since a policy may count from receipt where the Code counts from acknowledgement:
the Code's stage 1 allows at most 5 + 10 = 15 working days from receipt.

The cases are measured against the Code by working out each stage's due dates again under the
Code's clock for the same dates (received, acknowledged, sent): computed once per distinct set of
dates, not once per case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session

from caseworker.domain.enums import RouteId
from caseworker.errors import UserError
from caseworker.policy.deadlines import Deadlines, compute_deadlines
from caseworker.policy.schema import Policy, Route, Stage
from caseworker.reports import labels
from caseworker.reports.onepass import Part, count_parts
from caseworker.reports.period import Period
from caseworker.reports.tables import Table, percent
from caseworker.storage.models import Case

SECTION = "Complaint Handling Code self-assessment"
MEETS = "Meets the Code"
DEPARTS = "Departs from the Code"
NOT_COMPARED = "Not compared"


@dataclass(frozen=True, slots=True)
class Check:
    council: str
    route: str
    stage: str
    requirement: str
    policy_says: str
    code_says: str
    result: str

    @property
    def departs(self) -> bool:
        return self.result == DEPARTS


def baseline(policies: Mapping[str, Policy]) -> Policy | None:
    """The Complaint Handling Code among the installed policies (``baseline = true``)."""
    return next((p for p in policies.values() if p.baseline), None)


def code_route(code: Policy, route: RouteId | str) -> Route:
    """The Code's route a council route is measured against: housing with housing, the rest with
    the corporate route."""
    wanted = RouteId.HOUSING if route == RouteId.HOUSING else RouteId.CORPORATE
    try:
        return code.route(wanted)
    except KeyError:
        return code.routes[0]


def comparable(route: Route) -> str | None:
    """Why a route is not compared with the Code, or None when it is."""
    if route.id == RouteId.MEMBER_ENQUIRY:
        return "Member/MP enquiries are answered outside the complaints procedure"
    if route.statutory:
        return "a statutory procedure with its own regulations"
    return None


def _longest_from_receipt(stage: Stage) -> int:
    """The most working days from receipt the stage allows for its response, no extension."""
    if stage.respond_from == "acknowledgement" and stage.acknowledge_days is not None:
        return stage.acknowledge_days + stage.respond_days
    return stage.respond_days


def _respond_text(stage: Stage) -> str:
    text = f"{stage.respond_days} working days from {stage.respond_from}"
    if stage.respond_from == "acknowledgement" and stage.acknowledge_days is not None:
        text += f" (at most {_longest_from_receipt(stage)} from receipt)"
    return text


def _days(n: int | None) -> str:
    return "no target" if n is None else f"{n} working day{'' if n == 1 else 's'}"


def policy_checks(policy: Policy, code: Policy) -> list[Check]:
    """Every comparison of ``policy`` with the Code, each meeting it, departing, or not compared."""
    checks: list[Check] = []
    council = policy.council

    def add(
        route: str, stage: str, requirement: str, says: str, code_says: str, departs: bool
    ) -> None:
        checks.append(
            Check(
                council, route, stage, requirement, says, code_says, DEPARTS if departs else MEETS
            )
        )

    limit, code_limit = policy.time_limit.months, code.time_limit.months
    add(
        "All routes",
        "",
        "Time limit for making a complaint",
        f"{limit} months",
        f"{code_limit} months",
        limit < code_limit,
    )
    for route in policy.routes:
        name = labels.route(route.id)
        why_not = comparable(route)
        if why_not is not None:
            checks.append(Check(council, name, "", "Not compared", why_not, "", NOT_COMPARED))
            continue
        baseline_route = code_route(code, route.id)
        count, code_count = len(route.stages), len(baseline_route.stages)
        add(name, "", "Number of stages", str(count), str(code_count), count != code_count)
        for stage in route.stages:
            label = labels.stage(stage.number)
            if stage.number > code_count:
                add(
                    name,
                    label,
                    "A stage beyond the Code's",
                    stage.name,
                    f"{code_count} stages, then the Ombudsman",
                    True,
                )
                continue
            code_stage = baseline_route.stages[stage.number - 1]
            ack, code_ack = stage.acknowledge_days, code_stage.acknowledge_days
            add(
                name,
                label,
                "Acknowledgement",
                _days(ack),
                _days(code_ack) + " from receipt",
                code_ack is not None and (ack is None or ack > code_ack),
            )
            add(
                name,
                label,
                "Response",
                _respond_text(stage),
                _respond_text(code_stage),
                _longest_from_receipt(stage) > _longest_from_receipt(code_stage),
            )
            ext, code_ext = stage.extension_days, code_stage.extension_days
            add(
                name,
                label,
                "Longest extension",
                _days(ext or None) if ext else "none allowed",
                _days(code_ext),
                ext > code_ext,
            )
            if ext and code_stage.extension_gives_ombudsman:
                add(
                    name,
                    label,
                    "Extension letter gives the Ombudsman's details",
                    "yes" if stage.extension_gives_ombudsman else "no",
                    "yes",
                    not stage.extension_gives_ombudsman,
                )
            if stage.number > 1:
                add(
                    name,
                    label,
                    "Reasons demanded for escalating",
                    "yes" if stage.escalation_request == "reason-required" else "no",
                    "no (no reason may be demanded)",
                    stage.escalation_request == "reason-required"
                    and code_stage.escalation_request != "reason-required",
                )
                add(
                    name,
                    label,
                    "Handler differs from the stage before",
                    "yes" if stage.handler_must_differ else "no",
                    "yes" if code_stage.handler_must_differ else "no",
                    code_stage.handler_must_differ and not stage.handler_must_differ,
                )
    return checks


def departures(policy: Policy, code: Policy) -> list[Check]:
    return [check for check in policy_checks(policy, code) if check.departs]


def tables(
    session: Session,
    period: Period,
    policies: Mapping[str, Policy],
    *,
    policy_id: str | None = None,
    calendars: Callable[[str], object] | None = None,
    rows: Mapping[str, list[Any]] | None = None,
) -> list[Table]:
    """The self-assessment's two tables: the policy checks and the cases against the Code.

    ``rows``: the rows of :func:`code_parts`, where the caller counted them with its own (the
    yearly report, in its one reading of the period's cases); counted here otherwise."""
    code = baseline(policies)
    if code is None:
        return [
            Table(
                "code-departures",
                "Complaint Handling Code: the policies",
                ("Council", "Route", "Stage", "Requirement", "Policy says", "Code says", "Result"),
                (),
                note="The Complaint Handling Code's policy file is not installed.",
                section=SECTION,
            )
        ]
    councils = [
        p
        for pid, p in sorted(policies.items())
        if not p.baseline and (policy_id is None or pid == policy_id)
    ]
    checks = [check for policy in councils for check in policy_checks(policy, code)]
    policy_table = Table(
        "code-departures",
        "Complaint Handling Code: where each policy departs",
        ("Council", "Route", "Stage", "Requirement", "Policy says", "Code says", "Result"),
        tuple(
            (c.council, c.route, c.stage, c.requirement, c.policy_says, c.code_says, c.result)
            for c in checks
        ),
        note="Each policy file compared with policies/complaint-handling-code.toml. Response "
        "times are compared as the longest they allow from receipt.",
        section=SECTION,
    )
    measured = _measured(policies, policy_id)
    return [
        policy_table,
        _cases_table(session, period, policies, code, measured, policy_id, rows),
    ]


def _council(policy: Policy) -> str:
    return policy.title if policy.baseline else policy.council


def _measured(policies: Mapping[str, Policy], policy_id: str | None) -> list[Policy]:
    """The policies whose cases are measured against the Code: the councils' and, where a
    council adopted the Code as its policy, the Code's own."""
    return [p for pid, p in sorted(policies.items()) if policy_id is None or pid == policy_id]


def code_parts(
    period: Period, policies: Mapping[str, Policy], *, policy_id: str | None = None
) -> list[Part]:
    """What the cases against the Code count, as parts of one statement
    (:func:`~caseworker.reports.onepass.count_parts`): the responses sent and the
    acknowledgements made in the period on the routes compared, by their dates (none without
    the Code or a route to compare). Each part's condition selects all of its cases."""
    from caseworker.reports.figures import STAGE_START

    code = baseline(policies)
    if code is None:
        return []
    councils = _measured(policies, policy_id)
    pairs = [(p.id, r.id) for p in councils for r in p.routes if comparable(r) is None]
    if not pairs:
        return []
    on_route = or_(*(and_(Case.policy_id == pid, Case.route == route) for pid, route in pairs))
    # The Code's route and stage a case is measured against are worked out from its route and
    # stage where the rows are read (:func:`_code_route`, :func:`_code_stage`), not grouped on
    # as expressions of their own.
    code_route_id = case(
        (Case.route == RouteId.HOUSING, literal(RouteId.HOUSING.value)),
        else_=literal(RouteId.CORPORATE.value),
    )
    code_stage = case((Case.stage > 1, literal(2)), else_=literal(1))
    # Under the Code the response clock runs from the acknowledgement where there is one (or from
    # receipt, for a stage of the Code that says so): group on that day, not on both.
    from_ack = {
        route.id.value: [stage.respond_from == "acknowledgement" for stage in route.stages]
        for route in code.routes
    }
    anchor_of = {
        (route, number + 1): flag
        for route, flags in from_ack.items()
        for number, flag in enumerate(flags)
    }
    every_pair = [(r.value, n) for r in (RouteId.HOUSING, RouteId.CORPORATE) for n in (1, 2)]
    runs_from_ack: ColumnElement[bool]
    if all(anchor_of.get(pair) is True for pair in every_pair):
        # Every stage of the Code runs from the acknowledgement (the Code as published): no
        # condition to work out per case.
        runs_from_ack = true()
    elif any(anchor_of.values()):
        runs_from_ack = or_(
            *(
                and_(code_route_id == route, code_stage == number)
                for (route, number), flag in anchor_of.items()
                if flag
            )
        )
    else:
        runs_from_ack = false()
    anchor = case(
        (and_(runs_from_ack, Case.acknowledged.is_not(None)), Case.acknowledged), else_=STAGE_START
    )
    acknowledged = and_(runs_from_ack, Case.acknowledged.is_not(None))
    route = type_coerce(Case.route, String())  # its text: no enumeration made per row
    policy_on_time = func.coalesce(
        func.sum(case((Case.response_sent <= Case.respond_by, 1), else_=0)), 0
    )
    ack_policy = func.coalesce(
        func.sum(case((Case.acknowledged <= Case.acknowledge_by, 1), else_=0)), 0
    )
    with_target = func.coalesce(func.sum(case((Case.acknowledge_by.is_not(None), 1), else_=0)), 0)
    return [
        Part(
            "code: responses",
            (
                Case.policy_id,
                Case.stage,
                route,
                anchor,
                case((acknowledged, literal(1)), else_=literal(0)),
                Case.response_sent,
            ),
            (func.count(), policy_on_time),
            (and_(Case.response_sent.between(period.start, period.end), on_route),),
        ),
        Part(
            "code: acknowledgements",
            (Case.policy_id, Case.stage, route, STAGE_START, Case.acknowledged),
            (func.count(), ack_policy, with_target),
            (
                and_(
                    STAGE_START.between(period.start, period.end),
                    Case.acknowledged.is_not(None),
                    on_route,
                ),
            ),
        ),
    ]


_HOUSING, _CORPORATE = RouteId.HOUSING.value, RouteId.CORPORATE.value


def _code_route(route: object) -> str:
    """The Code's route a case's route (its text) is measured against (as :func:`code_route`)."""
    return _HOUSING if route == _HOUSING else _CORPORATE


def _code_stage(stage: int) -> int:
    """The Code's stage a case's stage is measured against: 2 for any stage after the first."""
    return 2 if stage > 1 else 1


def _cases_table(
    session: Session,
    period: Period,
    policies: Mapping[str, Policy],
    code: Policy,
    councils: list[Policy],
    policy_id: str | None,
    rows: Mapping[str, list[Any]] | None,
) -> Table:
    from caseworker.reports.figures import as_date

    pairs = [(p.id, r.id) for p in councils for r in p.routes if comparable(r) is None]
    columns = (
        "Council",
        "Stage",
        "Responses sent",
        "On time under the policy",
        "% under the policy",
        "On time under the Code",
        "% under the Code",
        "Within the Code's longest extension",
        "% within the extension",
        "Acknowledged",
        "Within the policy's target (blank: none set)",
        "Within the Code's 5 days",
        "% within the Code's 5 days",
    )
    note = (
        "Responses sent and acknowledgements made in the period on the routes compared, with "
        "each stage's dates worked out again under the Code's clock from the same receipt, "
        "acknowledgement and sending dates. On time under the policy counts an agreed "
        "extension; under the Code it does not, and the next column allows the Code's "
        "longest extension."
    )
    if not pairs:
        return Table(
            "code-timeliness",
            "Cases against the Code's timescales",
            columns,
            (),
            note=note,
            section=SECTION,
        )
    if rows is None:
        parts = code_parts(period, policies, policy_id=policy_id)
        rows = count_parts(session, or_(*(part.where[0] for part in parts)), parts)
    sent_rows, ack_rows = rows["code: responses"], rows["code: acknowledgements"]

    due_dates: dict[tuple[object, ...], Deadlines | None] = {}

    def code_dates(
        route: str, stage: int, day: object, from_acknowledgement: bool
    ) -> Deadlines | None:
        """The Code's dates for a stage whose clock runs from ``day``: an acknowledgement (the
        response clock starts there) or the day the stage began."""
        key = (route, stage, day, from_acknowledgement)
        if key not in due_dates:
            start = as_date(day)
            try:
                due_dates[key] = compute_deadlines(
                    code,
                    route=route,
                    stage=stage,
                    received=start,
                    acknowledged=start if from_acknowledgement else None,
                )
            except UserError:
                due_dates[key] = None
        return due_dates[key]

    # council, stage -> [sent, on time policy, on time code, within extension, acknowledged,
    # acknowledged within the policy's target, within the Code's, with a policy target]
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * 8)
    for pid, stage, route, day, from_acknowledgement, sent, count, policy_ok in sent_rows:
        dates = code_dates(_code_route(route), _code_stage(stage), day, bool(from_acknowledgement))
        if dates is None:
            continue
        row = totals[(pid, stage)]
        sent_on = as_date(sent)
        row[0] += count
        row[1] += policy_ok
        if sent_on <= dates.respond_by:
            row[2] += count
        if sent_on <= (dates.respond_by_latest or dates.respond_by):
            row[3] += count
    for pid, stage, route, start, acknowledged_on, count, policy_ok, target in ack_rows:
        dates = code_dates(_code_route(route), _code_stage(stage), start, False)
        if dates is None:
            continue
        row = totals[(pid, stage)]
        row[4] += count
        row[5] += policy_ok
        row[7] += target
        if dates.acknowledge_by is not None and as_date(acknowledged_on) <= dates.acknowledge_by:
            row[6] += count

    def line(council: str, stage: str, values: list[int]) -> tuple[object, ...]:
        sent, policy_ok, code_ok, ext_ok, acked, ack_ok, ack_code, target = values
        return (
            council,
            stage,
            sent,
            policy_ok,
            percent(policy_ok, sent),
            code_ok,
            percent(code_ok, sent),
            ext_ok,
            percent(ext_ok, sent),
            acked,
            ack_ok if target else None,
            ack_code,
            percent(ack_code, acked),
        )

    out = []
    grand = [0] * 8
    for key in sorted(totals):
        pid, stage = key
        council = _council(policies[pid]) if pid in policies else pid
        out.append(line(council, labels.stage(stage), totals[key]))
        grand = [a + b for a, b in zip(grand, totals[key], strict=True)]
    if len(out) > 1:
        out.append(line("Total", "All stages", grand))
    return Table(
        "code-timeliness",
        "Cases against the Code's timescales",
        columns,
        tuple(out),
        note=note,
        section=SECTION,
    )


__all__ = [
    "DEPARTS",
    "MEETS",
    "NOT_COMPARED",
    "Check",
    "baseline",
    "code_parts",
    "departures",
    "policy_checks",
    "tables",
]
