"""Example cases for every kind of letter: used by the tests and to make ``docs/letters/``.

The cases are built as plain ORM objects (not saved), with invented people and places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from caseworker.domain.enums import (
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    LetterKind,
    Outcome,
    ReferrerRole,
    Role,
    RouteId,
)
from caseworker.storage.models import (
    Case,
    Complainant,
    ContactAttempt,
    Extension,
    Interview,
    Issue,
    Officer,
    Representative,
)

LETTER_DATE = dt.date(2026, 3, 27)


def officer(
    role: Role = Role.INVESTIGATING_OFFICER,
    name: str = "Daniel Hughes",
    area: str = "Waste and Recycling",
) -> Officer:
    email = name.lower().replace(" ", ".") + "@example.gov.uk"
    return Officer(name=name, email=email, role=role, service_area=area, active=True)


TOWNS = {
    "stockport": ("Heaton Moor\nStockport", "SK4 2AB"),
    "stoke-on-trent": ("Hanley\nStoke-on-Trent", "ST1 4PQ"),
    "southampton": ("Bitterne\nSouthampton", "SO18 5AB"),
    "warwickshire": ("Kenilworth\nWarwickshire", "CV8 1AB"),
    "information-governance": ("Heaton Moor\nStockport", "SK4 2AB"),
}
"""Where each example council's complainant lives: a Stoke-on-Trent letter goes to Stoke."""


def complainant(name: str = "Mrs Asha Patel", policy_id: str = "stockport") -> Complainant:
    town, postcode = TOWNS.get(policy_id, TOWNS["stockport"])
    return Complainant(
        name=name,
        address=f"12 Acacia Avenue\n{town}\n{postcode}",
        postcode=postcode,
        email="asha.patel@example.com",
        phone="",
        reasonable_adjustments="",
        vulnerabilities="",
    )


def base_case(
    policy_id: str = "stockport",
    route: RouteId = RouteId.CORPORATE,
    stage: int = 1,
    outcome: Outcome | None = None,
    **values: object,
) -> Case:
    case = Case(
        reference="CW-2026-00042",
        policy_id=policy_id,
        route=route,
        stage=stage,
        received=dt.date(2026, 3, 2),
        channel=Channel.EMAIL,
        service_area="Waste and Recycling",
        summary="Missed bin collections at 12 Acacia Avenue",
        complaint_subject="missed bin collections at 12 Acacia Avenue",
        anonymous=False,
        referrer_name="",
        referrer_address="",
        understanding=(
            "You told us that your grey bin at 12 Acacia Avenue was not emptied on three "
            "Tuesdays in a row in February. When you phoned to report it, nobody called you back "
            "as promised."
        ),
        steps_taken="",
        evidence_considered="",
        settlement_terms="",
        escalation_refusal_reasons="",
        outcome=outcome,
    )
    case.complainant = complainant(policy_id=policy_id)
    case.officer = officer()
    for key, value in values.items():
        setattr(case, key, value)
    return case


def bin_issues(*findings: Finding | None) -> list[Issue]:
    texts: list[dict[str, Any]] = [
        dict(
            summary="My grey bin was not emptied on three Tuesdays in a row in February.",
            explanation=(
                "Our collection records show that the crew missed your road on 3, 10 and 17 "
                "February. A new route was brought in on 2 February and your road was left off "
                "the crew's list by mistake. This should not have happened."
            ),
            remedy=(
                "Your road was added back to the route on 20 February and your bin has been "
                "emptied every week since. We have also refunded the £35 you paid for an extra "
                "collection."
            ),
            lesson_learnt=(
                "Every new route is now checked against the address list before it starts."
            ),
            action="Ask depot for weekly collection logs for Acacia Ave till end Apr",
            action_public="We will check your collections each week until the end of April.",
            action_due=dt.date(2026, 4, 30),
        ),
        dict(
            summary="When I phoned to report it, I was told someone would call me back, but "
            "nobody did.",
            explanation=(
                "We have listened to the recording of your call on 10 February. You were told "
                "that the depot would call you back within two working days. We have no record "
                "that this happened, and I am sorry that it did not."
            ),
            remedy="I have spoken to the depot team about this, and I am writing to you myself.",
            lesson_learnt="Call-back requests are now logged and checked daily by a supervisor.",
            action="",
        ),
        dict(
            summary="The crew left rubbish on the pavement outside my house.",
            explanation=(
                "I looked at the photographs you sent and spoke to the crew supervisor. The "
                "rubbish on the pavement on 24 February came from a split bag put out by a "
                "neighbouring house, not from your bin. The crew reported it, and our street "
                "cleaning team cleared it the next morning. I understand how unpleasant this "
                "was, but I have not found that the crew did anything wrong."
            ),
            remedy="",
            lesson_learnt="",
            action="",
        ),
    ]
    issues = []
    for number, (finding, text) in enumerate(zip(findings, texts, strict=False), start=1):
        issues.append(Issue(number=number, finding=finding, **text))
    return issues


@dataclass(frozen=True)
class Example:
    name: str
    """The file name stem in docs/letters/."""
    title: str
    policy_id: str
    kind: LetterKind | None
    date: dt.date = LETTER_DATE

    def case(self) -> Case:
        return CASES[self.name]()


def _upheld() -> Case:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    return case


def _partially_upheld() -> Case:
    case = base_case(outcome=Outcome.PARTIALLY_UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD, Finding.NOT_UPHELD)
    return case


def _not_upheld() -> Case:
    case = base_case(
        outcome=Outcome.NOT_UPHELD,
        summary="Rubbish left on the pavement",
        complaint_subject="rubbish left on the pavement",
        understanding=(
            "You told us that the bin crew left rubbish on the pavement outside your house on "
            "24 February. You had to clear it up yourself."
        ),
    )
    issues = bin_issues(None, None, Finding.NOT_UPHELD)
    issues[2].number = 1
    case.issues = [issues[2]]
    return case


def _highways(case: Case) -> Case:
    """Warwickshire is a county council: it mends roads, and the districts collect bins."""
    case.service_area = "Highways"
    case.officer = officer(area="Highways")
    case.summary = "Pothole in Acacia Avenue"
    case.complaint_subject = "the pothole outside 12 Acacia Avenue that has not been repaired"
    case.understanding = (
        "You told us that you reported a deep pothole outside 12 Acacia Avenue in January, and "
        "that it has still not been repaired."
    )
    return case


def _withdrawn() -> Case:
    return _highways(
        base_case(
            policy_id="warwickshire",
            outcome=Outcome.WITHDRAWN,
            withdrawn_on=dt.date(2026, 3, 20),
            withdrawal_method=ContactMethod.PHONE,
        )
    )


def _settled() -> Case:
    return base_case(
        outcome=Outcome.SETTLED,
        settlement_terms=(
            "We will refund the £35 you paid for an extra collection by 10 April 2026.\n\n"
            "Your road has been added back to the Tuesday collection route, and we will check "
            "your collections each week until the end of April.\n\n"
            "You agreed that this settles your complaint."
        ),
    )


def _decision() -> Case:
    case = base_case(
        stage=2,
        outcome=Outcome.PARTIALLY_UPHELD,
        escalation_requested=dt.date(2026, 4, 14),
        understanding=(
            "You are unhappy with our stage 1 response of 27 March 2026. You say that the "
            "missed collections were not the only problem, that nobody returned your call, and "
            "that the crew left rubbish outside your home. You would like an apology and an "
            "assurance that this will not happen again."
        ),
        steps_taken=(
            "I read your complaint and our stage 1 response.\n"
            "I spoke to the Waste Operations Manager and the crew supervisor on 21 April.\n"
            "I listened to the recording of your call on 10 February."
        ),
        evidence_considered=(
            "The crew's collection records for February and March.\n"
            "The photographs you sent us on 25 February.\n"
            "The street cleaning log for 24 and 25 February."
        ),
    )
    case.officer = officer(Role.COMPLAINTS_MANAGER, "Grace Okafor", "Corporate Complaints")
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD, Finding.NOT_UPHELD)
    # By stage 2 the weekly checks promised at stage 1 run on: a date still to come.
    case.issues[0].action = "Ask depot for weekly collection logs for Acacia Ave till end Jun"
    case.issues[0].action_public = "We will check your collections each week until the end of June."
    case.issues[0].action_due = dt.date(2026, 6, 30)
    _reviewed(case.issues)
    return case


def _reviewed(issues: list[Issue]) -> None:
    """What the examples' issues say becomes the stage 2 review's own findings; stage 1's, kept
    beside them, found less (the decision letter must answer with stage 2's alone)."""
    for issue in issues:
        issue.stage2_finding = issue.finding
        issue.stage2_explanation = issue.explanation
        issue.stage2_remedy = issue.remedy
        issue.finding = Finding.NOT_UPHELD
        issue.explanation = "At stage 1 we found no fault on this point."
        issue.remedy = ""


def _housing_decision() -> Case:
    case = _decision()
    case.outcome = Outcome.UPHELD
    case.policy_id = "stoke-on-trent"
    case.route = RouteId.HOUSING
    case.service_area = "Housing Repairs"
    case.officer = officer(name="Nadia Rahman", area="Housing Repairs")
    case.summary = "Damp in a council flat not repaired"
    assert case.complainant is not None
    case.complainant.address = "Flat 7, Bethesda Court\nHanley\nStoke-on-Trent\nST1 3DP"
    case.complainant.postcode = "ST1 3DP"
    case.complaint_subject = "the damp in your council flat that has not been repaired"
    case.steps_taken = (
        "I read your complaint and our stage 1 response.\n"
        "I spoke to the Repairs Manager on 21 April.\n"
        "I asked a surveyor to inspect your flat, which they did on 22 April."
    )
    case.evidence_considered = (
        "Our repairs records for your flat since November 2025.\n"
        "The photographs of the bedroom wall you sent us.\n"
        "The surveyor's report of 22 April."
    )
    case.officer = officer(Role.COMPLAINTS_MANAGER, "Grace Okafor", "Customer Feedback")
    case.understanding = (
        "You rent your flat from the Council. You reported damp in the bedroom in November "
        "2025, and you are unhappy that it has still not been repaired."
    )
    case.issues = [
        Issue(
            number=1,
            summary="Damp in the bedroom has not been repaired since I reported it in November.",
            finding=Finding.UPHELD,
            explanation=(
                "Our repairs records show that an inspection was booked for 2 December but the "
                "surveyor's visit was cancelled and not rebooked. This was our failure."
            ),
            remedy=(
                "A surveyor visited on 22 April. The repair work is booked for 26 May. We "
                "have also offered you £150 for the time and trouble this has caused you."
            ),
            lesson_learnt="Cancelled inspections are now rebooked before they are closed.",
            action="Chase contractor re damp works order (job 4471)",
            action_public="We will finish the damp repair in your bedroom.",
            action_due=dt.date(2026, 5, 26),
        )
    ]
    _reviewed(case.issues)
    return case


def _acknowledgement() -> Case:
    case = base_case(
        policy_id="stoke-on-trent",
        understanding="You are unhappy that your grey bin was missed three weeks in a row and "
        "that nobody returned your call when you reported it.",
        respond_by=dt.date(2026, 3, 16),
    )
    assert case.complainant is not None
    case.complainant.reasonable_adjustments = (
        "Dyslexic: large print and email only. Phone before 11am (carer's hours)."
    )
    case.complainant.adjustments_public = (
        "We will send all letters to you by email in large print (16 point), and we will call "
        "you before 11am."
    )
    case.issues = bin_issues(None, None)
    return case


def _extension() -> Case:
    case = base_case(policy_id="stoke-on-trent")
    case.extensions = [
        Extension(
            stage=1,
            new_date=dt.date(2026, 4, 10),
            reason="We are waiting for records from the contractor who collects bins in "
            "your area, which we need to answer your complaint fully.",
        )
    ]
    return case


def _meeting() -> Case:
    case = base_case()
    case.interviews = [
        Interview(
            interviewee="Mrs Asha Patel",
            held_on=dt.date(2026, 3, 18),
            method=InterviewMethod.IN_PERSON,
            summary=(
                "We met at Heaton Moor Library. We went through the dates your bin was missed "
                "and the call you made on 10 February.\n\n"
                "We agreed that I will check the crew's records for February and contact the "
                "depot about the call-back you were promised. I will send you my full response "
                "by 30 March."
            ),
            further_information="",
        )
    ]
    return case


def _discontinuation() -> Case:
    case = _highways(base_case(policy_id="warwickshire", outcome=Outcome.DISCONTINUED))
    case.contact_attempts = [
        ContactAttempt(at=dt.datetime(2026, 3, 5, 10, 0), method=ContactMethod.EMAIL),
        ContactAttempt(at=dt.datetime(2026, 3, 10, 14, 30), method=ContactMethod.PHONE),
        ContactAttempt(at=dt.datetime(2026, 3, 13, 9, 0), method=ContactMethod.LETTER),
    ]
    return case


def _escalation_accepted() -> Case:
    case = base_case(
        policy_id="information-governance",
        stage=2,
        escalation_requested=dt.date(2026, 4, 14),
        respond_by=dt.date(2026, 5, 19),
        understanding="You are unhappy with our stage 1 response because you feel it did not "
        "explain why your road was left off the new collection route.",
    )
    # The points of the request for stage 2, not those stage 1 answered.
    case.issues = [
        Issue(
            number=1,
            summary="Your stage 1 response did not explain why my road was left off the new "
            "collection route.",
        ),
        Issue(
            number=2,
            summary="I want to know what you will do so that this does not happen again.",
        ),
    ]
    case.officer = officer(Role.COMPLAINTS_MANAGER, "Grace Okafor", "Information Governance")
    return case


def _escalation_refused() -> Case:
    case = base_case(
        policy_id="southampton",
        escalation_requested=dt.date(2026, 4, 14),
        escalation_refusal_reasons=(
            "Your request repeats the points we answered fully at stage 1, and you have not "
            "told us what you are still unhappy about. The missed collections have been put "
            "right and your refund has been paid, so a further investigation would be "
            "unlikely to change the outcome."
        ),
    )
    case.officer = officer(Role.LINE_MANAGER, "Priya Shah", "Waste and Recycling")
    return case


def _refused() -> Case:
    """Not taken on at stage 1: a parking fine has its own appeal (Stoke's excluded complaints),
    so the letter gives the reasons, the appeal instead and, where the policy says, the
    Ombudsman; never stage 2."""
    case = base_case(
        policy_id="stoke-on-trent",
        outcome=Outcome.REFUSED,
        received=dt.date(2026, 3, 2),
        service_area="Parking Services",
        summary="PCN on Wellington Road: wants it cancelled",
        complaint_subject="the parking fine you were given on Wellington Road",
        understanding="",
        refusal_reasons=(
            "Your complaint is about the parking fine (penalty charge notice) you were given on "
            "Wellington Road on 14 February. You ask us to cancel it. Parking fines have their "
            "own appeal process set down by law, so our complaints procedure cannot consider "
            "them."
        ),
        refusal_route=(
            "You can challenge the fine by making a formal representation to our Parking "
            "Services team, as the notice explains. Please do this within 28 days of the date "
            "of the notice. If they reject it, you can appeal to the Traffic Penalty Tribunal, "
            "which is independent of the Council."
        ),
    )
    case.officer = officer(Role.LINE_MANAGER, "Priya Shah", "Parking Services")
    return case


def _member_reply() -> Case:
    case = base_case(
        route=RouteId.MEMBER_ENQUIRY,
        channel=Channel.VIA_COUNCILLOR,
        outcome=Outcome.UPHELD,
        referrer_name="Councillor Jane Smith",
        referrer_role=ReferrerRole.COUNCILLOR,
        referrer_address="Stockport Town Hall\nEdward Street\nStockport\nSK1 3XE",
        received=dt.date(2026, 3, 9),
    )
    case.issues = bin_issues(Finding.UPHELD)
    _third_person(case.issues[0])
    case.understanding = (
        "Mrs Patel's grey bin at 12 Acacia Avenue was not emptied on three Tuesdays in a row in "
        "February. When she phoned to report it, nobody called her back as promised."
    )
    return case


def _third_person(issue: Issue) -> None:
    """Officers write about the complainant by name when the letter goes to someone else."""
    issue.explanation = issue.explanation.replace("missed your road", "missed Mrs Patel's road")
    issue.explanation = issue.explanation.replace("your road was", "her road was")
    issue.remedy = (
        issue.remedy.replace("Your road", "Mrs Patel's road")
        .replace("your bin", "her bin")
        .replace("you paid", "she paid")
    )
    issue.action_public = issue.action_public.replace("your collections", "Mrs Patel's collections")


def _representative() -> Case:
    case = base_case(outcome=Outcome.UPHELD)
    case.representative = Representative(
        name="Mr Tom Patel",
        relationship_to_complainant="son",
        address="4 Mill Lane\nCheadle\nSK8 1AA",
        email="",
        phone="",
        consent_received=dt.date(2026, 3, 3),
    )
    case.issues = bin_issues(Finding.UPHELD)
    _third_person(case.issues[0])
    case.understanding = (
        "Mrs Patel's grey bin at 12 Acacia Avenue was not emptied on three Tuesdays in a row in "
        "February. When she phoned to report it, nobody called her back as promised."
    )
    return case


def _housing_stage1() -> Case:
    """A Southampton tenant's repair complaint upheld at stage 1: the stage 2 paragraph offers
    the Tenants Panel (Southampton 4 and 22)."""
    case = base_case(policy_id="southampton", route=RouteId.HOUSING, outcome=Outcome.UPHELD)
    case.service_area = "Housing Repairs"
    case.officer = officer(name="Nadia Rahman", area="Housing Repairs")
    case.summary = "Kitchen window repair, 4 Weston Court"
    case.understanding = (
        "You reported in January that your kitchen window at 4 Weston Court needed repairing. "
        "It has still not been repaired, and nobody called you back when you phoned to ask why."
    )
    case.complaint_subject = "the repair to the kitchen window at 4 Weston Court"
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    repairs = [
        (
            "The kitchen window I reported in January has still not been repaired.",
            "Our repairs records show that the job was raised on 12 January but was closed by "
            "mistake when the contractor could not get the part. This should not have happened.",
            "A new job was raised on 10 March and the window will be repaired by 3 April.",
            "Jobs closed for a missing part are now checked by a supervisor each week.",
        ),
        (
            "Nobody told me what was happening, although I phoned three times.",
            "We have listened to your calls of 2, 9 and 16 February. Each time you were told "
            "someone would call you back, and nobody did.",
            "Your repairs officer will now call you each week until the window is repaired.",
            "Call-back requests are now logged and checked daily by a supervisor.",
        ),
    ]
    for issue, (summary, explanation, remedy, lesson) in zip(case.issues, repairs, strict=True):
        issue.summary, issue.explanation, issue.remedy, issue.lesson_learnt = (
            summary,
            explanation,
            remedy,
            lesson,
        )
        issue.action, issue.action_public, issue.action_due = "", "", None
    case.issues[0].action = "Chase the contractor for the part; book the repair"
    case.issues[0].action_public = "We will repair your kitchen window"
    case.issues[0].action_due = dt.date(2026, 4, 3)
    case.complainant = complainant()
    case.complainant.address = "4 Weston Court\nWeston\nSouthampton\nSO19 9AA"
    case.complainant.postcode = "SO19 9AA"
    return case


def _late() -> Case:
    """An upheld reply sent after the date the complainant was given, even after an extension."""
    case = _upheld()
    case.respond_by = dt.date(2026, 3, 25)
    case.extensions = [
        Extension(
            stage=1,
            new_date=dt.date(2026, 3, 25),
            reason="We were waiting for records from the contractor who collects bins in "
            "your area.",
        )
    ]
    return case


CASES = {
    "stage1-upheld-housing": _housing_stage1,
    "stage1-upheld-late": _late,
    "stage1-upheld": _upheld,
    "stage1-partially-upheld": _partially_upheld,
    "stage1-not-upheld": _not_upheld,
    "stage1-withdrawn": _withdrawn,
    "stage1-settled": _settled,
    "stage1-upheld-to-representative": _representative,
    "stage2-decision": _decision,
    "stage2-decision-housing": _housing_decision,
    "acknowledgement": _acknowledgement,
    "extension": _extension,
    "meeting": _meeting,
    "discontinuation": _discontinuation,
    "escalation-accepted": _escalation_accepted,
    "escalation-refused": _escalation_refused,
    "member-reply": _member_reply,
    "stage1-refused": _refused,
}

EXAMPLES = [
    Example("stage1-upheld", "Stage 1, upheld (Stockport)", "stockport", None),
    Example("stage1-partially-upheld", "Stage 1, partially upheld (Stockport)", "stockport", None),
    Example("stage1-not-upheld", "Stage 1, not upheld (Stockport)", "stockport", None),
    Example("stage1-withdrawn", "Withdrawal confirmed (Warwickshire)", "warwickshire", None),
    Example("stage1-settled", "Stage 1, settled (Stockport)", "stockport", None),
    Example(
        "stage1-upheld-to-representative",
        "Stage 1, upheld, to a representative (Stockport)",
        "stockport",
        None,
    ),
    Example(
        "stage2-decision",
        "Stage 2 final decision (Stockport, LGSCO)",
        "stockport",
        None,
        dt.date(2026, 5, 12),
    ),
    Example(
        "stage2-decision-housing",
        "Stage 2 final decision, council housing (Stoke-on-Trent, Housing Ombudsman)",
        "stoke-on-trent",
        None,
        dt.date(2026, 5, 12),
    ),
    Example(
        "acknowledgement",
        "Acknowledgement (Stoke-on-Trent)",
        "stoke-on-trent",
        LetterKind.ACKNOWLEDGEMENT,
        dt.date(2026, 3, 3),
    ),
    Example(
        "extension",
        "Extension (Stoke-on-Trent)",
        "stoke-on-trent",
        LetterKind.EXTENSION,
        dt.date(2026, 3, 13),
    ),
    Example(
        "meeting",
        "Meeting confirmation (Stockport)",
        "stockport",
        LetterKind.MEETING,
        dt.date(2026, 3, 19),
    ),
    Example(
        "discontinuation",
        "Discontinuation (Warwickshire)",
        "warwickshire",
        None,
        dt.date(2026, 3, 24),
    ),
    Example(
        "escalation-accepted",
        "Stage 2 request accepted (Information Governance Team council)",
        "information-governance",
        LetterKind.ESCALATION_ACCEPTED,
        dt.date(2026, 4, 20),
    ),
    Example(
        "escalation-refused",
        "Stage 2 request refused (Southampton)",
        "southampton",
        LetterKind.ESCALATION_REFUSED,
        dt.date(2026, 4, 20),
    ),
    Example("member-reply", "Reply to a councillor's enquiry (Stockport)", "stockport", None),
    Example(
        "stage1-upheld-housing",
        "Stage 1, upheld, council housing: the Tenants Panel at stage 2 (Southampton)",
        "southampton",
        None,
    ),
    Example("stage1-upheld-late", "Stage 1, upheld, sent late (Stockport)", "stockport", None),
    Example(
        "stage1-refused",
        "Stage 1, not taken on: a parking fine has its own appeal (Stoke-on-Trent)",
        "stoke-on-trent",
        None,
        dt.date(2026, 3, 6),
    ),
]
