"""The compliance check: what Appendix A or the case's policy requires that a draft still lacks.

Each gap is a short sentence an officer can act on ("Issue 2 has no finding"). The check reads the
draft as it stands, after the officer's edits, so a paragraph deleted by hand is caught as surely as
a record never made. It blocks nothing by itself: the app shows the list, and
``caseworker letter REF --check`` exits non-zero when it is not empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseworker.domain.enums import Finding, LetterKind, Outcome
from caseworker.letters import names
from caseworker.letters import subject as subject_words
from caseworker.letters.draft import LetterDraft, Recipient, SectionKey
from caseworker.letters.fields import format_date
from caseworker.letters.rules import RESPONSES, Requirements, requirements
from caseworker.letters.text import clean, is_blank
from caseworker.policy.schema import Contact, Policy
from caseworker.storage.models import Case


@dataclass(frozen=True)
class Gap:
    code: str
    """A stable name for the kind of gap, for tests and for the app to link to the right field."""
    message: str

    def __str__(self) -> str:
        return self.message


OUTCOME_LABEL = {
    Outcome.UPHELD: "Upheld",
    Outcome.PARTIALLY_UPHELD: "Partially upheld",
    Outcome.NOT_UPHELD: "Not upheld",
    Outcome.SETTLED: "Settled",
    Outcome.WITHDRAWN: "Withdrawn",
}

_OUTCOME_WORDS = {
    Outcome.UPHELD: re.compile(r"(?<!not )(?<!partially )(?<!partly )\bupheld\b", re.I),
    Outcome.PARTIALLY_UPHELD: re.compile(
        r"\b(partially|partly)\s+upheld\b|\bupheld\s+(part|some)\b", re.I
    ),
    Outcome.NOT_UPHELD: re.compile(r"\bnot\s+(been\s+)?upheld\b|\bnot\s+to\s+uphold\b", re.I),
}

_FOUND = (Finding.UPHELD, Finding.PARTIALLY_UPHELD)

ELEMENT_GAPS = {
    "stage": (SectionKey.STAGE, "No statement of the complaint stage"),
    "understanding": (
        SectionKey.UNDERSTANDING,
        "No statement of our understanding of the complaint",
    ),
    "steps-taken": (SectionKey.STEPS, "No account of the steps taken to investigate"),
    "evidence": (SectionKey.EVIDENCE, "No list of the information and evidence considered"),
    "outstanding-actions": (SectionKey.ACTIONS, "No statement of outstanding actions"),
    "policy-changes": (SectionKey.CHANGES, "No statement of changes to policy or process"),
}

DECISION_ELEMENTS = (
    "stage",
    "understanding",
    "steps-taken",
    "evidence",
    "decision",
    "reasons",
    "remedy",
    "outstanding-actions",
    "policy-changes",
    "ombudsman",
)
"""What every decision letter holds (seeds 001, 002 and 004), whatever the policy lists."""


def check_letter(draft: LetterDraft, case: Case, policy: Policy) -> list[Gap]:
    """Every gap in ``draft`` for ``case`` under ``policy``; empty when the letter is complete."""
    req = requirements(policy, case.route, draft.stage, draft.kind)
    gaps: list[Gap] = []
    add = gaps.append
    _frame(draft, case, policy, add)
    if draft.kind in RESPONSES:
        _response(draft, case, req, add)
    if draft.kind in (*RESPONSES, LetterKind.MEMBER_REPLY):
        _public_actions(draft, case, add)
    if draft.kind in ADJUSTMENTS_PRINTED:
        _public_adjustments(draft, case, add)
    checker = _BY_KIND.get(draft.kind)
    if checker is not None:
        checker(draft, case, policy, req, add)
    _paragraphs(draft, req, add)
    _fault_owned(draft, case, add)
    return _unique(gaps)


def _text(draft: LetterDraft, key: SectionKey) -> str:
    return draft.text_of(key)


def _blank(draft: LetterDraft, key: SectionKey) -> bool:
    return is_blank(draft.text_of(key))


def _everything(draft: LetterDraft) -> str:
    return "\n".join(text for _, text in draft.all_text())


def _frame(draft: LetterDraft, case: Case, policy: Policy, add) -> None:  # noqa: ANN001
    if is_blank(draft.addressee.name):
        add(Gap("addressee", "The letter has no addressee"))
    elif is_blank(draft.addressee.address) and is_blank(draft.addressee.email):
        add(Gap("address", f"No postal address or email for {draft.addressee.name}"))
    if is_blank(draft.reference):
        add(Gap("reference", "The letter has no case reference"))
    if is_blank(draft.subject):
        add(Gap("subject", "The letter has no subject (the Re: line)"))
    missing = subject_words.missing_subject(case)
    if missing:
        add(Gap("complaint-subject", missing))
    if (
        draft.addressee.salutation == names.NO_NAME_SALUTATION
        and draft.addressee.recipient != Recipient.REFERRER
    ):
        why = _name_problem(draft, case)
        if why:
            add(Gap("salutation", f"The letter cannot greet {_whom(draft)} by name: {why}"))
    if is_blank(draft.signatory.name):
        add(Gap("signatory", "The letter is not signed: no officer is named"))
    if (
        draft.kind
        in (
            *RESPONSES,
            LetterKind.ACKNOWLEDGEMENT,
            LetterKind.MEMBER_REPLY,
            LetterKind.WITHDRAWAL,
            LetterKind.REFUSAL,
        )
        and draft.received is not None
    ):
        if format_date(draft.received) not in _everything(draft):
            add(
                Gap(
                    "received",
                    "The letter does not give the date the complaint was received "
                    f"({format_date(draft.received)})",
                )
            )
    for key, value in policy.placeholder_values():
        if key == "council":
            add(
                Gap(
                    "setup-council",
                    f"Unfinished set-up: the council's name in policy '{policy.id}' is a "
                    f"placeholder ('{value}'): set 'council' in the policy file",
                )
            )
    referrer = (case.referrer_name or "").strip()
    route = policy.route(case.route)
    if (
        referrer
        and (route.reply_to == "referrer" or policy.member_enquiries.reply_to_member)
        and draft.addressee.recipient != Recipient.REFERRER
    ):
        add(
            Gap(
                "reply-to-referrer",
                f"The complaint came through {referrer}: "
                f"{policy.council_name}'s policy says the reply goes to them",
            )
        )


def _response(draft: LetterDraft, case: Case, req: Requirements, add) -> None:  # noqa: ANN001
    outcome = draft.outcome
    must = set(req.must_include)
    if draft.kind == LetterKind.DECISION:
        must |= set(DECISION_ELEMENTS)
    if outcome is None:
        add(
            Gap(
                "outcome",
                "No outcome recorded: the letter cannot say whether the complaint is upheld",
            )
        )
        return
    label = OUTCOME_LABEL.get(outcome, outcome.value)
    if outcome == Outcome.SETTLED:
        if _blank(draft, SectionKey.SETTLEMENT):
            add(Gap("settlement-terms", "Settlement has no terms"))
        return
    if outcome not in _OUTCOME_WORDS:
        return
    if _blank(draft, SectionKey.APOLOGY):
        if outcome == Outcome.NOT_UPHELD:
            add(Gap("apology", "Not upheld letter has no apology for how the complainant feels"))
        else:
            add(Gap("apology", f"{label} letter has no apology"))
    statement = _text(draft, SectionKey.DECISION)
    if is_blank(statement):
        add(Gap("decision", f"No plain statement that the complaint is {label.lower()}"))
    elif not _OUTCOME_WORDS[outcome].search(statement):
        add(Gap("decision", f"The outcome statement does not say the complaint is {label.lower()}"))
    if draft.section(SectionKey.ISSUES) is None or not draft.issues:
        add(Gap("issues", "The letter answers no issues (ISSUE 1, ISSUE 2 …)"))
    for issue in draft.issues:
        if issue.finding is None:
            add(Gap("issue-finding", f"Issue {issue.number} has no finding"))
        if is_blank(issue.explanation):
            add(Gap("issue-explanation", f"Issue {issue.number} has no explanation"))
        if issue.finding in _FOUND and is_blank(issue.remedy):
            add(
                Gap(
                    "issue-remedy",
                    f"Issue {issue.number} is upheld but does not say how the "
                    "Council will put it right",
                )
            )
        if (
            outcome == Outcome.UPHELD
            and issue.finding in _FOUND
            and is_blank(issue.lesson)
            and _blank(draft, SectionKey.CHANGES)
        ):
            add(
                Gap(
                    "issue-lesson",
                    f"Issue {issue.number} is upheld but does not say what has "
                    "been put in place so it does not happen again",
                )
            )
    found = [issue for issue in draft.issues if issue.finding in _FOUND]
    if draft.issues:
        if outcome == Outcome.UPHELD and not found:
            add(Gap("no-upheld-issue", "Upheld letter has no upheld issue"))
        if outcome == Outcome.PARTIALLY_UPHELD:
            if not found:
                add(Gap("no-upheld-issue", "Partially upheld letter has no upheld issue"))
            elif all(issue.finding == Finding.UPHELD for issue in draft.issues):
                add(
                    Gap(
                        "nothing-not-upheld",
                        "Partially upheld letter upholds every issue: "
                        "should the outcome be upheld?",
                    )
                )
        if outcome == Outcome.NOT_UPHELD and found:
            numbers = ", ".join(str(issue.number) for issue in found)
            add(Gap("upheld-issue", f"Not upheld letter upholds issue {numbers}"))
    for element in sorted(must):
        if element not in ELEMENT_GAPS:
            continue
        key, message = ELEMENT_GAPS[element]
        if element == "policy-changes" and not found:
            continue
        if element == "outstanding-actions" and not any(
            issue.action.strip() and issue.action_completed is None for issue in draft.issues
        ):
            continue  # nothing left to do: no empty section saying so
        if _blank(draft, key):
            add(Gap(element, message))
    if "outstanding-actions" in must or draft.section(SectionKey.ACTIONS) is not None:
        for issue in draft.issues:
            if (
                issue.action.strip()
                and issue.action_completed is None
                and issue.action_due is not None
                and issue.action_due < draft.date
            ):
                add(
                    Gap(
                        "action-date-past",
                        f"The outstanding action for issue {issue.number} was due by "
                        f"{format_date(issue.action_due)}, before the date of the letter: "
                        "record a new date or that it is done",
                    )
                )
            if issue.action.strip() and issue.action_completed is None and issue.action_due is None:
                add(
                    Gap(
                        "action-date",
                        f"The outstanding action for issue {issue.number} has no "
                        "date by which it will be done",
                    )
                )


def _paragraphs(draft: LetterDraft, req: Requirements, add) -> None:  # noqa: ANN001
    if req.needs_next_stage and req.next_contact is not None:
        text = _text(draft, SectionKey.NEXT_STAGE)
        if draft.kind == LetterKind.MEMBER_REPLY or req.next_stage is None:
            missing, where = "No paragraph saying where a formal complaint goes", "formal complaint"
        else:
            number = req.next_stage.number
            missing, where = f"No stage {number} paragraph", f"stage {number}"
        if is_blank(text):
            add(Gap("next-stage", missing))
        elif _placeholder(req.next_contact):
            add(
                Gap(
                    "contact-placeholder",
                    f"The contact details of {req.next_contact.name} in "
                    f"policy '{draft.policy_id}' are a placeholder "
                    f"('{_placeholder(req.next_contact)}'): set them in the policy file",
                )
            )
        elif not _gives_details(text, req.next_contact):
            add(
                Gap(
                    "next-stage-contact",
                    f"The {where} paragraph does not give the contact "
                    f"details of {req.next_contact.name}",
                )
            )
    if req.needs_ombudsman:
        text = _text(draft, SectionKey.OMBUDSMAN)
        if is_blank(text):
            add(Gap("ombudsman", f"No Ombudsman paragraph ({req.ombudsman_reason})"))
            return
        right = req.ombudsman
        if not _names(text, right.name):
            housing = req.ombudsman_key == "housing-ombudsman"
            why = (
                "this is a council housing (landlord) case"
                if housing
                else "this case is not about the Council as landlord"
            )
            add(
                Gap(
                    "ombudsman-wrong", f"The Ombudsman paragraph does not name {right.name} ({why})"
                )
            )
        elif not _gives_details(text, right):
            add(
                Gap(
                    "ombudsman-contact",
                    f"The Ombudsman paragraph does not give the contact details of {right.name}",
                )
            )


def _placeholder(contact: Contact) -> str:
    """A detail the policy file marks as still to be set, like "(set its address here)"."""
    details = [*contact.address, contact.phone, contact.email, contact.website, contact.online_form]
    for detail in details:
        stripped = (detail or "").strip()
        if stripped.startswith("(") and stripped.endswith(")"):
            return stripped
    return ""


def _names(text: str, name: str) -> bool:
    core = re.sub(r"^the\s+", "", name, flags=re.I).replace("&", "and").lower()
    return core in text.replace("&", "and").lower()


def _gives_details(text: str, contact: Contact) -> bool:
    """At least one way of reaching ``contact`` (phone, email, website, form, postcode)."""
    flat = " ".join(text.split()).lower()
    details = [
        contact.phone,
        contact.email,
        contact.website,
        contact.online_form,
        contact.address[-1] if contact.address else None,
    ]
    return any(detail and " ".join(detail.split()).lower() in flat for detail in details)


def _fault_owned(draft: LetterDraft, case: Case, add) -> None:  # noqa: ANN001
    """Appendix A: the fault is the Council's as a whole, never an individual's."""
    if draft.kind not in RESPONSES and draft.kind != LetterKind.MEMBER_REPLY:
        return
    text = _everything(draft)
    for subject in case.subjects:
        name = (subject.name or "").strip()
        if name and re.search(rf"\b{re.escape(name)}\b", text, re.I):
            add(
                Gap(
                    "names-staff",
                    f"The letter names {name}, whom the complaint is about: "
                    "the fault should be owned by the Council as a whole",
                )
            )


def _withdrawal(draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add) -> None:  # noqa: ANN001
    text = _text(draft, SectionKey.WITHDRAWAL)
    if is_blank(text):
        add(Gap("withdrawal", "No confirmation of the withdrawal"))
    elif (
        policy.rules.withdrawal.ask_to_report_misunderstanding and "misunderst" not in text.lower()
    ):
        add(
            Gap(
                "withdrawal-misunderstood",
                "The withdrawal confirmation does not ask to be told "
                f"at once if we misunderstood ({policy.council_name}'s policy)",
            )
        )


def _extension(draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add) -> None:  # noqa: ANN001
    text = _text(draft, SectionKey.EXTENSION)
    extensions = [ext for ext in case.extensions if ext.stage == draft.stage]
    if is_blank(text):
        add(Gap("extension", "No paragraph giving the new date and the reason for it"))
        return
    if extensions:
        latest = extensions[-1]
        if format_date(latest.new_date) not in text:
            add(
                Gap(
                    "extension-date",
                    f"The extension letter does not give the new date "
                    f"({format_date(latest.new_date)})",
                )
            )
        if is_blank(latest.reason):
            add(Gap("extension-reason", "The extension has no reason recorded"))


def _meeting(draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add) -> None:  # noqa: ANN001
    if _blank(draft, SectionKey.MEETING):
        add(Gap("meeting", "No record of what the meeting discussed and decided"))


def _discontinuation(
    draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add
) -> None:  # noqa: ANN001
    if _blank(draft, SectionKey.DISCONTINUATION):
        add(Gap("discontinuation", "No explanation of why the complaint is discontinued"))
    from caseworker.letters.preconditions import contact_attempts_short

    short = contact_attempts_short(case, policy)  # the one rule, shared with why_not
    if short:
        add(Gap("contact-attempts", short))


def _escalation_accepted(
    draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add
) -> None:  # noqa: ANN001
    if _blank(draft, SectionKey.ESCALATION):
        add(Gap("escalation", "No statement that the request for the next stage is accepted"))
    if _blank(draft, SectionKey.UNDERSTANDING):
        add(
            Gap(
                "understanding",
                "No statement of our understanding of the complaint and the issues to be resolved",
            )
        )


def _escalation_refused(
    draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add
) -> None:  # noqa: ANN001
    text = _text(draft, SectionKey.ESCALATION)
    if is_blank(text):
        add(Gap("escalation", "No statement that the request for the next stage is refused"))
    if is_blank(case.escalation_refusal_reasons) and "because" not in text.lower():
        add(Gap("escalation-reasons", "Escalation refused without reasons"))


def _refusal(draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add) -> None:  # noqa: ANN001
    from caseworker.letters.preconditions import refusal_missing

    text = _text(draft, SectionKey.REFUSAL)
    if is_blank(text):
        add(Gap("refusal", "No statement that the complaint is not taken on, and why"))
    missing = refusal_missing(case, policy, draft.stage)  # the one rule, shared with why_not
    if missing:
        add(Gap("refusal-recorded", missing))
    else:
        for what, value in (
            ("reasons", case.refusal_reasons),
            ("where it goes instead", case.refusal_route),
        ):
            said = " ".join(clean(value or "").split())
            if said and said not in " ".join(text.split()):
                add(Gap(f"refusal-{what.split()[0]}", f"The letter does not give the {what}"))
    if not _blank(draft, SectionKey.NEXT_STAGE):
        add(
            Gap(
                "refusal-next-stage",
                "A refusal letter offers the next stage: a complaint not taken on has no "
                "stage 1 answer to escalate",
            )
        )


def _member_reply(draft: LetterDraft, case: Case, policy: Policy, req: Requirements, add) -> None:  # noqa: ANN001
    if draft.addressee.recipient != Recipient.REFERRER:
        add(
            Gap(
                "member-addressee",
                "The reply to a Member/MP enquiry is not addressed to the Member/MP",
            )
        )
    answered = [issue for issue in draft.issues if not is_blank(issue.explanation)]
    if not answered and _blank(draft, SectionKey.ENQUIRY):
        add(Gap("enquiry", "The reply does not answer the enquiry"))
    for issue in draft.issues:
        if is_blank(issue.explanation):
            add(Gap("issue-explanation", f"Issue {issue.number} has no explanation"))
    if (
        "decision" in req.must_include
        and draft.outcome in _OUTCOME_WORDS
        and _blank(draft, SectionKey.DECISION)
    ):
        add(Gap("decision", "No plain statement of the outcome"))
    if draft.outcome in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD):
        label = OUTCOME_LABEL[draft.outcome]
        if _blank(draft, SectionKey.APOLOGY):
            add(Gap("apology", f"{label} reply to the Member/MP has no apology"))
        if _blank(draft, SectionKey.CHANGES) and not any(
            not is_blank(issue.lesson) for issue in draft.issues
        ):
            add(
                Gap(
                    "policy-changes",
                    f"{label} reply to the Member/MP does not say what we have changed",
                )
            )


def _whom(draft: LetterDraft) -> str:
    return {
        Recipient.COMPLAINANT: "the complainant",
        Recipient.REPRESENTATIVE: "the representative",
        Recipient.REFERRER: "the councillor or MP",
    }[draft.addressee.recipient]


def _name_problem(draft: LetterDraft, case: Case) -> str:
    """Why the addressee has no name to greet (the rules of ``letters/names.py``)."""
    person = case.complainant
    if draft.addressee.recipient == Recipient.REPRESENTATIVE and case.representative:
        person = case.representative  # type: ignore[assignment]
    if person is None:
        return "the complaint is anonymous"
    read = names.read_name(person.name, person.title or "", person.addressed_as or "")
    return read.problem


def _public_actions(draft: LetterDraft, case: Case, add) -> None:  # noqa: ANN001
    """An outstanding action with no wording for the complainant is left out of the letter:
    say so, so the officer can write one (the internal task is never printed)."""
    for issue in case.issues:
        if (
            (issue.action or "").strip()
            and issue.action_completed is None
            and not (getattr(issue, "action_public", "") or "").strip()
        ):
            add(
                Gap(
                    "action-public",
                    f"Issue {issue.number} has an outstanding action with no wording for the "
                    "complainant: the letter leaves it out",
                )
            )


ADJUSTMENTS_PRINTED = (LetterKind.ACKNOWLEDGEMENT,)
"""The letters that set out the adjustments agreed with the complainant (Stoke: the
acknowledgement)."""


def _public_adjustments(draft: LetterDraft, case: Case, add) -> None:  # noqa: ANN001
    """Adjustments noted for officers with no wording for the complainant are left out of the
    letter: say so, so the officer writes it before sending (the note is never printed)."""
    person = case.complainant
    if person is None:
        return
    if (person.reasonable_adjustments or "").strip() and not (
        getattr(person, "adjustments_public", "") or ""
    ).strip():
        add(
            Gap(
                "adjustments-public",
                "The complainant's agreed adjustments have no wording for the complainant: "
                "the letter leaves them out (write them as the complainant would read them)",
            )
        )


_BY_KIND = {
    LetterKind.WITHDRAWAL: _withdrawal,
    LetterKind.EXTENSION: _extension,
    LetterKind.MEETING: _meeting,
    LetterKind.DISCONTINUATION: _discontinuation,
    LetterKind.ESCALATION_ACCEPTED: _escalation_accepted,
    LetterKind.ESCALATION_REFUSED: _escalation_refused,
    LetterKind.MEMBER_REPLY: _member_reply,
    LetterKind.REFUSAL: _refusal,
}


def _unique(gaps: list[Gap]) -> list[Gap]:
    seen: set[str] = set()
    result = []
    for gap in gaps:
        if gap.message not in seen:
            seen.add(gap.message)
            result.append(gap)
    return result
