"""Each step a person takes on a case's lifecycle and stage 2, and the one answer to "why not?".

A step needs two things: the acting officer's right to it (:data:`PERMISSION`, checked by
:func:`caseworker.services.permissions.check`) and the case in a state where it makes sense (its
*precondition*, below). :func:`why_not` answers both, in that order, with the refusal the rule
gives (a :class:`~caseworker.domain.refusals.Refused` subclass naming the rule) or ``None``.

The same answer is used twice and written once:

* each step function (:mod:`~caseworker.services.cases.lifecycle`,
  :mod:`~caseworker.services.cases.escalation`, :mod:`~caseworker.services.cases.ombudsman`,
  :mod:`~caseworker.services.cases.actions`, :mod:`~caseworker.services.cases.restrictions`,
  :mod:`~caseworker.services.records.filepack`) raises it (:func:`refuse_if`) before it changes
  anything;
* :func:`steps_not_open` gives it, for every step, to the Progress and Next stage tabs
  (``Progress.not_open``), which enable a step's button only where it is ``None`` and otherwise
  show the refusal's words.

What a step is *given* (a date, a reason, a ground, the outcome a case closes with, the count of
contact attempts weighed when discontinuing) is checked by the step itself when it is taken, and
refused in the rule's words the same way.

Some steps act on one record of the case (an Ombudsman enquiry, an issue's action, a contact
restriction). Their precondition looks at the case (is there anything to do it to?) and, given
the record, at that record too.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.domain.refusals import (
    MissingInformation,
    PolicyForbids,
    Refused,
    WrongState,
)
from caseworker.errors import UserError
from caseworker.policy.deadlines import find_stage
from caseworker.policy.schema import Policy, Stage
from caseworker.services.permissions import Action, authorise, check, policy_of
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import (
    Case,
    ContactRestriction,
    Issue,
    Officer,
    OmbudsmanCase,
    Suspension,
)


class Step(StrEnum):
    """Each thing a person does to move a case through its lifecycle and stage 2."""

    ACKNOWLEDGE = "acknowledge"
    RESPONSE_SENT = "response-sent"
    EXTEND = "extend"
    SUSPEND = "suspend"
    RESUME = "resume"
    CONTACT_ATTEMPT = "contact-attempt"
    DISCONTINUE = "discontinue"
    REFUSE = "refuse"
    """Not take the complaint on at stage 1 (an exclusion, another procedure), with reasons."""
    WITHDRAW = "withdraw"
    CLOSE = "close"
    REOPEN = "reopen"
    MEMBER_ENQUIRY = "member-enquiry"
    RESTRICT_CONTACT = "restrict-contact"
    RESTRICTION_NOTIFIED = "restriction-notified"
    REVIEW_RESTRICTION = "review-restriction"
    LOG_ESCALATION = "log-escalation"
    DECIDE_ESCALATION = "decide-escalation"
    OMBUDSMAN = "ombudsman"
    """Record the Ombudsman's enquiry."""
    OMBUDSMAN_DECISION = "ombudsman-decision"
    REMEDY_COMPLIED = "remedy-complied"
    SET_ACTION = "set-action"
    """Set (or clear) what will be done about an issue, while the case is handled."""
    COMPLETE_ACTION = "complete-action"
    REOPEN_ACTION = "reopen-action"
    """Take back an action's completion recorded by mistake."""
    EXPORT_FILE = "export-file"
    STAGE2_FINDING = "stage2-finding"
    """Record the stage 2 review's own finding on a point of the complaint."""


PERMISSION: dict[Step, Action] = {
    Step.ACKNOWLEDGE: Action.WORK,
    Step.RESPONSE_SENT: Action.WORK,
    Step.EXTEND: Action.WORK,
    Step.SUSPEND: Action.MANAGE,
    Step.RESUME: Action.MANAGE,
    Step.CONTACT_ATTEMPT: Action.WORK,
    Step.DISCONTINUE: Action.MANAGE,
    Step.REFUSE: Action.MANAGE,
    Step.WITHDRAW: Action.WORK,
    Step.CLOSE: Action.WORK,
    Step.REOPEN: Action.REOPEN,
    Step.MEMBER_ENQUIRY: Action.WORK,
    Step.RESTRICT_CONTACT: Action.RESTRICT_CONTACT,
    Step.RESTRICTION_NOTIFIED: Action.RESTRICT_CONTACT,
    Step.REVIEW_RESTRICTION: Action.RESTRICT_CONTACT,
    Step.LOG_ESCALATION: Action.LOG_ESCALATION,
    Step.DECIDE_ESCALATION: Action.DECIDE_ESCALATION,
    Step.OMBUDSMAN: Action.OMBUDSMAN,
    Step.OMBUDSMAN_DECISION: Action.OMBUDSMAN,
    Step.REMEDY_COMPLIED: Action.OMBUDSMAN,
    Step.SET_ACTION: Action.WORK,
    Step.COMPLETE_ACTION: Action.TRACK_ACTIONS,
    Step.REOPEN_ACTION: Action.TRACK_ACTIONS,
    Step.EXPORT_FILE: Action.REVIEW_FILE,
    Step.STAGE2_FINDING: Action.REVIEW_POINTS,
}
"""The right each step needs (see :mod:`caseworker.services.permissions`)."""


# -- what the case's state says, read the same way by every step ------------------------------


def open_suspension(case_row: Case) -> Suspension | None:
    """The suspension still running (its clock stopped), if any."""
    return next((s for s in case_row.suspensions if s.end is None), None)


def ended(case_row: Case) -> bool:
    """Withdrawn or discontinued (it may still be open, waiting for the letter)."""
    return case_row.outcome in (Outcome.WITHDRAWN, Outcome.DISCONTINUED)


def awaits_decision(case_row: Case) -> bool:
    """A request for the next stage is logged and not yet decided.

    A request is logged after the current stage's response, so an ``escalation_requested`` date
    before it (or with no response) is the date the current stage began, not a request.
    """
    requested, sent = case_row.escalation_requested, case_row.response_sent
    return (
        requested is not None
        and sent is not None
        and requested >= sent
        and case_row.escalation_decision is None
    )


def next_stage(policy: Policy, case_row: Case) -> Stage:
    """The stage after the case's current one, or :class:`WrongState` naming the last stage."""
    stage, last = _next_stage(policy, case_row)
    if last is not None:
        raise last
    assert stage is not None
    return stage


def _next_stage(policy: Policy, case_row: Case) -> tuple[Stage | None, WrongState | None]:
    try:
        return find_stage(policy, case_row.route, case_row.stage + 1), None
    except UserError:
        return None, WrongState(
            f"{case_row.reference} is at stage {case_row.stage}, the last stage of the "
            f"{case_row.route.value} route in policy {policy.id}: a complainant still "
            "dissatisfied goes to the Ombudsman"
        )


def _suspended(case_row: Case, doing: str) -> WrongState | None:
    suspension = open_suspension(case_row)
    if suspension is None:
        return None
    return WrongState(
        f"{case_row.reference} has been suspended since "
        f"{suspension.start.isoformat()}: resume it before {doing}"
    )


def _already_ended(case_row: Case) -> WrongState | None:
    if ended(case_row):
        assert case_row.outcome is not None
        return WrongState(f"{case_row.reference} is already {case_row.outcome.value}")
    return None


def _response_sent(case_row: Case, then: str) -> WrongState | None:
    if case_row.response_sent is None:
        return None
    return WrongState(
        f"the stage {case_row.stage} response to {case_row.reference} was sent on "
        f"{case_row.response_sent.isoformat()}: {then}"
    )


# -- each step's precondition -----------------------------------------------------------------
#
# Each takes the case, its policy and (for a step on one record) the record or ``None``, and
# returns the refusal or ``None``. A step with no precondition is not listed.


def _acknowledge(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if case_row.acknowledged is not None:
        return WrongState(
            f"{case_row.reference} was already acknowledged on {case_row.acknowledged.isoformat()}"
        )
    return None


def _response(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    return _response_sent(case_row, "it is recorded already") or _suspended(
        case_row, "sending the response"
    )


def _extend(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    stage = find_stage(policy, case_row.route, case_row.stage)
    if stage.extension_days == 0:
        return PolicyForbids(
            f"policy {policy.id} stage {case_row.stage} allows no extension (extension_days = 0)"
        )
    return _response_sent(case_row, "nothing to extend") or _suspended(case_row, "extending it")


def _suspend(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if policy.rules.suspension is None:
        return PolicyForbids(
            f"policy {policy.id} has no suspension rule (rules.suspension): "
            f"its clock cannot be stopped ({rules.SUSPENSION_RULE})"
        )
    found = _suspended(case_row, "suspending it again")
    if found is None and case_row.response_sent is not None:
        found = WrongState(
            f"the stage {case_row.stage} response to {case_row.reference} was "
            "already sent: there is no investigation to suspend"
        )
    return found


def _resume(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if open_suspension(case_row) is None:
        return WrongState(f"{case_row.reference} is not suspended")
    return None


def _discontinue(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if policy.rules.discontinuation is None:
        return PolicyForbids(
            f"policy {policy.id} has no discontinuation rule "
            "(rules.discontinuation): a complaint cannot be discontinued under it"
        )
    return _already_ended(case_row)


def _withdraw(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    return _already_ended(case_row)


def _refuse(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if case_row.stage != 1:
        return WrongState(
            f"{case_row.reference} is at stage {case_row.stage}: a complaint is refused at "
            "stage 1; a request for a later stage is refused on the Next stage tab"
        )
    if case_row.outcome is not None and case_row.outcome != Outcome.REFUSED:
        return WrongState(f"{case_row.reference} is already {case_row.outcome.value}")
    return _response_sent(case_row, "it was taken on") or _suspended(case_row, "refusing it")


def _reopen(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if case_row.status != CaseStatus.CLOSED and not ended(case_row):
        return WrongState(
            f"{case_row.reference} is not closed, withdrawn or discontinued: "
            "there is nothing to re-open"
        )
    return None


def _restrict(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if policy.rules.contact_restrictions is None:
        return PolicyForbids(
            f"policy {policy.id} sets no unreasonable-behaviour contact restrictions "
            "(rules.contact_restrictions): they are decided under the council's separate policy"
        )
    if case_row.complainant_id is None:
        return WrongState(f"{case_row.reference} has no complainant to restrict")
    return None


def restriction_in_force(restriction: ContactRestriction) -> Refused | None:
    """A restriction is notified and reviewed while it is in force (also when its case is gone)."""
    if restriction.ended_on is not None:
        return WrongState(f"the restriction ended on {restriction.ended_on.isoformat()}")
    return None


def _restriction(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    return restriction_in_force(record) if record is not None else None


def _log_escalation(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    stage, last = _next_stage(policy, case_row)
    if last is not None:
        return last
    assert stage is not None
    if awaits_decision(case_row):
        assert case_row.escalation_requested is not None
        return WrongState(
            f"{case_row.reference} already has a request for stage {stage.number} from "
            f"{case_row.escalation_requested.isoformat()} waiting for a decision"
        )
    if case_row.response_sent is None:
        return WrongState(
            f"{case_row.reference} has no stage {case_row.stage} response sent yet "
            f"({rules.COMPLETED_STAGE_FIRST})"
        )
    if case_row.response_method is None:
        return MissingInformation(
            f"how the stage {case_row.stage} response to {case_row.reference} was sent is not "
            "recorded: it decides when the response was deemed received"
        )
    return None


def _decide_escalation(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if not awaits_decision(case_row):
        return WrongState(
            f"{case_row.reference} has no request for the next stage waiting for a decision"
        )
    return None


def _ombudsman_decision(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if not case_row.ombudsman_cases:
        return WrongState(f"no Ombudsman enquiry is recorded on {case_row.reference}")
    return None


def _remedy_to_comply(involvement: OmbudsmanCase) -> Refused | None:
    if involvement.decision_on is None or not involvement.remedy_agreed:
        return WrongState("no remedy has been agreed with the Ombudsman to comply with")
    if involvement.complied_on is not None:
        return WrongState(f"the remedy was complied with on {involvement.complied_on.isoformat()}")
    return None


def _remedy_complied(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    agreed = [o for o in case_row.ombudsman_cases if o.decision_on is not None and o.remedy_agreed]
    if not agreed:
        return WrongState("no remedy has been agreed with the Ombudsman to comply with")
    if all(o.complied_on is not None for o in agreed):
        return WrongState(
            f"every remedy agreed with the Ombudsman on {case_row.reference} was complied with"
        )
    return _remedy_to_comply(record) if record is not None else None


def _action_to_complete(case_row: Case, issue: Issue) -> Refused | None:
    if not issue.action.strip():
        return WrongState(f"issue {issue.number} of {case_row.reference} has no action to complete")
    if issue.action_completed is not None:
        return WrongState(
            f"the action on issue {issue.number} of {case_row.reference} was "
            f"completed on {issue.action_completed.isoformat()}"
        )
    return None


def _complete_action(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    promised = [issue for issue in case_row.issues if issue.action.strip()]
    if not promised:
        return WrongState(f"{case_row.reference} has no action to complete")
    if all(issue.action_completed is not None for issue in promised):
        return WrongState(f"every action on {case_row.reference} has been completed")
    return _action_to_complete(case_row, record) if record is not None else None


def _stage2_finding(case_row: Case, policy: Policy, record: Any) -> Refused | None:
    if case_row.stage != 2:
        return WrongState(
            f"{case_row.reference} is at stage {case_row.stage}: stage 2 findings are recorded "
            "once the request for stage 2 has been accepted"
            if case_row.stage < 2
            else f"{case_row.reference} is at stage {case_row.stage}: its stage 2 findings are "
            "kept as they were sent"
        )
    if not case_row.issues:
        return WrongState(
            f"{case_row.reference} has no points to review: add the complainant's points first"
        )
    return _response_sent(case_row, "its findings are kept as they were sent")


_PRECONDITIONS: dict[Step, Callable[[Case, Policy, Any], Refused | None]] = {
    Step.ACKNOWLEDGE: _acknowledge,
    Step.RESPONSE_SENT: _response,
    Step.EXTEND: _extend,
    Step.SUSPEND: _suspend,
    Step.RESUME: _resume,
    Step.DISCONTINUE: _discontinue,
    Step.WITHDRAW: _withdraw,
    Step.REFUSE: _refuse,
    Step.REOPEN: _reopen,
    Step.RESTRICT_CONTACT: _restrict,
    Step.RESTRICTION_NOTIFIED: _restriction,
    Step.REVIEW_RESTRICTION: _restriction,
    Step.LOG_ESCALATION: _log_escalation,
    Step.DECIDE_ESCALATION: _decide_escalation,
    Step.OMBUDSMAN_DECISION: _ombudsman_decision,
    Step.REMEDY_COMPLIED: _remedy_complied,
    Step.COMPLETE_ACTION: _complete_action,
    Step.STAGE2_FINDING: _stage2_finding,
}
"""Steps with a precondition on the case's state; the others apply whenever the officer may."""


# -- the one "why not" ------------------------------------------------------------------------


def why_not(
    step: Step, officer: Officer, case_row: Case, policy: Policy, record: Any = None
) -> Refused | None:
    """Why ``officer`` may not take ``step`` on the case (and ``record`` of it) now; ``None`` if
    they may. The officer's right first, then the case's state."""
    try:
        check(officer, PERMISSION[step], case_row)
    except Refused as refusal:
        return refusal
    precondition = _PRECONDITIONS.get(step)
    return precondition(case_row, policy, record) if precondition is not None else None


def authorise_step(
    uow: UnitOfWork, case_id: int, step: Step, record: Any = None
) -> tuple[Officer, Case, Policy]:
    """The acting officer, the case and its policy, once :func:`why_not` has nothing against
    ``step`` (else its refusal, raised before anything changes)."""
    officer, case_row = authorise(uow, case_id, PERMISSION[step])
    policy = policy_of(case_row)
    refuse_if(why_not(step, officer, case_row, policy, record))
    return officer, case_row, policy


def refuse_if(refusal: Refused | None) -> None:
    """Raise the refusal :func:`why_not` gave, if it gave one."""
    if refusal is not None:
        raise refusal


def words(refusal: Refused) -> str:
    """The refusal's message without its leading "Refused: " (as a disabled control says it)."""
    return str(refusal).removeprefix("Refused: ")


def steps_not_open(officer: Officer, case_row: Case, policy: Policy) -> dict[Step, str]:
    """For each step that does not apply to the case now, why not (the step's own refusal)."""
    found: dict[Step, str] = {}
    for step in Step:
        refusal = why_not(step, officer, case_row, policy)
        if refusal is not None:
            found[step] = words(refusal)
    return found
