"""A new case: triage against the case's policy, then recording it with its clock running.

Triage answers the questions an officer asks before recording a complaint, each from the policy
the case comes under:

* is it a complaint at all, or a request for service;
* is it excluded (another procedure or appeal deals with it: the policy's exclusions list);
* was it made within the time limit (12 months from when the complainant first became aware, or
  from the event itself where the policy says so: Southampton 19), and if not, has the person the
  policy names agreed to accept it;
* may it be anonymous (Southampton refuses anonymous complaints except about safeguarding);
* does a representative have the complainant's consent (written or signed, as the policy says),
  recorded with the date it was received;
* did it come through a councillor or MP, and which route that gives (Stockport: a Member/MP
  enquiry answered in 10 working days to the Member/MP; Southampton: a representation outside
  the complaints process unless signed consent makes it a complaint).

:func:`triage` returns every answer at once, each saying whether it stops the case being saved and
why, so that the form can show them all while the officer types. :func:`create_case` runs the same
triage, refuses with the blocking reasons, and otherwise saves the case and starts its clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Select, func, select

from caseworker.domain.enums import Channel, ContactMethod, ReferrerRole, RouteId
from caseworker.domain.refusals import Refused
from caseworker.letters import names
from caseworker.letters import subject as subject_words
from caseworker.policy.clock import add_months
from caseworker.policy.deadlines import Deadlines, compute_deadlines
from caseworker.policy.schema import Policy
from caseworker.services.cases.pasted import tidy_pasted
from caseworker.services.cases.records import next_reference, refresh_clock
from caseworker.services.context import Context, installed_policy
from caseworker.services.permissions import Action, acting_officer, authorise, check_record
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, CaseSubject, Complainant, Issue, Representative

PolicyLookup = Callable[[str], Policy]


class RequestKind(StrEnum):
    """What the contact is: a complaint, or a request for a service (a missed bin, a faulty lamp)
    that the service deals with and that is not recorded as a complaint."""

    COMPLAINT = "complaint"
    SERVICE_REQUEST = "service-request"


@dataclass(frozen=True)
class PersonIn:
    """The complainant as the officer typed them."""

    name: str = ""
    title: str = ""
    """Mr, Mrs, Ms, Mx, Dr, Sir, Dame... (the letters greet them with it)."""
    addressed_as: str = ""
    """How they like to be addressed, where they said ("Jo", "Father Brendan")."""
    address: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    preferred_contact: ContactMethod | None = None
    reasonable_adjustments: str = ""
    """The adjustments agreed, as officers note them for each other (never printed)."""
    adjustments_public: str = ""
    """The adjustments agreed, as the complainant would read them (what the letters say)."""
    adjustments_review_on: dt.date | None = None
    vulnerabilities: str = ""


@dataclass(frozen=True)
class RepresentativeIn:
    """Someone acting for the complainant, and when their consent was received."""

    name: str = ""
    title: str = ""
    addressed_as: str = ""
    relationship: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    consent_received: dt.date | None = None


@dataclass(frozen=True)
class ReferrerIn:
    """The councillor or MP the complaint came through."""

    name: str = ""
    role: ReferrerRole = ReferrerRole.COUNCILLOR
    title: str = ""
    addressed_as: str = ""
    address: str = ""
    consent_received: dt.date | None = None
    """When the resident's signed consent for them to make a formal complaint arrived (where the
    policy deals with Members' representations outside the complaints process without it)."""


@dataclass(frozen=True)
class NewCase:
    """Everything the new-case form collects."""

    policy_id: str
    received: dt.date
    channel: Channel = Channel.EMAIL
    kind: RequestKind = RequestKind.COMPLAINT
    route: RouteId = RouteId.CORPORATE
    service_area: str = ""
    summary: str = ""
    """The case list's note for officers (never printed in a letter)."""
    complaint_subject: str = ""
    """What the complaint is about, as it reads after "your complaint about…"."""
    first_aware: dt.date | None = None
    """When the complainant first became aware of the matter (the time limit runs from it where
    the policy's ``time_limit.runs_from`` is ``awareness``)."""
    occurred: dt.date | None = None
    """When the matter complained of happened (the time limit runs from it where the policy's
    ``time_limit.runs_from`` is ``event``: Southampton 19)."""
    waived_by: str = ""
    """Who agreed to accept a complaint made after the time limit (by name)."""
    exclusions: frozenset[str] = frozenset()
    """Ids of the policy's exclusions the officer ticked as applying."""
    anonymous: bool = False
    safeguarding: bool = False
    """The complaint is about safeguarding (some policies accept anonymous ones only then)."""
    complainant: PersonIn = field(default_factory=PersonIn)
    representative: RepresentativeIn | None = None
    referrer: ReferrerIn | None = None
    issues: tuple[str, ...] = ()
    """The complainant's points, in their words, in order."""
    subjects: tuple[str, ...] = ()
    """The staff the complaint is about."""


@dataclass(frozen=True)
class TriageNote:
    """One answer of triage: what the officer should know, and whether it stops the saving."""

    field: str
    """The part of the form it concerns (``"exclusions"``, ``"first_aware"``...)."""
    message: str
    blocks: bool


@dataclass(frozen=True)
class Triage:
    notes: tuple[TriageNote, ...]
    deadlines: Deadlines | None = None
    """The clock as it will run once saved (None while the form cannot be saved)."""

    @property
    def problems(self) -> list[TriageNote]:
        return [note for note in self.notes if note.blocks]

    @property
    def advice(self) -> list[TriageNote]:
        return [note for note in self.notes if not note.blocks]

    @property
    def ok(self) -> bool:
        return not self.problems

    def for_field(self, name: str) -> list[TriageNote]:
        return [note for note in self.notes if note.field == name]


class TriageRefused(Refused):
    """The case cannot be recorded as a complaint: the message lists every reason."""

    def __init__(self, problems: list[TriageNote]) -> None:
        self.problems = problems
        reasons = "; ".join(note.message for note in problems)
        super().__init__(f"the case was not recorded: {reasons}")


@dataclass(frozen=True)
class CreatedCase:
    id: int
    reference: str
    acknowledge_by: dt.date | None
    respond_by: dt.date | None


ANONYMOUS_RULES = {
    "accepted": "Anonymous complaints are recorded and investigated.",
    "refused": "This council does not accept anonymous complaints.",
    "safeguarding-only": "Anonymous complaints are accepted only about safeguarding.",
}
CONSENT_RULES = {
    "not-required": "No consent is needed.",
    "written": "The complainant's written consent is needed.",
    "signed": "The complainant's signed written consent is needed.",
}
MEMBER_RULES = {
    "enquiry-route": "A Member/MP enquiry has its own route; the reply goes to the Member/MP.",
    "complaint": "Handled as the resident's own complaint; the reply goes to the resident.",
    "outside-process": "A representation outside the complaints process, unless the Member/MP "
    "has the resident's signed consent to make a formal complaint.",
}


@dataclass(frozen=True)
class FormRules:
    """What a policy asks of a new case, in words, for the new-case form to show beside the
    questions (triage applies the same policy settings)."""

    time_limit: str
    anonymous: str
    asks_safeguarding: bool
    """Whether "about safeguarding" matters: anonymous complaints only about safeguarding."""
    consent: str
    member: str
    takes_member_consent: bool
    """Whether a Member/MP's signed consent from the resident makes a representation a
    complaint (otherwise it is outside the complaints process)."""


def form_rules(policy: Policy) -> FormRules:
    rules = policy.complainants
    handling = policy.member_enquiries.handling
    return FormRules(
        time_limit=time_limit_date(policy).rule,
        anonymous=ANONYMOUS_RULES[rules.anonymous],
        asks_safeguarding=rules.anonymous == "safeguarding-only",
        consent=CONSENT_RULES[rules.representative_consent],
        member=MEMBER_RULES[handling],
        takes_member_consent=handling == "outside-process",
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class TimeLimitDate:
    """The date the policy's time limit runs from, as the new-case form asks for it."""

    field: str
    """The :class:`NewCase` field (and triage note field): ``first_aware`` or ``occurred``."""
    label: str
    """The form's label for it."""
    question: str
    """What triage says while it is missing."""
    given: str
    """How triage names a date given: "First aware", "Happened"."""
    since: str
    """How a late complaint's note names it: "after the complainant first became aware"."""
    rule: str
    """The time limit in a sentence, for the form."""


def time_limit_date(policy: Policy) -> TimeLimitDate:
    """Which date triage needs for the time limit of ``policy`` (``time_limit.runs_from``)."""
    months, waived_by = policy.time_limit.months, policy.time_limit.waived_by
    if policy.time_limit.runs_from == "event":
        return TimeLimitDate(
            "occurred",
            "&Happened on:",
            "When did the matter complained of happen? "
            f"{policy.council_name}'s time limit runs from the event itself, not from when the "
            f"complainant found out: a complaint should be made within {months} months of it.",
            "Happened",
            "after the matter complained of happened",
            f"A complaint should be made within {months} months of the matter complained of "
            f"happening, however recently it was discovered. Only {waived_by} may accept a "
            "later one.",
        )
    return TimeLimitDate(
        "first_aware",
        "&First aware on:",
        "When did the complainant first become aware of the matter? "
        f"A complaint should be made within {months} months of that.",
        "First aware",
        "after the complainant first became aware",
        f"A complaint should be made within {months} months of the complainant first becoming "
        f"aware of the matter. Only {waived_by} may accept a later one.",
    )


def _consent_word(policy: Policy) -> str:
    return "signed written" if policy.complainants.representative_consent == "signed" else "written"


def triage(new: NewCase, *, today: dt.date, policy: Policy | None = None) -> Triage:
    """Every triage answer for ``new`` under its policy (looked up unless given)."""
    if policy is None:
        policy = installed_policy(new.policy_id)
    notes: list[TriageNote] = []

    def blocks(where: str, message: str) -> None:
        notes.append(TriageNote(where, message, True))

    def advise(where: str, message: str) -> None:
        notes.append(TriageNote(where, message, False))

    council = policy.council_name

    # Complaint or service request; the exclusions.
    if new.kind == RequestKind.SERVICE_REQUEST:
        blocks(
            "kind",
            "A request for service is not a complaint: pass it to the service to deal "
            "with. Record a complaint only if the service then fails to deliver.",
        )
    excluded = {e.id: e.text for e in policy.exclusions}
    for exclusion_id in sorted(new.exclusions):
        text = excluded.get(exclusion_id)
        if text is None:
            blocks("exclusions", f"'{exclusion_id}' is not one of {council}'s exclusions")
        else:
            blocks(
                "exclusions",
                f"Excluded from the complaints procedure: {text}. Tell the "
                "complainant which route deals with it instead.",
            )

    # The route.
    route_ids = [route.id for route in policy.routes]
    if new.route not in route_ids:
        blocks(
            "route",
            f"{council}'s policy has no '{new.route.value}' route; it has "
            + ", ".join(r.name for r in policy.routes),
        )

    # Dates and the time limit.
    if new.received > today:
        blocks("received", f"The date received, {_day(new.received)}, is in the future")
    limit = policy.time_limit
    if new.kind == RequestKind.COMPLAINT:
        asked = time_limit_date(policy)
        since: dt.date | None = getattr(new, asked.field)
        if since is None:
            blocks(asked.field, asked.question)
        elif since > new.received:
            blocks(
                asked.field,
                f"{asked.given} on {_day(since)}, after the complaint was received on "
                f"{_day(new.received)}",
            )
        else:
            last_day = add_months(since, limit.months)
            if new.received > last_day:
                if not new.waived_by.strip():
                    blocks(
                        "waived_by",
                        f"Made more than {limit.months} months {asked.since} "
                        f"({_day(since)}; the limit was {_day(last_day)}). Only "
                        f"{limit.waived_by} may accept it: record who agreed, or explain the "
                        "time limit to the complainant.",
                    )
                else:
                    advise(
                        "waived_by",
                        f"Outside the {limit.months}-month limit, accepted by "
                        f"{new.waived_by.strip()} ({limit.waived_by} may waive it).",
                    )

    # Who is complaining.
    anonymous_rule = policy.complainants.anonymous
    if new.anonymous:
        if anonymous_rule == "refused":
            blocks(
                "anonymous",
                f"{council} does not accept anonymous complaints: ask for a name "
                "and a way to reply.",
            )
        elif anonymous_rule == "safeguarding-only" and not new.safeguarding:
            blocks(
                "anonymous",
                f"{council} accepts anonymous complaints only about safeguarding: "
                "tick 'about safeguarding' if it is, otherwise ask for a name and a way to "
                "reply.",
            )
        else:
            advise(
                "anonymous",
                "Anonymous: it is recorded and investigated to improve the "
                "service, but there is nobody to write to.",
            )
        if new.representative is not None:
            blocks(
                "representative",
                "An anonymous complaint cannot have a representative "
                "acting for a named complainant.",
            )
    else:
        person = new.complainant
        if not person.name.strip():
            blocks("complainant", "The complainant's name (or tick 'anonymous')")
        reply_to_referrer = new.referrer is not None and any(
            r.id == new.route and r.reply_to == "referrer" for r in policy.routes
        )
        has_contact = person.address.strip() or person.email.strip() or person.phone.strip()
        if not has_contact and not reply_to_referrer:
            blocks("complainant", "An address, an email or a phone number to reply to")
        named = names.read_name(person.name, person.title, person.addressed_as)
        if person.name.strip() and named.problem:
            advise("complainant", f"Letters: {named.problem}.")
        if person.reasonable_adjustments.strip() and not person.adjustments_public.strip():
            advise(
                "adjustments",
                "Adjustments noted for officers only: write them as the complainant would read "
                "them for the letters to say what was agreed.",
            )
        if person.reasonable_adjustments.strip():
            if person.adjustments_review_on is None and (
                policy.complainants.reasonable_adjustments_recorded
            ):
                advise(
                    "adjustments",
                    f"{council} records and reviews agreed adjustments: set a date to review them.",
                )

    # A representative and their consent.
    rep = new.representative
    if rep is not None and not new.anonymous:
        if not rep.name.strip():
            blocks("representative", "The representative's name")
        consent = policy.complainants.representative_consent
        if rep.consent_received is not None and rep.consent_received > today:
            blocks("consent", f"Consent received on {_day(rep.consent_received)} is in the future")
        elif consent != "not-required" and rep.consent_received is None:
            blocks(
                "consent",
                f"{rep.name.strip() or 'The representative'} acts for the "
                f"complainant: {council} needs the complainant's {_consent_word(policy)} "
                "consent before it is handled as a complaint. Record the date the consent "
                "was received.",
            )
        elif rep.consent_received is not None:
            advise("consent", f"Consent received on {_day(rep.consent_received)}.")

    # Councillors and MPs.
    referrer = new.referrer
    via_member = new.channel in (Channel.VIA_COUNCILLOR, Channel.VIA_MP)
    if referrer is None:
        if via_member:
            blocks("referrer", "Received via a councillor or MP: who, and their address?")
        if new.route == RouteId.MEMBER_ENQUIRY:
            blocks("referrer", "A Member/MP enquiry needs the councillor or MP who made it")
    else:
        who = referrer.name.strip() or "the councillor or MP"
        if not referrer.name.strip():
            blocks("referrer", "The councillor's or MP's name")
        handling = policy.member_enquiries.handling
        if handling == "enquiry-route":
            enquiry = next((r for r in policy.routes if r.id == RouteId.MEMBER_ENQUIRY), None)
            if new.route == RouteId.MEMBER_ENQUIRY and enquiry is not None:
                advise(
                    "route",
                    f"A Member/MP enquiry: answered within "
                    f"{enquiry.stages[0].respond_days} working days, and the reply goes to "
                    f"{who}, not to the resident.",
                )
            else:
                to = f" to {who}" if policy.member_enquiries.reply_to_member else ""
                advise(
                    "route",
                    "A formal complaint made through a Member/MP: it follows the "
                    f"complaints procedure, and the reply goes{to}. If they only asked a "
                    "question, choose the Member/MP enquiry route instead.",
                )
        elif handling == "outside-process":
            if referrer.consent_received is None:
                blocks(
                    "referrer_consent",
                    f"{council} deals with a representation from an MP or "
                    "councillor outside the complaints process, unless they have the "
                    "resident's signed consent to make a formal complaint. Answer it as a "
                    "representation, or record the date signed consent was received.",
                )
            elif referrer.consent_received > today:
                blocks(
                    "referrer_consent",
                    f"Consent received on {_day(referrer.consent_received)} is in the future",
                )
            else:
                advise(
                    "route", f"A formal complaint made by {who} with the resident's signed consent."
                )
        else:
            advise(
                "route",
                f"{council} treats a councillor or MP writing for a resident as the "
                "resident's own complaint: the reply goes to the resident.",
            )

    # A complaint by telephone, where the policy wants it confirmed in writing (Southampton 16).
    if new.channel == Channel.PHONE and policy.complainants.telephone_confirmed_in_writing:
        advise(
            "channel",
            f"Made by telephone: {council} confirms a telephone complaint in writing — send the "
            "complainant a written summary of it.",
        )

    # What it is about.
    if not new.service_area.strip():
        blocks("service_area", "Which service the complaint is about")
    if not new.summary.strip():
        blocks("summary", "What the complaint is about, in a sentence or two")
    if new.kind == RequestKind.COMPLAINT and not subject_words.phrase(new.complaint_subject):
        advise(
            "complaint_subject",
            "No subject for the letters yet: say what the complaint is about as it reads after "
            "“your complaint about…” (until then the letters say “your complaint about "
            f"{subject_words.service_phrase(new.service_area)}”).",
        )
    if new.kind == RequestKind.COMPLAINT and not [i for i in new.issues if i.strip()]:
        advise(
            "issues",
            "No points listed yet: list the complainant's points, one per line, so "
            "each gets an answer (they can be added in the case file too).",
        )
    pasted = tidy_pasted("\n".join(new.issues))
    if pasted.changed:
        advise(
            "issues",
            "The points hold lines an email client added (quoted email, a signature, "
            "“Sent from my…”): take them out so the letters answer only the complainant's "
            "points.",
        )
    if new.subjects and policy.rules.subject_may_not_investigate:
        advise("subjects", "The staff named here may not investigate this complaint.")

    deadlines = None
    if not any(note.blocks for note in notes):
        deadlines = compute_deadlines(policy, route=new.route, stage=1, received=new.received)
    return Triage(tuple(notes), deadlines)


def create_case(ctx: Context, new: NewCase) -> CreatedCase:
    """Record ``new`` as a case at stage 1 with its clock started, and commit.

    Refuses (:class:`TriageRefused`, naming every reason) anything triage blocks, and anyone
    whose login is not an active officer's
    (:class:`~caseworker.domain.refusals.NotAnOfficer`): every officer records complaints
    (:func:`~caseworker.services.permissions.why_not_record`, as ``caseworker import`` does).
    """
    with ctx.unit() as uow:
        created = record_case(uow, new, today=ctx.today(), policy_lookup=ctx.policy)
        uow.commit()
        return created


def record_case(
    uow: UnitOfWork, new: NewCase, *, today: dt.date, policy_lookup: PolicyLookup = installed_policy
) -> CreatedCase:
    """:func:`create_case`'s checks and its new case, inside a unit of work the caller commits
    (an email recorded as a case with its correspondence composes it)."""
    officer = acting_officer(uow)
    policy = policy_lookup(new.policy_id)
    result = triage(new, today=today, policy=policy)
    if not result.ok:
        raise TriageRefused(result.problems)
    check_record(officer, service_area=new.service_area.strip())

    complainant = None
    if not new.anonymous:
        p = new.complainant
        complainant = Complainant(
            name=p.name.strip(),
            title=names.title_word(p.title),
            addressed_as=p.addressed_as.strip(),
            address=p.address.strip(),
            postcode=p.postcode.strip().upper(),
            email=p.email.strip(),
            phone=p.phone.strip(),
            preferred_contact=p.preferred_contact,
            reasonable_adjustments=p.reasonable_adjustments.strip(),
            adjustments_public=p.adjustments_public.strip(),
            adjustments_review_on=p.adjustments_review_on,
            vulnerabilities=p.vulnerabilities.strip(),
        )
    session = uow.session
    case = Case(
        reference=next_reference(session, new.received.year),
        policy_id=policy.id,
        route=new.route,
        stage=1,
        received=new.received,
        channel=new.channel,
        service_area=new.service_area.strip(),
        summary=new.summary.strip(),
        complaint_subject=subject_words.phrase(new.complaint_subject),
        anonymous=new.anonymous,
        time_limit_waived_by=new.waived_by.strip(),
        complainant=complainant,
        recorded_by_id=officer.id,  # who took it sees it until it is allocated
    )
    referrer = new.referrer
    if referrer is not None:
        case.referrer_name = referrer.name.strip()
        case.referrer_role = referrer.role
        case.referrer_title = names.title_word(referrer.title)
        case.referrer_addressed_as = referrer.addressed_as.strip()
        case.referrer_address = referrer.address.strip()
    rep = new.representative
    if rep is not None and not new.anonymous:
        case.representative = Representative(
            name=rep.name.strip(),
            title=names.title_word(rep.title),
            addressed_as=rep.addressed_as.strip(),
            relationship_to_complainant=rep.relationship.strip(),
            address=rep.address.strip(),
            email=rep.email.strip(),
            phone=rep.phone.strip(),
            consent_received=rep.consent_received,
        )
    elif referrer is not None and referrer.consent_received is not None and not new.anonymous:
        role = "MP" if referrer.role == ReferrerRole.MP else "Councillor"
        case.representative = Representative(
            name=referrer.name.strip(),
            title=names.title_word(referrer.title),
            addressed_as=referrer.addressed_as.strip(),
            relationship_to_complainant=role,
            address=referrer.address.strip(),
            consent_received=referrer.consent_received,
        )
    number = 0
    for text in new.issues:
        if text.strip():
            number += 1
            case.issues.append(Issue(number=number, summary=text.strip()))
    for name in new.subjects:
        if name.strip():
            case.subjects.append(CaseSubject(name=name.strip()))
    refresh_clock(case, policy)
    session.add(case)
    session.flush()
    return CreatedCase(case.id, case.reference, case.acknowledge_by, case.respond_by)


def service_areas(ctx: Context) -> list[str]:
    """The service areas cases have been recorded under, for the new-case form's suggestions
    (names of council services, no case's content: any officer may have them)."""
    with ctx.unit() as uow:
        acting_officer(uow)
        rows = uow.session.execute(service_areas_query())
        return [area for (area,) in rows if area]


def service_areas_query() -> Select[str]:
    """The service areas cases are recorded under, in order: one look into the cases'
    service-area index for each (the next area is the least one after the last), not a walk of
    the whole index as ``SELECT DISTINCT`` made (25 ms on PostgreSQL at 250,000 cases, and
    growing with them, to find a dozen areas)."""
    cases = Case.__table__.c
    areas = select(func.min(cases.service_area).label("area")).cte("areas", recursive=True)
    after = select(func.min(cases.service_area)).where(cases.service_area > areas.c.area)
    areas = areas.union_all(select(after.scalar_subquery()).where(areas.c.area.is_not(None)))
    return select(areas.c.area).where(areas.c.area.is_not(None)).order_by(areas.c.area)


def default_policy_id(ctx: Context) -> str | None:
    """The policy a new case most likely comes under: that of the last case recorded, unless
    that was the baseline code (not a council's own policy)."""
    with ctx.unit() as uow:
        acting_officer(uow)
        latest = uow.session.execute(
            select(Case.policy_id).order_by(Case.id.desc()).limit(1)
        ).scalar_one_or_none()
    councils = [p.id for p in ctx.policies() if not p.baseline]
    if latest in councils:
        return latest
    return councils[0] if councils else latest


def adjustments_blocked(has_complainant: bool) -> str | None:
    """Why no adjustments can be recorded on a case (None: they can). The Overview tab enables
    its adjustments by this; :func:`record_adjustments` refuses with it."""
    if not has_complainant:
        return "an anonymous complaint has no complainant to record adjustments for"
    return None


def record_adjustments(
    ctx: Context,
    case_id: int,
    adjustments: str,
    review_on: dt.date | None,
    *,
    public: str | None = None,
) -> None:
    """Record the reasonable adjustments agreed with the complainant and when to review them:
    ``adjustments`` as officers note them for each other, ``public`` (unchanged when None) as
    the complainant would read them, which is all the letters print."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.WORK)
        blocked = adjustments_blocked(case.complainant is not None)
        if blocked is not None:
            raise Refused(blocked)
        assert case.complainant is not None
        case.complainant.reasonable_adjustments = adjustments
        if public is not None:
            case.complainant.adjustments_public = public.strip()
        case.complainant.adjustments_review_on = review_on
        uow.commit()


class Addressed(StrEnum):
    """Whose name and form of address a case records."""

    COMPLAINANT = "complainant"
    REPRESENTATIVE = "representative"
    REFERRER = "referrer"
    """The councillor or MP the complaint came through."""


def why_not_addressing(
    who: Addressed,
    *,
    reference: str,
    has_complainant: bool,
    has_representative: bool,
    referrer_name: str,
) -> str | None:
    """Why ``who``'s title and form of address cannot be recorded (None: they can). The
    Overview tab enables its fields by this; :func:`record_addressing` refuses with it."""
    if who == Addressed.COMPLAINANT and not has_complainant:
        return "an anonymous complaint has no complainant to address"
    if who == Addressed.REPRESENTATIVE and not has_representative:
        return f"nobody acts for the complainant on {reference}"
    if who == Addressed.REFERRER and not referrer_name.strip():
        return f"{reference} did not come through a councillor or MP"
    return None


def record_addressing(
    ctx: Context, case_id: int, who: Addressed, *, title: str, addressed_as: str
) -> str:
    """Record ``who``'s title and how they like to be addressed; the salutation the letters
    will now use ("Mrs van der Berg", "Sir Paddy")."""
    with ctx.unit() as uow:
        _, case = authorise(uow, case_id, Action.WORK)
        why = why_not_addressing(
            who,
            reference=case.reference,
            has_complainant=case.complainant is not None,
            has_representative=case.representative is not None,
            referrer_name=case.referrer_name or "",
        )
        if why is not None:
            raise Refused(why)
        spelt, addressed_as = names.title_word(title), " ".join(addressed_as.split())
        if who == Addressed.REFERRER:
            case.referrer_title, case.referrer_addressed_as = spelt, addressed_as
            result = names.referrer_salutation(
                case.referrer_name, case.referrer_role, spelt, addressed_as
            )
        else:
            person = case.complainant if who == Addressed.COMPLAINANT else case.representative
            assert person is not None
            person.title, person.addressed_as = spelt, addressed_as
            result = names.salutation(person.name, spelt, addressed_as)
        uow.commit()
        return result
