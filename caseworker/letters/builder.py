"""Building the draft of each letter a case needs from what is recorded on the case.

The wording follows Stockport's Appendix A (what each outcome letter must say) and Appendix B (the
model stage 1 letter), and the decision-letter elements of seeds 001, 002 and 004. Where a record
is missing (an issue with no explanation, a settlement with no terms) the builder writes nothing in
its place: the gap is left for :func:`caseworker.letters.checks.check_letter` to name, never
papered over with filler text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseworker.domain.enums import (
    ContactMethod,
    LetterKind,
    Outcome,
    Role,
    RouteId,
)
from caseworker.errors import UserError
from caseworker.letters import names
from caseworker.letters import subject as subject_words
from caseworker.letters.draft import (
    Addressee,
    IssueResponse,
    LetterDraft,
    Recipient,
    Section,
    SectionKey,
    Signatory,
)
from caseworker.letters.render import format_date
from caseworker.letters.rules import Requirements, requirements
from caseworker.letters.text import clean, is_blank
from caseworker.policy.schema import Contact, Policy
from caseworker.storage.models import Case, Interview, Officer

# -- who the letter is to, and how it speaks of the complainant ------------------------------


@dataclass(frozen=True)
class Voice:
    """How the letter refers to the complainant: "you" when writing to them, their name when
    writing to a representative, councillor or MP."""

    third_party: bool
    name: str
    """The complainant's short name: Mrs Patel."""
    on_behalf: str = ""
    """"the complaint you made on behalf of Mrs Patel"."""
    the_complaint: str = "the complaint"
    """How later sentences name it when writing to someone else ("your constituent's
    complaint" to a councillor or MP)."""

    @property
    def complaint_first(self) -> str:
        return self.on_behalf if self.third_party else "your complaint"

    @property
    def complaint(self) -> str:
        return self.the_complaint if self.third_party else "your complaint"

    @property
    def you(self) -> str:
        return self.name if self.third_party else "you"

    @property
    def you_have(self) -> str:
        return f"{self.name} has" if self.third_party else "you have"

    @property
    def you_feel(self) -> str:
        return f"{self.name} feels" if self.third_party else "you feel"

    @property
    def if_unhappy(self) -> str:
        return (
            f"If you or {self.name} are still unhappy"
            if self.third_party
            else "If you are still unhappy"
        )


def short_name(name: str, title: str = "", addressed_as: str = "") -> str:
    """Mrs Asha Patel -> Mrs Patel; Asha Patel -> Asha Patel (the rules: ``letters/names.py``)."""
    return names.in_body(clean(name), clean(title), clean(addressed_as))


def choose_addressee(
    case: Case, policy: Policy, *, to_referrer: bool = False
) -> tuple[Addressee, Voice]:
    """Councillor or MP when the complaint came through them and the policy replies to them
    (Stockport Appendix A; a route with ``reply_to = 'referrer'``); the representative where one
    acts with consent; else the complainant. ``to_referrer``: the reply to a Member/MP enquiry,
    which goes to the Member/MP whatever the policy's general rule."""
    complainant = case.complainant
    if complainant is None:
        raise UserError(f"case {case.reference} has no named complainant to write to")
    person = names.read_name(
        clean(complainant.name), clean(complainant.title), clean(complainant.addressed_as)
    )
    name = person.in_body
    route = policy.route(case.route)
    referrer = clean(case.referrer_name).strip()
    if referrer and (
        to_referrer or route.reply_to == "referrer" or policy.member_enquiries.reply_to_member
    ):
        return (
            Addressee(
                Recipient.REFERRER,
                referrer,
                case.referrer_address,
                salutation=_referrer_salutation(case),
            ),
            Voice(
                True,
                name,
                f"your constituent {name}'s complaint",
                "your constituent's complaint",
            ),
        )
    rep = case.representative
    if rep is not None and rep.consent_received is not None and not is_blank(rep.name):
        return (
            Addressee(
                Recipient.REPRESENTATIVE,
                names.full_name(clean(rep.name), clean(rep.title)) or clean(rep.name),
                rep.address,
                rep.email,
                salutation=names.salutation(
                    clean(rep.name), clean(rep.title), clean(rep.addressed_as)
                ),
            ),
            Voice(True, name, f"the complaint you made on behalf of {name}"),
        )
    return (
        Addressee(
            Recipient.COMPLAINANT,
            person.full,
            with_postcode(complainant.address, complainant.postcode),
            complainant.email,
            salutation=person.salutation,
        ),
        Voice(False, name),
    )


def with_postcode(address: str, postcode: str | None) -> str:
    """The address as written, with the postcode added on its own line when it is not in it."""
    code = " ".join((postcode or "").split())
    if not code:
        return address
    if code.replace(" ", "").upper() in address.replace(" ", "").upper():
        return address
    return f"{address.rstrip()}\n{code}" if address.strip() else code


def _referrer_salutation(case: Case) -> str:
    return names.referrer_salutation(
        clean(case.referrer_name).strip(),
        case.referrer_role,
        clean(getattr(case, "referrer_title", "") or ""),
        clean(getattr(case, "referrer_addressed_as", "") or ""),
    )


# -- small pieces of wording -------------------------------------------------------------------


def about(subject: str) -> str:
    """A subject as it reads after "your complaint about" (see ``letters/subject.py``)."""
    return subject_words.phrase(subject)


def subject_line(case: Case, voice: Voice | None = None) -> str:
    """The Re: line: "Your complaint about" the case's subject (never the case list's note);
    "Complaint about…" to someone writing for the complainant (whose name the letter gives)."""
    if voice is not None and voice.third_party:
        return subject_words.re_line(case, theirs=True)
    return subject_words.re_line(case)


_ROLE_NOUNS = {
    "manager",
    "team",
    "officer",
    "ombudsman",
    "service",
    "unit",
    "panel",
    "office",
    "department",
    "section",
    "centre",
    "board",
    "committee",
    "desk",
    "hub",
}


def the(name: str) -> str:
    """A contact's name as it reads mid-sentence: "the Corporate Complaints Manager", "the
    Housing Ombudsman Service", but "Customer Feedback" (a name, not a role)."""
    if name.lower().startswith("the "):
        return "the " + name[4:]
    words = name.split()
    if words and words[-1].lower().strip(".,") in _ROLE_NOUNS:
        return f"the {name}"
    return name


def contact_block(contact: Contact) -> str:
    lines = [contact.name]
    if contact.organisation:
        lines.append(contact.organisation)
    lines += contact.address
    if contact.phone:
        lines.append(f"Telephone: {contact.phone}")
    if contact.email:
        lines.append(f"Email: {contact.email}")
    if contact.website:
        lines.append(f"Website: {contact.website}")
    if contact.online_form:
        lines.append(f"Online form: {contact.online_form}")
    return "\n".join(lines)


def window_text(window: object) -> str:
    if window is None:
        return ""
    length, unit = window.length, window.unit  # type: ignore[attr-defined]
    words = {"working-days": "working day", "calendar-days": "day", "months": "month"}[unit]
    return f"{length} {words}{'s' if length != 1 else ''}"


METHOD_PHRASE = {
    ContactMethod.EMAIL: "by email",
    ContactMethod.LETTER: "in writing",
    ContactMethod.PHONE: "by telephone",
    ContactMethod.IN_PERSON: "in person",
    ContactMethod.TEXT: "by text message",
}

ROLE_TITLE = {
    Role.INVESTIGATING_OFFICER: "Investigating Officer",
    Role.LINE_MANAGER: "Service Manager",
    Role.COMPLAINTS_MANAGER: "Complaints Manager",
}


def signatory_for(officer: Officer | None) -> Signatory:
    if officer is None:
        return Signatory()
    title = ROLE_TITLE.get(officer.role, "")
    if officer.role != Role.COMPLAINTS_MANAGER and officer.service_area:
        title = f"{title}, {officer.service_area}"
    return Signatory(officer.name, title, officer.email)


# -- paragraphs shared by several kinds ------------------------------------------------------


def next_stage_text(req: Requirements, voice: Voice, kind: LetterKind) -> str:
    contact = req.next_contact
    if contact is None:
        return ""
    if kind == LetterKind.MEMBER_REPLY or req.route.id == RouteId.MEMBER_ENQUIRY:
        return (
            f"If {voice.name} is unhappy with the Council's service, they can make a formal "
            f"complaint by contacting {the(contact.name)}:\n\n{contact_block(contact)}"
        )
    number = req.next_stage.number if req.next_stage else req.stage.number + 1
    if kind == LetterKind.WITHDRAWAL:
        lead = (
            f"If you are unhappy with how we handled {voice.complaint}, you can still ask for "
            f"it to go to stage {number} of our complaints procedure by contacting "
            f"{the(contact.name)}:"
        )
    else:
        lead = (
            f"{voice.if_unhappy}, you can ask for {voice.complaint} to go to stage {number} "
            f"of our complaints procedure by contacting {the(contact.name)}:"
        )
    parts = [lead, contact_block(contact)]
    after = []
    window = window_text(req.stage.escalation_window)
    if window:
        after.append(f"Please do this within {window} of receiving this letter.")
    if req.next_stage is not None and req.next_stage.escalation_request == "reason-required":
        after.append("Please tell us why you are still unhappy and what you would like us to do.")
    elif req.next_stage is not None:
        after.append("It helps us if you tell us why you are still unhappy.")
    if after:
        parts.append(" ".join(after))
    return "\n\n".join(parts)


def ombudsman_text(req: Requirements, voice: Voice, kind: LetterKind) -> str:
    name = the(req.ombudsman.name)
    block = contact_block(req.ombudsman)
    if kind in (LetterKind.OUTCOME, LetterKind.DECISION) and req.final:
        lead = (
            f"This is the Council's final response to {voice.complaint}. {voice.if_unhappy}, "
            f"you can ask {name} to look at it. The Ombudsman is free and independent. "
            "You can contact them at:"
        )
    elif kind == LetterKind.ESCALATION_REFUSED:
        lead = (
            f"As this ends our complaints procedure, you can ask {name} to look at "
            f"{voice.complaint} if you are still unhappy. The Ombudsman is free and "
            "independent. You can contact them at:"
        )
    elif kind == LetterKind.EXTENSION:
        lead = (
            f"If you do not agree with this new date, you can contact {name}, which is "
            "free and independent:"
        )
    else:
        lead = (
            f"You can contact {name} for free, independent advice at any time. The "
            "Ombudsman will usually expect you to finish our complaints procedure before "
            "they look at a complaint. You can contact them at:"
        )
    return f"{lead}\n\n{block}"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines if line.strip())


def issue_list(case: Case) -> str:
    return _bullets([" ".join(clean(issue.summary).split()) for issue in case.issues])


def understanding_text(case: Case, voice: Voice, *, with_issues: bool) -> str:
    # Never the case list's summary: that is a note officers write for each other.
    understanding = clean(case.understanding).strip()
    parts = []
    if understanding:
        parts += [f"My understanding of {voice.complaint} is as follows.", understanding]
    if with_issues and case.issues:
        parts += ["The points I will look into are:", issue_list(case)]
    return "\n\n".join(parts)


def outstanding_actions(issues: list[IssueResponse]) -> list[str]:
    lines = []
    for issue in issues:
        if issue.action.strip() and issue.action_completed is None:
            action = " ".join(clean(issue.action).split()).rstrip(".")
            due = f" (by {format_date(issue.action_due)})" if issue.action_due else ""
            lines.append(f"{action}{due}." if not action.endswith(("?", "!")) else action)
    return lines


def issue_responses(case: Case) -> list[IssueResponse]:
    return [
        IssueResponse(
            number=issue.number,
            summary=clean(issue.summary),
            finding=issue.finding,
            explanation=clean(issue.explanation),
            remedy=clean(issue.remedy),
            lesson=clean(issue.lesson_learnt),
            # the wording for the complainant only: the internal task is never printed
            action=clean(getattr(issue, "action_public", "") or ""),
            action_due=issue.action_due,
            action_completed=issue.action_completed,
        )
        for issue in case.issues
    ]


APOLOGY = {
    Outcome.UPHELD: (
        "I am sorry that the Council did not provide the service it should have, and for the "
        "trouble this has caused {you}. We take all complaints seriously and use what we learn "
        "from them to improve our services."
    ),
    Outcome.PARTIALLY_UPHELD: (
        "I am sorry that parts of the Council's service fell short of what {you} should expect. "
        "We take all complaints seriously and use what we learn from them to improve our "
        "services."
    ),
    Outcome.NOT_UPHELD: (
        "I am sorry that {you_feel} let down by our service, and I understand that this has "
        "been frustrating. We take all complaints seriously and look to improve the service "
        "from the comments we receive."
    ),
}

DECISION = {
    Outcome.UPHELD: "I am writing to let you know that {complaint} has been upheld.",
    Outcome.PARTIALLY_UPHELD: (
        "I am writing to let you know that I have partially upheld {complaint}. I explain below "
        "which parts I have upheld and why."
    ),
    Outcome.NOT_UPHELD: (
        "I am writing to let you know that I have not upheld {complaint}. I explain my reasons "
        "for each part below."
    ),
}

CLOSING = {
    Outcome.UPHELD: (
        "Thank you for bringing these issues to our attention. I hope our reply reassures you "
        "that where things have gone wrong we aim to put them right. We welcome feedback on "
        "our services."
    ),
    Outcome.PARTIALLY_UPHELD: (
        "Thank you for bringing these issues to our attention. I hope our reply reassures you "
        "that where things have gone wrong we aim to put them right. We welcome feedback on "
        "our services."
    ),
    Outcome.NOT_UPHELD: (
        "Thank you for bringing these issues to our attention. I hope this letter explains how "
        "I reached my decision. We welcome feedback on our services."
    ),
    Outcome.SETTLED: "Thank you for working with us to resolve {complaint}.",
}


def _fill(template: str, voice: Voice) -> str:
    return template.format(
        you=voice.you,
        you_feel=voice.you_feel,
        complaint=voice.complaint,
    )


# -- the drafts ----------------------------------------------------------------------------


def default_kind(case: Case, policy: Policy) -> LetterKind:
    """The letter a case needs now: the outcome letter at stage 1, the decision after."""
    route = policy.route(case.route)
    if route.id == RouteId.MEMBER_ENQUIRY or route.reply_to == "referrer":
        return LetterKind.MEMBER_REPLY
    if case.outcome == Outcome.WITHDRAWN:
        return LetterKind.WITHDRAWAL
    if case.outcome == Outcome.DISCONTINUED:
        return LetterKind.DISCONTINUATION
    if (case.outcome == Outcome.REFUSED and case.stage > 1) or (
        str(getattr(case, "escalation_decision", "") or "") == "refused"
    ):
        return LetterKind.ESCALATION_REFUSED
    return LetterKind.OUTCOME if case.stage == 1 else LetterKind.DECISION


def letter_stage(case: Case, kind: LetterKind, stage: int | None) -> int:
    if stage is not None:
        return stage
    if kind == LetterKind.ESCALATION_REFUSED:
        return case.stage + 1
    if kind == LetterKind.ESCALATION_ACCEPTED:
        return case.stage if case.stage > 1 else 2
    return case.stage


def build_draft(
    case: Case,
    policy: Policy,
    kind: LetterKind | None = None,
    stage: int | None = None,
    *,
    date: dt.date | None = None,
    signatory: Officer | None = None,
    interview: Interview | None = None,
) -> LetterDraft:
    """The draft of the ``kind`` letter for ``case`` at ``stage`` (default: what the case needs
    now, at its current stage), dated ``date`` (default today) and signed by ``signatory``
    (default the case's officer)."""
    kind = kind or default_kind(case, policy)
    number = letter_stage(case, kind, stage)
    route = policy.route(case.route)
    if not 1 <= number <= len(route.stages):
        stages = len(route.stages)
        raise UserError(
            f"the {route.name} route of policy {policy.id} has {stages} "
            f"stage{'s' if stages != 1 else ''}: there is no stage {number}"
        )
    req = requirements(policy, case.route, number, kind)
    if kind == LetterKind.MEMBER_REPLY and not clean(case.referrer_name).strip():
        raise UserError(
            f"case {case.reference} records no councillor or MP: a reply to a "
            "Member/MP enquiry goes to the Member/MP who raised it"
        )
    if kind == LetterKind.DECISION and number == 1:
        raise UserError(
            "a decision letter answers a later stage; at stage 1 use the "
            "outcome letter (--kind outcome)"
        )
    addressee, voice = choose_addressee(case, policy, to_referrer=kind == LetterKind.MEMBER_REPLY)
    outcome = case.outcome
    if kind == LetterKind.OUTCOME and outcome == Outcome.WITHDRAWN:
        kind = LetterKind.WITHDRAWAL
    if kind not in (
        LetterKind.OUTCOME,
        LetterKind.DECISION,
        LetterKind.WITHDRAWAL,
        LetterKind.MEMBER_REPLY,
    ):
        outcome = None if kind != LetterKind.DISCONTINUATION else Outcome.DISCONTINUED
    if kind == LetterKind.WITHDRAWAL:
        outcome = Outcome.WITHDRAWN

    received = case.received
    if number > 1:
        # The stage's own start once the case is there; otherwise the request for it.
        started = getattr(case, "stage_started", None) if number == case.stage else None
        received = started or case.escalation_requested or received

    draft = LetterDraft(
        kind=kind,
        stage=number,
        outcome=outcome,
        policy_id=policy.id,
        council=policy.council,
        reference=case.reference,
        date=date or dt.date.today(),
        addressee=addressee,
        complainant_name=(
            names.full_name(clean(case.complainant.name), clean(case.complainant.title))
            if case.complainant
            else ""
        ),
        subject=subject_line(case, voice),
        received=received,
        signatory=signatory_for(signatory or case.officer),
        issues=issue_responses(case),
        final=req.final,
    )
    builder = _BUILDERS[kind]
    builder(draft, case, policy, req, voice, interview)
    if req.needs_next_stage:
        draft.sections.append(Section(SectionKey.NEXT_STAGE, next_stage_text(req, voice, kind)))
    if req.needs_ombudsman:
        draft.sections.append(
            Section(
                SectionKey.OMBUDSMAN,
                ombudsman_text(req, voice, kind),
                heading=_ombudsman_heading(kind, req),
            )
        )
    return draft


def _ombudsman_heading(kind: LetterKind, req: Requirements) -> str:
    return "If you are still unhappy" if kind == LetterKind.DECISION and req.final else ""


def _add(draft: LetterDraft, key: SectionKey, text: str = "", heading: str = "") -> None:
    draft.sections.append(Section(key, text, heading))


def _first_line(draft: LetterDraft, voice: Voice, kind: LetterKind) -> str:
    received = format_date(draft.received)
    if draft.stage > 1 and kind in (LetterKind.DECISION, LetterKind.ACKNOWLEDGEMENT):
        return (
            f"Thank you for your request of {received} for {voice.complaint_first} to be "
            f"looked at again at stage {draft.stage} of our complaints procedure."
        )
    return f"Thank you for {voice.complaint_first}, which we received on {received}."


def _stage_text(draft: LetterDraft, req: Requirements, voice: Voice) -> str:
    if req.final:
        if len(req.route.stages) == 1:
            return (
                f"This is the Council's response to {voice.complaint} under our complaints "
                "procedure, and it is our final response."
            )
        return (
            f"This is the Council's response at stage {draft.stage}, the final stage of our "
            "complaints procedure."
        )
    return f"This is our response at stage {draft.stage} of our complaints procedure."


def _response(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    """The outcome letter (stage 1) and the decision letter (later stages)."""
    decision_letter = draft.kind == LetterKind.DECISION
    outcome = draft.outcome
    must = set(req.must_include)
    _add(draft, SectionKey.OPENING, _first_line(draft, voice, draft.kind))
    if decision_letter or "stage" in must:
        _add(draft, SectionKey.STAGE, _stage_text(draft, req, voice))
    if outcome == Outcome.SETTLED:
        _settled(draft, case, voice)
        return
    if outcome in APOLOGY:
        _add(draft, SectionKey.APOLOGY, _fill(APOLOGY[outcome], voice))
    # A part the policy does not ask for is still given when the officer has written it.
    if decision_letter or "understanding" in must or not is_blank(case.understanding):
        _add(
            draft,
            SectionKey.UNDERSTANDING,
            understanding_text(case, voice, with_issues=False),
            "Your complaint" if decision_letter else "",
        )
    if decision_letter or "steps-taken" in must or not is_blank(case.steps_taken):
        _add(
            draft,
            SectionKey.STEPS,
            steps_text(case, voice),
            f"How I looked into {voice.complaint}",
        )
    if decision_letter or "evidence" in must or not is_blank(case.evidence_considered):
        _add(draft, SectionKey.EVIDENCE, evidence_text(case), "What I took into account")
    if outcome in DECISION:
        lead = (
            f"I have now finished my investigation of {voice.complaint_first} about "
            f"{subject_words.about(case)}. "
        )
        if decision_letter:
            lead = (
                f"I have now finished my stage {draft.stage} review of "
                f"{voice.complaint_first} about {subject_words.about(case)}. "
            )
        statement = DECISION[outcome].format(complaint=voice.complaint)
        _add(draft, SectionKey.DECISION, lead + statement, "My decision" if decision_letter else "")
    else:
        _add(draft, SectionKey.DECISION, "", "My decision" if decision_letter else "")
    _add(draft, SectionKey.ISSUES)
    actions = outstanding_actions(draft.issues)
    if decision_letter or "outstanding-actions" in must or actions:
        if actions:
            text = (
                "We still have these things to do. We will keep you updated on how they "
                f"are going:\n\n{_bullets(actions)}"
            )
        else:
            text = "There are no actions still to be done."
        _add(draft, SectionKey.ACTIONS, text, "What we still need to do")
    lessons = [" ".join(issue.lesson.split()) for issue in draft.issues if issue.lesson.strip()]
    if "policy-changes" in must or (decision_letter and lessons):
        text = (
            (
                f"As a result of {voice.complaint}, we have made these changes:\n\n"
                + _bullets(lessons)
            )
            if lessons
            else ""
        )
        _add(draft, SectionKey.CHANGES, text, "What we have changed")
    if outcome in CLOSING:
        _add(draft, SectionKey.CLOSING, _fill(CLOSING[outcome], voice))


def _settled(draft: LetterDraft, case: Case, voice: Voice) -> None:
    _add(
        draft,
        SectionKey.DECISION,
        f"I am pleased that we have been able to settle {voice.complaint} without the need "
        "for a detailed investigation. I am writing to confirm the terms of the settlement "
        "we agreed.",
    )
    _add(draft, SectionKey.SETTLEMENT, clean(case.settlement_terms).strip(), "What we agreed")
    _add(draft, SectionKey.CLOSING, _fill(CLOSING[Outcome.SETTLED], voice))


def steps_text(case: Case, voice: Voice | None = None) -> str:
    recorded = clean(case.steps_taken).strip()
    if recorded:
        return recorded
    spoken = [
        f"spoke to {clean(i.interviewee)}"
        + (f" ({clean(i.interviewee_role)})" if i.interviewee_role else "")
        + f" on {format_date(i.held_on)}"
        for i in case.interviews
    ]
    if not spoken:
        return ""
    complaint = voice.complaint if voice is not None else "your complaint"
    return f"To look into {complaint}, I:\n\n" + _bullets(spoken)


def evidence_text(case: Case) -> str:
    recorded = clean(case.evidence_considered).strip()
    if recorded:
        return recorded
    sources = []
    for issue in case.issues:
        for note in issue.notes:
            if note.kind.value == "evidence" and note.withdrawn_at is None:
                sources.append(clean(note.source or note.text).strip())
    sources = list(dict.fromkeys(s for s in sources if s))
    if not sources:
        return ""
    return "I took into account:\n\n" + _bullets(sources)


def _acknowledgement(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _first_line(draft, voice, LetterKind.ACKNOWLEDGEMENT))
    _add(
        draft,
        SectionKey.STAGE,
        f"We are dealing with it at stage {draft.stage} of our complaints procedure.",
    )
    text = understanding_text(case, voice, with_issues=True)
    if text:
        text += "\n\nIf I have misunderstood anything, please let me know."
    _add(draft, SectionKey.UNDERSTANDING, text)
    _add(draft, SectionKey.NEXT_STEPS, _next_steps(case, req, draft.stage))
    # the wording agreed for the complainant to read, never the officers' note
    adjustments = (
        clean(getattr(case.complainant, "adjustments_public", "") or "").strip()
        if case.complainant
        else ""
    )
    if adjustments:
        _add(
            draft,
            SectionKey.ADJUSTMENTS,
            "You told us about some changes we can make to help you with your complaint. "
            f"We have agreed to the following:\n\n{adjustments}\n\n"
            "Please tell us if your needs change.",
        )
    _add(draft, SectionKey.CLOSING, "If you have any questions in the meantime, please contact me.")


def _next_steps(case: Case, req: Requirements, number: int, *, handler: bool = True) -> str:
    by = clean(req.stage.handled_by).strip() if handler else ""
    first = f"Your complaint will be looked into by {by}." if by else ""
    due = case.respond_by if case.stage == number else None
    if due:
        when = f"We aim to send you a full response by {format_date(due)}."
    else:
        when = f"We aim to send you a full response within {req.stage.respond_days} working days."
    return (
        f"{first} {when} If we need more time, we will tell you why and when you can expect it."
    ).strip()


def _extension(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    extensions = [ext for ext in case.extensions if ext.stage == draft.stage]
    if not extensions:
        raise UserError(
            f"case {case.reference} has no extension recorded at stage "
            f"{draft.stage}: record the new date and the reason first"
        )
    latest = extensions[-1]
    _add(
        draft,
        SectionKey.OPENING,
        f"I am writing about {voice.complaint_first}, which we received on "
        f"{format_date(draft.received)}.",
    )
    _add(
        draft,
        SectionKey.EXTENSION,
        "\n\n".join(
            part
            for part in (
                f"I am sorry, but we need more time to finish looking into {voice.complaint}.",
                clean(latest.reason).strip(),
                f"We now aim to send you our full response by {format_date(latest.new_date)}. "
                "If this changes, we will tell you straight away.",
            )
            if part
        ),
    )
    _add(draft, SectionKey.CLOSING, "If you have any questions in the meantime, please contact me.")


def _meeting(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    chosen = interview or _meeting_with_complainant(case)
    if chosen is None:
        raise UserError(
            f"case {case.reference} has no meeting recorded: record the meeting "
            "(who, when, what was discussed) first"
        )
    held = format_date(chosen.held_on)
    _add(
        draft,
        SectionKey.OPENING,
        f"Thank you for meeting me on {held} to discuss {voice.complaint_first}.",
    )
    notes = clean(chosen.summary).strip() or clean(chosen.notes).strip()
    parts = ["This letter confirms what we discussed and what we agreed.", notes]
    further = clean(chosen.further_information).strip()
    if further:
        parts += ["After the meeting, you also told us:", further]
    parts.append(
        "If you think I have missed or misunderstood anything, please let me know as "
        "soon as possible."
    )
    _add(draft, SectionKey.MEETING, "\n\n".join(p for p in parts if p))
    _add(draft, SectionKey.CLOSING, "Thank you again for your time.")


def _meeting_with_complainant(case: Case) -> Interview | None:
    names = {clean(case.complainant.name).lower()} if case.complainant else set()
    if case.representative is not None:
        names.add(clean(case.representative.name).lower())
    matching = [i for i in case.interviews if clean(i.interviewee).lower() in names]
    candidates = matching or list(case.interviews)
    return candidates[-1] if candidates else None


def _discontinuation(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    _add(
        draft,
        SectionKey.OPENING,
        f"I am writing about {voice.complaint_first}, which we received on "
        f"{format_date(draft.received)}.",
    )
    attempts = [
        f"on {format_date(a.at.date())} {METHOD_PHRASE.get(a.method, a.method.value)}".replace(
            " in writing", " by letter"
        )
        for a in case.contact_attempts
    ]
    rule = policy.rules.discontinuation
    decided = f"{clean(rule.decided_by)} has" if rule is not None else "we have"
    parts = [
        f"We need more information from you to look into {voice.complaint}, and we have tried "
        "to contact you:"
        if attempts
        else f"We need more information from you to look into {voice.complaint}.",
        _bullets(attempts),
        f"We have not heard from you, so {decided} decided to stop looking into "
        f"{voice.complaint}. We have now closed it.",
    ]
    _add(draft, SectionKey.DISCONTINUATION, "\n\n".join(p for p in parts if p))
    reopening = policy.rules.reopening
    text = (
        "If you are now able to get in touch, please contact me. If you can tell us why you "
        f"could not reply, we can consider reopening {voice.complaint}."
    )
    if reopening is not None:
        text += f" This decision is made by {clean(reopening.authorised_by)}."
    _add(draft, SectionKey.CLOSING, text)


def _withdrawal(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    how = METHOD_PHRASE.get(case.withdrawal_method, "") if case.withdrawal_method else ""
    when = f" on {format_date(case.withdrawn_on)}" if case.withdrawn_on else ""
    told = f"{when} {how}".rstrip() if (when or how) else ""
    received = (
        f"We received your request for stage {draft.stage} on {format_date(draft.received)}."
        if draft.stage > 1
        else f"We received it on {format_date(draft.received)}."
    )
    _add(
        draft,
        SectionKey.OPENING,
        f"Thank you for letting us know{told} that you wish to "
        f"withdraw {voice.complaint_first}. {received}",
    )
    parts = [
        f"I am writing to confirm that {voice.complaint} has been withdrawn and that we "
        "have closed our file."
    ]
    withdrawal = policy.rules.withdrawal
    if withdrawal.ask_to_report_misunderstanding:
        parts.append(
            "If we have misunderstood what you wanted, please let us know as soon as "
            f"possible and we will look at reopening {voice.complaint}."
        )
    _add(draft, SectionKey.WITHDRAWAL, "\n\n".join(parts))


def _escalation_opening(draft: LetterDraft, case: Case, voice: Voice) -> str:
    asked = case.escalation_requested
    when = f" of {format_date(asked)}" if asked else ""
    return (
        f"Thank you for your request{when} for {voice.complaint_first} to go to stage "
        f"{draft.stage} of our complaints procedure."
    )


def _escalation_accepted(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _escalation_opening(draft, case, voice))
    handler = clean(req.stage.handled_by).strip()
    _add(
        draft,
        SectionKey.ESCALATION,
        f"I have accepted your request. {voice.complaint.capitalize()} will now be looked at "
        f"again by {handler}.",
    )
    text = understanding_text(case, voice, with_issues=True)
    if text:
        text += (
            "\n\nIf I have misunderstood anything, or if there is something else you "
            "want us to look at, please let me know."
        )
    _add(draft, SectionKey.UNDERSTANDING, text)
    _add(draft, SectionKey.NEXT_STEPS, _next_steps(case, req, draft.stage, handler=False))
    _add(draft, SectionKey.CLOSING, "If you have any questions in the meantime, please contact me.")


def _escalation_refused(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _escalation_opening(draft, case, voice))
    reasons = clean(case.escalation_refusal_reasons).strip()
    _add(
        draft,
        SectionKey.ESCALATION,
        "\n\n".join(
            p
            for p in (
                "I have carefully considered your request. I am sorry to tell you that I have "
                "decided "
                f"not to take {voice.complaint} to stage {draft.stage}.",
                "My reasons are:" if reasons else "",
                reasons,
            )
            if p
        ),
    )


def _member_reply(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    voice: Voice,
    interview: Interview | None,
) -> None:
    name = voice.name
    _add(
        draft,
        SectionKey.OPENING,
        f"Thank you for your enquiry of {format_date(draft.received)} on behalf of your "
        f"constituent {name} about {subject_words.about(case)}.",
    )
    if draft.outcome in APOLOGY and draft.outcome != Outcome.NOT_UPHELD:
        _add(draft, SectionKey.APOLOGY, _fill(APOLOGY[draft.outcome], voice))
    understanding = clean(case.understanding).strip()
    if understanding:
        _add(
            draft,
            SectionKey.UNDERSTANDING,
            f"My understanding of your enquiry is as follows.\n\n{understanding}",
        )
    if draft.outcome in DECISION:
        statement = DECISION[draft.outcome].format(complaint=voice.complaint)
        _add(
            draft,
            SectionKey.DECISION,
            f"I have now finished looking into {voice.complaint} about "
            f"{subject_words.about(case)}. " + statement,
        )
    _add(draft, SectionKey.ISSUES)
    lessons = [" ".join(issue.lesson.split()) for issue in draft.issues if issue.lesson.strip()]
    if draft.outcome in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD) or lessons:
        text = (
            f"As a result of {voice.complaint}, we have made these changes:\n\n" + _bullets(lessons)
            if lessons
            else ""
        )
        _add(draft, SectionKey.CHANGES, text, "What we have changed")
    _add(
        draft,
        SectionKey.CLOSING,
        f"I hope this information is helpful. You are welcome to share this letter with {name}.",
    )


_BUILDERS = {
    LetterKind.OUTCOME: _response,
    LetterKind.DECISION: _response,
    LetterKind.ACKNOWLEDGEMENT: _acknowledgement,
    LetterKind.EXTENSION: _extension,
    LetterKind.MEETING: _meeting,
    LetterKind.DISCONTINUATION: _discontinuation,
    LetterKind.WITHDRAWAL: _withdrawal,
    LetterKind.ESCALATION_ACCEPTED: _escalation_accepted,
    LetterKind.ESCALATION_REFUSED: _escalation_refused,
    LetterKind.MEMBER_REPLY: _member_reply,
}
