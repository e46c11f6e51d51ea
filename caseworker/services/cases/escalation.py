"""Requests to take a complaint to the next stage, and the decision on them.

* Logging a request checks it against the window the policy gives, counted from when the stage's
  response is *deemed received* (its sending date and method, by the policy's deemed-receipt
  rule). A late request is **flagged** for the decision, never refused here: the decision is a
  person's (Stoke: "we will not unreasonably refuse to escalate complaints").
* Where the next stage says ``escalation_request = "reason-required"`` (Warwickshire section 3,
  Southampton: "We ask customers to explain ... why they are requesting a stage 2 response") and
  no reason is given, the request is flagged the same way. Nowhere else is a reason asked for: the
  Complaint Handling Code says no reason may be demanded.
* The decision is due within the next stage's ``escalation_decision_days`` where the policy sets
  it (Stoke: 5 working days; Warwickshire: 10).
* Accepting moves the case to the next stage, keeps who handled stage 1 in ``stage1_officer_id``,
  takes the case off an officer who may not handle the new stage (``handler_must_differ``) and
  starts the new stage's clock from the request date, kept in ``stage_started`` so that a later
  request for the stage after (Warwickshire's children's services: three stages) leaves it
  alone. Refusing needs the reasons (Stoke: "a full explanation will be provided"); the case
  stays where it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus
from caseworker.domain.lifecycle import EscalationDecision
from caseworker.domain.refusals import BadDate, MissingInformation
from caseworker.policy.deadlines import compute_deadlines, escalation_decision_due
from caseworker.services.cases.allocation import _allocate  # in accept's own transaction
from caseworker.services.cases.records import refresh_clock, stage_received
from caseworker.services.cases.steps import Step, authorise_step, awaits_decision, next_stage
from caseworker.services.context import Context
from caseworker.storage.models import Case

__all__ = [
    "EscalationRequest",
    "PendingEscalation",
    "accept_escalation",
    "awaits_decision",
    "escalations_awaiting_decision",
    "log_escalation_request",
    "next_stage",
    "refuse_escalation",
]


@dataclass(frozen=True, slots=True)
class EscalationRequest:
    """What logging a request found."""

    requested_on: dt.date
    to_stage: int
    deemed_received: dt.date
    """When the response to the stage before counts as received."""
    escalate_by: dt.date | None
    """The last day of the window; ``None`` where the policy sets none."""
    late: bool
    reason_required: bool
    reason_missing: bool
    decide_by: dt.date | None
    """When the decision is due; ``None`` where the policy sets no time."""

    @property
    def flags(self) -> list[str]:
        """Plain words for the decision-maker."""
        found = []
        if self.late:
            found.append(
                f"asked for on {self.requested_on.isoformat()}, after the window "
                f"ended on {self.escalate_by.isoformat() if self.escalate_by else '?'}"
            )
        if self.reason_missing:
            found.append("the policy asks for the reasons and none were given")
        return found


def log_escalation_request(
    ctx: Context, case_id: int, *, requested_on: dt.date, reason: str = ""
) -> EscalationRequest:
    """Record the complainant's request for the next stage and flag what the decision must weigh."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.LOG_ESCALATION)
        stage = next_stage(policy, case_row)
        assert case_row.response_sent is not None and case_row.response_method is not None
        if requested_on < case_row.response_sent:
            raise BadDate(
                f"the request date {requested_on.isoformat()} is before the stage "
                f"{case_row.stage} response was sent ({case_row.response_sent.isoformat()})"
            )
        deadlines = compute_deadlines(
            policy,
            route=case_row.route,
            stage=case_row.stage,
            received=stage_received(case_row),
            acknowledged=case_row.acknowledged,
            response_sent=case_row.response_sent,
            sent_by=case_row.response_method,
        )
        assert deadlines.deemed_received is not None
        escalate_by = deadlines.escalate_by
        late = escalate_by is not None and requested_on > escalate_by
        reason = reason.strip()
        reason_required = stage.escalation_request == "reason-required"
        reason_missing = reason_required and not reason
        decide_by = escalation_decision_due(policy, case_row.route, stage.number, requested_on)

        if case_row.stage > 1 and case_row.stage_started is None:
            # Pin the current stage's start before the request for the next one replaces it.
            case_row.stage_started = stage_received(case_row)
        case_row.escalation_requested = requested_on
        case_row.escalation_reason = reason
        case_row.escalation_late = late
        case_row.escalation_reason_missing = reason_missing
        case_row.escalation_decide_by = decide_by
        case_row.escalation_decision = None
        case_row.escalation_decided_on = None
        case_row.escalation_refusal_reasons = ""
        uow.commit()
        return EscalationRequest(
            requested_on,
            stage.number,
            deadlines.deemed_received,
            escalate_by,
            late,
            reason_required,
            reason_missing,
            decide_by,
        )


def _decision_date(case_row: Case, decided_on: dt.date) -> None:
    requested = case_row.escalation_requested
    assert requested is not None  # a request awaits the decision: the step's precondition
    if decided_on < requested:
        raise BadDate(
            f"the decision date {decided_on.isoformat()} is before the request "
            f"({requested.isoformat()})"
        )


def accept_escalation(
    ctx: Context, case_id: int, *, decided_on: dt.date, handler_id: int | None = None
) -> None:
    """Take the case into the next stage; optionally allocate its new handler at once (in the
    same transaction: a handler who may not take it leaves the request undecided)."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.DECIDE_ESCALATION)
        _decision_date(case_row, decided_on)
        stage = next_stage(policy, case_row)
        requested = case_row.escalation_requested

        if case_row.stage == 1 and case_row.stage1_officer_id is None:
            case_row.stage1_officer_id = case_row.officer_id
        case_row.stage = stage.number
        case_row.stage_started = requested
        if stage.handler_must_differ:
            case_row.officer_id = None
        case_row.escalation_decision = EscalationDecision.ACCEPTED
        case_row.escalation_decided_on = decided_on
        case_row.status = CaseStatus.OPEN
        case_row.closed_on = None
        case_row.outcome = None
        case_row.acknowledged = None
        case_row.response_sent = None
        case_row.response_method = None
        refresh_clock(case_row, policy)
        uow.session.flush()
        if handler_id is not None and handler_id != case_row.officer_id:
            _allocate(
                uow,
                case_id,
                handler_id,
                reason=f"stage {stage.number} accepted on {decided_on.isoformat()}",
            )
        uow.commit()


def refuse_escalation(ctx: Context, case_id: int, *, decided_on: dt.date, reasons: str) -> None:
    """Refuse the request, with the full explanation the refusal letter gives."""
    with ctx.unit() as uow:
        _, case_row, _ = authorise_step(uow, case_id, Step.DECIDE_ESCALATION)
        _decision_date(case_row, decided_on)
        reasons = reasons.strip()
        if not reasons:
            raise MissingInformation(
                f"refusing to take {case_row.reference} to the next stage needs the reasons "
                f"({rules.REFUSAL_EXPLAINED})"
            )
        case_row.escalation_decision = EscalationDecision.REFUSED
        case_row.escalation_decided_on = decided_on
        case_row.escalation_refusal_reasons = reasons
        uow.commit()


@dataclass(frozen=True, slots=True)
class PendingEscalation:
    id: int
    reference: str
    stage: int
    requested_on: dt.date
    decide_by: dt.date | None
    late: bool
    reason_missing: bool


def escalations_awaiting_decision(session: Session) -> list[PendingEscalation]:
    """Requests for the next stage with no decision yet, soonest decision due first."""
    rows = session.execute(
        select(
            Case.id,
            Case.reference,
            Case.stage,
            Case.escalation_requested,
            Case.escalation_decide_by,
            Case.escalation_late,
            Case.escalation_reason_missing,
        )
        .where(
            Case.escalation_requested.is_not(None),
            Case.response_sent.is_not(None),
            Case.escalation_requested >= Case.response_sent,
            Case.escalation_decision.is_(None),
        )
        .order_by(
            Case.escalation_decide_by.is_(None),
            Case.escalation_decide_by,
            Case.escalation_requested,
            Case.reference,
        )
    )
    return [
        PendingEscalation(case_id, reference, stage, requested, decide_by, late, missing)
        for case_id, reference, stage, requested, decide_by, late, missing in rows
        if requested is not None
    ]
