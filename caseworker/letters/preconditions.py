"""The right letter or none: whether a case can have a letter of a kind yet, and if not, why.

:func:`why_not` is the one answer for the ``caseworker letter`` command (refused with the reason),
the builder (which will not draft a letter that should not exist) and the app (the kind is shown
but cannot be chosen, with the reason beside it).
"""

from __future__ import annotations

from caseworker.domain.enums import ContactMethod, LetterKind, Outcome, RouteId
from caseworker.letters.text import clean
from caseworker.policy.schema import Policy
from caseworker.storage.models import Case, Interview

OUTCOME_WORDS = {
    Outcome.UPHELD: "upheld",
    Outcome.PARTIALLY_UPHELD: "partially upheld",
    Outcome.NOT_UPHELD: "not upheld",
    Outcome.WITHDRAWN: "withdrawn",
    Outcome.SETTLED: "settled",
    Outcome.DISCONTINUED: "discontinued",
    Outcome.REFUSED: "refused",
}


def a_letter(kind: LetterKind) -> str:
    """'an outcome letter', 'a withdrawal letter', 'a member-reply letter'."""
    return f"{'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value} letter"


def why_not(
    case: Case,
    policy: Policy,
    kind: LetterKind,
    stage: int | None = None,
    *,
    interview: Interview | None = None,
) -> str:
    """Why ``case`` cannot have ``kind`` letter (at ``stage``, default its own) now; empty when
    it can."""
    from caseworker.letters.builder import letter_stage, meeting_with_complainant

    number = letter_stage(case, kind, stage)
    route = policy.route(case.route)
    ref = case.reference
    if not 1 <= number <= len(route.stages):
        stages = len(route.stages)
        return (
            f"the {route.name} route of policy {policy.id} has {stages} "
            f"stage{'s' if stages != 1 else ''}: there is no stage {number}"
        )
    if case.complainant is None or not clean(case.complainant.name).strip():
        return f"case {ref} has no named complainant to write to"
    outcome = case.outcome
    said = OUTCOME_WORDS.get(outcome, "") if outcome else ""
    if kind == LetterKind.MEMBER_REPLY:
        if not clean(case.referrer_name).strip():
            return (
                f"case {ref} records no councillor or MP: a reply to a Member/MP enquiry "
                "goes to the Member/MP who raised it"
            )
        return ""
    if kind in (LetterKind.OUTCOME, LetterKind.DECISION):
        if kind == LetterKind.DECISION and number == 1:
            return (
                "a decision letter answers a later stage; at stage 1 use the outcome letter "
                "(--kind outcome)"
            )
        if kind == LetterKind.OUTCOME and number > 1:
            return f"an outcome letter answers stage 1; at stage {number} use the decision letter"
        if route.id == RouteId.MEMBER_ENQUIRY:
            return "a Member/MP enquiry is answered by the reply to the Member/MP (member-reply)"
        if outcome == Outcome.WITHDRAWN:
            return f"case {ref} was withdrawn: send the withdrawal letter"
        if outcome == Outcome.DISCONTINUED:
            return f"case {ref} was discontinued: send the discontinuation letter"
        if outcome == Outcome.REFUSED and number == 1:
            return (
                f"case {ref} was not taken on (refused): {a_letter(kind)} would offer the next "
                "stage; send the refusal letter, which gives the reasons and the way to "
                "challenge it"
            )
        if outcome == Outcome.REFUSED:
            return f"case {ref} was refused at stage {number}: send the refusal of that stage"
        return ""  # an outcome not yet recorded, or a point undecided, is a gap of the check
    if kind == LetterKind.REFUSAL:
        return refusal_missing(case, policy, number)
    if kind == LetterKind.WITHDRAWAL:
        if outcome != Outcome.WITHDRAWN and case.withdrawn_on is None:
            also = f" (its outcome is {said})" if said else ""
            return f"case {ref} records no withdrawal{also}: record the withdrawal first"
        return ""
    if kind == LetterKind.DISCONTINUATION:
        if outcome not in (None, Outcome.DISCONTINUED):
            return f"case {ref} is {said}: a decided complaint is not discontinued"
        return contact_attempts_short(case, policy)
    if kind == LetterKind.EXTENSION:
        if not [ext for ext in case.extensions if ext.stage == number]:
            return (
                f"case {ref} has no extension recorded at stage {number}: record the new date "
                "and the reason first"
            )
        if outcome is not None:
            return f"case {ref} is already {said}: there is no response left to extend"
        return ""
    if kind == LetterKind.MEETING:
        if interview is None and meeting_with_complainant(case) is None:
            return (
                f"case {ref} has no meeting recorded: record the meeting (who, when, what was "
                "discussed) first"
            )
        return ""
    if kind == LetterKind.ESCALATION_REFUSED:
        if number < 2:
            return "a refusal of the next stage is for a request for stage 2 or later"
        if not clean(case.escalation_refusal_reasons).strip():
            return (
                f"case {ref} records no reasons for refusing stage {number}: record them first "
                "(the letter must give them, with the Ombudsman)"
            )
        return ""
    if kind == LetterKind.ESCALATION_ACCEPTED:
        if case.escalation_requested is None and case.stage < number:
            return f"case {ref} records no request for stage {number}"
        return ""
    return ""


def refusal_missing(case: Case, policy: Policy, stage: int = 1) -> str:
    """Why ``case`` cannot have the stage 1 refusal letter: it is for stage 1, the refusal must
    be recorded with its reasons and, where the policy gives no Ombudsman with a refusal, where
    the complaint goes instead. Empty when it can (the check asks the same)."""
    ref = case.reference
    if case.route == RouteId.MEMBER_ENQUIRY:
        return "a Member/MP enquiry is answered by the reply to the Member/MP (member-reply)"
    if stage != 1:
        return (
            f"a refusal letter answers a complaint at stage 1; a request for stage {stage} is "
            "refused with the escalation-refused letter"
        )
    if case.outcome != Outcome.REFUSED:
        said = OUTCOME_WORDS.get(case.outcome, "") if case.outcome else ""
        now = f" (its outcome is {said})" if said else ""
        return f"case {ref} records no refusal{now}: record the refusal and its reasons first"
    if not clean(getattr(case, "refusal_reasons", "") or "").strip():
        return (
            f"case {ref} records no reasons for not taking the complaint on: record them first "
            "(the letter must give them)"
        )
    if (
        not policy.rules.refusal_gives_ombudsman
        and not clean(getattr(case, "refusal_route", "") or "").strip()
    ):
        return (
            f"case {ref} records nowhere for the complaint to go instead: "
            f"{policy.council_name}'s policy tells the complainant which procedure or body "
            "deals with it (it does not give the Ombudsman with a refusal)"
        )
    return ""


def contact_attempts_short(case: Case, policy: Policy) -> str:
    rule = policy.rules.discontinuation
    attempts = list(case.contact_attempts)
    if rule is None:
        if not attempts:
            return (
                f"case {case.reference} records no attempt to contact the complainant: "
                "a complaint is discontinued only when they cannot be reached"
            )
        return ""
    if len(attempts) < rule.min_contact_attempts:
        return (
            f"case {case.reference} records {len(attempts)} contact attempt"
            f"{'s' if len(attempts) != 1 else ''}; {policy.council_name}'s policy asks for "
            f"{rule.min_contact_attempts} before a complaint is discontinued"
        )
    methods: set[ContactMethod] = {attempt.method for attempt in attempts}
    if rule.distinct_methods and len(methods) < 2 and _reachable_ways(case) > 1:
        return (
            f"the contact attempts on case {case.reference} all use one method; "
            f"{policy.council_name}'s policy asks for different methods where we have them"
        )
    return ""


def _reachable_ways(case: Case) -> int:
    person = case.complainant
    if person is None:
        return 0
    return sum(
        bool(clean(value or "").strip()) for value in (person.email, person.phone, person.address)
    )
