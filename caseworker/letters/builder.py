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
from caseworker.domain.outcomes import suggested_outcome
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
from caseworker.letters.fields import by_when, draft_fields, format_date
from caseworker.letters.formats import formats_asked
from caseworker.letters.phrases import PhraseBook, phrase_book
from caseworker.letters.preconditions import why_not
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


# -- the council's words ----------------------------------------------------------------------


@dataclass
class Words:
    """The phrase book of the letter's council, with the fields every phrase may use filled in
    from the case (:mod:`caseworker.letters.phrases`)."""

    book: PhraseBook
    common: dict[str, object]

    def __call__(self, key: str, **values: object) -> str:
        return self.book.say(key, **{**self.common, **values})


def _words(book: PhraseBook, draft: LetterDraft, voice: Voice) -> Words:
    return Words(
        book,
        {
            "complaint": voice.complaint,
            "complaint_first": voice.complaint_first,
            "you": voice.you,
            "you_have": voice.you_have,
            "you_feel": voice.you_feel,
            "if_unhappy": voice.if_unhappy,
            "name": voice.name,
            "subject": about(draft.subject),
            **draft_fields(draft),
        },
    )


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part and part.strip())


# -- paragraphs shared by several kinds ------------------------------------------------------


def next_stage_text(req: Requirements, voice: Voice, kind: LetterKind, w: Words) -> str:
    contact = req.next_contact
    if contact is None:
        return ""
    if kind == LetterKind.MEMBER_REPLY or req.route.id == RouteId.MEMBER_ENQUIRY:
        return _join(
            w("member.formal_complaint", contact=the(contact.name)), contact_block(contact)
        )
    number = req.next_stage.number if req.next_stage else req.stage.number + 1
    key = "next_stage.after_withdrawal" if kind == LetterKind.WITHDRAWAL else "next_stage"
    after = []
    window = window_text(req.stage.escalation_window)
    if window:
        after.append(w("next_stage.within", window=window))
    if req.next_stage is not None and req.next_stage.escalation_request == "reason-required":
        after.append(w("next_stage.reason_required"))
    elif req.next_stage is not None:
        after.append(w("next_stage.reason_helps"))
    panel = ""
    if req.tenants_panel:
        panel = w("tenants_panel", number=number)
    return _join(
        w(key, contact=the(contact.name), number=number),
        contact_block(contact),
        " ".join(after),
        panel,
    )


def ombudsman_text(req: Requirements, voice: Voice, kind: LetterKind, w: Words) -> str:
    name = the(req.ombudsman.name)
    if kind in (LetterKind.OUTCOME, LetterKind.DECISION) and req.final:
        key = "ombudsman.final"
    elif kind == LetterKind.ESCALATION_REFUSED:
        key = "ombudsman.refused"
    elif kind == LetterKind.DISCONTINUATION:
        key = "ombudsman.closed"
    elif kind == LetterKind.REFUSAL:
        key = "ombudsman.not_taken_on"
    elif kind == LetterKind.EXTENSION:
        key = "ombudsman.extension"
    else:
        key = "ombudsman.any_time"
    return _join(w(key, ombudsman=name), contact_block(req.ombudsman))


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines if line.strip())


def issue_list(case: Case) -> str:
    return _bullets([" ".join(clean(issue.summary).split()) for issue in case.issues])


def understanding_text(case: Case, w: Words, *, with_issues: bool, after: str = "") -> str:
    # Never the case list's summary: that is a note officers write for each other.
    understanding = clean(case.understanding).strip()
    parts = []
    if understanding:
        parts += [w("understanding"), understanding]
    if with_issues and case.issues:
        parts += [w("understanding.points"), issue_list(case)]
    if parts and after:
        parts.append(w(after))
    return _join(*parts)


def outstanding_actions(issues: list[IssueResponse]) -> list[str]:
    lines = []
    for issue in issues:
        if issue.action.strip() and issue.action_completed is None:
            action = " ".join(clean(issue.action).split()).rstrip(".")
            due = by_when(action, issue.action_due)
            lines.append(f"{action}{due}." if not action.endswith(("?", "!")) else action)
    return lines


def issue_responses(case: Case, stage: int = 1) -> list[IssueResponse]:
    """Each point as the letter at ``stage`` answers it: with stage 1's finding at stage 1 and
    with the stage 2 review's own finding, explanation and remedy after (never stage 1's: a
    point the review has not answered yet has no finding, and the check says so)."""
    review = stage > 1
    return [
        IssueResponse(
            number=issue.number,
            summary=clean(issue.summary),
            finding=getattr(issue, "stage2_finding", None) if review else issue.finding,
            explanation=clean(getattr(issue, "stage2_explanation", "") or "")
            if review
            else clean(issue.explanation),
            remedy=clean(getattr(issue, "stage2_remedy", "") or "")
            if review
            else clean(issue.remedy),
            lesson=clean(issue.lesson_learnt),
            # the wording for the complainant only: the internal task is never printed
            action=clean(getattr(issue, "action_public", "") or ""),
            action_due=issue.action_due,
            action_completed=issue.action_completed,
        )
        for issue in case.issues
    ]


ANSWERED = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)
"""The outcomes an outcome letter states, with an apology, a decision and a closing."""


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
    if case.outcome == Outcome.REFUSED and case.stage == 1:
        return LetterKind.REFUSAL
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
    phrases: PhraseBook | None = None,
) -> LetterDraft:
    """The draft of the ``kind`` letter for ``case`` at ``stage`` (default: what the case needs
    now, at its current stage), dated ``date`` (default today) and signed by ``signatory``
    (default the case's officer), in the words of the council's phrase books (``phrases``).

    A letter the case cannot have yet (:func:`caseworker.letters.preconditions.why_not`) is
    refused with the reason."""
    kind = kind or default_kind(case, policy)
    number = letter_stage(case, kind, stage)
    reason = why_not(case, policy, kind, number, interview=interview)
    if reason:
        raise UserError(reason)
    req = requirements(policy, case.route, number, kind)
    addressee, voice = choose_addressee(case, policy, to_referrer=kind == LetterKind.MEMBER_REPLY)
    outcome = case.outcome
    if kind not in (
        LetterKind.OUTCOME,
        LetterKind.DECISION,
        LetterKind.WITHDRAWAL,
        LetterKind.MEMBER_REPLY,
    ):
        outcome = None if kind != LetterKind.DISCONTINUATION else Outcome.DISCONTINUED
    if kind == LetterKind.WITHDRAWAL:
        outcome = Outcome.WITHDRAWN
    if kind == LetterKind.DECISION and outcome is None:
        # Not recorded yet: the outcome the stage's own findings add up to (never stage 1's).
        outcome = suggested_outcome([issue.finding for issue in issue_responses(case, number)])
    if kind == LetterKind.REFUSAL:
        outcome = Outcome.REFUSED

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
        issues=issue_responses(case, number if kind == LetterKind.DECISION else 1),
        final=req.final,
    )
    draft.large_print, draft.formats = formats_asked(case)
    w = _words(phrases or phrase_book(policy.id), draft, voice)
    draft.wording = {name: str(value) for name, value in w.common.items()}
    draft.formats_offer = w("footer.formats.large_print" if draft.large_print else "footer.formats")
    builder = _BUILDERS[kind]
    builder(draft, case, policy, req, w, interview)
    if req.needs_next_stage:
        draft.sections.append(Section(SectionKey.NEXT_STAGE, next_stage_text(req, voice, kind, w)))
    if req.needs_ombudsman:
        draft.sections.append(
            Section(
                SectionKey.OMBUDSMAN,
                ombudsman_text(req, voice, kind, w),
                heading=w("heading.ombudsman") if kind == LetterKind.DECISION and req.final else "",
            )
        )
    return draft


def _add(draft: LetterDraft, key: SectionKey, text: str = "", heading: str = "") -> None:
    draft.sections.append(Section(key, text, heading))


def _first_line(draft: LetterDraft, w: Words, kind: LetterKind) -> str:
    if draft.stage > 1 and kind in (LetterKind.DECISION, LetterKind.ACKNOWLEDGEMENT):
        return w("opening.stage_request")
    return w("opening.complaint")


def _about_line(draft: LetterDraft, w: Words) -> str:
    """ "I am writing about …": the complaint at stage 1, the request for a later stage."""
    return w("opening.about_stage_request" if draft.stage > 1 else "opening.about")


def late_text(case: Case, draft: LetterDraft, w: Words) -> str:
    """The apology for a reply later than the date the complainant was given, with the new date
    and the reason of the extension when there is one; nothing when the reply is on time."""
    due = case.respond_by if case.stage == draft.stage else None
    if due is None or draft.date <= due:
        return ""
    extensions = [ext for ext in case.extensions if ext.stage == draft.stage]
    if extensions:
        latest = extensions[-1]
        reason = clean(latest.reason).strip()
        if not reason:
            return w("late", due=format_date(latest.new_date))
        reason = f"{about(reason)}."  # "We were…" reads on after "because"
        return w(
            "late.extended",
            new_date=format_date(latest.new_date),
            reason=reason,
            due=format_date(due),
        )
    return w("late", due=format_date(due))


def _stage_text(draft: LetterDraft, req: Requirements, w: Words) -> str:
    if req.final:
        return w("stage.only" if len(req.route.stages) == 1 else "stage.final")
    return w("stage.current")


def _response(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    """The outcome letter (stage 1) and the decision letter (later stages)."""
    decision_letter = draft.kind == LetterKind.DECISION
    outcome = draft.outcome
    must = set(req.must_include)
    _add(
        draft,
        SectionKey.OPENING,
        _join(_first_line(draft, w, draft.kind), late_text(case, draft, w)),
    )
    if decision_letter or "stage" in must:
        _add(draft, SectionKey.STAGE, _stage_text(draft, req, w))
    if outcome == Outcome.SETTLED:
        _settled(draft, case, w)
        return
    if outcome in ANSWERED:
        _add(draft, SectionKey.APOLOGY, w(f"apology.{outcome.value}"))
    # A part the policy does not ask for is still given when the officer has written it.
    if decision_letter or "understanding" in must or not is_blank(case.understanding):
        _add(
            draft,
            SectionKey.UNDERSTANDING,
            understanding_text(case, w, with_issues=False),
            w("heading.understanding") if decision_letter else "",
        )
    if decision_letter or "steps-taken" in must or not is_blank(case.steps_taken):
        _add(draft, SectionKey.STEPS, steps_text(case, w), w("heading.steps"))
    if decision_letter or "evidence" in must or not is_blank(case.evidence_considered):
        _add(draft, SectionKey.EVIDENCE, evidence_text(case, w), w("heading.evidence"))
    heading = w("heading.decision") if decision_letter else ""
    if outcome in ANSWERED:
        lead = w("decision.finished_review" if decision_letter else "decision.finished")
        _add(draft, SectionKey.DECISION, f"{lead} {w(f'decision.{outcome.value}')}", heading)
    else:
        _add(draft, SectionKey.DECISION, "", heading)
    _add(draft, SectionKey.ISSUES)
    actions = outstanding_actions(draft.issues)
    if actions:  # no section at all when nothing is left to do
        _add(
            draft,
            SectionKey.ACTIONS,
            _join(w("actions"), _bullets(actions)),
            w("heading.actions"),
        )
    lessons = [" ".join(issue.lesson.split()) for issue in draft.issues if issue.lesson.strip()]
    if "policy-changes" in must or (decision_letter and lessons):
        text = _join(w("changes"), _bullets(lessons)) if lessons else ""
        _add(draft, SectionKey.CHANGES, text, w("heading.changes"))
    if outcome in ANSWERED:
        _add(draft, SectionKey.CLOSING, w(f"closing.{outcome.value}"))


def _settled(draft: LetterDraft, case: Case, w: Words) -> None:
    _add(draft, SectionKey.DECISION, w("settled"))
    _add(
        draft, SectionKey.SETTLEMENT, clean(case.settlement_terms).strip(), w("heading.settlement")
    )
    _add(draft, SectionKey.CLOSING, w("closing.settled"))


def steps_text(case: Case, w: Words) -> str:
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
    return _join(w("steps.spoke"), _bullets(spoken))


def evidence_text(case: Case, w: Words) -> str:
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
    return _join(w("evidence.sources"), _bullets(sources))


def _acknowledgement(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _first_line(draft, w, LetterKind.ACKNOWLEDGEMENT))
    _add(draft, SectionKey.STAGE, w("acknowledgement.stage"))
    _add(
        draft,
        SectionKey.UNDERSTANDING,
        understanding_text(case, w, with_issues=True, after="understanding.misunderstood"),
    )
    _add(draft, SectionKey.NEXT_STEPS, _next_steps(case, draft, req, w))
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
            _join(w("adjustments"), adjustments, w("adjustments.after")),
        )
    _add(draft, SectionKey.CLOSING, w("closing.questions"))


def response_due(case: Case, stage: int) -> dt.date | None:
    """The date the complainant was told to expect the response at ``stage``: the latest
    extension's new date, else the case's due date while it is at that stage."""
    extensions = [ext for ext in case.extensions if ext.stage == stage]
    if extensions:
        return extensions[-1].new_date
    return case.respond_by if case.stage == stage else None


def _next_steps(
    case: Case, draft: LetterDraft, req: Requirements, w: Words, *, handler: bool = True
) -> str:
    by = clean(req.stage.handled_by).strip() if handler else ""
    first = w("next_steps.handler", handler=by) if by else ""
    due = response_due(case, draft.stage)
    if due is None:
        when = w("next_steps.within", days=req.stage.respond_days)
    elif due < draft.date:  # never a promise already broken on the day of the letter
        when = w("next_steps.late", due=format_date(due))
    else:
        when = w("next_steps.by", due=format_date(due))
    return " ".join(part for part in (first, when) if part)


def _extension(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    extensions = [ext for ext in case.extensions if ext.stage == draft.stage]
    latest = extensions[-1]
    _add(draft, SectionKey.OPENING, _about_line(draft, w))
    _add(
        draft,
        SectionKey.EXTENSION,
        _join(
            w("extension.sorry"),
            clean(latest.reason).strip(),
            w("extension.new_date", new_date=format_date(latest.new_date)),
        ),
    )
    _add(draft, SectionKey.CLOSING, w("closing.questions"))


def _meeting(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    chosen = interview or meeting_with_complainant(case)
    assert chosen is not None  # why_not refuses a meeting letter without a meeting
    _add(draft, SectionKey.OPENING, w("meeting.opening", held=format_date(chosen.held_on)))
    notes = clean(chosen.summary).strip() or clean(chosen.notes).strip()
    further = clean(chosen.further_information).strip()
    _add(
        draft,
        SectionKey.MEETING,
        _join(
            w("meeting.confirms"),
            notes,
            w("meeting.further") if further else "",
            further,
            w("meeting.missed"),
        ),
    )
    _add(draft, SectionKey.CLOSING, w("closing.meeting"))


def meeting_with_complainant(case: Case) -> Interview | None:
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
    w: Words,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _about_line(draft, w))
    attempts = [
        f"on {format_date(a.at.date())} {METHOD_PHRASE.get(a.method, a.method.value)}".replace(
            " in writing", " by letter"
        )
        for a in case.contact_attempts
    ]
    rule = policy.rules.discontinuation
    decided = f"{clean(rule.decided_by)} has" if rule is not None else "we have"
    _add(
        draft,
        SectionKey.DISCONTINUATION,
        _join(
            w("discontinuation.tried"),
            _bullets(attempts),
            w("discontinuation.decided", decided_by=decided),
        ),
    )
    reopening = policy.rules.reopening
    text = w("discontinuation.reopen")
    if reopening is not None:
        by = w("discontinuation.reopen_by", authorised_by=clean(reopening.authorised_by))
        text = f"{text} {by}".strip()
    _add(draft, SectionKey.CLOSING, text)


def _withdrawal(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    how = METHOD_PHRASE.get(case.withdrawal_method, "") if case.withdrawal_method else ""
    when = f" on {format_date(case.withdrawn_on)}" if case.withdrawn_on else ""
    told = f"{when} {how}".rstrip() if (when or how) else ""
    received = w("withdrawal.received_request" if draft.stage > 1 else "withdrawal.received")
    _add(draft, SectionKey.OPENING, f"{w('withdrawal.thanks', told=told)} {received}")
    parts = [w("withdrawal.confirmed")]
    if policy.rules.withdrawal.ask_to_report_misunderstanding:
        parts.append(w("withdrawal.misunderstood"))
    _add(draft, SectionKey.WITHDRAWAL, _join(*parts))


def _refusal(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    """The complaint is not taken on at stage 1: the reasons, where it goes instead and (added
    by :func:`build_draft` where the policy says) the Ombudsman. Never the next stage: there was
    no stage 1 to escalate from."""
    _add(draft, SectionKey.OPENING, _first_line(draft, w, LetterKind.REFUSAL))
    reasons = clean(case.refusal_reasons).strip()
    route = clean(case.refusal_route).strip()
    _add(
        draft,
        SectionKey.REFUSAL,
        _join(
            w("refusal.decided"),
            w("refusal.reasons") if reasons else "",
            reasons,
            w("refusal.route") if route else "",
            route,
        ),
    )
    _add(draft, SectionKey.CLOSING, w("closing.refusal"))


def _escalation_opening(case: Case, w: Words) -> str:
    asked = case.escalation_requested
    return w("escalation.thanks", asked=f" of {format_date(asked)}" if asked else "")


def _escalation_accepted(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _escalation_opening(case, w))
    handler = clean(req.stage.handled_by).strip()
    _add(draft, SectionKey.ESCALATION, w("escalation.accepted", handler=handler))
    _add(
        draft,
        SectionKey.UNDERSTANDING,
        understanding_text(case, w, with_issues=True, after="understanding.misunderstood_or_more"),
    )
    _add(draft, SectionKey.NEXT_STEPS, _next_steps(case, draft, req, w, handler=False))
    _add(draft, SectionKey.CLOSING, w("closing.questions"))


def _escalation_refused(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, _escalation_opening(case, w))
    reasons = clean(case.escalation_refusal_reasons).strip()
    _add(
        draft,
        SectionKey.ESCALATION,
        _join(w("escalation.refused"), w("escalation.reasons") if reasons else "", reasons),
    )


def _member_reply(
    draft: LetterDraft,
    case: Case,
    policy: Policy,
    req: Requirements,
    w: Words,
    interview: Interview | None,
) -> None:
    _add(draft, SectionKey.OPENING, w("member.opening"))
    if draft.outcome in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD):
        _add(draft, SectionKey.APOLOGY, w(f"apology.{draft.outcome.value}"))
    understanding = clean(case.understanding).strip()
    if understanding:
        _add(draft, SectionKey.UNDERSTANDING, _join(w("member.understanding"), understanding))
    if draft.outcome in ANSWERED:
        statement = w(f"decision.{draft.outcome.value}")
        _add(draft, SectionKey.DECISION, f"{w('member.finished')} {statement}")
    _add(draft, SectionKey.ISSUES)
    lessons = [" ".join(issue.lesson.split()) for issue in draft.issues if issue.lesson.strip()]
    if draft.outcome in (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD) or lessons:
        text = _join(w("changes"), _bullets(lessons)) if lessons else ""
        _add(draft, SectionKey.CHANGES, text, w("heading.changes"))
    _add(draft, SectionKey.CLOSING, w("closing.member"))


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
    LetterKind.REFUSAL: _refusal,
}
