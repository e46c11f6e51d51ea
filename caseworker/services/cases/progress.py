"""Where a case stands in its lifecycle and stage 2, read once for the Progress and Next stage
tabs: the dates, the history, and which steps apply now (and, for the others, why not).

Which steps apply is :func:`caseworker.services.cases.steps.steps_not_open`: the same "why not"
each step function refuses with, so a disabled button says what the step would say. The steps
themselves are functions of :mod:`~caseworker.services.cases.lifecycle`,
:mod:`~caseworker.services.cases.escalation`, :mod:`~caseworker.services.cases.ombudsman`,
:mod:`~caseworker.services.cases.actions`, :mod:`~caseworker.services.cases.restrictions` and
:mod:`~caseworker.services.records.filepack`, called with the context directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseworker.domain import rules
from caseworker.domain.enums import (
    CaseStatus,
    ContactMethod,
    Outcome,
    ReferrerRole,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import EscalationDecision, OmbudsmanBody, Restriction
from caseworker.domain.refusals import Refused
from caseworker.policy.deadlines import compute_deadlines, find_stage
from caseworker.policy.schema import Policy
from caseworker.services.cases import lifecycle, restrictions
from caseworker.services.cases.lifecycle import AttemptRow, ExtensionRow, SuspensionRow
from caseworker.services.cases.ombudsman import OmbudsmanRecord
from caseworker.services.cases.records import stage_received
from caseworker.services.cases.restrictions import RestrictionRow
from caseworker.services.cases.steps import (
    Step,
    next_stage,
    steps_not_open,
    why_not,
    words,
)
from caseworker.services.context import Context
from caseworker.services.permissions import Action, authorise, policy_of
from caseworker.storage.models import Case, Officer

CONTACT_METHODS = {
    ContactMethod.EMAIL: "Email",
    ContactMethod.LETTER: "Letter",
    ContactMethod.PHONE: "Phone",
    ContactMethod.IN_PERSON: "In person",
    ContactMethod.TEXT: "Text message",
}
SEND_METHODS = {
    SendMethod.EMAIL: "Email",
    SendMethod.FIRST_CLASS: "First class post",
    SendMethod.SECOND_CLASS: "Second class post",
    SendMethod.HAND: "By hand",
}
OMBUDSMEN = {
    OmbudsmanBody.LGSCO: "Local Government and Social Care Ombudsman",
    OmbudsmanBody.HOUSING_OMBUDSMAN: "Housing Ombudsman",
}
RESTRICTIONS = {
    Restriction.NO_FURTHER_ACTION: "No further action on the complaint",
    Restriction.SINGLE_POINT_OF_CONTACT: "A single point of contact",
    Restriction.ONE_CONTACT_METHOD: "One way of contacting us only",
    Restriction.NO_RESPONSE_UNLESS_OBLIGED: "No reply unless the law requires one",
    Restriction.PREMISES_RESTRICTED: "Entry to council premises restricted",
    Restriction.LEGAL_ACTION: "Legal action may be taken",
}
STATUSES = {
    CaseStatus.OPEN: "Open",
    CaseStatus.SUSPENDED: "Suspended (clock stopped)",
    CaseStatus.RESPONDED: "Response sent",
    CaseStatus.CLOSED: "Closed",
}
OUTCOMES = {
    Outcome.UPHELD: "Upheld",
    Outcome.PARTIALLY_UPHELD: "Partially upheld",
    Outcome.NOT_UPHELD: "Not upheld",
    Outcome.WITHDRAWN: "Withdrawn",
    Outcome.SETTLED: "Settled",
    Outcome.DISCONTINUED: "Discontinued",
    Outcome.REFUSED: "Refused",
}


@dataclass(frozen=True, slots=True)
class ActionRow:
    """A remedy or lessons-learnt action promised on an issue."""

    issue_id: int
    issue_number: int
    action: str
    remedy: str
    lesson_learnt: str
    due: dt.date | None
    completed_on: dt.date | None
    not_completable: str | None
    """Why it cannot be marked complete now (the step's own refusal); ``None`` if it can."""


@dataclass(frozen=True, slots=True)
class EscalationState:
    next_stage: int | None
    """The stage a request would take the case to; ``None`` at the last stage."""
    next_stage_name: str
    deemed_received: dt.date | None
    """When the current stage's response counts as received (once it was sent, and how)."""
    escalate_by: dt.date | None
    requested_on: dt.date | None
    """A request for the next stage logged after the current stage's response."""
    requested_stage: int | None
    """The stage that request asked for."""
    reason: str
    late: bool
    reason_missing: bool
    decide_by: dt.date | None
    decision: EscalationDecision | None
    decided_on: dt.date | None
    refusal_reasons: str

    @property
    def flag_late(self) -> bool:
        """Flag for the decision: the request came after the window (flagged, never refused)."""
        return self.late and self.requested_on is not None and self.decision is None

    @property
    def flag_reason_missing(self) -> bool:
        """Flag for the decision: the policy asks for reasons and none were given."""
        return self.reason_missing and self.requested_on is not None and self.decision is None


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a case stands in its lifecycle, and what may be done to it now."""

    case_id: int
    reference: str
    policy_id: str
    route: RouteId
    stage: int
    stage_name: str
    stage_count: int
    status: CaseStatus
    outcome: Outcome | None
    received: dt.date
    stage_started: dt.date
    acknowledged: dt.date | None
    acknowledge_by: dt.date | None
    respond_by: dt.date | None
    respond_by_latest: dt.date | None
    response_sent: dt.date | None
    response_method: SendMethod | None
    extension_default: dt.date | None
    """What an extension's new date starts as: the latest the policy allows, else the day after
    the current response date (an extension must be after it); None without a response date."""
    extension_days: int
    extension_in_writing: bool
    extensions: tuple[ExtensionRow, ...]
    suspensions: tuple[SuspensionRow, ...]
    suspension_grounds: tuple[str, ...]
    attempts: tuple[AttemptRow, ...]
    discontinuation_rule: str | None
    """The policy's rule in words; ``None`` where it has none."""
    discontinuation_shortfall: str | None
    attempts_needed: int
    """How many more unanswered attempts (by new methods where the rule says so) are needed."""
    withdrawn_on: dt.date | None
    withdrawal_method: ContactMethod | None
    withdrawal_in_writing: bool
    withdrawal_unconfirmed: bool
    """Withdrawn, and the letter the policy confirms it with has not been sent yet."""
    discontinued_on: dt.date | None
    closed_on: dt.date | None
    reopened_on: dt.date | None
    reopening_reason: str
    reopening_grounds: tuple[str, ...]
    closure_blockers: tuple[str, ...]
    closure_warnings: tuple[str, ...]
    """What does not stop closing but is asked about first (``lifecycle.closure_warnings``)."""
    referrer_name: str
    referrer_role: ReferrerRole | None
    member_enquiry_route: bool
    """The policy has a Member/MP enquiry route (Stockport 2.8)."""
    on_member_enquiry_route: bool
    """The case is an enquiry on that route (answered to the Member/MP)."""
    escalation: EscalationState
    ombudsman: tuple[OmbudsmanRecord, ...]
    default_ombudsman: OmbudsmanBody
    actions: tuple[ActionRow, ...]
    restrictions: tuple[RestrictionRow, ...]
    contact_method: ContactMethod
    """How a contact step (an attempt, telling of an extension) starts out: the complainant's
    preferred way where the case has the details for it (lifecycle.default_contact_method)."""
    not_open: dict[Step, str]
    """Steps that do not apply now, with why (the step's own refusal, without "Refused: ")."""

    def can(self, step: Step) -> bool:
        return step not in self.not_open

    @property
    def suspended(self) -> bool:
        return any(s.end is None for s in self.suspensions)


def _escalation(case_row: Case, policy: Policy) -> EscalationState:
    try:
        after = next_stage(policy, case_row)
        number, name = after.number, after.name
    except Refused:
        number, name = None, ""
    deemed = escalate_by = None
    if case_row.response_sent is not None and case_row.response_method is not None:
        found = compute_deadlines(
            policy,
            route=case_row.route,
            stage=case_row.stage,
            received=stage_received(case_row),
            acknowledged=case_row.acknowledged,
            response_sent=case_row.response_sent,
            sent_by=case_row.response_method,
        )
        deemed, escalate_by = found.deemed_received, found.escalate_by
    requested = case_row.escalation_requested
    # A request after the current stage's response, or the accepted one this stage began with.
    is_request = requested is not None and (
        (case_row.response_sent is not None and requested >= case_row.response_sent)
        or (
            case_row.stage > 1
            and case_row.escalation_decision == EscalationDecision.ACCEPTED
            and requested == stage_received(case_row)
        )
    )
    accepted = case_row.escalation_decision == EscalationDecision.ACCEPTED
    return EscalationState(
        next_stage=number,
        next_stage_name=name,
        deemed_received=deemed,
        escalate_by=escalate_by,
        requested_on=requested if is_request else None,
        requested_stage=(case_row.stage if accepted else case_row.stage + 1)
        if is_request
        else None,
        reason=case_row.escalation_reason if is_request else "",
        late=is_request and case_row.escalation_late,
        reason_missing=is_request and case_row.escalation_reason_missing,
        decide_by=case_row.escalation_decide_by if is_request else None,
        decision=case_row.escalation_decision if is_request else None,
        decided_on=case_row.escalation_decided_on if is_request else None,
        refusal_reasons=case_row.escalation_refusal_reasons if is_request else "",
    )


def _action_rows(officer: Officer, case_row: Case, policy: Policy) -> tuple[ActionRow, ...]:
    rows = []
    for issue in case_row.issues:
        if not issue.action.strip():
            continue
        refusal = why_not(Step.COMPLETE_ACTION, officer, case_row, policy, issue)
        rows.append(
            ActionRow(
                issue.id,
                issue.number,
                issue.action,
                # The remedy the letter of the case's stage promised (stage 2's own, once given).
                (issue.stage2_remedy if case_row.stage > 1 else "") or issue.remedy,
                issue.lesson_learnt,
                issue.action_due,
                issue.action_completed,
                words(refusal) if refusal is not None else None,
            )
        )
    return tuple(rows)


def extension_default(respond_by: dt.date | None, latest: dt.date | None) -> dt.date | None:
    """The new date an extension form starts with (see :attr:`Progress.extension_default`)."""
    if respond_by is None:
        return None
    if latest is not None and latest > respond_by:
        return latest
    return respond_by + dt.timedelta(days=1)


def progress_of(ctx: Context, case_id: int) -> Progress:
    """Where the case stands, read as the context's officer (who must be allowed to see it)."""
    with ctx.unit() as uow:
        officer, case_row = authorise(uow, case_id, Action.VIEW)
        policy = policy_of(case_row)
        stage = find_stage(policy, case_row.route, case_row.stage)
        discontinuation = policy.rules.discontinuation
        rule_text = None
        if discontinuation is not None:
            by_methods = " by different methods" if discontinuation.distinct_methods else ""
            rule_text = rules.DISCONTINUATION_RULE.format(
                count=discontinuation.min_contact_attempts, by_methods=by_methods
            )
        restriction_rows: tuple[RestrictionRow, ...] = ()
        if case_row.complainant_id is not None:
            restriction_rows = tuple(
                RestrictionRow.of(r)
                for r in restrictions.active_restrictions(
                    uow.session, case_row.complainant_id, today=dt.date.max
                )
            )
        return Progress(
            case_id=case_row.id,
            reference=case_row.reference,
            policy_id=policy.id,
            route=case_row.route,
            stage=case_row.stage,
            stage_name=stage.name,
            stage_count=len(policy.route(case_row.route).stages),
            status=case_row.status,
            outcome=case_row.outcome,
            received=case_row.received,
            stage_started=stage_received(case_row),
            acknowledged=case_row.acknowledged,
            acknowledge_by=case_row.acknowledge_by,
            respond_by=case_row.respond_by,
            respond_by_latest=case_row.respond_by_latest,
            extension_default=extension_default(case_row.respond_by, case_row.respond_by_latest),
            response_sent=case_row.response_sent,
            response_method=case_row.response_method,
            extension_days=stage.extension_days,
            extension_in_writing=stage.extension_in_writing,
            extensions=tuple(ExtensionRow.of(e) for e in case_row.extensions),
            suspensions=tuple(SuspensionRow.of(s) for s in case_row.suspensions),
            suspension_grounds=tuple(lifecycle.suspension_grounds(policy)),
            attempts=tuple(AttemptRow.of(a) for a in case_row.contact_attempts),
            discontinuation_rule=rule_text,
            discontinuation_shortfall=lifecycle.discontinuation_shortfall(case_row, policy)
            if discontinuation is not None
            else None,
            attempts_needed=lifecycle.attempts_needed(case_row, policy),
            withdrawn_on=case_row.withdrawn_on,
            withdrawal_method=case_row.withdrawal_method,
            withdrawal_in_writing=policy.rules.withdrawal.confirm_in_writing,
            withdrawal_unconfirmed=lifecycle.withdrawal_unconfirmed(case_row, policy),
            discontinued_on=case_row.discontinued_on,
            closed_on=case_row.closed_on,
            reopened_on=case_row.reopened_on,
            reopening_reason=case_row.reopening_reason,
            reopening_grounds=tuple(lifecycle.reopening_grounds(policy)),
            closure_warnings=tuple(lifecycle.closure_warnings(case_row, policy)),
            closure_blockers=tuple(lifecycle.closure_blockers(case_row, policy, None))
            if case_row.status != CaseStatus.CLOSED
            else (),
            referrer_name=case_row.referrer_name,
            referrer_role=case_row.referrer_role,
            member_enquiry_route=policy.member_enquiries.handling == "enquiry-route",
            on_member_enquiry_route=case_row.route == RouteId.MEMBER_ENQUIRY,
            escalation=_escalation(case_row, policy),
            ombudsman=tuple(OmbudsmanRecord.of(o) for o in case_row.ombudsman_cases),
            default_ombudsman=OmbudsmanBody(policy.route(case_row.route).ombudsman),
            actions=_action_rows(officer, case_row, policy),
            restrictions=restriction_rows,
            contact_method=lifecycle.default_contact_method(case_row),
            not_open=steps_not_open(officer, case_row, policy),
        )
