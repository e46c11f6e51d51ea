"""The figures of a report for any period, counted in the database.

Every figure is a SQL aggregate (``COUNT``/``SUM`` with ``GROUP BY``); no case is loaded into
Python. Working days need the policy's calendar, which SQL does not have, so they are worked out
from grouped dates: a case's working days to respond are ``rank(sent) - rank(start)`` on its
policy's calendar (``rank`` counting working days up to a date), so the average needs only the
number of responses per start date and per sending date, and the longest only the latest sending
date per start date (a later response from the same start always took longer). A year of a large
council is a few hundred groups, whatever the number of cases.

How things are counted (the report's notes say the same to its readers):

* **Received** means a new complaint received in the period (every complaint starts at stage 1).
  A stage 2 (or 3) complaint is counted as received at that stage when the request that took it
  there was made in the period. A case keeps the dates of the stage it is at: when it moves on,
  its earlier stage's acknowledgement and response dates are replaced (the audit trail keeps
  them), so timeliness is measured at the stage each case reached.
* **Closed** means closed in the period, at the stage it was at, with its outcome.
* **Acknowledged on time**: acknowledged on or before its acknowledge-by date, for stages that
  began in the period and have an acknowledgement target. Not acknowledged at all counts as late
  once the date has passed (by the report's as-at date), unless the case closed first.
* **Answered on time**: the response was sent in the period on or before the respond-by date.
  An agreed extension moves that date (the policy allows it, within its limit, and the complainant
  is told): a response inside an agreed extension is on time. The extensions table shows how
  many responses needed one.
* **Working days to respond**: from the day the stage began (receipt, or the request for the next
  stage, moved to the next working day when it fell on a non-working day) to the day the response
  was sent, on the policy's calendar; suspended days are not taken off.
* **Escalation rate**: of the complaints received in the period on a route that has a stage 2,
  the share whose complainant has asked for the next stage (so far).
* **Lessons-learnt actions** and **outstanding Ombudsman remedies** are as at the report's as-at
  date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from caseworker.domain.enums import Outcome, RouteId
from caseworker.domain.lifecycle import EscalationDecision, OmbudsmanBody
from caseworker.policy.clock import WorkingCalendar, calendar_for
from caseworker.policy.deadlines import policy_calendar
from caseworker.policy.schema import Policy
from caseworker.reports import labels
from caseworker.reports.onepass import Part, count_parts
from caseworker.reports.period import Period
from caseworker.reports.remedies import KINDS, OTHER_LABEL, kind_counts, kinds_mask
from caseworker.reports.selfassessment import code_parts
from caseworker.reports.tables import Headline, Report, Table, percent
from caseworker.reports.tsm import count_tsm, tsm_parts, tsm_table
from caseworker.storage.models import Case, Complainant, Extension, Issue, OmbudsmanCase

Progress = Callable[[int, int, str], None]
"""``progress(step, steps, what)``: called as each part of the report is counted."""

STAGE_START: ColumnElement[dt.date] = case(
    (and_(Case.stage > 1, Case.stage_started.is_not(None)), Case.stage_started),
    (and_(Case.stage > 1, Case.escalation_requested.is_not(None)), Case.escalation_requested),
    else_=Case.received,
)
"""The day the case's current stage began: receipt, or the request that took it there."""

ASKED_NEXT_STAGE: ColumnElement[bool] = or_(
    Case.stage > 1,
    and_(
        Case.escalation_requested.is_not(None),
        Case.response_sent.is_not(None),
        Case.escalation_requested >= Case.response_sent,
    ),
)
"""The complainant asked for the next stage: the case is there, or a request after the current
stage's response is logged (waiting for a decision, or refused)."""

DECIDED_OUTCOMES = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)

SECTION_SUMMARY = "Summary"
SECTION_VOLUMES = "Complaints received and closed"
SECTION_OUTCOMES = "Outcomes"
SECTION_TIMELINESS = "Timeliness"
SECTION_ESCALATION = "Escalation and the Ombudsman"
SECTION_LEARNING = "Remedies and learning"
SECTION_ADJUSTMENTS = "Reasonable adjustments"
SECTION_CODE = "Complaint Handling Code self-assessment"

NOTES = (
    "Personal data never appears in this report: it holds counts, dates, stages, routes, "
    "channels, outcomes and service areas only.",
    "Received: new complaints received in the period. A stage 2 or 3 complaint counts as received "
    "at that stage when the request that took it there was made in the period.",
    "A case keeps the dates of the stage it has reached; when it moves to the next stage the "
    "earlier stage's acknowledgement and response dates are replaced (the audit trail keeps "
    "them), so timeliness is measured at the stage each case reached.",
    "Answered on time: sent on or before the respond-by date. An agreed extension, within the "
    "policy's limit and told to the complainant, moves that date, so a response inside an agreed "
    "extension counts as on time; the extensions table shows how many needed one.",
    "Working days to respond run from the day the stage began (receipt or the request for the "
    "next stage; a non-working day counts as the next working day) to the day the response was "
    "sent, on the policy's calendar of weekends, bank holidays and closure days.",
    "Remedy kinds are read from the remedy's wording (a remedy may be of several kinds). The case "
    "file records no amount of compensation, so financial remedies are counted, not totalled.",
    "Complaints excluded at triage are not recorded as cases, so they are not counted here.",
    "Cases purged under a retention policy keep their dates, stage, route, channel, service, "
    "outcome, findings and the kinds of remedy, so reports over past periods do not change.",
)


@dataclass(frozen=True, slots=True)
class _Scope:
    period: Period
    as_of: dt.date
    policy_id: str | None

    def where(self) -> list[ColumnElement[bool]]:
        return [Case.policy_id == self.policy_id] if self.policy_id else []

    def within(self, column: Any) -> ColumnElement[bool]:
        return column.between(self.period.start, self.period.end)  # type: ignore[no-any-return]


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class Calendars:
    """Each policy's working-day calendar, with the bank-holidays-only one for an unknown id."""

    def __init__(self, policies: Mapping[str, Policy]) -> None:
        self._policies = policies
        self._found: dict[str, WorkingCalendar] = {}

    def __call__(self, policy_id: str) -> WorkingCalendar:
        found = self._found.get(policy_id)
        if found is None:
            policy = self._policies.get(policy_id)
            found = policy_calendar(policy) if policy is not None else calendar_for(())
            self._found[policy_id] = found
        return found


ANCHOR = dt.date(2000, 1, 1)
"""Ranks are counted from here: only differences of ranks matter."""


def rank(calendar: WorkingCalendar, day: dt.date) -> int:
    """How many working days fall after :data:`ANCHOR` up to and including ``day``."""
    return calendar.working_days_between(ANCHOR, day)


def start_rank(calendar: WorkingCalendar, day: dt.date) -> int:
    """The rank of the day a clock starting on ``day`` starts (it, or the next working day)."""
    return rank(calendar, calendar.clock_start(day))


def as_date(value: object) -> dt.date:
    """A date from a query: SQLite returns a computed date column (``CASE ...``) as text."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def as_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def installed_policies() -> dict[str, Policy]:
    """The bundled policies and the council's own folder's, by id."""
    from caseworker.policy.loader import load_policies, user_policy_dir

    return load_policies([user_policy_dir()])


def build_report(
    session: Session,
    period: Period,
    *,
    policy_id: str | None = None,
    as_of: dt.date | None = None,
    policies: Mapping[str, Policy] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Count everything the report shows for ``period`` (both days included).

    ``policy_id`` limits it to one council's cases; ``as_of`` (default today) is the date open
    actions and outstanding remedies are counted at. ``policies`` are the installed policies by id
    (default: the bundled and council folders); the Complaint Handling Code among them is the
    baseline of the self-assessment.
    """
    started = time.perf_counter()
    if policies is None:
        policies = installed_policies()
    counter = _Counter(session, _Scope(period, as_of or dt.date.today(), policy_id), policies)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("the period's cases and their issues", counter.count_cases),
        ("working days to respond", counter.count_responses),
        ("the Ombudsman", counter.count_ombudsman),
        ("the Complaint Handling Code", counter.count_code),
        ("the Tenant Satisfaction Measures", counter.count_tsm),
    ]
    for number, (what, step) in enumerate(steps):
        if progress is not None:
            progress(number, len(steps), what)
        step()
    if progress is not None:
        progress(len(steps), len(steps), "done")
    scope_text = "all policies"
    if policy_id:
        chosen = policies.get(policy_id)
        scope_text = chosen.council if chosen is not None else policy_id
    headlines = counter.headlines()
    return Report(
        period,
        counter.scope.as_of,
        scope_text,
        policy_id,
        tuple(headlines),
        tuple(counter.tables(headlines)),
        NOTES,
        time.perf_counter() - started,
    )


class _Counter:
    """Runs the report's queries (each table of cases is read as few times as possible) and
    turns their grouped counts into tables."""

    def __init__(self, session: Session, scope: _Scope, policies: Mapping[str, Policy]) -> None:
        self.session = session
        self.scope = scope
        self.policies = policies
        self.calendars = Calendars(policies)
        self.tsm_tables: list[Table] = []

    # -- the queries ----------------------------------------------------------------------------

    def count_cases(self) -> None:
        """Every count over the cases of the period, in one statement that reads the cases once
        (:func:`~caseworker.reports.onepass.count_parts`): each part is the grouped count one
        table of the report needs."""
        scope = self.scope
        within = scope.within
        rows = count_parts(
            self.session,
            and_(
                or_(
                    within(Case.received),
                    within(Case.closed_on),
                    within(Case.escalation_requested),
                    within(Case.response_sent),
                    within(STAGE_START),
                ),
                *scope.where(),
            ),
            [
                self._received_part(),
                self._closed_part(),
                *self._month_parts(),
                self._requests_part(),
                self._stage_starts_part(),
                *self._responses_parts(),
                *([] if self._dialect() == "postgresql" else [self._issues_part()]),
                *code_parts(scope.period, self.policies, policy_id=scope.policy_id),
                *(tsm_parts(scope.period, scope.policy_id) if self._counts_tsm() else []),
            ],
        )
        self._rows = rows
        self.received_rows: list[Any] = rows["received"]
        self.closed_rows: list[Any] = self._closed_rows(rows["closed"])
        self.months: dict[tuple[int, int], list[int]] = {
            month: [0, 0] for month in scope.period.months()
        }
        for index, name in enumerate(("days received", "days closed")):
            for day, count in rows[name]:
                self.months[(day.year, day.month)][index] += count
        self.request_rows: list[Any] = rows["requests"]
        self.start_rows: list[Any] = rows["stage starts"]
        self._response_rows = (rows["response starts"], rows["responses sent"])
        if self._dialect() == "postgresql":
            rows["issues"] = self._issues_by_remedy()
        self.issue_rows: list[Any] = self._issue_rows(rows["issues"])

    def _received_part(self) -> Part:
        """New complaints received: by route, service and channel, whether the complainant asked
        for the next stage and got there, and whether reasonable adjustments were made."""
        adjusted = or_(
            Case.adjustments_made.is_(True),
            func.coalesce(Complainant.reasonable_adjustments, "") != "",
        )
        return Part(
            "received",
            (Case.policy_id, Case.route, Case.service_area, Case.channel),
            (
                func.count(),
                _count_if(ASKED_NEXT_STAGE),
                _count_if(Case.stage > 1),
                _count_if(adjusted),
            ),
            (self.scope.within(Case.received),),
            outer_join=(Complainant, Complainant.id == Case.complainant_id),
        )

    def _closed_part(self) -> Part:
        """Cases closed, by stage, route, service, channel and outcome, and the kinds of remedy
        in their settlement terms (:func:`~caseworker.reports.remedies.kinds_mask`, read once
        per case; :meth:`_closed_rows` sums them)."""
        return Part(
            "closed",
            (
                Case.stage,
                Case.route,
                Case.service_area,
                Case.channel,
                Case.outcome,
                kinds_mask(Case.settlement_terms, self._dialect()),
            ),
            (func.count(),),
            (self.scope.within(Case.closed_on),),
        )

    @staticmethod
    def _closed_rows(found: list[Any]) -> list[Any]:
        """The closed cases' rows: their keys, the cases, those with terms, then the terms of
        each kind and of none."""
        grouped: dict[tuple[Any, ...], list[tuple[int, int]]] = defaultdict(list)
        for *keys, mask, count in found:
            grouped[tuple(keys)].append((mask, count))
        rows = []
        for keys, masks in grouped.items():
            with_terms, kinds = kind_counts(masks)
            rows.append((*keys, sum(count for _, count in masks), with_terms, *kinds))
        return rows

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def _month_parts(self) -> list[Part]:
        """Received and closed by day (a month is summed from its days: a day is a column of
        the case, a month a function of it worked out for every case)."""
        return [
            Part(name, (column,), (func.count(),), (self.scope.within(column),))
            for name, column in (("days received", Case.received), ("days closed", Case.closed_on))
        ]

    def _requests_part(self) -> Part:
        """Requests for the next stage made in the period, by the stage asked for, the decision
        and the flags the decision weighs (late, reasons missing)."""
        decision = case(
            (Case.stage > 1, literal("accepted")),
            (Case.escalation_decision == EscalationDecision.REFUSED, literal("refused")),
            (Case.escalation_decision == EscalationDecision.ACCEPTED, literal("accepted")),
            else_=literal("pending"),
        )
        to_stage = case((Case.stage > 1, Case.stage), else_=Case.stage + 1)
        return Part(
            "requests",
            (to_stage, decision, Case.escalation_late, Case.escalation_reason_missing),
            (func.count(),),
            (self.scope.within(Case.escalation_requested), ASKED_NEXT_STAGE),
        )

    def _stage_starts_part(self) -> Part:
        """Stages begun in the period: acknowledged on time, late, not at all; open and overdue."""
        scope = self.scope
        target = Case.acknowledge_by.is_not(None)
        closed_first = and_(Case.closed_on.is_not(None), Case.closed_on <= Case.acknowledge_by)
        not_acknowledged = and_(target, Case.acknowledged.is_(None))
        return Part(
            "stage starts",
            (Case.stage,),
            (
                _count_if(and_(target, Case.acknowledged <= Case.acknowledge_by)),
                _count_if(and_(target, Case.acknowledged > Case.acknowledge_by)),
                _count_if(
                    and_(not_acknowledged, Case.acknowledge_by < scope.as_of, not_(closed_first))
                ),
                _count_if(
                    and_(
                        Case.response_sent.is_(None),
                        Case.closed_on.is_(None),
                        Case.respond_by < scope.as_of,
                    )
                ),
            ),
            (scope.within(STAGE_START),),
        )

    def _responses_parts(self) -> list[Part]:
        """Responses sent in the period: on time, with an extension, by policy, stage and start
        date, and by policy, stage and sending date (for the working days taken)."""
        where = (self.scope.within(Case.response_sent), Case.respond_by.is_not(None))
        # Joined, not an EXISTS per case: PostgreSQL ran that as a scan of the extensions for
        # each response, having no idea how many of the period's cases there are.
        stages_extended = (
            select(Extension.case_id, Extension.stage).distinct().subquery("stages_extended")
        )
        extended = stages_extended.c.case_id.is_not(None)
        on_time = Case.response_sent <= Case.respond_by
        return [
            Part(
                "response starts",
                (Case.policy_id, Case.stage, STAGE_START),
                (
                    func.count(),
                    _count_if(on_time),
                    _count_if(extended),
                    _count_if(and_(extended, on_time)),
                    func.max(Case.response_sent),
                ),
                where,
                outer_join=(
                    stages_extended,
                    and_(
                        stages_extended.c.case_id == Case.id,
                        stages_extended.c.stage == Case.stage,
                    ),
                ),
            ),
            Part(
                "responses sent",
                (Case.policy_id, Case.stage, Case.response_sent),
                (func.count(),),
                where,
            ),
        ]

    def count_responses(self) -> None:
        """The working days to respond, from one row per policy, stage and start date and one
        per policy, stage and sending date: the calendar's ranks of a few hundred dates."""
        starts, sends = self._response_rows
        # stage -> [responses, on time, extended, extended on time, total days, longest]
        self.responses: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
        for policy_id, stage, start, count, on, ext, ext_on, last_sent in starts:
            calendar = self.calendars(policy_id)
            first = start_rank(calendar, as_date(start))
            row = self.responses[stage]
            row[0] += count
            row[1] += on
            row[2] += ext
            row[3] += ext_on
            row[4] -= count * first
            row[5] = max(row[5], rank(calendar, as_date(last_sent)) - first)
        for policy_id, stage, sent, count in sends:
            self.responses[stage][4] += count * rank(self.calendars(policy_id), as_date(sent))

    def count_ombudsman(self) -> None:
        scope = self.scope
        involvement = OmbudsmanCase
        remedy = involvement.remedy_agreed != ""
        period_end = scope.period.end
        self.ombudsman_rows: list[Any] = list(
            self.session.execute(
                select(
                    involvement.body,
                    _count_if(scope.within(involvement.enquiry_on)),
                    _count_if(scope.within(involvement.decision_on)),
                    _count_if(and_(scope.within(involvement.decision_on), remedy)),
                    _count_if(scope.within(involvement.complied_on)),
                    _count_if(
                        and_(
                            scope.within(involvement.complied_on),
                            or_(
                                involvement.remedy_due.is_(None),
                                involvement.complied_on <= involvement.remedy_due,
                            ),
                        )
                    ),
                    _count_if(
                        and_(
                            remedy,
                            involvement.decision_on <= scope.as_of,
                            or_(
                                involvement.complied_on.is_(None),
                                involvement.complied_on > scope.as_of,
                            ),
                        )
                    ),
                    _count_if(
                        and_(
                            remedy,
                            involvement.decision_on <= scope.as_of,
                            or_(
                                involvement.complied_on.is_(None),
                                involvement.complied_on > scope.as_of,
                            ),
                            involvement.remedy_due < scope.as_of,
                        )
                    ),
                    _count_if(
                        and_(
                            involvement.enquiry_on <= scope.as_of,
                            or_(
                                involvement.decision_on.is_(None),
                                involvement.decision_on > scope.as_of,
                            ),
                        )
                    ),
                )
                .join(Case, Case.id == involvement.case_id)
                .where(involvement.enquiry_on <= max(period_end, scope.as_of), *scope.where())
                .group_by(involvement.body)
            ).all()
        )

    def _issue_counts(self) -> tuple[ColumnElement[int], ...]:
        """What is counted of the issues in each group: the issues, those with a lesson
        learnt, those with an action, and the actions completed on time, late, open and
        overdue, open and not yet due (as at the report's date)."""
        as_of = self.scope.as_of
        has_action = Issue.action != ""
        done = and_(Issue.action_completed.is_not(None), Issue.action_completed <= as_of)
        on_time = and_(
            done, or_(Issue.action_due.is_(None), Issue.action_completed <= Issue.action_due)
        )
        overdue = and_(not_(done), Issue.action_due < as_of)
        return (
            func.count(),
            _count_if(Issue.lesson_learnt != ""),
            _count_if(has_action),
            _count_if(and_(has_action, on_time)),
            _count_if(and_(has_action, done, not_(on_time))),
            _count_if(and_(has_action, overdue)),
            _count_if(and_(has_action, not_(done), not_(overdue))),
        )

    def _issues_part(self) -> Part:
        """The issues of the cases closed in the period: findings, remedies and their kinds
        (:func:`~caseworker.reports.remedies.kinds_mask`, read once per issue), lessons learnt
        and the status of their actions, by service area (:meth:`_issue_rows` sums them)."""
        return Part(
            "issues",
            (Case.service_area, Issue.finding, kinds_mask(Issue.remedy, self._dialect())),
            self._issue_counts(),
            (self.scope.within(Case.closed_on),),
            join=(Issue, Issue.case_id == Case.id),
        )

    def _issues_by_remedy(self) -> list[Any]:
        """PostgreSQL: the rows of :meth:`_issues_part`, with each remedy's text lowered once.
        Its ``LIKE`` heeds case, so each kind's words were asked of ``lower(remedy)``: 35
        ``lower()`` per issue, most of the report's time there (EXPLAIN ANALYZE, issue 20).
        The issues are first counted by service area, finding and lowered remedy, then the
        kinds are read from each lowered text (once per text and group, not per word and
        issue) and the counts summed by kind."""
        scope = self.scope
        lowered = func.lower(Issue.remedy)
        counts = self._issue_counts()
        by_text = (
            select(
                Case.service_area.label("service_area"),
                Issue.finding.label("finding"),
                lowered.label("remedy"),
                *(count.label(f"n{number}") for number, count in enumerate(counts)),
            )
            .join(Issue, Issue.case_id == Case.id)
            .where(scope.within(Case.closed_on), *scope.where())
            .group_by(Case.service_area, Issue.finding, lowered)
            .subquery("issues_by_remedy")
        )
        mask = kinds_mask(by_text.c.remedy, self._dialect(), lowered=True)
        statement = select(
            by_text.c.service_area,
            by_text.c.finding,
            mask,
            *(cast(func.sum(by_text.c[f"n{number}"]), Integer) for number in range(len(counts))),
        ).group_by(by_text.c.service_area, by_text.c.finding, mask)
        return [tuple(row) for row in self.session.execute(statement)]

    @staticmethod
    def _issue_rows(found: list[Any]) -> list[Any]:
        """The issues' rows: service area, finding, issues, those with a remedy, the remedies
        of each kind and of none, then the six counts of lessons and actions."""
        grouped: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
        for row in found:
            grouped[(row[0], row[1])].append(row[2:])
        rows = []
        for (service, finding), counted in grouped.items():
            remedies, kinds = kind_counts((mask, count) for mask, count, *_ in counted)
            lessons = [sum(values) for values in zip(*(row[2:] for row in counted), strict=True)]
            rows.append(
                (service, finding, sum(row[1] for row in counted), remedies, *kinds, *lessons)
            )
        return rows

    def count_code(self) -> None:
        from caseworker.reports import selfassessment

        self.code_tables = selfassessment.tables(
            self.session,
            self.scope.period,
            self.policies,
            policy_id=self.scope.policy_id,
            rows=self._rows,
        )

    # -- the figures ----------------------------------------------------------------------------

    def _counts_tsm(self) -> bool:
        """CH01 and CH02 are for the council as landlord: counted where the cases counted can
        include any (every policy, or one with a housing route)."""
        chosen = self.scope.policy_id
        if chosen is None:
            return True
        policy = self.policies.get(chosen)
        return policy is not None and any(r.id == RouteId.HOUSING for r in policy.routes)

    def count_tsm(self) -> None:
        """CH01 and CH02, from the rows :meth:`count_cases` counted with the rest."""
        if not self._counts_tsm():
            return
        figures = count_tsm(
            self.session,
            self.scope.period,
            policies=self.policies,
            policy_id=self.scope.policy_id,
            rows=self._rows,
        )
        self.tsm_tables.append(tsm_table(figures))

    def _has_stage_2(self, policy_id: str, route: object) -> bool:
        policy = self.policies.get(policy_id)
        if policy is None:
            return False
        try:
            return len(policy.route(str(route)).stages) > 1
        except KeyError:
            return False

    def headlines(self) -> list[Headline]:
        received = sum(row[4] for row in self.received_rows)
        cohort = asked = 0
        for policy_id, route, _, _, count, asked_count, _, _ in self.received_rows:
            if self._has_stage_2(policy_id, route):
                cohort += count
                asked += asked_count
        self.cohort, self.asked = cohort, asked
        closed = sum(row[5] for row in self.closed_rows)
        decided = sum(row[5] for row in self.closed_rows if row[4] in DECIDED_OUTCOMES)
        upheld = sum(
            row[5]
            for row in self.closed_rows
            if row[4] in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD)
        )
        ack_on = sum(row[1] for row in self.start_rows)
        ack_due = sum(row[1] + row[2] + row[3] for row in self.start_rows)
        sent = sum(row[0] for row in self.responses.values())
        sent_on = sum(row[1] for row in self.responses.values())
        days = sum(row[4] for row in self.responses.values())
        longest = max((row[5] for row in self.responses.values()), default=None)
        enquiries = sum(row[1] for row in self.ombudsman_rows)
        remedies = sum(row[3] for row in self.issue_rows)
        lessons = self._lesson_totals()
        adjustments = sum(row[7] for row in self.received_rows)
        return [
            Headline("Complaints received", received),
            Headline("Cases closed", closed),
            Headline(
                "Upheld or partially upheld",
                percent(upheld, decided),
                "%",
                f"{upheld:,} of {decided:,} decided",
            ),
            Headline(
                "Acknowledged on time", percent(ack_on, ack_due), "%", f"{ack_on:,} of {ack_due:,}"
            ),
            Headline(
                "Answered on time",
                percent(sent_on, sent),
                "%",
                f"{sent_on:,} of {sent:,} responses",
            ),
            Headline(
                "Average working days to respond", round(days / sent, 1) if sent else None, "days"
            ),
            Headline("Longest working days to respond", longest, "days"),
            Headline(
                "Escalation rate, stage 1 to 2",
                percent(asked, cohort),
                "%",
                f"{asked:,} of {cohort:,}",
            ),
            Headline("Ombudsman enquiries", enquiries),
            Headline("Remedies", remedies),
            Headline(
                "Lessons-learnt actions outstanding",
                lessons[4] + lessons[5],
                "",
                f"of {lessons[1]:,} agreed",
            ),
            Headline("Reasonable adjustments made", adjustments, "", f"of {received:,} complaints"),
        ]

    def tables(self, headlines: list[Headline]) -> list[Table]:
        scope = self.scope
        summary = Table(
            "summary",
            "Summary",
            ("Figure", "Value", "Unit", "Out of"),
            tuple((h.label, h.value, h.unit, h.detail) for h in headlines),
            note=f"Period: {scope.period.label}. Open actions and remedies as at "
            f"{as_day(scope.as_of)}.",
            section=SECTION_SUMMARY,
        )
        return [
            summary,
            *self._volume_tables(),
            self._monthly_table(),
            *self._outcome_tables(),
            self._refusals_table(),
            *self._timeliness_tables(),
            self._escalation_table(),
            self._ombudsman_table(),
            *self._learning_tables(),
            self._adjustments_table(),
            *self.code_tables,
            *self.tsm_tables,
        ]

    def _stages(self) -> list[int]:
        stages = {1}
        stages.update(row[0] for row in self.closed_rows)
        stages.update(row[0] for row in self.request_rows)
        stages.update(row[0] for row in self.start_rows)
        stages.update(self.responses)
        return sorted(stages)

    def _volume_tables(self) -> list[Table]:
        by_route: dict[object, list[int]] = defaultdict(lambda: [0, 0])
        by_service: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        by_channel: dict[object, list[int]] = defaultdict(lambda: [0, 0])
        received_at: dict[int, int] = defaultdict(int)
        closed_at: dict[int, int] = defaultdict(int)
        for _, route, service, channel, count, *_ in self.received_rows:
            by_route[route][0] += count
            by_service[service][0] += count
            by_channel[channel][0] += count
            received_at[1] += count
        for stage, decision, _, _, count in self.request_rows:
            if decision == "accepted" and stage > 1:
                received_at[stage] += count
        for stage, route, service, channel, _, count, *_ in self.closed_rows:
            by_route[route][1] += count
            by_service[service][1] += count
            by_channel[channel][1] += count
            closed_at[stage] += count
        route_order: dict[Any, int] = {route: i for i, route in enumerate(RouteId)}
        channel_order: dict[Any, int] = {c: i for i, c in enumerate(labels.CHANNELS)}
        return [
            Table(
                "received-by-stage",
                "Complaints received and closed by stage",
                ("Stage", "Received", "Closed"),
                tuple((labels.stage(s), received_at[s], closed_at[s]) for s in self._stages()),
                note="Stage 1 received: every new complaint. Stage 2 and 3: requests that "
                "took a case to that stage, made in the period. Closed: at the stage the "
                "case had reached.",
                section=SECTION_VOLUMES,
            ),
            Table(
                "by-route",
                "By route",
                ("Route", "Received", "Closed"),
                tuple(
                    (labels.route(r), *by_route[r])
                    for r in sorted(by_route, key=lambda r: route_order.get(r, 99))
                ),
                section=SECTION_VOLUMES,
            ),
            Table(
                "by-service",
                "By service area",
                ("Service area", "Received", "Closed"),
                tuple((s, *by_service[s]) for s in sorted(by_service, key=str.lower)),
                section=SECTION_VOLUMES,
            ),
            Table(
                "by-channel",
                "By how the complaint was made",
                ("Channel", "Received", "Closed"),
                tuple(
                    (labels.channel(c), *by_channel[c])
                    for c in sorted(by_channel, key=lambda c: channel_order.get(c, 99))
                ),
                section=SECTION_VOLUMES,
            ),
        ]

    def _monthly_table(self) -> Table:
        return Table(
            "monthly",
            "Complaints received and closed by month",
            ("Month", "Received", "Closed"),
            tuple(
                (dt.date(year, month, 1).strftime("%b %Y"), *values)
                for (year, month), values in self.months.items()
            ),
            note="Months at either end of the period count only the days inside it.",
            section=SECTION_VOLUMES,
        )

    def _outcome_tables(self) -> list[Table]:
        stages = self._stages()
        outcomes: dict[object, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        by_service: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
        for stage, _, service, _, outcome, count, *_ in self.closed_rows:
            outcomes[outcome][stage] += count
            by_service[service][outcome] += count
        shown: list[object] = list(labels.OUTCOMES)
        if None in outcomes:
            shown.append(None)
        outcome_rows = tuple(
            (labels.outcome(o), *(outcomes[o][s] for s in stages), sum(outcomes[o].values()))
            for o in shown
        )
        return [
            Table(
                "outcomes",
                "Outcomes of the cases closed",
                ("Outcome", *(labels.stage(s) for s in stages), "Total"),
                outcome_rows,
                note="Upheld, partially upheld and not upheld are decisions on the whole "
                "case at the stage it reached. Refused: a complaint not taken on under "
                "the policy.",
                section=SECTION_OUTCOMES,
            ),
            Table(
                "outcomes-by-service",
                "Outcomes by service area",
                ("Service area", *(labels.outcome(o) for o in shown), "Closed"),
                tuple(
                    (
                        service,
                        *(by_service[service][o] for o in shown),
                        sum(by_service[service].values()),
                    )
                    for service in sorted(by_service, key=str.lower)
                ),
                section=SECTION_OUTCOMES,
            ),
            self._findings_table(),
        ]

    def _findings_table(self) -> Table:
        counts: dict[object, int] = defaultdict(int)
        for _, finding, count, *_ in self.issue_rows:
            counts[finding] += count
        shown: list[object] = list(labels.FINDINGS)
        if None in counts:
            shown.append(None)
        return Table(
            "findings",
            "Findings on each issue of the cases closed",
            ("Finding", "Issues"),
            (
                *((labels.finding(f), counts[f]) for f in shown),
                ("All issues", sum(counts.values())),
            ),
            note="A complaint may raise several issues; each has its own finding.",
            section=SECTION_OUTCOMES,
        )

    def _refusals_table(self) -> Table:
        refused = {"late": 0, "no-reasons": 0, "other": 0}
        for _, decision, late, missing, count in self.request_rows:
            if decision == "refused":
                refused["late" if late else ("no-reasons" if missing else "other")] += count
        closed: dict[tuple[int, object], int] = defaultdict(int)
        for stage, _, _, _, outcome, count, *_ in self.closed_rows:
            closed[(stage, outcome)] += count
        stages = self._stages()
        rows: list[tuple[str, int]] = [
            (f"Complaint not taken on at stage {s} (refused)", closed[(s, Outcome.REFUSED)])
            for s in stages
        ]
        rows += [
            ("Next stage refused: asked for after the policy's window", refused["late"]),
            (
                "Next stage refused: reasons not given where the policy asks for them",
                refused["no-reasons"],
            ),
            ("Next stage refused: other reasons (given in the refusal letter)", refused["other"]),
        ]
        rows += [(f"Discontinued at stage {s}", closed[(s, Outcome.DISCONTINUED)]) for s in stages]
        rows.append(("Excluded at triage (not recorded as cases)", 0))
        return Table(
            "refusals",
            "Complaints refused, excluded or discontinued, with reasons",
            ("Reason", "Cases"),
            tuple(rows),
            note="Closed in the period, or (for the next stage) asked for in the period. The "
            "reasons are the recorded grounds; the words of each refusal stay in the case "
            "file. Triage stops an excluded complaint before it is recorded.",
            section=SECTION_OUTCOMES,
        )

    def _timeliness_tables(self) -> list[Table]:
        scope = self.scope
        starts = {row[0]: row[1:] for row in self.start_rows}
        rows = []
        totals = [0] * 10
        for stage in self._stages():
            on, late, missing, overdue = starts.get(stage, (0, 0, 0, 0))
            count, on_time, _, _, days, longest = self.responses.get(stage, [0] * 6)
            values = [on, late + missing, count, on_time, count - on_time, days, overdue]
            rows.append(
                self._timeliness_row(labels.stage(stage), values, longest if count else None)
            )
            totals[:7] = [a + b for a, b in zip(totals[:7], values, strict=True)]
            totals[7] = max(totals[7], longest if count else 0)
        rows.append(
            self._timeliness_row("All stages", totals[:7], totals[7] if totals[2] else None)
        )
        timeliness = Table(
            "timeliness",
            "Acknowledged and answered within the policy's time",
            (
                "Stage",
                "Acknowledged on time",
                "Acknowledged late or not at all",
                "% acknowledged on time",
                "Responses sent",
                "Answered on time",
                "Answered late",
                "% answered on time",
                "Average working days to respond",
                "Longest working days to respond",
                "Open and overdue",
            ),
            tuple(rows),
            note="Acknowledgements: stages begun in the period with an acknowledgement target; "
            "not acknowledged counts as late once due, unless the case closed first. "
            "Responses: sent in the period, on time if sent on or before the respond-by "
            "date, which an agreed extension moves. Open and overdue: stages begun in the "
            f"period with no response, past their date on {as_day(scope.as_of)}.",
            section=SECTION_TIMELINESS,
        )
        ext_rows = []
        all_sent = all_ext = all_ext_on = 0
        for stage in self._stages():
            count, _, ext, ext_on, _, _ = self.responses.get(stage, [0] * 6)
            ext_rows.append(
                (labels.stage(stage), count, ext, percent(ext, count), ext_on, ext - ext_on)
            )
            all_sent, all_ext, all_ext_on = all_sent + count, all_ext + ext, all_ext_on + ext_on
        ext_rows.append(
            (
                "All stages",
                all_sent,
                all_ext,
                percent(all_ext, all_sent),
                all_ext_on,
                all_ext - all_ext_on,
            )
        )
        extensions = Table(
            "extensions",
            "Extensions",
            (
                "Stage",
                "Responses sent",
                "With an extension",
                "% extended",
                "On time against the extended date",
                "Late even with the extension",
            ),
            tuple(ext_rows),
            note="Responses sent in the period whose case had an extension agreed at that stage.",
            section=SECTION_TIMELINESS,
        )
        return [timeliness, extensions]

    @staticmethod
    def _timeliness_row(label: str, values: list[int], longest: int | None) -> tuple:
        on, late, count, on_time, answered_late, days, overdue = values
        return (
            label,
            on,
            late,
            percent(on, on + late),
            count,
            on_time,
            answered_late,
            percent(on_time, count),
            round(days / count, 1) if count else None,
            longest,
            overdue,
        )

    def _escalation_table(self) -> Table:
        made: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for stage, decision, _, _, count in self.request_rows:
            made[stage][decision] += count
        taken = sum(row[6] for row in self.received_rows if self._has_stage_2(row[0], row[1]))
        rows: list[tuple[str, int | float | None]] = [
            ("Complaints received on a route with a stage 2", self.cohort),
            ("of which the complainant asked for the next stage", self.asked),
            ("Escalation rate, stage 1 to 2 (%)", percent(self.asked, self.cohort)),
            ("of which taken to stage 2 or beyond", taken),
        ]
        for stage in sorted(made):
            counts = made[stage]
            rows += [
                (f"Requests for stage {stage} made in the period", sum(counts.values())),
                (f"Stage {stage} requests accepted", counts["accepted"]),
                (f"Stage {stage} requests refused", counts["refused"]),
                (f"Stage {stage} requests waiting for a decision", counts["pending"]),
            ]
        return Table(
            "escalation",
            "Escalation from stage 1 to stage 2",
            ("Measure", "Value"),
            tuple(rows),
            note="Escalation rate: of the complaints received in the period on a route with a "
            "stage 2, the share whose complainant has asked for the next stage so far.",
            section=SECTION_ESCALATION,
        )

    def _ombudsman_table(self) -> Table:
        found = {row[0]: row[1:] for row in self.ombudsman_rows}
        rows = []
        totals = [0] * 10
        for body in OmbudsmanBody:
            (
                enquiries,
                decided,
                with_remedy,
                complied,
                complied_on_time,
                outstanding,
                overdue,
                waiting,
            ) = found.get(body, (0,) * 8)
            values = [
                enquiries,
                decided,
                with_remedy,
                decided - with_remedy,
                complied,
                complied_on_time,
                complied - complied_on_time,
                outstanding,
                overdue,
                waiting,
            ]
            rows.append((labels.OMBUDSMEN[body], *values))
            totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append(("Both", *totals))
        return Table(
            "ombudsman",
            "Ombudsman cases and their outcomes",
            (
                "Ombudsman",
                "Enquiries received",
                "Decisions",
                "Decided: remedy agreed",
                "Decided: no remedy agreed",
                "Remedies complied with",
                "Complied with on time",
                "Complied with late",
                "Remedies outstanding",
                "Outstanding and overdue",
                "Waiting for a decision",
            ),
            tuple(rows),
            note="Enquiries, decisions and compliance dated in the period; remedies outstanding "
            f"and cases waiting for a decision as at {as_day(self.scope.as_of)}. The "
            "Ombudsman's words stay in the case file.",
            section=SECTION_ESCALATION,
        )

    def _lesson_totals(self) -> list[int]:
        totals = [0] * 6
        for row in self.issue_rows:
            totals = [a + b for a, b in zip(totals, row[-6:], strict=True)]
        return totals

    def _learning_tables(self) -> list[Table]:
        kinds = len(KINDS) + 1
        remedies = 0
        issue_kinds = [0] * kinds
        for row in self.issue_rows:
            remedies += row[3]
            issue_kinds = [a + b for a, b in zip(issue_kinds, row[4 : 4 + kinds], strict=True)]
        settled = with_terms = 0
        settled_kinds = [0] * kinds
        for row in self.closed_rows:
            if row[4] == Outcome.SETTLED:
                settled += row[5]
            with_terms += row[6]
            settled_kinds = [a + b for a, b in zip(settled_kinds, row[7 : 7 + kinds], strict=True)]
        remedy_rows = [("Issues with a remedy; settlements with terms", remedies, with_terms)]
        labels_ = [kind.label for kind in KINDS] + [OTHER_LABEL]
        remedy_rows += list(zip(labels_, issue_kinds, settled_kinds, strict=True))
        lessons, actions, on_time, late, overdue, not_due = self._lesson_totals()
        by_service: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
        for row in self.issue_rows:
            by_service[row[0]] = [a + b for a, b in zip(by_service[row[0]], row[-6:], strict=True)]
        as_of = as_day(self.scope.as_of)
        return [
            Table(
                "remedies",
                "Remedies",
                ("Remedy", "Issues", "Settlements"),
                tuple(remedy_rows),
                note=f"Remedies on the issues of cases closed in the period, and the terms of "
                f"the {settled:,} cases settled. The kind is read from the remedy's "
                "words, and a remedy may be of several kinds. The case file records no "
                "amount of compensation, so payments are counted, not totalled.",
                section=SECTION_LEARNING,
            ),
            Table(
                "lessons-actions",
                "Lessons learnt and their actions",
                ("Status", "Count"),
                (
                    ("Lessons learnt recorded", lessons),
                    ("Actions agreed", actions),
                    ("Completed on time", on_time),
                    ("Completed late", late),
                    ("Open and overdue", overdue),
                    ("Open, not yet due", not_due),
                ),
                note=f"On the issues of cases closed in the period; completion as at {as_of}.",
                section=SECTION_LEARNING,
            ),
            Table(
                "lessons-by-service",
                "Lessons learnt and actions by service area",
                (
                    "Service area",
                    "Lessons learnt",
                    "Actions",
                    "Completed on time",
                    "Completed late",
                    "Open and overdue",
                    "Open, not yet due",
                ),
                tuple(
                    (service, *by_service[service])
                    for service in sorted(by_service, key=str.lower)
                    if any(by_service[service])
                ),
                section=SECTION_LEARNING,
            ),
        ]

    def _adjustments_table(self) -> Table:
        by_route: dict[object, list[int]] = defaultdict(lambda: [0, 0])
        for _, route, _, _, count, _, _, made in self.received_rows:
            by_route[route][0] += count
            by_route[route][1] += made
        route_order: dict[Any, int] = {route: i for i, route in enumerate(RouteId)}
        rows = [
            (labels.route(r), count, made, percent(made, count))
            for r, (count, made) in sorted(
                by_route.items(), key=lambda item: route_order.get(item[0], 99)
            )
        ]
        received = sum(v[0] for v in by_route.values())
        made = sum(v[1] for v in by_route.values())
        rows.append(("All routes", received, made, percent(made, received)))
        return Table(
            "adjustments",
            "Reasonable adjustments made",
            ("Route", "Complaints received", "With reasonable adjustments", "%"),
            tuple(rows),
            note="Complaints received in the period whose complainant has reasonable adjustments "
            "recorded (large print, an interpreter, calls at set times...). What they are "
            "stays in the case file.",
            section=SECTION_ADJUSTMENTS,
        )


__all__ = [
    "NOTES",
    "STAGE_START",
    "Calendars",
    "as_date",
    "build_report",
    "installed_policies",
    "rank",
    "start_rank",
]
