"""The case's progress and its stage 2 work, for the case file window: one read of where the
case stands (with which steps apply now, and why the others do not), and one method per step.

Each method runs one service of :mod:`~caseworker.services.cases.lifecycle`,
:mod:`~caseworker.services.cases.escalation`, :mod:`~caseworker.services.cases.ombudsman`,
:mod:`~caseworker.services.cases.actions`, :mod:`~caseworker.services.cases.restrictions` or
:mod:`~caseworker.services.records.filepack` in its own unit of work and commits it; the rules are those
services'. :func:`steps_not_open` answers, for each step, why it does not apply to the case now
(the policy has no such rule, the case is in the wrong state, or the acting officer's role does
not allow it), from the same rules, so the window can offer only the steps that apply. The inputs
of a step (dates, reasons, the number of contact attempts) are checked when it is taken, and a
refusal names the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

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
from caseworker.errors import UserError
from caseworker.policy.deadlines import compute_deadlines, find_stage
from caseworker.policy.schema import Policy
from caseworker.services.cases import actions, escalation, lifecycle, ombudsman, restrictions
from caseworker.services.cases.records import stage_received
from caseworker.services.permissions import Action, acting_officer, check, load_case, policy_of
from caseworker.services.records import filepack
from caseworker.services.uow import UnitOfWork
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


class Step(StrEnum):
    """Each thing the progress and stage 2 tabs let a person do."""

    ACKNOWLEDGE = "acknowledge"
    RESPONSE_SENT = "response-sent"
    EXTEND = "extend"
    SUSPEND = "suspend"
    RESUME = "resume"
    CONTACT_ATTEMPT = "contact-attempt"
    DISCONTINUE = "discontinue"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    REOPEN = "reopen"
    MEMBER_ENQUIRY = "member-enquiry"
    RESTRICT_CONTACT = "restrict-contact"
    LOG_ESCALATION = "log-escalation"
    DECIDE_ESCALATION = "decide-escalation"
    OMBUDSMAN = "ombudsman"
    COMPLETE_ACTION = "complete-action"
    EXPORT_FILE = "export-file"


_PERMISSION = {
    Step.ACKNOWLEDGE: Action.WORK,
    Step.RESPONSE_SENT: Action.WORK,
    Step.EXTEND: Action.WORK,
    Step.SUSPEND: Action.MANAGE,
    Step.RESUME: Action.MANAGE,
    Step.CONTACT_ATTEMPT: Action.WORK,
    Step.DISCONTINUE: Action.MANAGE,
    Step.WITHDRAW: Action.WORK,
    Step.CLOSE: Action.WORK,
    Step.REOPEN: Action.REOPEN,
    Step.MEMBER_ENQUIRY: Action.WORK,
    Step.RESTRICT_CONTACT: Action.RESTRICT_CONTACT,
    Step.LOG_ESCALATION: Action.LOG_ESCALATION,
    Step.DECIDE_ESCALATION: Action.DECIDE_ESCALATION,
    Step.OMBUDSMAN: Action.OMBUDSMAN,
    Step.COMPLETE_ACTION: Action.TRACK_ACTIONS,
    Step.EXPORT_FILE: Action.REVIEW_FILE,
}


def _state_reason(step: Step, case_row: Case, policy: Policy) -> str | None:
    """Why ``step`` does not apply to the case as it stands (the services' own state rules)."""
    ref = case_row.reference
    stage = find_stage(policy, case_row.route, case_row.stage)
    suspended = any(s.end is None for s in case_row.suspensions)
    ended = case_row.outcome in (Outcome.WITHDRAWN, Outcome.DISCONTINUED)
    if step == Step.ACKNOWLEDGE and case_row.acknowledged is not None:
        return f"{ref} was acknowledged on {case_row.acknowledged.isoformat()}"
    if step in (Step.RESPONSE_SENT, Step.EXTEND, Step.SUSPEND):
        if case_row.response_sent is not None:
            return (
                f"the stage {case_row.stage} response was sent on "
                f"{case_row.response_sent.isoformat()}"
            )
        if suspended and step != Step.SUSPEND:
            return f"{ref} is suspended: resume it first"
    if step == Step.EXTEND and stage.extension_days == 0:
        return f"policy {policy.id} stage {case_row.stage} allows no extension"
    if step == Step.SUSPEND:
        if policy.rules.suspension is None:
            return f"policy {policy.id} has no suspension rule ({rules.SUSPENSION_RULE})"
        if suspended:
            return f"{ref} is already suspended"
    if step == Step.RESUME and not suspended:
        return f"{ref} is not suspended"
    if step == Step.DISCONTINUE:
        if policy.rules.discontinuation is None:
            return f"policy {policy.id} has no discontinuation rule"
        if ended:
            return f"{ref} is already {case_row.outcome.value if case_row.outcome else ''}"
    if step == Step.WITHDRAW and ended:
        return f"{ref} is already {case_row.outcome.value if case_row.outcome else ''}"
    if step == Step.REOPEN and not (case_row.status == CaseStatus.CLOSED or ended):
        return f"{ref} is not closed, withdrawn or discontinued"
    if step == Step.RESTRICT_CONTACT:
        if policy.rules.contact_restrictions is None:
            return (
                f"policy {policy.id} leaves unreasonable behaviour to the council's separate policy"
            )
        if case_row.complainant_id is None:
            return f"{ref} has no complainant to restrict"
    if step == Step.LOG_ESCALATION:
        try:
            escalation.next_stage(policy, case_row)
        except Refused as error:
            return str(error).removeprefix("Refused: ")
        if escalation.awaits_decision(case_row):
            return "a request for the next stage is waiting for a decision"
        if case_row.response_sent is None:
            return f"the stage {case_row.stage} response has not been sent yet"
    if step == Step.DECIDE_ESCALATION and not escalation.awaits_decision(case_row):
        return "no request for the next stage is waiting for a decision"
    return None


def steps_not_open(officer: Officer, case_row: Case, policy: Policy) -> dict[Step, str]:
    """For each step that does not apply to the case now, why not (the first reason found)."""
    found: dict[Step, str] = {}
    for step in Step:
        try:
            check(officer, _PERMISSION[step], case_row)
        except Refused as error:
            found[step] = str(error).removeprefix("Refused: ")
            continue
        reason = _state_reason(step, case_row, policy)
        if reason is not None:
            found[step] = reason
    return found


# -- what the tabs show -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExtensionRow:
    stage: int
    new_date: dt.date
    reason: str
    told_on: dt.date | None
    told_method: ContactMethod | None


@dataclass(frozen=True, slots=True)
class SuspensionRow:
    start: dt.date
    end: dt.date | None
    reason: str


@dataclass(frozen=True, slots=True)
class AttemptRow:
    at: dt.datetime
    method: ContactMethod
    result: str
    answered: bool
    made_by: str


@dataclass(frozen=True, slots=True)
class OmbudsmanRecord:
    id: int
    body: OmbudsmanBody
    reference: str
    enquiry_on: dt.date
    decision: str
    decision_on: dt.date | None
    remedy_agreed: str
    remedy_due: dt.date | None
    complied_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ActionRow:
    issue_id: int
    issue_number: int
    action: str
    remedy: str
    lesson_learnt: str
    due: dt.date | None
    completed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class RestrictionRow:
    id: int
    restrictions: tuple[Restriction, ...]
    details: str
    reason: str
    decided_on: dt.date
    notify_by: dt.date
    notified_on: dt.date | None
    review_on: dt.date
    ended_on: dt.date | None


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
    reason: str
    late: bool
    reason_missing: bool
    decide_by: dt.date | None
    decision: EscalationDecision | None
    decided_on: dt.date | None
    refusal_reasons: str


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
    discontinued_on: dt.date | None
    closed_on: dt.date | None
    reopened_on: dt.date | None
    reopening_reason: str
    reopening_grounds: tuple[str, ...]
    closure_blockers: tuple[str, ...]
    referrer_name: str
    referrer_role: ReferrerRole | None
    member_enquiry_route: bool
    """The policy has a Member/MP enquiry route (Stockport 2.8)."""
    escalation: EscalationState
    ombudsman: tuple[OmbudsmanRecord, ...]
    default_ombudsman: OmbudsmanBody
    actions: tuple[ActionRow, ...]
    restrictions: tuple[RestrictionRow, ...]
    not_open: dict[Step, str]
    """Steps that do not apply now, with why."""

    def can(self, step: Step) -> bool:
        return step not in self.not_open

    @property
    def suspended(self) -> bool:
        return any(s.end is None for s in self.suspensions)


def _attempts_needed(case_row: Case, policy: Policy) -> int:
    rule = policy.rules.discontinuation
    if rule is None:
        return 0
    since = lifecycle._attempts_since(case_row)  # noqa: SLF001 (the same window the rule uses)
    unanswered = rules.unanswered_since_last_reply(
        [rules.Attempt(a.at, a.method, a.answered) for a in case_row.contact_attempts], since
    )
    times = len({a.at for a in unanswered})
    methods = len({a.method for a in unanswered})
    needed = rule.min_contact_attempts - times
    if rule.distinct_methods:
        needed = max(needed, rule.min_contact_attempts - methods)
    return max(0, needed)


def _escalation(case_row: Case, policy: Policy) -> EscalationState:
    try:
        after = escalation.next_stage(policy, case_row)
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
    return EscalationState(
        next_stage=number,
        next_stage_name=name,
        deemed_received=deemed,
        escalate_by=escalate_by,
        requested_on=requested if is_request else None,
        reason=case_row.escalation_reason if is_request else "",
        late=is_request and case_row.escalation_late,
        reason_missing=is_request and case_row.escalation_reason_missing,
        decide_by=case_row.escalation_decide_by if is_request else None,
        decision=case_row.escalation_decision if is_request else None,
        decided_on=case_row.escalation_decided_on if is_request else None,
        refusal_reasons=case_row.escalation_refusal_reasons if is_request else "",
    )


def progress_of(uow: UnitOfWork, case_id: int) -> Progress:
    """Where the case stands, read as the unit of work's officer (who must be allowed to see it)."""
    officer = acting_officer(uow)
    case_row = load_case(uow, case_id)
    check(officer, Action.VIEW, case_row)
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
            RestrictionRow(
                r.id,
                tuple(Restriction(v) for v in r.restrictions),
                r.details,
                r.reason,
                r.decided_on,
                r.notify_by,
                r.notified_on,
                r.review_on,
                r.ended_on,
            )
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
        response_sent=case_row.response_sent,
        response_method=case_row.response_method,
        extension_days=stage.extension_days,
        extension_in_writing=stage.extension_in_writing,
        extensions=tuple(
            ExtensionRow(e.stage, e.new_date, e.reason, e.complainant_told, e.told_method)
            for e in case_row.extensions
        ),
        suspensions=tuple(SuspensionRow(s.start, s.end, s.reason) for s in case_row.suspensions),
        suspension_grounds=tuple(lifecycle.suspension_grounds(policy)),
        attempts=tuple(
            AttemptRow(a.at, a.method, a.result, a.answered, a.made_by)
            for a in case_row.contact_attempts
        ),
        discontinuation_rule=rule_text,
        discontinuation_shortfall=lifecycle.discontinuation_shortfall(case_row, policy)
        if discontinuation is not None
        else None,
        attempts_needed=_attempts_needed(case_row, policy),
        withdrawn_on=case_row.withdrawn_on,
        withdrawal_method=case_row.withdrawal_method,
        withdrawal_in_writing=policy.rules.withdrawal.confirm_in_writing,
        discontinued_on=case_row.discontinued_on,
        closed_on=case_row.closed_on,
        reopened_on=case_row.reopened_on,
        reopening_reason=case_row.reopening_reason,
        reopening_grounds=tuple(lifecycle.reopening_grounds(policy)),
        closure_blockers=tuple(lifecycle.closure_blockers(case_row, policy, None))
        if case_row.status != CaseStatus.CLOSED
        else (),
        referrer_name=case_row.referrer_name,
        referrer_role=case_row.referrer_role,
        member_enquiry_route=policy.member_enquiries.handling == "enquiry-route",
        escalation=_escalation(case_row, policy),
        ombudsman=tuple(
            OmbudsmanRecord(
                o.id,
                o.body,
                o.reference,
                o.enquiry_on,
                o.decision,
                o.decision_on,
                o.remedy_agreed,
                o.remedy_due,
                o.complied_on,
            )
            for o in case_row.ombudsman_cases
        ),
        default_ombudsman=OmbudsmanBody(policy.route(case_row.route).ombudsman),
        actions=tuple(
            ActionRow(
                i.id,
                i.number,
                i.action,
                i.remedy,
                i.lesson_learnt,
                i.action_due,
                i.action_completed,
            )
            for i in case_row.issues
            if i.action.strip()
        ),
        restrictions=restriction_rows,
        not_open=steps_not_open(officer, case_row, policy),
    )


# -- the desk ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportedPack:
    document: Path
    archive: Path


class ProgressDesk:
    """The lifecycle, escalation, Ombudsman, actions, restrictions and file pack services bound
    to one person (the units of work the case desk makes) and one "today"."""

    def __init__(
        self, uow: Callable[[], UnitOfWork], today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self._uow = uow
        self.today = today

    def progress(self, case_id: int) -> Progress:
        with self._uow() as uow:
            return progress_of(uow, case_id)

    def _do(self, service: Callable[..., object], *args: object, **kwargs: object) -> object:
        with self._uow() as uow:
            result = service(uow, *args, **kwargs)
            uow.commit()
            return result

    # the lifecycle
    def acknowledge(self, case_id: int, on: dt.date) -> None:
        self._do(lifecycle.acknowledge, case_id, on=on)

    def record_response_sent(
        self, case_id: int, sent_on: dt.date, method: SendMethod, outcome: Outcome | None = None
    ) -> None:
        self._do(
            lifecycle.record_response_sent, case_id, sent_on=sent_on, method=method, outcome=outcome
        )

    def extend(
        self,
        case_id: int,
        new_date: dt.date,
        reason: str,
        told_on: dt.date | None,
        told_method: ContactMethod | None,
    ) -> None:
        self._do(
            lifecycle.extend,
            case_id,
            new_date=new_date,
            reason=reason,
            told_on=told_on,
            told_method=told_method,
        )

    def suspend(self, case_id: int, start: dt.date, ground: str, details: str = "") -> None:
        self._do(lifecycle.suspend, case_id, start=start, ground=ground, details=details)

    def resume(self, case_id: int, resumed_on: dt.date) -> None:
        self._do(lifecycle.resume, case_id, resumed_on=resumed_on)

    def record_contact_attempt(
        self,
        case_id: int,
        at: dt.datetime,
        method: ContactMethod,
        result: str = "",
        answered: bool = False,
    ) -> None:
        self._do(
            lifecycle.record_contact_attempt,
            case_id,
            at=at,
            method=method,
            result=result,
            answered=answered,
        )

    def discontinue(self, case_id: int, on: dt.date) -> None:
        self._do(lifecycle.discontinue, case_id, on=on)

    def withdraw(self, case_id: int, on: dt.date, method: ContactMethod) -> bool:
        return bool(self._do(lifecycle.withdraw, case_id, on=on, method=method))

    def close_case(self, case_id: int, on: dt.date, outcome: Outcome | None = None) -> None:
        self._do(lifecycle.close_case, case_id, on=on, outcome=outcome)

    def reopen(self, case_id: int, on: dt.date, reason: str, ground: str | None = None) -> None:
        self._do(lifecycle.reopen, case_id, on=on, reason=reason, ground=ground)

    def record_member_enquiry(
        self, case_id: int, name: str, role: ReferrerRole, address: str = "", enquiry: bool = True
    ) -> None:
        self._do(
            lifecycle.record_member_enquiry,
            case_id,
            name=name,
            role=role,
            address=address,
            enquiry=enquiry,
        )

    def restrict_contact(
        self,
        case_id: int,
        chosen: Sequence[Restriction],
        reason: str,
        decided_on: dt.date,
        review_on: dt.date | None,
        details: str = "",
    ) -> None:
        self._do(
            restrictions.restrict_contact,
            case_id,
            restrictions=chosen,
            reason=reason,
            decided_on=decided_on,
            review_on=review_on,
            details=details,
        )

    def record_restriction_notified(
        self, restriction_id: int, on: dt.date, method: ContactMethod
    ) -> bool:
        return bool(
            self._do(restrictions.record_restriction_notified, restriction_id, on=on, method=method)
        )

    # stage 2
    def log_escalation_request(
        self, case_id: int, requested_on: dt.date, reason: str = ""
    ) -> escalation.EscalationRequest:
        found = self._do(
            escalation.log_escalation_request, case_id, requested_on=requested_on, reason=reason
        )
        assert isinstance(found, escalation.EscalationRequest)
        return found

    def accept_escalation(self, case_id: int, decided_on: dt.date) -> None:
        self._do(escalation.accept_escalation, case_id, decided_on=decided_on)

    def refuse_escalation(self, case_id: int, decided_on: dt.date, reasons: str) -> None:
        self._do(escalation.refuse_escalation, case_id, decided_on=decided_on, reasons=reasons)

    def record_ombudsman_enquiry(
        self, case_id: int, enquiry_on: dt.date, reference: str, body: OmbudsmanBody
    ) -> None:
        self._do(
            ombudsman.record_ombudsman_enquiry,
            case_id,
            enquiry_on=enquiry_on,
            reference=reference,
            body=body,
        )

    def record_ombudsman_decision(
        self,
        record_id: int,
        decision: str,
        decided_on: dt.date,
        remedy_agreed: str = "",
        remedy_due: dt.date | None = None,
    ) -> None:
        self._do(
            ombudsman.record_ombudsman_decision,
            record_id,
            decision=decision,
            decided_on=decided_on,
            remedy_agreed=remedy_agreed,
            remedy_due=remedy_due,
        )

    def record_remedy_complied(self, record_id: int, complied_on: dt.date) -> None:
        self._do(ombudsman.record_remedy_complied, record_id, complied_on=complied_on)

    def complete_action(self, issue_id: int, completed_on: dt.date) -> None:
        self._do(actions.complete_action, issue_id, completed_on=completed_on)

    def export_file_pack(self, case_id: int, folder: Path) -> ExportedPack:
        """Write the stage 1 file (Word) and the zip of the originals into ``folder``."""
        with self._uow() as uow:
            pack = filepack.build_file_pack(uow, case_id, generated_on=self.today())
        folder.mkdir(parents=True, exist_ok=True)
        document, archive = folder / pack.document_name, folder / pack.archive_name
        try:
            document.write_bytes(pack.document)
            archive.write_bytes(pack.archive)
        except OSError as error:
            raise UserError(
                f"the file could not be written to {folder}: {error.strerror or error}"
            ) from error
        return ExportedPack(document, archive)
