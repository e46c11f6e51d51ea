"""A complaint's deadlines at one stage, worked out from its policy and its dates.

* ``acknowledge_by``: ``acknowledge_days`` working days after the day of receipt. A complaint
  received on a weekend, bank holiday or closure day counts as received on the next working day.
  ``None`` where the stage sets no acknowledgement target.
* ``respond_by``: ``respond_days`` working days after receipt, or after acknowledgement where the
  stage's clock runs from acknowledgement (seed 002, the Complaint Handling Code). Without an
  acknowledgement date the acknowledgement is assumed sent on its due date; where the stage sets
  no acknowledgement target the clock runs from receipt. Working days inside a suspension do not
  count. An agreed extension (``extended_to``) replaces it.
* ``respond_by_latest``: ``respond_by`` plus ``extension_days`` working days, the latest the
  policy allows with an extension; ``None`` where the stage allows none.
* ``deemed_received``: when the response counts as received, by the policy's deemed-receipt rule
  for how it was sent; ``None`` until a response is sent.
* ``escalate_by``: the last day to ask for the next stage, the stage's escalation window counted
  from deemed receipt; ``None`` where the stage sets no window or no response has been sent.
* ``decide_escalation_by``: at a stage entered by request (``received`` is the request), when the
  decision to accept it is due (``escalation_decision_days``: Stoke 5, Warwickshire 10);
  ``None`` where the stage sets no time.
* ``milestones``: the stage's other dated duties (Warwickshire children's stage 3: the panel, its
  report, the reply), each counted from the stage's start or the milestone before it.

Every count from an event — receipt, acknowledgement, posting, deemed receipt, a request, a
decision — starts on day 0, the event's day. An event on a weekend, bank holiday or closure day
is read the one way the policy's ``clock.start_on_non_working_day`` says, for every count alike:
by default it counts as happening on the next working day (:func:`clock_start`).

Everything is computed from the dates given; nothing here reads the clock on the wall.

Speed: every open case's deadlines are recomputed on each screen refresh (250,000 cases well
under a second; ``benchmarks/clock.py``). Each policy stage is looked up once per policy object;
the dates counted from receipt come from one look-up in the precomputed calendar; and an open case
with no suspension or extension shares its (immutable) answer with every case received, and
acknowledged, on the same days at the same stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from caseworker.domain.enums import SendMethod
from caseworker.errors import UserError
from caseworker.policy.clock import Suspension, WorkingCalendar, add_months, calendar_for
from caseworker.policy.schema import Policy, Stage, Window


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    """One of a stage's milestones and the day it is due."""

    id: str
    name: str
    due: dt.date


@dataclass(frozen=True, slots=True)
class Deadlines:
    """A case's deadlines at one stage; ``None`` where one does not apply (see the module)."""

    acknowledge_by: dt.date | None
    respond_by: dt.date
    respond_by_latest: dt.date | None
    deemed_received: dt.date | None = None
    escalate_by: dt.date | None = None
    decide_escalation_by: dt.date | None = None
    milestones: tuple[MilestoneDue, ...] = ()

    def as_dict(self) -> dict[str, str | None]:
        """ISO dates (``None`` where a deadline does not apply), for JSON. The escalation
        decision and the milestones (``<id>_by``) appear only where the stage sets them."""
        values = {
            name: (value.isoformat() if value is not None else None)
            for name, value in (
                ("acknowledge_by", self.acknowledge_by),
                ("respond_by", self.respond_by),
                ("respond_by_latest", self.respond_by_latest),
                ("deemed_received", self.deemed_received),
                ("escalate_by", self.escalate_by),
            )
        }
        if self.decide_escalation_by is not None:
            values["decide_escalation_by"] = self.decide_escalation_by.isoformat()
        for milestone in self.milestones:
            values[f"{milestone.id}_by"] = milestone.due.isoformat()
        return values


def policy_calendar(policy: Policy) -> WorkingCalendar:
    """The shared working-day calendar for ``policy``'s closure days."""
    return calendar_for(policy.clock.closure_days)


def starts_that_day(policy: Policy) -> bool:
    """True where the policy counts from a non-working day itself (``that-day``)."""
    return policy.clock.start_on_non_working_day == "that-day"


def clock_start(policy: Policy, event: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """Day 0 of any count from an event on ``event``, by the policy's one reading of a start on
    a non-working day: the event's own day on a working day; otherwise the next working day
    (``next-working-day``, the default) or the day itself (``that-day``)."""
    if calendar is None:
        calendar = policy_calendar(policy)
    return calendar.day_zero(event, that_day=starts_that_day(policy))


def working_days_after(
    policy: Policy,
    event: dt.date,
    days: int,
    calendar: WorkingCalendar | None = None,
    suspensions: Iterable[Suspension] = (),
) -> dt.date:
    """The end of "within ``days`` working days of" an event: the ``days``-th working day after
    day 0 (:func:`clock_start`), working days inside ``suspensions`` not counting."""
    if calendar is None:
        calendar = policy_calendar(policy)
    return calendar.add_working_days(clock_start(policy, event, calendar), days, suspensions)


def extension_source(policy: Policy, stage: Stage) -> str | None:
    """Where the stage's extension limit comes from, in words; ``None`` where it allows none."""
    if not stage.extension_days:
        return None
    if stage.extension_borrowed_from:
        return f"{stage.extension_borrowed_from}, borrowed: the council's policy sets no limit"
    return "the council's policy" if not policy.baseline else policy.title


def escalation_decision_due(
    policy: Policy, route: str | None, to_stage: int, requested_on: dt.date
) -> dt.date | None:
    """When the decision on a request (made on ``requested_on``) to enter ``to_stage`` is due;
    ``None`` where that stage sets no time (``escalation_decision_days``)."""
    days = find_stage(policy, route, to_stage).escalation_decision_days
    if days is None:
        return None
    return working_days_after(policy, requested_on, days)


def find_stage(policy: Policy, route: str | None, stage: int) -> Stage:
    """The stage, or a :class:`UserError` naming the route or stage the policy does not have.

    ``route=None`` means the policy's first route.
    """
    if route is None:
        chosen = policy.routes[0]
    else:
        for chosen in policy.routes:
            if chosen.id == route:
                break
        else:
            raise UserError(
                f"policy {policy.id} has no route '{route}'; it has "
                + ", ".join(r.id.value for r in policy.routes)
            )
    for found in chosen.stages:
        if found.number == stage:
            return found
    raise UserError(
        f"policy {policy.id} route {chosen.id.value} has no stage {stage}; it has stage"
        + ("s " if len(chosen.stages) > 1 else " ")
        + ", ".join(str(s.number) for s in chosen.stages)
    )


def deemed_receipt(
    policy: Policy, sent: dt.date, method: SendMethod | str, calendar: WorkingCalendar | None = None
) -> dt.date:
    """When a letter sent on ``sent`` by ``method`` counts as received, by the policy's rule.

    Counted from day 0 of the sending (:func:`clock_start`: a letter posted on a Saturday counts
    as posted on the Monday, unless the policy reads a start on a non-working day as that day).
    Calendar days are then added plainly (first class post: the next day, even a Sunday or Good
    Friday); working days give the nth working day after (second class post: the third business
    day).
    """
    try:
        rule = policy.deemed(method)
    except StopIteration:
        raise UserError(
            f"'{method}' is not a way of sending a letter; use "
            + ", ".join(m.value for m in SendMethod)
        ) from None
    if calendar is None:
        calendar = policy_calendar(policy)
    start = clock_start(policy, sent, calendar)
    if rule.unit == "calendar-days":
        return start + dt.timedelta(days=rule.days)
    return calendar.add_working_days(start, rule.days)


def window_end(
    window: Window, start: dt.date, calendar: WorkingCalendar, *, that_day: bool = False
) -> dt.date:
    """The last day of ``window`` counted from an event on ``start``.

    Day 0 is ``calendar.day_zero(start, that_day=...)`` (a response deemed received on Good
    Friday counts from the Tuesday after Easter Monday, unless ``that_day``). Working days: the
    nth working day after day 0; calendar days: plain addition; months: the same day of the month
    ``length`` months on, clamped to the end of a shorter month.
    """
    start = calendar.day_zero(start, that_day=that_day)
    if window.unit == "working-days":
        return calendar.add_working_days(start, window.length)
    if window.unit == "calendar-days":
        return start + dt.timedelta(days=window.length)
    return add_months(start, window.length)


class _Plan:
    """What compute_deadlines needs from one stage of one policy object, worked out once."""

    __slots__ = (
        "policy",
        "stage",
        "calendar",
        "offsets",
        "respond_offsets",
        "from_acknowledgement",
        "respond_at",
        "latest_at",
        "that_day",
        "decide_at",
        "milestone_offsets",
        "memo",
    )

    def __init__(self, policy: Policy, stage: Stage) -> None:
        ack, respond, extension = stage.acknowledge_days, stage.respond_days, stage.extension_days
        self.policy = policy
        self.stage = stage
        self.calendar = policy_calendar(policy)
        self.that_day = starts_that_day(policy)
        self.from_acknowledgement = stage.respond_from == "acknowledgement"
        self.respond_offsets = (respond, respond + extension) if extension else (respond,)
        """Working days after an actual acknowledgement to the response and latest response."""
        lead = ack if (ack is not None and self.from_acknowledgement) else 0
        self.offsets = ((ack,) if ack is not None else ()) + tuple(
            lead + n for n in self.respond_offsets
        )
        """Working days after the clock start to: the acknowledgement (where set), the response,
        the latest response (where an extension is allowed), then the escalation decision and
        the milestones (where set). Where the response clock runs from acknowledgement, the
        responses assume the acknowledgement is sent on its due date."""
        self.respond_at = 0 if ack is None else 1
        self.latest_at = self.respond_at + 1 if extension else None
        self.decide_at: int | None = None
        if stage.escalation_decision_days is not None:
            self.decide_at = len(self.offsets)
            self.offsets += (stage.escalation_decision_days,)
        reached = {"start": 0}
        for milestone in stage.milestones:
            reached[milestone.id] = reached[milestone.after] + milestone.days
        self.milestone_offsets = tuple(reached[m.id] for m in stage.milestones)
        """Working days from the clock start to each milestone, each due on the day the one it
        follows is due."""
        self.offsets += self.milestone_offsets
        self.memo: dict[object, Deadlines] = {}
        """Deadlines already worked out for an open case with no suspension or extension, by
        receipt date (and acknowledgement date, where the response clock runs from it): cases
        received on the same day share them. A policy is immutable, so nothing goes stale."""

    def extras(self, dates: list[dt.date]) -> tuple[dt.date | None, tuple[MilestoneDue, ...]]:
        """The escalation decision and the milestones, from the dates of :attr:`offsets`."""
        decide = dates[self.decide_at] if self.decide_at is not None else None
        milestones = self.stage.milestones
        if not milestones:
            return decide, ()
        first = len(self.offsets) - len(milestones)
        return decide, tuple(
            MilestoneDue(m.id, m.name, dates[first + k]) for k, m in enumerate(milestones)
        )

    def from_receipt(self, received: dt.date) -> Deadlines:
        """The deadlines of a case known only by its receipt date."""
        dates = self.calendar.after_clock_start(received, self.offsets, that_day=self.that_day)
        latest_at = self.latest_at
        decide, milestones = self.extras(dates)
        return Deadlines(
            dates[0] if self.respond_at else None,
            dates[self.respond_at],
            dates[latest_at] if latest_at is not None else None,
            None,
            None,
            decide,
            milestones,
        )


_plans: dict[tuple[int, str | None, int], _Plan] = {}
_MAX_PLANS = 1024
_MAX_MEMO = 100_000
"""Receipt dates remembered per stage: about 270 years' worth, so in practice all of them."""


def _plan(policy: Policy, route: str | None, stage: int) -> _Plan:
    plan = _Plan(policy, find_stage(policy, route, stage))
    if len(_plans) >= _MAX_PLANS:  # a plan holds its policy: don't let old ones pile up
        _plans.clear()
    _plans[(id(policy), route, stage)] = plan
    return plan


def _check(
    received: dt.date,
    acknowledged: dt.date | None,
    response_sent: dt.date | None,
    sent_by: SendMethod | str | None,
) -> None:
    if acknowledged is not None and acknowledged < received:
        raise UserError(
            f"the acknowledgement date {acknowledged.isoformat()} is before the complaint was "
            f"received ({received.isoformat()})"
        )
    if response_sent is not None:
        if response_sent < received:
            raise UserError(
                f"the response date {response_sent.isoformat()} is before the complaint was "
                f"received ({received.isoformat()})"
            )
        if sent_by is None:
            raise UserError(
                f"the response sent on {response_sent.isoformat()} needs a sending method ("
                + ", ".join(m.value for m in SendMethod)
                + ") to work out when it is deemed received"
            )
    elif sent_by is not None:
        raise UserError(f"sending method '{sent_by}' given without the date the response was sent")


def compute_deadlines(
    policy: Policy,
    *,
    route: str | None,
    stage: int,
    received: dt.date,
    acknowledged: dt.date | None = None,
    response_sent: dt.date | None = None,
    sent_by: SendMethod | str | None = None,
    suspensions: Iterable[Suspension] = (),
    extended_to: dt.date | None = None,
) -> Deadlines:
    """The deadlines of a complaint at ``stage`` of ``route`` (``None``: the first route).

    ``received`` is when this stage's complaint (or escalation request) arrived; ``acknowledged``
    when it was acknowledged; ``response_sent`` and ``sent_by`` when and how the stage's
    response left the council. ``suspensions`` are periods (first and last day inclusive) when
    the clock was stopped. ``extended_to`` is an agreed extended response date: it must not be
    before the normal date nor after the latest the policy allows.

    Raises :class:`UserError` for a route or stage the policy lacks, a date before receipt, a
    sending method without a response date (or the reverse), or an extension the policy forbids.
    """
    plan = _plans.get((id(policy), route, stage))
    if plan is None or plan.policy is not policy:
        plan = _plan(policy, route, stage)
    if response_sent is None and sent_by is None and extended_to is None and not suspensions:
        # An open case with no suspension or extension: the common case on each screen refresh.
        # Its deadlines depend on the receipt date alone, or on the receipt and acknowledgement
        # dates where the response clock runs from acknowledgement.
        memo = plan.memo
        if acknowledged is None or not plan.from_acknowledgement:
            if acknowledged is not None and acknowledged < received:
                _check(received, acknowledged, None, None)
            found = memo.get(received)
            if found is None:
                found = plan.from_receipt(received)
                if len(memo) < _MAX_MEMO:
                    memo[received] = found
            return found
        _check(received, acknowledged, None, None)
        key = (received, acknowledged)
        found = memo.get(key)
        if found is None:
            found = _compute(plan, received, acknowledged, None, None, (), None)
            if len(memo) < _MAX_MEMO:
                memo[key] = found
        return found
    _check(received, acknowledged, response_sent, sent_by)
    return _compute(
        plan, received, acknowledged, response_sent, sent_by, tuple(suspensions), extended_to
    )


def _compute(
    plan: _Plan,
    received: dt.date,
    acknowledged: dt.date | None,
    response_sent: dt.date | None,
    sent_by: SendMethod | str | None,
    suspensions: tuple[Suspension, ...],
    extended_to: dt.date | None,
) -> Deadlines:
    stage = plan.stage
    calendar = plan.calendar

    # One look-up gives every date counted from receipt.
    that_day = plan.that_day
    dates = calendar.after_clock_start(received, plan.offsets, that_day=that_day)
    decide_escalation_by, milestones = plan.extras(dates)
    if stage.acknowledge_days is not None:
        acknowledge_by = dates[0]
        respond_dates = dates[1:]
    else:
        acknowledge_by = None
        respond_dates = dates
    if acknowledged is not None and plan.from_acknowledgement:
        respond_dates = calendar.after_clock_start(
            acknowledged, plan.respond_offsets, that_day=that_day
        )

    if suspensions:
        if not plan.from_acknowledgement:
            respond_start = calendar.day_zero(received, that_day=that_day)
        elif acknowledged is not None:
            respond_start = calendar.day_zero(acknowledged, that_day=that_day)
        elif acknowledge_by is not None:
            respond_start = acknowledge_by
        else:
            respond_start = calendar.day_zero(received, that_day=that_day)
        if stage.milestones:
            start = calendar.day_zero(received, that_day=that_day)
            milestones = tuple(
                MilestoneDue(m.id, m.name, calendar.add_working_days(start, offset, suspensions))
                for m, offset in zip(stage.milestones, plan.milestone_offsets, strict=True)
            )
        respond_by = calendar.add_working_days(respond_start, stage.respond_days, suspensions)
        respond_by_latest = (
            calendar.add_working_days(respond_by, stage.extension_days, suspensions)
            if stage.extension_days
            else None
        )
    else:
        respond_by = respond_dates[0]
        respond_by_latest = respond_dates[1] if stage.extension_days else None

    if extended_to is not None:
        policy_id = plan.policy.id
        if respond_by_latest is None:
            raise UserError(
                f"stage {stage.number} of policy {policy_id} allows no extension; the response "
                f"is due by {respond_by.isoformat()}, not {extended_to.isoformat()}"
            )
        if extended_to < respond_by:
            raise UserError(
                f"the extended date {extended_to.isoformat()} is before the response was due "
                f"anyway ({respond_by.isoformat()})"
            )
        if extended_to > respond_by_latest:
            raise UserError(
                f"the extended date {extended_to.isoformat()} is after the latest policy "
                f"{policy_id} allows ({respond_by_latest.isoformat()}, {stage.extension_days} "
                "working days more)"
            )
        respond_by = extended_to

    deemed_received = escalate_by = None
    if response_sent is not None and sent_by is not None:
        deemed_received = deemed_receipt(plan.policy, response_sent, sent_by, calendar)
        window = stage.escalation_window
        if window is not None:
            escalate_by = window_end(window, deemed_received, calendar, that_day=that_day)

    return Deadlines(
        acknowledge_by,
        respond_by,
        respond_by_latest,
        deemed_received,
        escalate_by,
        decide_escalation_by,
        milestones,
    )


__all__ = [
    "Deadlines",
    "MilestoneDue",
    "clock_start",
    "compute_deadlines",
    "deemed_receipt",
    "escalation_decision_due",
    "extension_source",
    "find_stage",
    "policy_calendar",
    "starts_that_day",
    "window_end",
    "working_days_after",
]
