"""The shape of a council policy file (``policies/<id>.toml``).

TOML has no null: an optional value the policy does not set is simply left out of the file, with a
comment saying so.

Every key a policy file may hold is declared here; anything else is refused when the file is
loaded (see :mod:`caseworker.policy.loader`, which turns a validation error into a message naming
the file, the key and the line). Numbers have bounds so that an impossible value (a 400-day
target, a negative window) is refused rather than believed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from caseworker.domain.enums import ContactMethod, RouteId, SendMethod

WorkingDays = Annotated[int, Field(ge=1, le=130)]
"""A target in working days: at least one, at most about six months."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Contact(_Strict):
    """Someone a letter points the complainant to (the stage 2 team, an Ombudsman...)."""

    name: str = Field(min_length=1)
    organisation: str | None = None
    address: list[str] = []
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    online_form: str | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.address or self.phone or self.email or self.website or self.online_form):
            raise ValueError("a contact needs at least one of address, phone, email or website")
        return self


class Window(_Strict):
    """How long a complainant has to ask for the next stage."""

    length: int = Field(ge=1, le=365)
    unit: Literal["working-days", "calendar-days", "months"]


class DeemedReceipt(_Strict):
    """When a response sent one way counts as received (Warwickshire appendix 3)."""

    method: SendMethod = Field(strict=False)
    days: int = Field(ge=0, le=10)
    unit: Literal["calendar-days", "working-days"]


class Milestone(_Strict):
    """A dated duty inside a stage, before or at its response (Warwickshire appendix 3, children's
    stage 3: "30+5+15" — the panel, its report, the Assistant Director's reply)."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    days: WorkingDays
    """Working days after ``after``."""
    after: str = "start"
    """``start`` (the stage's clock start) or the id of an earlier milestone of the stage."""


class Stage(_Strict):
    number: int = Field(ge=1, le=3)
    name: str = Field(min_length=1)
    handled_by: str = Field(min_length=1)
    acknowledge_days: WorkingDays | None = None
    """Working days from receipt to acknowledge; omitted where the stage sets no target."""
    respond_days: WorkingDays
    respond_from: Literal["receipt", "acknowledgement"]
    """When the response clock starts: on receipt, or on acknowledgement (seed 002, the Code)."""
    extension_days: int = Field(ge=0, le=130)
    """The longest extension beyond ``respond_days``, in working days; 0 where none is allowed."""
    extension_borrowed_from: str | None = Field(default=None, min_length=1)
    """Where ``extension_days`` comes from when the council's own text sets no limit (e.g. "the
    Complaint Handling Code"); left out where the limit is the council's own."""
    extension_in_writing: bool
    """The complainant must be told of an extension in writing (Southampton stage 2)."""
    extension_gives_ombudsman: bool
    """An extension letter must give the Ombudsman's details (seed 002 stage 2, Stoke, the Code)."""
    escalation_request: Literal["none", "any", "reason-required"]
    """How a complainant enters this stage from the one before: ``none`` for the first stage;
    ``any`` where any request is accepted; ``reason-required`` where the policy demands reasons."""
    escalation_request_in: Literal["any-form", "writing", "email"] = "any-form"
    """How the request to enter this stage must be made: ``writing`` (seed 002: "submitted in
    writing"; Southampton 22), ``email`` (Stoke: "Please contact us by email"), or in any form."""
    escalation_decision_days: WorkingDays | None = None
    """Working days to decide whether to accept a request into this stage, where the policy says."""
    escalation_window: Window | None = None
    """The window to ask for the next stage, from when this stage's response is deemed received;
    omitted where the policy sets none (or this is the last stage)."""
    handler_must_differ: bool
    """The handler may not be the person who handled the stage before (Southampton, the Code)."""
    letter_must_include: list[
        Literal[
            "stage",
            "understanding",
            "steps-taken",
            "evidence",
            "decision",
            "reasons",
            "remedy",
            "outstanding-actions",
            "policy-changes",
            "next-stage",
            "ombudsman",
        ]
    ]
    """What the response letter at this stage must contain, beyond Appendix A's outcome rules."""
    next_contact: str
    """Key into ``contacts`` of where a dissatisfied complainant goes after this stage."""
    milestones: list[Milestone] = []
    """Dated duties inside the stage, each counted in working days from the stage's start or from
    the one before it; the last may not fall after ``respond_days``."""

    @model_validator(mode="after")
    def _milestones_chain(self) -> Stage:
        reached: dict[str, int] = {"start": 0}
        for milestone in self.milestones:
            if milestone.id in reached:
                raise ValueError(f"milestone '{milestone.id}' is listed twice (or named 'start')")
            if milestone.after not in reached:
                raise ValueError(
                    f"milestone '{milestone.id}' comes after '{milestone.after}', which is not "
                    "'start' or an earlier milestone of the stage"
                )
            reached[milestone.id] = reached[milestone.after] + milestone.days
            if reached[milestone.id] > self.respond_days:
                raise ValueError(
                    f"milestone '{milestone.id}' falls {reached[milestone.id]} working days into "
                    f"the stage, after its response is due ({self.respond_days})"
                )
        return self


class Route(_Strict):
    id: RouteId = Field(strict=False)
    name: str = Field(min_length=1)
    statutory: bool
    ombudsman: Literal["lgsco", "housing-ombudsman"]
    reply_to: Literal["complainant", "referrer"] = "complainant"
    """``referrer``: the response goes to the councillor or MP who raised it (Stockport)."""
    stages: list[Stage] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _stages_in_order(self) -> Route:
        numbers = [stage.number for stage in self.stages]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"stages must be numbered 1, 2, 3 in order; found {numbers}")
        if self.stages[0].escalation_request != "none":
            raise ValueError("stage 1 has no escalation request: set escalation_request = 'none'")
        for stage in self.stages[1:]:
            if stage.escalation_request == "none":
                raise ValueError(
                    f"stage {stage.number} needs escalation_request 'any' or 'reason-required'"
                )
        return self


class Clock(_Strict):
    closure_days: list[dt.date] = []
    """Days the council is closed beyond weekends and bank holidays (e.g. a Christmas closure)."""
    start_on_non_working_day: Literal["next-working-day", "that-day"] = "next-working-day"
    """How every count starts from an event (a complaint received, an acknowledgement, a letter
    posted, a response deemed received, a request for the next stage, a decision) that falls on a
    weekend, bank holiday or closure day: ``next-working-day`` — the event counts as happening on
    the next working day, which is day 0; ``that-day`` — the day itself is day 0, so "within 5
    working days" ends on the 5th working day after it. On a working day both are the same."""


class TimeLimit(_Strict):
    months: int = Field(ge=1, le=120)
    """A complaint should be made within this many months of ``runs_from``."""
    runs_from: Literal["awareness", "event"] = "awareness"
    """``awareness``: from when the complainant first became aware of the matter (the Complaint
    Handling Code, Stockport 1.9); ``event``: from the occurrence or incident complained of
    (Southampton 19). Triage asks for that date."""
    waived_by: str = Field(min_length=1)


class Retention(_Strict):
    years_after_closure: int | None = Field(default=None, ge=1, le=100)
    """Keep complaint records this long after closure; omitted where the policy sets no period."""


class Complainants(_Strict):
    anonymous: Literal["accepted", "refused", "safeguarding-only"]
    representative_consent: Literal["not-required", "written", "signed"]
    reasonable_adjustments_recorded: bool
    telephone_confirmed_in_writing: bool = False
    """A complaint made by telephone is confirmed in writing (Southampton 16: "By Telephone
    (written confirmation will be required)")."""
    """The policy promises to record and review agreed adjustments and disclosed vulnerabilities."""


class MemberEnquiries(_Strict):
    """Councillors and MPs writing for a constituent."""

    handling: Literal["enquiry-route", "complaint", "outside-process"]
    """``enquiry-route``: a separate member-enquiry route (Stockport, 10 working days);
    ``complaint``: handled as a complaint; ``outside-process``: a representation dealt with outside
    the complaints process unless signed consent makes it a complaint (Southampton)."""
    reply_to_member: bool


class Exclusion(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    text: str = Field(min_length=1)


class Suspension(_Strict):
    grounds: list[str] = Field(min_length=1)
    decided_by: str


class Discontinuation(_Strict):
    min_contact_attempts: int = Field(ge=1, le=10)
    distinct_methods: bool
    """The attempts use different methods, as many as the case has (Warwickshire 7: "by
    different methods (where we have alternative contact methods, such as email addresses,
    telephone numbers or postal addresses)"): a complainant reachable only by email can still be
    discontinued after the attempts by email."""
    decided_by: str
    in_writing: bool


class Withdrawal(_Strict):
    confirm_in_writing: bool
    ask_to_report_misunderstanding: bool
    """The confirmation asks the complainant to say at once if the intention was misunderstood."""
    verbal_confirmation_requested: bool = False
    """A withdrawal made verbally is confirmed in writing by the complainant, who is asked for it
    (Southampton 24: "withdrawn verbally (written confirmation will be requested)")."""


class FurtherInformation(_Strict):
    """A request for further information after a stage's response, answered with the information
    and not treated as a request for the next stage (Stockport Appendix A)."""

    after_stage: int = Field(ge=1, le=3)


class Mediation(_Strict):
    """Informal mediation offered instead of a stage (Southampton 22)."""

    invited_by: str = Field(min_length=1)
    at_any_stage: bool
    outcome_in_writing: bool
    """The outcome is written to the complainant with the options to escalate."""


class Referral(_Strict):
    """A stage taken over by a central team instead of the service (Southampton 22: the
    Complaints Resolution Team)."""

    at_stage: int = Field(ge=1, le=3)
    to: str
    """Key into ``contacts``."""
    grounds: list[str] = Field(min_length=1)
    complainant_told_reasons: bool
    timescale_may_change: bool
    """The referral may change the stage's timescale; the complainant is told the new one."""


class Reopening(_Strict):
    authorised_by: str
    grounds: list[str] = Field(min_length=1)


class ContactRestrictions(_Strict):
    notify_within_working_days: WorkingDays
    decided_by: str
    appeal_to: str


class Rules(_Strict):
    subject_may_not_investigate: bool
    """Nobody investigates a complaint about themselves (Stockport Appendix A)."""
    home_visit_risk_assessment: bool
    ombudsman_details_in_every_letter: bool
    """Every contact gives the relevant Ombudsman's details (Stoke)."""
    refusal_gives_ombudsman: bool
    """A decision not to take a complaint gives the right to go to the Ombudsman (Stoke, seed
    002)."""
    outstanding_actions_tracked: bool
    """Respond when the answer is known and track outstanding actions (Stoke, the Code)."""
    tenants_panel_option: bool = False
    """Council tenants may choose a Tenants Panel review at stage 2 (Southampton)."""
    suspension: Suspension | None = None
    discontinuation: Discontinuation | None = None
    withdrawal: Withdrawal
    further_information: FurtherInformation | None = None
    mediation: Mediation | None = None
    referral: Referral | None = None
    reopening: Reopening | None = None
    contact_restrictions: ContactRestrictions | None = None
    offline_copy_days: int = Field(default=14, ge=1, le=365)
    """How many days cases may stay on an officer's offline copy (a laptop) before the app warns
    that they should be brought back: a council's information-governance setting."""


class Policy(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    council: str = Field(min_length=1)
    short_name: str = ""
    """What the app calls the council where its name belongs in a sentence or a column ("Stockport
    Council"); empty: :attr:`council`. A file whose ``council`` describes rather than names (a
    text that names no council) sets one."""
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    baseline: bool = False
    """True only for the Complaint Handling Code, the baseline councils are measured against."""
    clock: Clock
    time_limit: TimeLimit
    retention: Retention
    complainants: Complainants
    member_enquiries: MemberEnquiries
    deemed_receipt: list[DeemedReceipt] = Field(min_length=1)
    routes: list[Route] = Field(min_length=1)
    contacts: dict[str, Contact]
    exclusions: list[Exclusion] = []
    rules: Rules
    placeholders: list[str] = []
    """Dotted keys whose values are still placeholders the council must replace (``council``,
    ``contacts.information-governance.address``); ``caseworker policies --check`` warns of each
    until it is removed from this list."""

    @property
    def council_name(self) -> str:
        """The council's name as the app shows it: :attr:`short_name`, else :attr:`council`."""
        return self.short_name.strip() or self.council

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        route_ids = [route.id for route in self.routes]
        if len(set(route_ids)) != len(route_ids):
            raise ValueError(f"a route is listed twice: {route_ids}")
        methods = {rule.method for rule in self.deemed_receipt}
        missing = set(SendMethod) - methods
        if missing:
            raise ValueError(
                "deemed_receipt must cover every sending method; missing "
                + ", ".join(sorted(missing))
            )
        for route in self.routes:
            for stage in route.stages:
                if stage.next_contact not in self.contacts:
                    raise ValueError(
                        f"route {route.id} stage {stage.number}: next_contact "
                        f"'{stage.next_contact}' is not in [contacts]"
                    )
            if route.ombudsman not in self.contacts:
                raise ValueError(
                    f"route {route.id}: ombudsman '{route.ombudsman}' is not in [contacts]"
                )
        referral = self.rules.referral
        if referral is not None and referral.to not in self.contacts:
            raise ValueError(f"rules.referral.to '{referral.to}' is not in [contacts]")
        for dotted in self.placeholders:
            if _value_at(self, dotted) is _MISSING:
                raise ValueError(f"placeholders: '{dotted}' is not a value of this policy")
        if self.member_enquiries.handling == "enquiry-route" and (
            RouteId.MEMBER_ENQUIRY not in route_ids
        ):
            raise ValueError(
                "member_enquiries.handling is 'enquiry-route' but no route has id 'member-enquiry'"
            )
        return self

    def route(self, route_id: RouteId | str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(
            f"policy {self.id} has no route '{route_id}'; it has "
            + ", ".join(r.id for r in self.routes)
        )

    def stage(self, route_id: RouteId | str, number: int) -> Stage:
        route = self.route(route_id)
        for stage in route.stages:
            if stage.number == number:
                return stage
        raise KeyError(f"policy {self.id} route {route_id} has no stage {number}")

    def deemed(self, method: SendMethod | str) -> DeemedReceipt:
        return next(rule for rule in self.deemed_receipt if rule.method == method)

    def placeholder_values(self) -> list[tuple[str, str]]:
        """(key, text) of every value still to be set: the keys listed in ``placeholders``, and
        any contact detail written wholly in brackets, like "(set its address here)"."""
        found: list[tuple[str, str]] = []
        for dotted in self.placeholders:
            value = _value_at(self, dotted)
            found.append((dotted, "; ".join(value) if isinstance(value, list) else str(value)))
        listed = {key for key, _ in found}
        for key, contact in self.contacts.items():
            for name in ("address", "phone", "email", "website", "online_form"):
                value = getattr(contact, name)
                details = value if isinstance(value, list) else [value]
                for detail in details:
                    text = (detail or "").strip()
                    dotted = f"contacts.{key}.{name}"
                    if text.startswith("(") and text.endswith(")") and dotted not in listed:
                        found.append((dotted, text))
                        listed.add(dotted)
        return found


_MISSING = object()


def _value_at(policy: Policy, dotted: str) -> object:
    """The value at a dotted key (``contacts.lgsco.address``), or ``_MISSING``."""
    value: object = policy
    for part in dotted.split("."):
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, BaseModel) and part in type(value).model_fields:
            value = getattr(value, part)
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


__all__ = [
    "Contact",
    "ContactMethod",
    "Milestone",
    "Policy",
    "Route",
    "Stage",
    "Window",
]
