"""Today: the officer's first screen, what needs doing now on their cases.

Each line carries the case id and the section of the case to open:

- ``acknowledgement``: not yet acknowledged, acknowledgement due within the next
  :data:`COMING_DUE` working days (or late);
- ``response``: no response sent, response due within the next :data:`COMING_DUE` working days
  (or late);
- ``contact``: the complainant has heard nothing for ``update_every`` working days or more (the
  officer's setting, 10 by default): no acknowledgement, letter, email, call or extension notice;
- ``extensions``: an extension the complainant has not yet been told about;
- ``actions``: a remedy or action agreed on an issue, not completed, due within the look-ahead;
- ``risk-assessment``: a visit booked today or later whose risk assessment is not finished
  (no decision, or not approved);
- ``escalation``: a request for the next stage whose decision is due within the look-ahead (or
  late), where the policy sets a time for it (Stoke 5, Warwickshire 10 working days);
- ``formats``: a kept letter the complainant asked to have in another format (Braille, audio,
  Easy Read, another language) whose copy is not yet recorded as arranged;
- ``milestones``: a milestone of the stage due within the look-ahead (Warwickshire children's
  stage 3: the panel, its report, the reply). A milestone has no record of being met, so one
  already past is not carried forward: the response date stays on the list until it is sent.

Working days follow the case's policy calendar (bank holidays and the council's closure days).

:func:`today_list` is the app's Today page: the signed-in officer's own cases (those they may see
and are allocated: :func:`caseworker.services.permissions.visible`), each line with the
complainant's name and the tab to open; for a login that is no active officer's, no lines and
the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from caseworker.domain.enums import CaseStatus, Role
from caseworker.domain.finding import SECTION_OF_TODAY, UPDATE_EVERY, Today, TodayLine
from caseworker.letters.formats import format_duty
from caseworker.policy.clock import WorkingCalendar, calendar_for
from caseworker.services import permissions
from caseworker.services.context import Context
from caseworker.services.records.subjectaccess import due_requests
from caseworker.services.search.fulltext import complainant_label
from caseworker.storage.models import (
    Case,
    Complainant,
    ContactAttempt,
    Correspondence,
    Extension,
    Issue,
    Letter,
    RiskAssessment,
)

LOOK_AHEAD = 2
"""Working days ahead that a due date is shown (actions, decisions, milestones)."""
COMING_DUE = 5
"""Working days ahead that an acknowledgement or a response coming due is shown: a working week,
so the officer sees the week's letters coming, not only the ones due tomorrow."""

ACTIVE = (CaseStatus.OPEN, CaseStatus.SUSPENDED)


class TodayItem(NamedTuple):
    """One thing to do (a tuple: the busiest officer's Today makes thousands of them)."""

    case_id: int
    reference: str
    kind: str
    section: str
    """Which part of the case to open: acknowledgement, response, contact, extensions, actions,
    risk-assessment."""
    due: dt.date | None
    text: str
    overdue: bool
    complainant: str
    """The case's complainant as the lists name them (:func:`complainant_label`)."""


@lru_cache(maxsize=32)
def _calendar(policy_id: str) -> WorkingCalendar:
    try:
        from caseworker.services.cases.intake import installed_policy

        return calendar_for(installed_policy(policy_id).clock.closure_days)
    except Exception:  # noqa: BLE001  (a policy no longer installed: bank holidays only)
        return calendar_for()


@lru_cache(maxsize=4096)
def _day(day: dt.date | None) -> str:
    """``Wed 25 Nov 2026``; the lines that use it are only made for a date that is set."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day is not None else "a date not set"


def _policy_duties(
    rows: Iterable[Any], today: dt.date, look_ahead: int, policies: _Policies
) -> list[TodayItem]:
    """The policy's other dated duties on these cases (:func:`casefile.dated_duties`): a
    decision due on a request for the next stage, and the stage's milestones not yet past."""
    from caseworker.services.cases.casefile import dated_duties

    found: list[TodayItem] = []
    for case in rows:
        policy = policies.policy(case.policy_id)
        if not policies.may_have_duties(case, policy):
            continue
        before = policies.due_before(case.policy_id, look_ahead)
        for duty in dated_duties(case, policy):
            milestone = duty.key != "escalation-decision"
            if duty.due >= before or (milestone and duty.due < today):
                continue
            found.append(
                TodayItem(
                    case.id,
                    case.reference,
                    "milestone due" if milestone else "escalation decision due",
                    "milestones" if milestone else "escalation",
                    duty.due,
                    f"{duty.text} by {_day(duty.due)}",
                    duty.due < today,
                    complainant_label(case.complainant_name, case.anonymous),
                )
            )
    return found


class _Policies:
    """Each case's policy and its working-day cut-offs, worked out once per policy for one
    Today list rather than once per case (the busiest officer holds thousands of cases on a
    handful of policies). Working days between two dates only grow as the later date moves on,
    so "due within ``n`` working days" is "due before one date", and "no contact for ``n``
    working days" is "last contact on or before one date"."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._policies: dict[str, Any] = {}
        self._before: dict[tuple[str, int], dt.date] = {}
        self._quiet: dict[tuple[str, int], dt.date] = {}
        self._milestones: dict[tuple[str, Any, int], bool] = {}

    def policy(self, policy_id: str) -> Any:
        if policy_id not in self._policies:
            from caseworker.services.cases.intake import installed_policy

            try:
                self._policies[policy_id] = installed_policy(policy_id)
            except Exception:  # noqa: BLE001  (a policy no longer installed: duties unknown)
                self._policies[policy_id] = None
        return self._policies[policy_id]

    def may_have_duties(self, case: Any, policy: Any) -> bool:
        """Whether :func:`casefile.dated_duties` can find anything on ``case``: a request for
        the next stage logged, or an open stage of ``policy`` that has milestones."""
        if case.escalation_requested is not None and case.escalation_decision is None:
            return True
        if policy is None or case.status != CaseStatus.OPEN or case.response_sent is not None:
            return False
        return self.has_milestones(case.policy_id, case.route, case.stage)

    def has_milestones(self, policy_id: str, route: Any, stage: int) -> bool:
        """Whether the policy's stage has milestones (False for a stage it does not have)."""
        key = (policy_id, route, stage)
        if key not in self._milestones:
            policy = self.policy(policy_id)
            try:
                found = policy is not None and bool(policy.stage(route, stage).milestones)
            except KeyError:
                found = False
            self._milestones[key] = found
        return self._milestones[key]

    def due_before(self, policy_id: str, ahead: int) -> dt.date:
        """The first date more than ``ahead`` working days after today on this policy's
        calendar: a date before it is "within ``ahead`` working days" (or past)."""
        key = (policy_id, ahead)
        if key not in self._before:
            self._before[key] = _calendar(policy_id).add_working_days(self.today, ahead + 1)
        return self._before[key]

    def quiet_since(self, policy_id: str, days: int) -> dt.date:
        """The latest date with at least ``days`` working days after it up to today."""
        key = (policy_id, days)
        if key not in self._quiet:
            calendar = _calendar(policy_id)
            day = self.today
            while calendar.working_days_between(day, self.today) < days:
                day -= dt.timedelta(days=1)
            while calendar.working_days_between(day + dt.timedelta(days=1), self.today) >= days:
                day += dt.timedelta(days=1)  # (days <= 0: on through the days off after today)
            self._quiet[key] = day
        return self._quiet[key]


def _last_contact(session: Session, theirs: list[ColumnElement[bool]]) -> dict[int, dt.date]:
    """The latest contact with the complainant on each of the cases ``theirs`` selects: one
    statement, each kind of contact its latest by the case's index (not four grouped scans)."""
    last: dict[int, dt.date] = {}
    latest = [
        select(func.max(column)).where(table_case_id == Case.id).scalar_subquery()
        for table_case_id, column in (
            (ContactAttempt.case_id, ContactAttempt.at),
            (Letter.case_id, Letter.sent_on),
            (Correspondence.case_id, Correspondence.added_at),
            (Extension.case_id, Extension.complainant_told),
        )
    ]
    for case_id, *whens in session.execute(select(Case.id, *latest).where(*theirs)):
        days = []
        for when in whens:
            if when is None:
                continue
            if isinstance(when, str):  # SQLite hands back max() of a date column as text
                when = dt.date.fromisoformat(when[:10])
            days.append(when.date() if isinstance(when, dt.datetime) else when)
        if days:
            last[case_id] = max(days)
    return last


def today_list(ctx: Context, *, update_every: int = UPDATE_EVERY) -> Today:
    """What the signed-in officer needs to do now on their own cases, most urgent first; for a
    login that is no active officer's, no lines and why (in the rule's words)."""
    day = ctx.today()
    with ctx.unit() as uow:
        officer = permissions.viewer(uow)
        why = permissions.why_nothing_visible(uow.actor, officer)
        if officer is None or why is not None:
            return Today(None, day, problem=why or "")
        visible = permissions.visible_to(uow.session, officer)
        items = todays_items(
            uow.session, officer.id, day, visible=visible, update_every=update_every
        )
        name = officer.name
        requests = (
            subject_access_lines(uow.session, day)
            if officer.active and officer.role == Role.COMPLAINTS_MANAGER
            else []
        )
    return Today(
        name,
        day,
        requests
        + [
            TodayLine(
                i.case_id,
                i.reference,
                i.complainant,
                i.kind,
                i.section,
                SECTION_OF_TODAY.get(i.section, "overview"),
                i.due,
                i.text,
                i.overdue,
            )
            for i in items
        ],
    )


def subject_access_lines(session: Session, day: dt.date) -> list[TodayLine]:
    """A complaints manager's subject access requests whose answer is due soon or late (they
    open no case: ``case_id`` 0)."""
    lines = []
    for request in due_requests(session, day):
        extended = " (extended)" if request.extended_to else ""
        lines.append(
            TodayLine(
                0,
                request.label,
                request.requester,
                "subject access due",
                "subject-access",
                "",
                request.answer_by,
                f"Answer the subject access request by {_day(request.answer_by)}{extended}",
                request.answer_by < day,
            )
        )
    return lines


def _theirs(officer_id: int, visible: ColumnElement[bool] | None) -> list[ColumnElement[bool]]:
    """The cases Today looks at: the officer's own, still being worked on, that they may see.
    Named to the database by this condition (in subqueries), never by a list of ids: the
    busiest officer holds thousands, each a bound parameter of every query."""
    theirs = [
        Case.officer_id == officer_id,
        Case.purged_on.is_(None),
        Case.status.in_((*ACTIVE, CaseStatus.RESPONDED)),
    ]
    if visible is not None:
        theirs.append(visible)
    return theirs


def todays_items(
    session: Session,
    officer_id: int,
    today: dt.date,
    *,
    visible: ColumnElement[bool] | None,
    update_every: int = UPDATE_EVERY,
    look_ahead: int = LOOK_AHEAD,
    coming_due: int = COMING_DUE,
) -> list[TodayItem]:
    """What officer ``officer_id`` needs to do now on the cases allocated to them that
    ``visible`` allows, most urgent first: what :func:`today_list` runs in its unit of work."""
    # Only the columns the rules read: an officer may hold thousands of cases, and whole ORM
    # objects cost several times as much to load.
    theirs = _theirs(officer_id, visible)
    ids = select(Case.id).where(*theirs)
    active_ids = select(Case.id).where(*theirs, Case.status.in_(ACTIVE))
    query = (
        select(
            Case.id,
            Case.reference,
            Case.policy_id,
            Case.status,
            Case.received,
            Case.acknowledged,
            Case.acknowledge_by,
            Case.response_sent,
            Case.respond_by,
            Case.anonymous,
            Case.complainant_id,
            # what the policy's other dated duties read (_policy_duties)
            Case.route,
            Case.stage,
            Case.stage_started,
            Case.escalation_requested,
            Case.escalation_decision,
            Case.escalation_decide_by,
            # how the lines name the complainant (complainant_label), read with the case
            Complainant.name.label("complainant_name"),
        )
        .outerjoin(Complainant, Complainant.id == Case.complainant_id)
        .where(*theirs)
    )
    cases = session.execute(query).all()
    if not cases:
        return []
    by_id = {c.id: c for c in cases}
    items: list[TodayItem] = []

    def add(case: Any, kind: str, section: str, due: dt.date | None, text: str) -> None:
        items.append(
            TodayItem(
                case.id,
                case.reference,
                kind,
                section,
                due,
                text,
                due is not None and due < today,
                complainant_label(case.complainant_name, case.anonymous),
            )
        )

    policies = _Policies(today)

    def soon(case: Any, due: dt.date | None, ahead: int = look_ahead) -> bool:
        return due is not None and due < policies.due_before(case.policy_id, ahead)

    active = [c for c in cases if c.status in ACTIVE]
    for case in active:
        if case.acknowledged is None and soon(case, case.acknowledge_by, coming_due):
            add(
                case,
                "acknowledgement due",
                "acknowledgement",
                case.acknowledge_by,
                f"Acknowledge by {_day(case.acknowledge_by)}",
            )
        if case.response_sent is None and soon(case, case.respond_by, coming_due):
            add(
                case,
                "response due",
                "response",
                case.respond_by,
                f"Respond by {_day(case.respond_by)}",
            )

    items.extend(_policy_duties(cases, today, look_ahead, policies))

    last = _last_contact(
        session,
        [
            *theirs,
            Case.status.in_(ACTIVE),
            Case.anonymous.is_(False),
            Case.complainant_id.is_not(None),
        ],
    )
    for case in active:
        if case.anonymous or case.complainant_id is None:
            continue
        contact = max(d for d in (last.get(case.id), case.acknowledged, case.received) if d)
        if contact <= policies.quiet_since(case.policy_id, update_every):
            calendar = _calendar(case.policy_id)
            quiet = calendar.working_days_between(contact, today)
            due = calendar.add_working_days(contact, update_every)
            add(
                case,
                "update owed",
                "contact",
                due,
                f"No contact with the complainant since {_day(contact)} ({quiet} working days)",
            )

    # The other records too as the columns their lines read, not whole objects.
    for extension in session.execute(
        select(Extension.case_id, Extension.new_date).where(
            Extension.case_id.in_(active_ids), Extension.complainant_told.is_(None)
        )
    ):
        add(
            by_id[extension.case_id],
            "extension to tell",
            "extensions",
            today,
            f"Tell the complainant the new date, {_day(extension.new_date)}",
        )

    for issue in session.execute(
        select(Issue.case_id, Issue.number, Issue.action, Issue.remedy, Issue.action_due).where(
            Issue.case_id.in_(ids), Issue.action_due.is_not(None), Issue.action_completed.is_(None)
        )
    ):
        case = by_id[issue.case_id]
        if soon(case, issue.action_due):
            what = (issue.action or issue.remedy or "the agreed action").strip()
            add(
                case,
                "action due",
                "actions",
                issue.action_due,
                f"Issue {issue.number}: {what[:120]} by {_day(issue.action_due)}",
            )

    for assessment in session.execute(
        select(
            RiskAssessment.case_id,
            RiskAssessment.visit_on,
            RiskAssessment.decision,
            RiskAssessment.approved_at,
        ).where(
            RiskAssessment.case_id.in_(active_ids),
            RiskAssessment.visit_on.is_not(None),
            RiskAssessment.visit_on >= today,
        )
    ):
        if assessment.decision is not None and assessment.approved_at is not None:
            continue
        missing = "decision" if assessment.decision is None else "approval"
        add(
            by_id[assessment.case_id],
            "risk assessment",
            "risk-assessment",
            assessment.visit_on,
            f"Visit on {_day(assessment.visit_on)}: risk assessment needs its {missing}",
        )

    for case_id, kind, formats in session.execute(
        select(Letter.case_id, Letter.kind, Letter.formats).where(
            Letter.case_id.in_(ids), Letter.formats != "", Letter.formats_arranged.is_(None)
        )
    ):
        label = f"{kind.value.replace('-', ' ')} letter"
        add(by_id[case_id], "format to arrange", "formats", today, format_duty(formats, label))

    items.sort(key=lambda i: (i.due or dt.date.max, i.reference, i.section))
    return items
