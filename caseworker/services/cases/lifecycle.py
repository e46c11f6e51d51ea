"""The case lifecycle every policy describes: one function per step, each with its own checks.

Each step takes the :class:`~caseworker.services.context.Context` first, the case's id and plain
values. Inside, it opens its own unit of work, authorises the acting officer (the context's
login, the person the audit trail records), refuses through the step's one "why not"
(:func:`caseworker.services.cases.steps.why_not`, the same answer the Progress tab enables its
buttons from), checks what it was given, makes the change and commits. Steps that move a deadline
recompute the case's clock.

Refusals are :class:`caseworker.domain.refusals.Refused` subclasses naming the rule. The state a
step needs is in :mod:`~caseworker.services.cases.steps`; what is checked here is what the step is
given:

* acknowledgement and the response: dates not before the stage began;
* extension: a reason, a new date after the current one and within the policy's longest
  extension (``respond_by_latest``), and the date and way the complainant was told, in writing
  where ``extension_in_writing`` (Southampton stage 2);
* suspension for concurrent proceedings on the policy's grounds only (Warwickshire section 6);
  resumption restarts the clock;
* discontinuation only after the policy's minimum unanswered contact attempts, by different
  methods where it says so (Warwickshire section 7: three);
* withdrawal recorded, closed only once confirmed in writing where the policy says so
  (Warwickshire section 8, Stockport Appendix A);
* re-opening by a manager, with a reason, on the policy's grounds where it lists them
  (Warwickshire section 9);
* closure needs an outcome and the response sent, unless withdrawn, discontinued or refused;
* Member/MP enquiries go on the policy's enquiry route where it has one (Stockport 2.8: 10
  working days, answered to the Member/MP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseworker.domain import rules
from caseworker.domain.enums import (
    CaseStatus,
    ContactMethod,
    LetterKind,
    Outcome,
    ReferrerRole,
    RouteId,
    SendMethod,
)
from caseworker.domain.outcomes import findings_now
from caseworker.domain.refusals import (
    BadDate,
    MissingInformation,
    NotEnoughContactAttempts,
    PolicyForbids,
    WrongState,
)
from caseworker.policy.deadlines import compute_deadlines, find_stage
from caseworker.policy.schema import Policy
from caseworker.services.cases.records import refresh_clock, stage_received
from caseworker.services.cases.steps import Step, authorise_step, awaits_decision, open_suspension
from caseworker.services.context import Context
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import (
    Case,
    ContactAttempt,
    Extension,
    Letter,
    Suspension,
)

FINDINGS = frozenset({Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD})
NEEDS_RESPONSE = FINDINGS | {Outcome.SETTLED}
"""Outcomes a case closes with only once its response has been sent."""


@dataclass(frozen=True, slots=True)
class ExtensionRow:
    stage: int
    new_date: dt.date
    reason: str
    told_on: dt.date | None
    told_method: ContactMethod | None

    @classmethod
    def of(cls, e: Extension) -> ExtensionRow:
        return cls(e.stage, e.new_date, e.reason, e.complainant_told, e.told_method)


@dataclass(frozen=True, slots=True)
class SuspensionRow:
    start: dt.date
    end: dt.date | None
    """The suspension's last day; ``None`` while the clock is stopped."""
    reason: str

    @property
    def resumed_on(self) -> dt.date | None:
        """The day the clock ran again (the day after the suspension's last)."""
        return self.end + dt.timedelta(days=1) if self.end is not None else None

    @classmethod
    def of(cls, s: Suspension) -> SuspensionRow:
        return cls(s.start, s.end, s.reason)


@dataclass(frozen=True, slots=True)
class AttemptRow:
    at: dt.datetime
    method: ContactMethod
    result: str
    answered: bool
    made_by: str

    @classmethod
    def of(cls, a: ContactAttempt) -> AttemptRow:
        return cls(a.at, a.method, a.result, a.answered, a.made_by)


def _not_before_stage(case_row: Case, day: dt.date, what: str) -> None:
    start = stage_received(case_row)
    if day < start:
        raise BadDate(
            f"{what} {day.isoformat()} is before stage {case_row.stage} of "
            f"{case_row.reference} began ({start.isoformat()})"
        )


def _written(method: ContactMethod | None) -> bool:
    return method in rules.WRITTEN_METHODS


# -- acknowledgement and response -------------------------------------------------------------


def acknowledge(ctx: Context, case_id: int, *, on: dt.date) -> None:
    """Record the acknowledgement (where the clock runs from it, the response date moves)."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.ACKNOWLEDGE)
        _not_before_stage(case_row, on, "the acknowledgement date")
        case_row.acknowledged = on
        refresh_clock(case_row, policy)
        uow.commit()


def record_response_sent(
    ctx: Context,
    case_id: int,
    *,
    sent_on: dt.date,
    method: SendMethod,
    outcome: Outcome | None = None,
    despite: str = "",
) -> None:
    """Record that the stage's response left the council, how, and with which outcome. The
    response letter kept on the case is marked sent with it; one whose checks fail only with the
    officer's reason (``despite``, or the reason it was kept for), kept with the letter."""
    with ctx.unit() as uow:
        _record_response_sent(
            uow, case_id, sent_on=sent_on, method=method, outcome=outcome, despite=despite
        )
        uow.commit()


def _record_response_sent(
    uow: UnitOfWork,
    case_id: int,
    *,
    sent_on: dt.date,
    method: SendMethod,
    outcome: Outcome | None = None,
    despite: str = "",
) -> None:
    """:func:`record_response_sent` inside a caller's unit of work (a letter sent by email
    records the response in the same transaction as the message); the caller commits."""
    from caseworker.letters.sending import mark_sent_reason

    _, case_row, policy = authorise_step(uow, case_id, Step.RESPONSE_SENT)
    _not_before_stage(case_row, sent_on, "the response date")
    letter = response_letter(case_row)
    if letter is not None and letter.sent_on is None:
        # refused (LetterChecksFail) before anything changes when its checks fail unexplained
        letter.sent_despite = mark_sent_reason(letter, case_row, policy, despite)
        letter.sent_on = sent_on
        letter.sent_method = SendMethod(method)
    case_row.response_sent = sent_on
    case_row.response_method = SendMethod(method)
    if outcome is not None:
        case_row.outcome = Outcome(outcome)
    case_row.status = CaseStatus.RESPONDED


RESPONSE_LETTERS = (LetterKind.OUTCOME, LetterKind.DECISION, LetterKind.REFUSAL)
"""The letters that are a stage's response (the refusal: a complaint not taken on)."""


def response_letter(case_row: Case) -> Letter | None:
    """The latest response letter kept at the case's stage, if any."""
    letters = [
        letter
        for letter in case_row.letters
        if letter.kind in RESPONSE_LETTERS and letter.stage == case_row.stage
    ]
    return max(letters, key=lambda letter: (letter.created_at, letter.id)) if letters else None


# -- extension --------------------------------------------------------------------------------


def extend(
    ctx: Context,
    case_id: int,
    *,
    new_date: dt.date,
    reason: str,
    told_on: dt.date | None,
    told_method: ContactMethod | None,
) -> ExtensionRow:
    """Agree a later response date, within the policy's limit, telling the complainant."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.EXTEND)
        stage = find_stage(policy, case_row.route, case_row.stage)
        where = f"policy {policy.id} stage {case_row.stage}"
        reason = reason.strip()
        if not reason:
            raise MissingInformation(
                f"an extension of {case_row.reference} needs its reason ({rules.EXTENSION_REASON})"
            )
        if told_on is None or told_method is None:
            raise MissingInformation(
                f"an extension of {case_row.reference} needs the date and the way the "
                f"complainant was told ({rules.EXTENSION_REASON})"
            )
        told_method = ContactMethod(told_method)
        if stage.extension_in_writing and not _written(told_method):
            raise PolicyForbids(
                f"{where} says the complainant is told of an extension in writing "
                "(extension_in_writing; Southampton: extendable where this is notified in "
                f"writing): by {told_method.value} is not in writing"
            )
        _not_before_stage(case_row, told_on, "the date the complainant was told")
        normal = compute_deadlines(
            policy,
            route=case_row.route,
            stage=case_row.stage,
            received=stage_received(case_row),
            acknowledged=case_row.acknowledged,
            suspensions=[(s.start, s.end) for s in case_row.suspensions if s.end is not None],
        )
        current = case_row.respond_by or normal.respond_by
        if new_date <= current:
            raise BadDate(
                f"the extended date {new_date.isoformat()} is not after the response "
                f"date it replaces ({current.isoformat()})"
            )
        latest = normal.respond_by_latest
        if latest is not None and new_date > latest:
            raise PolicyForbids(
                f"the extended date {new_date.isoformat()} is after the latest {where} allows "
                f"({latest.isoformat()}: {stage.extension_days} working days after "
                f"{normal.respond_by.isoformat()})"
            )
        extension = Extension(
            stage=case_row.stage,
            new_date=new_date,
            reason=reason,
            complainant_told=told_on,
            told_method=told_method,
        )
        case_row.extensions.append(extension)
        refresh_clock(case_row, policy)
        uow.commit()
        return ExtensionRow.of(extension)


# -- suspension -------------------------------------------------------------------------------


def suspension_grounds(policy: Policy) -> list[str]:
    """The concurrent proceedings that let a case be suspended; empty where none do."""
    rule = policy.rules.suspension
    return list(rule.grounds) if rule is not None else []


def suspend(
    ctx: Context, case_id: int, *, start: dt.date, ground: str, details: str = ""
) -> SuspensionRow:
    """Stop the clock for concurrent proceedings the policy lists."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.SUSPEND)
        grounds = suspension_grounds(policy)
        chosen = next((g for g in grounds if g.casefold() == ground.strip().casefold()), None)
        if chosen is None:
            raise PolicyForbids(
                f"'{ground}' is not a ground for suspension in policy {policy.id}; its grounds "
                "are: " + "; ".join(grounds) + f" ({rules.SUSPENSION_RULE})"
            )
        _not_before_stage(case_row, start, "the suspension date")
        details = details.strip()
        suspension = Suspension(
            start=start, end=None, reason=chosen + (f": {details}" if details else "")
        )
        case_row.suspensions.append(suspension)
        case_row.status = CaseStatus.SUSPENDED
        refresh_clock(case_row, policy)
        uow.commit()
        return SuspensionRow.of(suspension)


def resume(ctx: Context, case_id: int, *, resumed_on: dt.date) -> SuspensionRow:
    """Restart the clock on ``resumed_on``: the suspension's last day is the day before."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.RESUME)
        suspension = open_suspension(case_row)
        assert suspension is not None  # the step's precondition
        if resumed_on <= suspension.start:
            raise BadDate(
                f"the resumption date {resumed_on.isoformat()} is not after the "
                f"suspension began ({suspension.start.isoformat()})"
            )
        suspension.end = resumed_on - dt.timedelta(days=1)
        case_row.status = CaseStatus.OPEN
        refresh_clock(case_row, policy)
        uow.commit()
        return SuspensionRow.of(suspension)


# -- contact attempts and discontinuation -----------------------------------------------------


def record_contact_attempt(
    ctx: Context,
    case_id: int,
    *,
    at: dt.datetime,
    method: ContactMethod,
    result: str = "",
    answered: bool = False,
) -> AttemptRow:
    """Record an attempt to reach the complainant and whether they answered."""
    with ctx.unit() as uow:
        officer, case_row, _ = authorise_step(uow, case_id, Step.CONTACT_ATTEMPT)
        if at.date() < case_row.received:
            raise BadDate(
                f"the attempt on {at.date().isoformat()} is before {case_row.reference} "
                f"was received ({case_row.received.isoformat()})"
            )
        attempt = ContactAttempt(
            at=at,
            method=ContactMethod(method),
            result=result.strip(),
            made_by=officer.name,
            answered=answered,
        )
        case_row.contact_attempts.append(attempt)
        uow.commit()
        return AttemptRow.of(attempt)


def attempts_since(case_row: Case) -> dt.date | None:
    """The day from which contact attempts count towards discontinuing (the stage's start, or
    the re-opening)."""
    starts = [
        d
        for d in (case_row.reopened_on, stage_received(case_row) if case_row.stage > 1 else None)
        if d
    ]
    return max(starts) if starts else None


def _attempts(case_row: Case) -> list[rules.Attempt]:
    return [rules.Attempt(a.at, a.method, a.answered) for a in case_row.contact_attempts]


def reachable_by(case_row: Case) -> list[str]:
    """The contact methods the case has (:data:`rules.CONTACT_KINDS`): the complainant's and any
    representative's email address, phone number and postal address, and any method an attempt
    has already used (an email sent shows an address to send it to)."""
    found = {rules.CONTACT_KINDS[a.method] for a in case_row.contact_attempts}
    for person in (case_row.complainant, case_row.representative):
        if person is None:
            continue
        for kind, detail in (
            ("email", person.email),
            ("phone", person.phone),
            ("address", person.address),
        ):
            if (detail or "").strip():
                found.add(kind)
    return sorted(found)


_METHOD_FOR_KIND = {
    "email": ContactMethod.EMAIL,
    "phone": ContactMethod.PHONE,
    "address": ContactMethod.LETTER,
}


def default_contact_method(case_row: Case) -> ContactMethod:
    """How a contact step starts out for this case: the complainant's preferred way where the
    case has the details for it (a phone number for phone), else the first way it does have, in
    the order email, phone, letter (post is always possible in the end).

    A complainant with no email address who prefers the phone is rung, not emailed.
    """
    available = reachable_by(case_row)
    person = case_row.complainant
    preferred = person.preferred_contact if person is not None else None
    if preferred is not None:
        kind = rules.CONTACT_KINDS[preferred]
        if kind in available:
            return preferred
    for kind in ("email", "phone", "address"):
        if kind in available:
            return _METHOD_FOR_KIND[kind]
    return ContactMethod.LETTER


def discontinuation_shortfall(case_row: Case, policy: Policy) -> str | None:
    """What is missing before the case may be discontinued, or None once it may be."""
    rule = policy.rules.discontinuation
    if rule is None:
        return f"policy {policy.id} has no discontinuation rule"
    return rules.discontinuation_shortfall(
        _attempts(case_row),
        minimum=rule.min_contact_attempts,
        distinct_methods=rule.distinct_methods,
        since=attempts_since(case_row),
        reachable_by=reachable_by(case_row),
    )


def methods_wanted(case_row: Case, policy: Policy) -> str:
    """The "by different methods" the rule asks of this case, for messages: all of them where
    the case has as many as the rule's count, else as many as it has."""
    rule = policy.rules.discontinuation
    if rule is None or not rule.distinct_methods:
        return ""
    has = reachable_by(case_row)
    needed = rules.methods_needed(rule.min_contact_attempts, True, has)
    if needed >= rule.min_contact_attempts:
        return " by different methods"
    if needed == 1:
        return f" (the case has one contact method: {', '.join(has) or 'none recorded'})"
    return f" by {needed} different methods (all the case has: {', '.join(has)})"


def attempts_needed(case_row: Case, policy: Policy) -> int:
    """How many more unanswered attempts (by new methods where the rule says so, as far as the
    case has them) are needed before the case may be discontinued; 0 where the policy has no
    such rule."""
    rule = policy.rules.discontinuation
    if rule is None:
        return 0
    unanswered = rules.unanswered_since_last_reply(_attempts(case_row), attempts_since(case_row))
    needed = rule.min_contact_attempts - len({a.at for a in unanswered})
    if rule.distinct_methods:
        methods = rules.methods_needed(rule.min_contact_attempts, True, reachable_by(case_row))
        used = {rules.CONTACT_KINDS[a.method] for a in unanswered}
        needed = max(needed, methods - len(used))
    return max(0, needed)


def discontinue(ctx: Context, case_id: int, *, on: dt.date) -> None:
    """A manager stops the investigation after the complainant stopped answering.

    The case closes (:func:`close_case`) once the decision has been sent, in writing where the
    policy says so.
    """
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.DISCONTINUE)
        rule = policy.rules.discontinuation
        assert rule is not None  # the step's precondition
        shortfall = discontinuation_shortfall(case_row, policy)
        if shortfall is not None:
            by_methods = " by different methods" if rule.distinct_methods else ""
            raise NotEnoughContactAttempts(
                f"{case_row.reference} has {shortfall}; policy {policy.id} needs at least "
                f"{rule.min_contact_attempts} attempts{methods_wanted(case_row, policy)} before "
                "discontinuing ("
                + rules.DISCONTINUATION_RULE.format(
                    count=rule.min_contact_attempts, by_methods=by_methods
                )
                + ")"
            )
        _not_before_stage(case_row, on, "the discontinuation date")
        case_row.discontinued_on = on
        case_row.outcome = Outcome.DISCONTINUED
        uow.commit()


# -- refusal: not taken on at stage 1 ---------------------------------------------------------


def refuse(ctx: Context, case_id: int, *, reasons: str, route: str = "") -> None:
    """A manager decides not to take the complaint on at stage 1 (one of the policy's exclusions,
    another procedure): the reasons and where it goes instead, both as the complainant will read
    them in the refusal letter. Recording it again corrects them.

    Where the policy does not give the Ombudsman with a refusal (Stockport, Warwickshire,
    Southampton), the complainant is told which procedure or body deals with it instead, so the
    route is then required: the letter would otherwise give no way forward at all."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.REFUSE)
        reasons, route = reasons.strip(), route.strip()
        if not reasons:
            raise MissingInformation(
                f"refusing {case_row.reference} needs the reasons, as the complainant will read "
                f"them ({rules.NOT_TAKEN_ON_EXPLAINED})"
            )
        if not route and not policy.rules.refusal_gives_ombudsman:
            raise MissingInformation(
                f"refusing {case_row.reference} needs where the complaint goes instead (an "
                f"appeal, another procedure or body): {policy.council_name}'s policy does not "
                f"give the Ombudsman with a refusal ({rules.NOT_TAKEN_ON_EXPLAINED})"
            )
        case_row.refusal_reasons = reasons
        case_row.refusal_route = route
        case_row.outcome = Outcome.REFUSED
        uow.commit()


# -- withdrawal -------------------------------------------------------------------------------


def withdraw(ctx: Context, case_id: int, *, on: dt.date, method: ContactMethod) -> bool:
    """Record that the complainant withdrew, and how they told us.

    Returns whether the policy wants the withdrawal confirmed in writing before the case closes
    (a withdrawal letter, sent).
    """
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.WITHDRAW)
        if on < case_row.received:
            raise BadDate(
                f"the withdrawal date {on.isoformat()} is before {case_row.reference} "
                f"was received ({case_row.received.isoformat()})"
            )
        case_row.withdrawn_on = on
        case_row.withdrawal_method = ContactMethod(method)
        case_row.outcome = Outcome.WITHDRAWN
        uow.commit()
        return policy.rules.withdrawal.confirm_in_writing


def withdrawal_unconfirmed(case_row: Case, policy: Policy) -> bool:
    """Withdrawn, not closed, and the policy's letter confirming it has not been sent yet."""
    return (
        case_row.withdrawn_on is not None
        and case_row.status != CaseStatus.CLOSED
        and policy.rules.withdrawal.confirm_in_writing
        and not _letter_sent(case_row, LetterKind.WITHDRAWAL, case_row.withdrawn_on)
    )


# -- re-opening -------------------------------------------------------------------------------


def reopening_grounds(policy: Policy) -> list[str]:
    rule = policy.rules.reopening
    return list(rule.grounds) if rule is not None else []


def reopen(
    ctx: Context, case_id: int, *, on: dt.date, reason: str, ground: str | None = None
) -> None:
    """A manager re-opens a closed (or withdrawn or discontinued) case, with a reason."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.REOPEN)
        reason = reason.strip()
        if not reason:
            raise MissingInformation(
                f"re-opening {case_row.reference} needs a reason ({rules.REOPENING_RULE})"
            )
        chosen = ""
        rule = policy.rules.reopening
        if rule is not None:
            wanted = (ground or "").strip().casefold()
            chosen = next((g for g in rule.grounds if g.casefold() == wanted), "")
            if not chosen:
                raise PolicyForbids(
                    f"policy {policy.id} re-opens a complaint only on these grounds: "
                    + "; ".join(rule.grounds)
                    + (f" ('{ground}' is not one of them)" if ground else "")
                    + f" ({rules.REOPENING_RULE})"
                )
        elif ground:
            chosen = ground.strip()
        if case_row.closed_on is not None and on < case_row.closed_on:
            raise BadDate(
                f"the re-opening date {on.isoformat()} is before {case_row.reference} "
                f"was closed ({case_row.closed_on.isoformat()})"
            )
        case_row.status = CaseStatus.OPEN
        case_row.closed_on = None
        case_row.outcome = None
        case_row.withdrawn_on = None
        case_row.withdrawal_method = None
        case_row.discontinued_on = None
        case_row.reopened_on = on
        case_row.reopening_ground = chosen
        case_row.reopening_reason = reason
        refresh_clock(case_row, policy)
        uow.commit()


# -- closure ----------------------------------------------------------------------------------


def _letter_sent(case_row: Case, kind: LetterKind, since: dt.date | None) -> bool:
    return any(
        letter.kind == kind
        and letter.sent_on is not None
        and (since is None or letter.sent_on >= since)
        for letter in case_row.letters
    )


def closure_blockers(case_row: Case, policy: Policy, outcome: Outcome | None) -> list[str]:
    """Everything that stops the case closing with ``outcome`` (its own when ``None``): weighed
    when it is closed, because it depends on the outcome chosen then."""
    found: list[str] = []
    outcome = outcome or case_row.outcome
    if open_suspension(case_row) is not None:
        found.append(f"{case_row.reference} is suspended: resume it first")
    if awaits_decision(case_row):
        found.append(
            f"a request for the next stage from "
            f"{case_row.escalation_requested.isoformat()} awaits a decision"
            if case_row.escalation_requested
            else "a request awaits a decision"
        )
    if outcome is None:
        found.append(f"closing {case_row.reference} needs an outcome ({rules.CLOSURE_RULE})")
        return found
    if outcome in NEEDS_RESPONSE and case_row.response_sent is None:
        found.append(
            f"{case_row.reference} has no stage {case_row.stage} response sent "
            f"({rules.CLOSURE_RULE})"
        )
    if outcome == Outcome.REFUSED and case_row.stage == 1 and not case_row.refusal_reasons.strip():
        # A complaint not taken on is told why and where it goes instead (the refusal letter):
        # closing it as refused without recording that would leave no letter to send.
        found.append(
            f"{case_row.reference} has no reasons recorded for not taking it on: record them "
            f"(Not taken on…) first ({rules.NOT_TAKEN_ON_EXPLAINED})"
        )
    if outcome in FINDINGS:
        # The findings that answer the complaint at this stage: the stage 2 review's own after
        # stage 1 (stage 1's do not answer a stage 2 request).
        stage_findings = findings_now(case_row.issues, case_row.stage)
        missing = [
            str(issue.number)
            for issue, finding in zip(case_row.issues, stage_findings, strict=True)
            if finding is None
        ]
        if missing:
            which = "stage 2 finding" if case_row.stage > 1 else "finding"
            found.append(
                f"issue{'s' if len(missing) > 1 else ''} {', '.join(missing)} of "
                f"{case_row.reference} ha{'ve' if len(missing) > 1 else 's'} no {which}"
            )
    if outcome == Outcome.WITHDRAWN:
        if case_row.withdrawn_on is None:
            found.append(f"{case_row.reference} has no withdrawal recorded")
        elif policy.rules.withdrawal.confirm_in_writing and not _letter_sent(
            case_row, LetterKind.WITHDRAWAL, case_row.withdrawn_on
        ):
            found.append(
                f"policy {policy.id} confirms a withdrawal in writing "
                f"(rules.withdrawal.confirm_in_writing; {rules.WITHDRAWAL_IN_WRITING}) and no "
                "withdrawal letter has been sent"
            )
    if outcome == Outcome.DISCONTINUED:
        rule = policy.rules.discontinuation
        if case_row.discontinued_on is None:
            found.append(f"{case_row.reference} has not been discontinued by a manager")
        elif (
            rule is not None
            and rule.in_writing
            and not _letter_sent(case_row, LetterKind.DISCONTINUATION, case_row.discontinued_on)
        ):
            found.append(
                f"policy {policy.id} sends the decision to discontinue in writing "
                f"(rules.discontinuation.in_writing; {rules.DISCONTINUATION_IN_WRITING}) and no "
                "discontinuation letter has been sent"
            )
    return found


def closure_warnings(case_row: Case, policy: Policy | None = None) -> list[str]:
    """What does not stop the case closing but is worth a second look first (the app asks
    before closing): actions agreed on a point and not yet completed, and (given the case's
    ``policy``) the latest response letter at this stage failing the letter checks."""
    warnings = [
        f"the action on issue {issue.number} ({issue.action.strip()}) is not completed"
        for issue in case_row.issues
        if issue.action.strip() and issue.action_completed is None
    ]
    if policy is not None and (failing := response_letter_gaps(case_row, policy)):
        warnings.append("the response letter fails its checks: " + "; ".join(failing))
    return warnings


def response_letter_gaps(case_row: Case, policy: Policy) -> list[str]:
    """The letter checks' gaps in the latest response letter saved at the case's stage (none
    when no response letter was saved, or its draft was not kept)."""
    from caseworker.letters.sending import kept_letter_gaps

    letter = response_letter(case_row)
    return kept_letter_gaps(letter, case_row, policy) if letter is not None else []


def close_case(ctx: Context, case_id: int, *, on: dt.date, outcome: Outcome | None = None) -> None:
    """Close the case with its outcome (or ``outcome``), once nothing stands in the way."""
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.CLOSE)
        outcome = Outcome(outcome) if outcome is not None else None
        blockers = closure_blockers(case_row, policy, outcome)
        if blockers:
            raise WrongState(blockers[0])
        if on < case_row.received:
            raise BadDate(
                f"the closure date {on.isoformat()} is before {case_row.reference} was "
                f"received ({case_row.received.isoformat()})"
            )
        case_row.outcome = outcome or case_row.outcome
        case_row.status = CaseStatus.CLOSED
        case_row.closed_on = on
        uow.commit()


# -- Member/MP enquiries ----------------------------------------------------------------------


def record_member_enquiry(
    ctx: Context,
    case_id: int,
    *,
    name: str,
    role: ReferrerRole,
    address: str = "",
    enquiry: bool = True,
    route: RouteId = RouteId.CORPORATE,
) -> None:
    """Record the councillor or MP who wrote for the complainant.

    ``enquiry=True``: an enquiry, on the policy's Member/MP enquiry route (Stockport 2.8: 10
    working days, the reply goes to the Member/MP); refused where the policy has no such route.
    ``enquiry=False``: a formal complaint made through the Member/MP; a case on the enquiry route
    moves to ``route`` and its complaint clock.
    """
    with ctx.unit() as uow:
        _, case_row, policy = authorise_step(uow, case_id, Step.MEMBER_ENQUIRY)
        name = name.strip()
        if not name:
            raise MissingInformation("a Member/MP enquiry needs the Member's or MP's name")
        if enquiry:
            handling = policy.member_enquiries.handling
            if handling != "enquiry-route":
                raise PolicyForbids(
                    f"policy {policy.id} has no Member/MP enquiry route (member_enquiries."
                    f"handling = '{handling}'): record it as a complaint"
                )
            if case_row.stage != 1 or case_row.response_sent is not None:
                raise WrongState(
                    f"{case_row.reference} is past its first response: an enquiry "
                    "can only be recorded at the start"
                )
            new_route = RouteId.MEMBER_ENQUIRY
        else:
            new_route = (
                RouteId(route) if case_row.route == RouteId.MEMBER_ENQUIRY else case_row.route
            )
            find_stage(policy, new_route, case_row.stage)  # a UserError naming a missing route
        case_row.referrer_name = name
        case_row.referrer_role = ReferrerRole(role)
        case_row.referrer_address = address.strip()
        case_row.route = new_route
        refresh_clock(case_row, policy)
        uow.commit()
