"""Everything a case file window shows, read in a few queries, and the case's timeline.

:func:`load_case_file` reads the case with everything hanging off it (one query per kind of record,
never one per row) and returns plain frozen dataclasses: the desktop app shows them without
touching the database again, and nothing it holds can be lazily loaded from a closed session.

Every read here is authorised like a change: the acting officer must be allowed to see the case
(:data:`~caseworker.services.permissions.Action.VIEW`: an investigating officer their own cases
and those they handled at stage 1, a line manager their service's, a complaints manager any), or
the read is refused with the rule's words and shows nothing. :func:`why_read_only` asks the
working rule once, for the window's read-only bar.

:func:`timeline` merges the audit trail, the contact attempts and the letters of a case into one
list in time order, each event described in words. Edits saved as the officer types make many
audit events; consecutive changes to the same field by the same person within
:data:`MERGE_WINDOW` are shown as one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    LetterKind,
    NoteKind,
    Outcome,
    ReferrerRole,
    RiskDecision,
    RouteId,
    SendMethod,
)
from caseworker.domain.outcomes import outcome_now
from caseworker.domain.refusals import Refused
from caseworker.letters import names
from caseworker.letters import subject as subject_words
from caseworker.letters.formats import formats_duty
from caseworker.policy.deadlines import compute_deadlines, extension_source, policy_calendar
from caseworker.policy.schema import Policy
from caseworker.services.cases import history
from caseworker.services.cases.history import short as _short
from caseworker.services.cases.records import stage_received
from caseworker.services.cases.steps import awaits_decision
from caseworker.services.context import Context
from caseworker.services.investigation import homevisit
from caseworker.services.investigation import issues as investigation
from caseworker.services.lists.caselist import (
    CheckoutMark,
    checkout_marks,
    days_left,
    days_left_text,
    urgency,
)
from caseworker.services.permissions import Action, authorise
from caseworker.services.team import editing
from caseworker.storage.models import (
    AuditEvent,
    Case,
    ContactAttempt,
    Issue,
    Letter,
    Officer,
    RiskAssessment,
)

PolicyLookup = Callable[[str], Policy]
MERGE_WINDOW = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class PersonView:
    name: str
    address: str
    postcode: str
    email: str
    phone: str
    preferred_contact: ContactMethod | None
    reasonable_adjustments: str
    adjustments_review_on: dt.date | None
    vulnerabilities: str
    title: str = ""
    addressed_as: str = ""
    adjustments_public: str = ""
    """The adjustments as the complainant reads them (the letters print these)."""
    salutation: str = ""
    """How the letters greet them ("Mrs van der Berg", "Sir or Madam")."""


@dataclass(frozen=True)
class RepresentativeView:
    name: str
    relationship: str
    address: str
    email: str
    phone: str
    consent_received: dt.date | None
    title: str = ""
    addressed_as: str = ""
    salutation: str = ""


@dataclass(frozen=True)
class NoteView:
    id: int
    kind: NoteKind
    text: str
    source: str
    author: str
    created_at: dt.datetime


@dataclass(frozen=True)
class IssueView:
    id: int
    number: int
    summary: str
    finding: Finding | None
    explanation: str
    remedy: str
    lesson_learnt: str
    action: str
    action_due: dt.date | None
    action_completed: dt.date | None
    notes: tuple[NoteView, ...]
    action_public: str = ""
    """The action as the complainant reads it: letters print only actions that have one."""
    raised_at_stage: int = 1
    """2: the request for stage 2 added the point (stage 1 never answered it)."""
    stage2_finding: Finding | None = None
    """The stage 2 review's own finding; ``finding`` stays what stage 1 found."""
    stage2_explanation: str = ""
    stage2_remedy: str = ""

    @property
    def gaps(self) -> list[str]:
        return investigation.issue_gaps(
            self.finding, self.explanation, self.remedy, self.lesson_learnt
        )


@dataclass(frozen=True)
class InterviewView:
    id: int
    interviewee: str
    interviewee_role: str
    held_on: dt.date
    method: InterviewMethod
    accompanied_by: str
    accompanied_as: str
    notes: str
    summary: str
    summary_read_back: bool
    further_information_invited: bool
    further_information: str
    recorded_by: str

    @property
    def missing(self) -> list[str]:
        return investigation.interview_steps_missing(
            self.notes, self.summary, self.summary_read_back, self.further_information_invited
        )

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def invitation_blocked(self) -> str | None:
        """Why step 2 (the invitation to add information) cannot be recorded yet, or None."""
        return investigation.invitation_blocked(self.summary_read_back)


@dataclass(frozen=True)
class AssessmentView:
    id: int
    visit_on: dt.date | None
    address: str
    answers: dict[str, Any]
    known_risks: str
    colleague_attending: str
    means_of_contact: str
    call_if_concerned: str
    decision: RiskDecision | None
    assessed_by: str
    approved_by: str
    approved_at: dt.datetime | None
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class LetterView:
    id: int
    kind: LetterKind
    stage: int
    outcome: Outcome | None
    filename: str
    created_at: dt.datetime
    created_by: str
    sent_on: dt.date | None
    sent_method: SendMethod | None
    formats: str = ""
    """Other formats asked for when it was kept ("Braille; audio"), copies to arrange."""
    formats_arranged: dt.date | None = None
    sent_despite: str = ""
    """Why it was sent although its checks failed."""

    @property
    def formats_note(self) -> str:
        """ "Braille copy to arrange", "Braille copy arranged on 2026-03-06", or ""."""
        if not self.formats:
            return ""
        copies = self.formats.replace("; ", " and ")
        if self.formats_arranged is None:
            return f"{copies} copy to arrange"
        return f"{copies} copy arranged on {self.formats_arranged.isoformat()}"


@dataclass(frozen=True)
class ExtensionView:
    stage: int
    new_date: dt.date
    reason: str
    complainant_told: dt.date | None


@dataclass(frozen=True)
class SuspensionView:
    start: dt.date
    end: dt.date | None
    reason: str


@dataclass(frozen=True)
class DutyView:
    """A dated duty the policy sets on the case besides acknowledging and responding."""

    key: str
    """``escalation-decision``, or the id of one of the stage's milestones."""
    text: str
    due: dt.date


@dataclass(frozen=True)
class ClockView:
    acknowledge_by: dt.date | None
    acknowledged: dt.date | None
    respond_by: dt.date | None
    respond_by_latest: dt.date | None
    response_sent: dt.date | None
    days_left: int | None
    days_left_text: str
    urgency: str
    """A :class:`caseworker.services.lists.caselist.Urgency` value: overdue, due-soon, stopped..."""
    respond_by_latest_source: str | None = None
    """Where the limit of ``respond_by_latest`` comes from: the council's policy, or the Complaint
    Handling Code where the policy borrows it."""
    duties: tuple[DutyView, ...] = ()
    """The policy's other dated duties now (:func:`dated_duties`)."""


@dataclass(frozen=True)
class CaseFile:
    id: int
    reference: str
    policy_id: str
    council: str
    route: RouteId
    route_name: str
    stage: int
    stage_name: str
    status: CaseStatus
    outcome: Outcome | None
    received: dt.date
    channel: Channel
    service_area: str
    summary: str
    anonymous: bool
    time_limit_waived_by: str
    referrer_name: str
    referrer_role: ReferrerRole | None
    referrer_address: str
    reply_to_referrer: bool
    officer: str
    subjects: tuple[str, ...]
    complainant: PersonView | None
    representative: RepresentativeView | None
    consent_rule: str
    adjustments_recorded: bool
    clock: ClockView
    extensions: tuple[ExtensionView, ...]
    suspensions: tuple[SuspensionView, ...]
    issues: tuple[IssueView, ...]
    interviews: tuple[InterviewView, ...]
    assessment: AssessmentView | None
    booking_blocked: str | None
    home_visit_rule: str
    letters: tuple[LetterView, ...]
    understanding: str
    steps_taken: str
    evidence_considered: str
    complaint_subject: str = ""
    """What the complaint is about, as it reads after "your complaint about…" ("" if none)."""
    letter_subject: str = ""
    """What the letters say after "your complaint about" (the subject, or the service)."""
    referrer_title: str = ""
    referrer_addressed_as: str = ""
    referrer_salutation: str = ""
    formats: str = ""
    """The formats the complainant asked for, as the officer is to act on them (large print is
    set by Caseworker; a copy in Braille, audio… of each letter is theirs to arrange)."""

    @property
    def title(self) -> str:
        who = self.complainant.name if self.complainant else "Anonymous"
        return f"{self.reference} — {who}"

    def addressing_blocked(self, who: str) -> str | None:
        """Why ``who``'s ("complainant", "representative", "referrer") title and form of
        address cannot be recorded here, or None."""
        from caseworker.services.cases.intake import Addressed, why_not_addressing

        return why_not_addressing(
            Addressed(who),
            reference=self.reference,
            has_complainant=self.complainant is not None,
            has_representative=self.representative is not None,
            referrer_name=self.referrer_name,
        )

    @property
    def adjustments_blocked(self) -> str | None:
        """Why no adjustments can be recorded here (an anonymous complaint), or None."""
        from caseworker.services.cases.intake import adjustments_blocked

        return adjustments_blocked(self.complainant is not None)

    @property
    def outcome_fixed(self) -> str | None:
        """Why the investigation's outcome cannot be recorded or changed here now, or None."""
        return investigation.outcome_fixed(self.status, self.reference, self.outcome)

    @property
    def stage1_fixed(self) -> str | None:
        """Why the points' stage 1 findings are read-only here now (past stage 1), or None."""
        return investigation.stage1_fixed(self.reference, self.stage)

    @property
    def suggested_outcome(self) -> Outcome | None:
        """The outcome the findings answering the complaint now add up to: stage 1's at stage
        1, the stage 2 review's after (None until every point has one)."""
        return outcome_now(self.issues, self.stage)


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def dated_duties(case: Any, policy: Policy | None) -> tuple[DutyView, ...]:
    """The policy's dated duties on ``case`` (a :class:`Case`, or a row with its columns) besides
    acknowledging and responding: the decision due on a request for the next stage (Stoke 5,
    Warwickshire 10 working days: ``escalation_decide_by``), and, while the stage is open and
    its response not sent, the stage's milestones (Warwickshire children's stage 3: the panel,
    its report, the reply), counted from the stage's start."""
    found: list[DutyView] = []
    if awaits_decision(case) and case.escalation_decide_by is not None:
        found.append(
            DutyView(
                "escalation-decision",
                f"Decide the request for stage {case.stage + 1}",
                case.escalation_decide_by,
            )
        )
    if policy is None or case.status != CaseStatus.OPEN or case.response_sent is not None:
        return tuple(found)
    try:
        stage = policy.stage(case.route, case.stage)
    except KeyError:
        return tuple(found)
    if stage.milestones:
        suspensions = [(s.start, s.end) for s in getattr(case, "suspensions", ()) if s.end]
        deadlines = compute_deadlines(
            policy,
            route=case.route,
            stage=case.stage,
            received=stage_received(case),
            suspensions=suspensions,
        )
        found.extend(DutyView(m.id, m.name, m.due) for m in deadlines.milestones)
    return tuple(found)


def _clock(case: Case, policy: Policy | None, today: dt.date) -> ClockView:
    due = case.respond_by or case.acknowledge_by
    left = None
    if due is not None and policy is not None and case.status == CaseStatus.OPEN:
        left = days_left(policy_calendar(policy), today, due)
    source = None
    if policy is not None and case.respond_by_latest is not None:
        try:
            source = extension_source(policy, policy.stage(case.route, case.stage))
        except KeyError:
            source = None
    return ClockView(
        acknowledge_by=case.acknowledge_by,
        acknowledged=case.acknowledged,
        respond_by=case.respond_by,
        respond_by_latest=case.respond_by_latest,
        response_sent=case.response_sent,
        days_left=left,
        days_left_text=days_left_text(case.status, left),
        urgency=urgency(case.status, left).value,
        respond_by_latest_source=source,
        duties=dated_duties(case, policy),
    )


def _assessment(row: RiskAssessment) -> AssessmentView:
    return AssessmentView(
        id=row.id,
        visit_on=row.visit_on,
        address=row.address,
        answers=dict(row.answers or {}),
        known_risks=row.known_risks,
        colleague_attending=row.colleague_attending,
        means_of_contact=row.means_of_contact,
        call_if_concerned=row.call_if_concerned,
        decision=row.decision,
        assessed_by=row.assessed_by,
        approved_by=row.approved_by,
        approved_at=_utc(row.approved_at) if row.approved_at else None,
        gaps=tuple(homevisit.gaps_of(row)),
    )


def load_case_file(ctx: Context, case_id: int) -> CaseFile:
    """Everything the case file window shows for one case, once the acting officer may see it."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        return _read_case_file(uow.session, case_id, today=ctx.today(), policy_lookup=ctx.policy)


def why_read_only(ctx: Context, case_id: int) -> str | None:
    """Why the person at the keyboard may not change this case, in the refusing rule's own
    words (a closed case until it is re-opened; a colleague's case for an investigating
    officer; a login linked to no officer), or ``None`` when they may. The case window asks
    this once per showing to open read-only, instead of refusing each save as it is typed; every
    save still checks the same rule (:func:`~caseworker.services.permissions.authorise`)."""
    with ctx.unit() as uow:
        try:
            authorise(uow, case_id, Action.WORK)
        except Refused as refused:
            return str(refused).removeprefix("Refused: ")
    return None


def last_change(ctx: Context, case_id: int) -> editing.LastChange | None:
    """Who changed the case last and when (to tell a colleague's change from one's own), to an
    officer who may see the case."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        return editing.last_change(uow.session, case_id)


def checkout_mark(ctx: Context, case_id: int) -> CheckoutMark | None:
    """Whether the case is checked out to someone's offline copy, and to whom, to an officer
    who may see the case."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        return checkout_marks(uow.session, [case_id]).get(case_id)


def _read_case_file(
    session: Session, case_id: int, *, today: dt.date, policy_lookup: PolicyLookup
) -> CaseFile:
    case = session.execute(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.complainant),
            selectinload(Case.representative),
            selectinload(Case.officer),
            selectinload(Case.subjects),
            selectinload(Case.issues).selectinload(Issue.notes),
            selectinload(Case.interviews),
            selectinload(Case.risk_assessments),
            selectinload(Case.letters),
            selectinload(Case.extensions),
            selectinload(Case.suspensions),
        )
    ).scalar_one_or_none()
    if case is None:
        raise Refused(f"there is no case with id {case_id}")
    try:
        policy: Policy | None = policy_lookup(case.policy_id)
    except Exception:  # a policy file removed since: the case is still shown
        policy = None
    route_name, stage_name, reply_to_referrer = case.route.value, f"Stage {case.stage}", False
    if policy is not None:
        for route in policy.routes:
            if route.id == case.route:
                route_name = route.name
                reply_to_referrer = route.reply_to == "referrer"
                stage_name = next(
                    (s.name for s in route.stages if s.number == case.stage), stage_name
                )
        if case.referrer_name and policy.member_enquiries.reply_to_member:
            reply_to_referrer = True
    c = case.complainant
    complainant = (
        None
        if c is None
        else PersonView(
            c.name,
            c.address,
            c.postcode,
            c.email,
            c.phone,
            c.preferred_contact,
            c.reasonable_adjustments,
            c.adjustments_review_on,
            c.vulnerabilities,
            title=c.title,
            addressed_as=c.addressed_as,
            adjustments_public=c.adjustments_public,
            salutation=names.salutation(c.name, c.title, c.addressed_as),
        )
    )
    r = case.representative
    representative = (
        None
        if r is None
        else RepresentativeView(
            r.name,
            r.relationship_to_complainant,
            r.address,
            r.email,
            r.phone,
            r.consent_received,
            title=r.title,
            addressed_as=r.addressed_as,
            salutation=names.salutation(r.name, r.title, r.addressed_as),
        )
    )
    consent_rule = (
        ""
        if policy is None
        else {
            "not-required": "No consent needed",
            "written": "Written consent needed",
            "signed": "Signed written consent needed",
        }[policy.complainants.representative_consent]
    )
    latest = case.risk_assessments[-1] if case.risk_assessments else None
    return CaseFile(
        id=case.id,
        reference=case.reference,
        policy_id=case.policy_id,
        council=policy.council_name if policy else case.policy_id,
        route=case.route,
        route_name=route_name,
        stage=case.stage,
        stage_name=stage_name,
        status=case.status,
        outcome=case.outcome,
        received=case.received,
        channel=case.channel,
        service_area=case.service_area,
        summary=case.summary,
        anonymous=case.anonymous,
        time_limit_waived_by=case.time_limit_waived_by,
        referrer_name=case.referrer_name,
        referrer_role=case.referrer_role,
        referrer_address=case.referrer_address,
        reply_to_referrer=reply_to_referrer,
        officer=case.officer.name if case.officer else "",
        subjects=tuple(s.name for s in case.subjects),
        complainant=complainant,
        representative=representative,
        consent_rule=consent_rule,
        adjustments_recorded=bool(policy and policy.complainants.reasonable_adjustments_recorded),
        clock=_clock(case, policy, today),
        extensions=tuple(
            ExtensionView(e.stage, e.new_date, e.reason, e.complainant_told)
            for e in case.extensions
        ),
        suspensions=tuple(SuspensionView(s.start, s.end, s.reason) for s in case.suspensions),
        issues=tuple(
            IssueView(
                i.id,
                i.number,
                i.summary,
                i.finding,
                i.explanation,
                i.remedy,
                i.lesson_learnt,
                i.action,
                i.action_due,
                i.action_completed,
                tuple(
                    NoteView(n.id, n.kind, n.text, n.source, n.author, _utc(n.created_at))
                    for n in i.notes
                    if n.withdrawn_at is None
                ),
                action_public=i.action_public,
                raised_at_stage=i.raised_at_stage,
                stage2_finding=i.stage2_finding,
                stage2_explanation=i.stage2_explanation,
                stage2_remedy=i.stage2_remedy,
            )
            for i in case.issues
        ),
        interviews=tuple(
            InterviewView(
                v.id,
                v.interviewee,
                v.interviewee_role,
                v.held_on,
                v.method,
                v.accompanied_by,
                v.accompanied_as,
                v.notes,
                v.summary,
                v.summary_read_back,
                v.further_information_invited,
                v.further_information,
                v.recorded_by,
            )
            for v in case.interviews
        ),
        assessment=_assessment(latest) if latest is not None else None,
        booking_blocked=homevisit.booking_blocked(latest, policy),
        home_visit_rule=homevisit.rule_text(policy),
        letters=tuple(
            LetterView(
                x.id,
                x.kind,
                x.stage,
                x.outcome,
                x.filename,
                _utc(x.created_at),
                x.created_by,
                x.sent_on,
                x.sent_method,
                x.formats,
                x.formats_arranged,
                x.sent_despite,
            )
            for x in case.letters
        ),
        formats=formats_duty(case),
        understanding=case.understanding,
        steps_taken=case.steps_taken,
        evidence_considered=case.evidence_considered,
        complaint_subject=case.complaint_subject,
        letter_subject=subject_words.about(case),
        referrer_title=case.referrer_title,
        referrer_addressed_as=case.referrer_addressed_as,
        referrer_salutation=names.referrer_salutation(
            case.referrer_name,
            case.referrer_role,
            case.referrer_title,
            case.referrer_addressed_as,
        )
        if case.referrer_name
        else "",
    )


# -- the timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime
    """When, in UTC; for events known only by the day, midnight UTC of that day."""
    category: str
    """'Case', 'Change', 'Contact' or 'Letter'."""
    summary: str
    by: str
    date_only: bool = False


_FROM_RECORDS = {
    "cases": {
        "acknowledged",
        "response_sent",
        "response_method",
        "escalation_requested",
        "closed_on",
        "outcome",
        "withdrawn_on",
        "status",
    },
}
"""Changes shown from the case's own records (so cases imported or generated without an audit
trail still have them), not from the audit trail as well."""
_CREATES_FROM_RECORDS = {
    "notes",
    "interviews",
    "extensions",
    "suspensions",
    "letters",
    "contact_attempts",
}


def _day_event(day: dt.date, category: str, summary: str, by: str = "") -> TimelineEvent:
    return TimelineEvent(dt.datetime.combine(day, dt.time(), dt.UTC), category, summary, by, True)


def _words(value: object) -> str:
    return str(getattr(value, "value", value)).replace("-", " ")


def _record_events(case: Case, issue_numbers: dict[int, int]) -> list[TimelineEvent]:
    """The case's dated records: receipt, acknowledgement, notes, interviews, extensions,
    suspensions, the response, escalation and closure."""
    events = [_day_event(case.received, "Case", f"Complaint received ({_words(case.channel)})")]
    if case.acknowledged:
        events.append(_day_event(case.acknowledged, "Case", "Acknowledged"))
    for issue in case.issues:
        for note in issue.notes:
            events.append(
                TimelineEvent(
                    _utc(note.created_at),
                    "Note",
                    f"{note.kind.value.capitalize()} on issue {issue.number}: {_short(note.text)}"
                    + (f" (source: {_short(note.source, 40)})" if note.source else ""),
                    note.author,
                )
            )
            if note.withdrawn_at is not None:
                events.append(
                    TimelineEvent(
                        _utc(note.withdrawn_at),
                        "Note",
                        f"{note.kind.value.capitalize()} note on issue {issue.number} withdrawn "
                        f"({_short(note.withdrawn_reason, 60)}): {_short(note.text)}",
                        note.withdrawn_by,
                    )
                )
    for interview in case.interviews:
        role = f", {interview.interviewee_role}" if interview.interviewee_role else ""
        came = (
            f", with {interview.accompanied_by} ({interview.accompanied_as})"
            if interview.accompanied_by
            else ""
        )
        events.append(
            _day_event(
                interview.held_on,
                "Interview",
                f"Interview with {interview.interviewee}{role} ({_words(interview.method)}{came})",
                interview.recorded_by,
            )
        )
    for extension in case.extensions:
        told = (
            f"; complainant told {extension.complainant_told.isoformat()}"
            if extension.complainant_told
            else ""
        )
        events.append(
            _day_event(
                extension.complainant_told or case.received,
                "Case",
                f"Stage {extension.stage} response date extended to "
                f"{extension.new_date.isoformat()}: "
                f"{_short(extension.reason)}{told}",
            )
        )
    for suspension in case.suspensions:
        events.append(
            _day_event(suspension.start, "Case", f"Clock stopped: {_short(suspension.reason)}")
        )
        if suspension.end is not None:
            events.append(_day_event(suspension.end, "Case", "Clock restarted"))
    if case.response_sent:
        method = f" by {_words(case.response_method)}" if case.response_method else ""
        events.append(_day_event(case.response_sent, "Case", f"Response sent{method}"))
    if case.escalation_requested:
        events.append(
            _day_event(
                case.escalation_requested, "Case", f"Next stage requested (now stage {case.stage})"
            )
        )
    if case.withdrawn_on:
        events.append(_day_event(case.withdrawn_on, "Case", "Withdrawn by the complainant"))
    if case.closed_on:
        outcome = f": {_words(case.outcome)}" if case.outcome else ""
        events.append(_day_event(case.closed_on, "Case", f"Closed{outcome}"))
    return events


def timeline(ctx: Context, case_id: int) -> list[TimelineEvent]:
    """Every event of the case, oldest first: the case's own dated records, its audit trail,
    contacts and letters (a handful of queries, none per row), to an officer who may see it."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        return _timeline(uow.session, case_id)


def _timeline(session: Session, case_id: int) -> list[TimelineEvent]:
    case = session.execute(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.issues).selectinload(Issue.notes),
            selectinload(Case.interviews),
            selectinload(Case.extensions),
            selectinload(Case.suspensions),
        )
    ).scalar_one_or_none()
    if case is None:
        raise Refused(f"there is no case with id {case_id}")
    issue_numbers = {issue.id: issue.number for issue in case.issues}
    interviewees = {interview.id: interview.interviewee for interview in case.interviews}
    condition = AuditEvent.case_id == case_id
    if case.complainant_id is not None:
        condition = or_(
            condition,
            and_(AuditEvent.entity == "complainants", AuditEvent.entity_id == case.complainant_id),
        )
    audit = (
        session.execute(select(AuditEvent).where(condition).order_by(AuditEvent.at, AuditEvent.id))
        .scalars()
        .all()
    )

    officers = {
        officer_id: name for officer_id, name in session.execute(select(Officer.id, Officer.name))
    }
    names = history.Names(issue_numbers, interviewees, officers)
    events = _record_events(case, issue_numbers)
    open_edit: dict[tuple[str, int | None, str, str], tuple[int, AuditEvent, str | None]] = {}
    for event in audit:
        if event.field in history.HIDDEN or event.field in _FROM_RECORDS.get(event.entity, ()):
            continue
        if event.entity in _CREATES_FROM_RECORDS and event.action == "create":
            continue
        if event.entity in ("letters", "contact_attempts", "documents", "correspondence"):
            continue
        if event.entity == "notes" and (
            event.action != "update" or event.field.startswith("withdrawn")
        ):
            continue  # added and withdrawn notes are shown from the notes themselves
        at = _utc(event.at)
        if event.entity == "checkouts":
            events.append(TimelineEvent(at, "Case", history.checkout_words(event), event.actor))
            continue
        if event.action in ("create", "delete"):
            events.append(TimelineEvent(at, "Change", history.describe(event, names), event.actor))
        else:
            key = (event.entity, event.entity_id, event.field, event.actor)
            earlier = open_edit.get(key)
            if earlier is not None and at - _utc(earlier[1].at) <= MERGE_WINDOW:
                position, _first, first_old = earlier
                events[position] = TimelineEvent(
                    events[position].at,
                    "Change",
                    history.updated(event, first_old, event.new_value, names),
                    event.actor,
                )
                open_edit[key] = (position, event, first_old)
                continue
            open_edit[key] = (len(events), event, event.old_value)
            events.append(
                TimelineEvent(
                    at,
                    "Change",
                    history.updated(event, event.old_value, event.new_value, names),
                    event.actor,
                )
            )

    for attempt in session.execute(
        select(ContactAttempt).where(ContactAttempt.case_id == case_id)
    ).scalars():
        answered = " (answered)" if attempt.answered else ""
        events.append(
            TimelineEvent(
                _utc(attempt.at),
                "Contact",
                f"{attempt.method.value.replace('-', ' ').capitalize()}: "
                f"{_short(attempt.result, 90)}{answered}",
                attempt.made_by,
            )
        )
    for letter in session.execute(select(Letter).where(Letter.case_id == case_id)).scalars():
        kind = letter.kind.value.replace("-", " ")
        events.append(
            TimelineEvent(
                _utc(letter.created_at),
                "Letter",
                f"Letter made: {kind} (stage {letter.stage})",
                letter.created_by,
            )
        )
        if letter.sent_on is not None:
            method = (
                f" by {letter.sent_method.value.replace('-', ' ')}" if letter.sent_method else ""
            )
            events.append(
                _day_event(
                    letter.sent_on,
                    "Letter",
                    f"Letter sent{method}: {kind} (stage {letter.stage})",
                    letter.created_by,
                )
            )
    events.extend(evidence_events(session, case_id, issue_numbers))
    # Events known only by their day come first on that day.
    events.sort(key=lambda e: (e.at.date(), not e.date_only, e.at))
    return events


def size_text(size: int) -> str:
    """A file size as people say it: "820 bytes", "14 KB", "3.2 MB"."""
    if size < 1024:
        return f"{size:,} byte{'' if size == 1 else 's'}"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"


def evidence_events(
    session: Session, case_id: int, issue_numbers: dict[int, int]
) -> list[TimelineEvent]:
    """Documents added and removed, and emails received, from their own records (two queries,
    no document's bytes). An email's attachments are named on the email's line."""
    from caseworker.storage.models import Correspondence, Document

    events: list[TimelineEvent] = []
    attachments: dict[int, list[str]] = {}
    for doc in session.execute(
        select(
            Document.id,
            Document.filename,
            Document.size,
            Document.issue_id,
            Document.correspondence_id,
            Document.added_by,
            Document.added_at,
            Document.removed_at,
            Document.removed_by,
            Document.removal_reason,
        )
        .where(Document.case_id == case_id)
        .order_by(Document.added_at, Document.id)
    ):
        where = f" to issue {issue_numbers[doc.issue_id]}" if doc.issue_id in issue_numbers else ""
        if doc.correspondence_id is not None:
            attachments.setdefault(doc.correspondence_id, []).append(doc.filename)
        else:
            events.append(
                TimelineEvent(
                    _utc(doc.added_at),
                    "Document",
                    f"Document attached{where}: {doc.filename} ({size_text(doc.size)})",
                    doc.added_by,
                )
            )
        if doc.removed_at is not None:
            events.append(
                TimelineEvent(
                    _utc(doc.removed_at),
                    "Document",
                    f"Document removed: {doc.filename}. Reason: {_short(doc.removal_reason, 120)}",
                    doc.removed_by,
                )
            )
    for entry in session.execute(
        select(Correspondence).where(Correspondence.case_id == case_id)
    ).scalars():
        names = attachments.get(entry.id, [])
        with_files = (
            f", with {len(names)} attachment{'' if len(names) == 1 else 's'} ({', '.join(names)})"
            if names
            else ""
        )
        subject = f": “{_short(entry.subject, 80)}”" if entry.subject else ""
        events.append(
            TimelineEvent(
                _utc(entry.sent_at or entry.added_at),
                "Email",
                f"Email received from {entry.sender}{subject}{with_files}",
                entry.added_by,
            )
        )
    return events
