"""Home visits: the risk assessment, a manager's sign-off, and booking the visit.

Stockport 1.8 and Appendix A ("Meeting with complainants"): meet in public meeting rooms or
advice centres where possible; where a home visit is needed, always carry out a risk assessment
and consider having a colleague come too. The rules here:

* the assessment covers previous contact and known risks, the location, lone working, the
  colleague attending, how the visiting officer can be reached and whom they call if concerned,
  and ends in a decision (:class:`~caseworker.domain.enums.RiskDecision`);
* it is signed off by a manager (a line manager or complaints manager) who did not write it, and
  only once every question is answered;
* a visit is booked only on a signed-off assessment whose decision is to visit; anything else is
  refused with the reason, so the officer knows what to do next;
* changing a signed-off assessment withdraws the sign-off and any booking: what the manager
  approved is no longer what the assessment says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from caseworker.domain.enums import RiskDecision, Role
from caseworker.domain.refusals import (
    BadDate,
    MissingInformation,
    NotAnOfficer,
    NotPermitted,
    Refused,
    WrongState,
)
from caseworker.policy.schema import Policy
from caseworker.services.context import Context
from caseworker.services.permissions import Action, authorise, check
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Officer, RiskAssessment, utcnow


@dataclass(frozen=True)
class Question:
    key: str
    text: str


CHECKLIST = (
    Question(
        "previous_contact",
        "Previous contact: earlier complaints, council records and any "
        "warning markers on the person or the address",
    ),
    Question(
        "location", "The location: the address, getting there and away, parking, mobile signal"
    ),
    Question(
        "lone_working",
        "Lone working: who knows where you are, and when you will check in after the visit",
    ),
)
"""The questions answered in words (stored in ``answers``); the other items have columns."""

FIELDS = frozenset(
    {
        "address",
        "answers",
        "known_risks",
        "colleague_attending",
        "means_of_contact",
        "call_if_concerned",
        "decision",
    }
)

DECISION_LABELS = {
    RiskDecision.PROCEED: "Visit",
    RiskDecision.PROCEED_WITH_COLLEAGUE: "Visit with a colleague",
    RiskDecision.MEET_ELSEWHERE: "Meet somewhere else (a public meeting room)",
    RiskDecision.DO_NOT_VISIT: "Do not visit",
}

MANAGERS = (Role.LINE_MANAGER, Role.COMPLAINTS_MANAGER)

WHO_SIGNS_OFF = (
    "a line manager or the complaints manager (not the person who wrote it) signs it off once "
    "every question is answered"
)
"""Who signs a risk assessment off, and when (what :func:`approve_assessment` enforces)."""


def rule_text(policy: Policy | None) -> str:
    """Where the rule comes from, for the end of a refusal."""
    if policy is not None and policy.rules.home_visit_risk_assessment:
        return f"{policy.council_name}: a risk assessment before any home visit"
    return "a home visit is booked only on a risk assessment a manager has signed off"


def assessment_gaps(
    *,
    address: str,
    answers: dict[str, Any],
    known_risks: str,
    colleague_attending: str,
    means_of_contact: str,
    call_if_concerned: str,
    decision: RiskDecision | None,
) -> list[str]:
    """What the assessment still needs before a manager can sign it off, in form order."""
    gaps = []
    if not address.strip():
        gaps.append("The address to be visited.")
    for question in CHECKLIST:
        if not str(answers.get(question.key) or "").strip():
            gaps.append(f"Answer: {question.text}.")
    if not known_risks.strip():
        gaps.append("Known risks: list them, or write 'None known'.")
    if not means_of_contact.strip():
        gaps.append("How you can be reached during the visit.")
    if not call_if_concerned.strip():
        gaps.append("Who to call if there is a concern (a name and a number).")
    if decision is None:
        gaps.append("The decision: visit, visit with a colleague, meet elsewhere or do not visit.")
    elif decision == RiskDecision.PROCEED_WITH_COLLEAGUE and not colleague_attending.strip():
        gaps.append("Name the colleague who is coming on the visit.")
    return gaps


def gaps_of(assessment: RiskAssessment) -> list[str]:
    return assessment_gaps(
        address=assessment.address,
        answers=assessment.answers or {},
        known_risks=assessment.known_risks,
        colleague_attending=assessment.colleague_attending,
        means_of_contact=assessment.means_of_contact,
        call_if_concerned=assessment.call_if_concerned,
        decision=assessment.decision,
    )


def _assessment(uow: UnitOfWork, assessment_id: int) -> RiskAssessment:
    assessment = uow.session.get(RiskAssessment, assessment_id)
    if assessment is None:
        raise Refused(f"there is no risk assessment with id {assessment_id}")
    return assessment


def _working(uow: UnitOfWork, assessment_id: int) -> RiskAssessment:
    """The assessment, once the person at the keyboard may work on its case."""
    assessment = _assessment(uow, assessment_id)
    authorise(uow, assessment.case_id, Action.WORK)
    return assessment


def start_assessment(ctx: Context, case_id: int) -> int:
    """A new, blank risk assessment for a visit on this case (the complainant's address filled
    in); its id. The person at the keyboard is its assessor."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.WORK)
        address = ""
        if case.complainant is not None:
            address = "\n".join(
                p for p in (case.complainant.address, case.complainant.postcode) if p
            )
        assessment = RiskAssessment(
            case_id=case.id, address=address, answers={}, assessed_by=uow.actor
        )
        uow.session.add(assessment)
        uow.commit()
        return assessment.id


def update_assessment(ctx: Context, assessment_id: int, **changes: Any) -> bool:
    """Change the assessment's answers; True when that withdrew a manager's sign-off (and any
    visit booked on it)."""
    unknown = set(changes) - FIELDS
    if unknown:
        raise ValueError(f"risk assessments have no field {', '.join(sorted(unknown))}")
    with ctx.unit() as uow:
        assessment = _working(uow, assessment_id)
        if "decision" in changes and changes["decision"] is not None:
            changes["decision"] = RiskDecision(changes["decision"])
        if "answers" in changes:
            changes["answers"] = {**(assessment.answers or {}), **changes["answers"]}
        changed = {
            name: value for name, value in changes.items() if getattr(assessment, name) != value
        }
        if not changed:
            return False
        for name, value in changed.items():
            setattr(assessment, name, value)
        withdrawn = bool(assessment.approved_by)
        if withdrawn:
            assessment.approved_by = ""
            assessment.approved_at = None
            assessment.visit_on = None
        uow.commit()
        return withdrawn


def _officer(uow: UnitOfWork) -> Officer:
    officer = uow.session.execute(
        select(Officer).where(Officer.login == uow.actor)
    ).scalar_one_or_none()
    if officer is None or not officer.active:
        raise NotAnOfficer(
            f"the login '{uow.actor}' is not linked to an active officer record, "
            "so it cannot sign off a risk assessment"
        )
    return officer


def _someone_else_signs(uow: UnitOfWork, writer: Officer, case: Case) -> str:
    """Why the assessment's own writer may not sign it off, and who can: a database with no
    other manager for the case (one person on their own) is told how to get one, not left at a
    dead end."""
    others = [
        o.name
        for o in uow.session.scalars(
            select(Officer).where(Officer.active.is_(True), Officer.id != writer.id)
        )
        if o.role in MANAGERS and _may_manage(o, case)
    ]
    if others:
        return (
            f"{writer.name} wrote this risk assessment: another manager signs it off "
            f"(who can: {', '.join(sorted(others))})"
        )
    return (
        f"{writer.name} wrote this risk assessment and nobody else on this database can sign it "
        f"off: a second person must check it. Add a colleague who can (a line manager for "
        f"{case.service_area} or a complaints manager) under Manage > Officers in the app or with "
        f"`caseworker officers add`, and ask them to sign it off"
    )


def _may_manage(officer: Officer, case: Case) -> bool:
    try:
        check(officer, Action.MANAGE, case)
    except Refused:
        return False
    return True


def approve_assessment(ctx: Context, assessment_id: int) -> str:
    """A manager signs the assessment off; the manager's name. Refused while anything is
    unanswered, for anyone but a line manager or complaints manager (of the case's service), and
    for its own assessor."""
    with ctx.unit() as uow:
        assessment = _assessment(uow, assessment_id)
        case = uow.session.get(Case, assessment.case_id)
        assert case is not None
        officer = _officer(uow)
        policy = _policy_or_none(ctx, case)
        if officer.role not in MANAGERS:
            raise NotPermitted(
                f"{officer.name} is not a manager: a line manager or the complaints "
                f"manager signs off a risk assessment ({rule_text(policy)})"
            )
        check(officer, Action.MANAGE, case)  # a line manager signs off their own service's visits
        gaps = gaps_of(assessment)
        if gaps:
            raise MissingInformation(
                "the risk assessment cannot be signed off yet; it still needs: " + " ".join(gaps)
            )
        if assessment.assessed_by and assessment.assessed_by in (uow.actor, officer.name):
            raise NotPermitted(_someone_else_signs(uow, officer, case))
        assessment.approved_by = officer.name
        assessment.approved_at = utcnow()
        uow.commit()
        return officer.name


def _policy_or_none(ctx: Context, case: Case) -> Policy | None:
    try:
        return ctx.policy(case.policy_id)
    except Exception:  # a policy file removed since: the general rule's words are used
        return None


def current_assessment(uow: UnitOfWork, case_id: int) -> RiskAssessment | None:
    """The case's latest risk assessment, if any."""
    return uow.session.execute(
        select(RiskAssessment)
        .where(RiskAssessment.case_id == case_id)
        .order_by(RiskAssessment.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def booking_blocked(assessment: RiskAssessment | None, policy: Policy | None) -> str | None:
    """Why a visit cannot be booked on this assessment, or None if it can."""
    rule = rule_text(policy)
    if assessment is None:
        return (
            f"There is no risk assessment for this case: complete one and have a manager "
            f"sign it off before a home visit is booked ({rule})."
        )
    gaps = gaps_of(assessment)
    if gaps:
        return (
            "The risk assessment is not complete, so no visit can be booked yet. It still "
            f"needs: {' '.join(gaps)} ({rule})."
        )
    if not assessment.approved_by:
        return (
            "The risk assessment has not been signed off by a manager, so no visit can be "
            f"booked yet ({rule})."
        )
    if assessment.decision == RiskDecision.DO_NOT_VISIT:
        return "The risk assessment decided not to visit: contact the complainant another way."
    if assessment.decision == RiskDecision.MEET_ELSEWHERE:
        return (
            "The risk assessment decided to meet somewhere else: book a public meeting "
            "room or a local advice centre instead (Stockport Appendix A)."
        )
    return None


def why_not_book(ctx: Context, case_id: int) -> str | None:
    """Why no visit can be booked on the case now (:func:`booking_blocked`), read again: the
    Home visit tab asks after each saved answer, so what it says is still needed shrinks as the
    questions are answered."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.VIEW)
        return booking_blocked(current_assessment(uow, case_id), _policy_or_none(ctx, case))


def book_visit(ctx: Context, case_id: int, on: dt.date) -> int:
    """Book a home visit on ``on`` against the case's signed-off risk assessment; its id.
    Refused, with what to do instead (:func:`booking_blocked`, the answer the Home visit tab
    shows before the officer tries), without one."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.WORK)
        assessment = current_assessment(uow, case_id)
        reason = booking_blocked(assessment, _policy_or_none(ctx, case))
        if reason is not None:
            raise WrongState(reason)
        assert assessment is not None
        if on < ctx.today():
            raise BadDate(f"the visit date {on.isoformat()} is in the past")
        assessment.visit_on = on
        uow.commit()
        return assessment.id
