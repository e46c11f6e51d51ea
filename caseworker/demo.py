"""Realistic synthetic cases for demonstrations, training and benchmarks.

:func:`generate_demo` fills a database with ``n`` complaints spread over every route of every
installed policy and every outcome, plus open cases (some overdue), cases at stage 2 (and stage 3
where a route has one), complaints raised through a councillor or MP, representatives, staff named
in complaints, issues with findings and explanations, investigation notes of each kind, interviews
and contact attempts. Officers are created for each role and service area.

Nobody in it is real. Names are invented from small lists that only ever make unlikely
combinations ("Morwenna Quillthorpe"); streets and towns are made up; postcodes look like
postcodes but cannot exist (outward codes start with Q, which no postcode area uses, and inward
codes end in letters the Royal Mail never uses there); phone numbers are Ofcom's drama numbers and
email addresses are at the reserved example.com/.org/.net domains.

The same seed and ``today`` give the same database. Due dates are computed on each policy's
working-day clock with :func:`caseworker.services.cases.records.refresh_clock`, exactly as for
a case saved through the app.

Speed: rows go in with SQLAlchemy Core ``insert()`` in batches inside a single transaction, with
explicit primary keys. That bypasses the per-row audit trail (which hooks the ORM's flush); instead
one audit event, "demo data generated: N cases", records the run. Use it on a database nobody else
is writing to at the time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    InterviewMethod,
    NoteKind,
    Outcome,
    ReferrerRole,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.policy.deadlines import policy_calendar
from caseworker.policy.schema import Policy, Route
from caseworker.services.cases.records import REFERENCE_PREFIX, refresh_clock
from caseworker.storage.models import (
    AuditEvent,
    Case,
    CaseSubject,
    Complainant,
    ContactAttempt,
    Counter,
    Extension,
    Interview,
    Issue,
    Note,
    Officer,
    Representative,
    Suspension,
)

DEMO_ACTOR = "demo"
BATCH = 2000
"""Cases per batch of inserts (and between progress lines, rounded up to PROGRESS_EVERY)."""
PROGRESS_EVERY = 5000
"""Cases between two progress lines."""
HISTORY_DAYS = 540
"""Closed cases were received up to this many days ago..."""
CASES_PER_YEAR = 40_000
"""...or further back for a big demo, so that no year has more than about this many closed cases
(references keep their five digits, and reports by year look like a large council's)."""

# --------------------------------------------------------------------------------------------
# Word lists: invented, and combined so that no real person is named.
# --------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Ambrose",
    "Beatrix",
    "Cedric",
    "Delphine",
    "Ebenezer",
    "Florentyna",
    "Gideon",
    "Honoria",
    "Ignatius",
    "Jemima",
    "Lysander",
    "Morwenna",
    "Nathaniel",
    "Ottoline",
    "Peregrine",
    "Philippa",
    "Quentin",
    "Rosalind",
    "Septimus",
    "Tabitha",
    "Ulric",
    "Verity",
    "Wilfred",
    "Xanthe",
    "Yorick",
    "Zillah",
    "Araminta",
    "Barnaby",
    "Clementine",
    "Desmond",
    "Euphemia",
    "Fitzroy",
    "Griselda",
    "Horatio",
    "Isadora",
    "Jocasta",
    "Leopold",
    "Marigold",
    "Oswin",
    "Persephone",
    "Rupert",
    "Seraphina",
    "Thaddeus",
    "Winifred",
    "Aurelia",
    "Bartholomew",
    "Cordelia",
    "Eustace",
    "Felicity",
    "Hermione",
)
SURNAME_STARTS = (
    "Bracken",
    "Thistle",
    "Marrow",
    "Quill",
    "Wren",
    "Ember",
    "Hollow",
    "Fenn",
    "Larch",
    "Pebble",
    "Nettle",
    "Bramble",
    "Sorrel",
    "Tansy",
    "Wick",
    "Alder",
    "Heron",
    "Juniper",
    "Moss",
    "Rook",
)
SURNAME_ENDS = (
    "thorpe",
    "combe",
    "ridge",
    "wick",
    "hurst",
    "dale",
    "stead",
    "worth",
    "by",
    "ford",
    "mere",
    "holt",
    "well",
    "gate",
    "ley",
)
STREETS = (
    "Larkspur",
    "Brackenbury",
    "Quillby",
    "Fennick",
    "Pebblecombe",
    "Thistledown",
    "Marrowgate",
    "Wrenfield",
    "Emberley",
    "Hollowmere",
    "Nettlebed",
    "Sorrelwick",
    "Tansyford",
    "Alderholt",
    "Juniper Hill",
    "Rookwell",
    "Mossgate",
    "Heronsby",
    "Brambleigh",
    "Larchmoor",
)
STREET_KINDS = (
    "Road",
    "Lane",
    "Crescent",
    "Close",
    "Gardens",
    "Row",
    "Walk",
    "Avenue",
    "Way",
    "Drive",
    "Terrace",
    "Mews",
)
TOWNS = (
    "Nettleford",
    "Hollowmere",
    "Marrowgate",
    "Larchmoor",
    "Quillbury",
    "Wrenthorpe Vale",
    "Emberton",
    "Pebbleworth",
    "Thistlecombe",
    "Sorrelby",
)
POSTCODE_AREA = "QABDEFGHJLMNPRSTWXY"
"""Second letters after the Q that no real postcode area starts with."""
POSTCODE_UNIT = "CIKMOV"
"""Letters the Royal Mail never uses at the end of a postcode."""
RELATIONSHIPS = (
    "daughter",
    "son",
    "wife",
    "husband",
    "partner",
    "friend",
    "neighbour",
    "advocate (Citizens Advice)",
    "carer",
    "solicitor",
)
ADJUSTMENTS = (
    "Large print (16pt) for every letter.",
    "Please telephone after 2pm; no voicemail.",
    "A British Sign Language interpreter at any meeting.",
    "Letters read over the phone as well as posted.",
    "Meetings on the ground floor, with step-free access.",
    "Plain English and short letters, please; dyslexia.",
)
ADJUSTMENTS_PUBLIC = (
    "We will send every letter to you in large print (16 point).",
    "We will telephone you after 2pm, and we will not leave voicemail messages.",
    "We will book a British Sign Language interpreter for any meeting.",
    "We will read our letters to you over the phone as well as posting them.",
    "We will hold any meeting on the ground floor, with step-free access.",
    "We will keep our letters short and in plain English.",
)
"""Each of ADJUSTMENTS as the complainant reads it in a letter (the officers' note is not)."""
AREA_SUBJECTS = {
    "Waste and Recycling": "your bin collections",
    "Highways": "the upkeep of the road and street lights near your home",
    "Council Tax": "your Council Tax account",
    "Parking Services": "a parking matter",
    "Planning": "how we dealt with a planning matter",
    "Environmental Health": "how we dealt with your report to Environmental Health",
    "Libraries": "our library service",
    "Customer Services": "how we dealt with your contact with us",
    "Benefits": "your benefit claim",
    "Parks and Open Spaces": "the upkeep of a park near you",
    "Housing Repairs": "repairs to your home",
    "Tenancy Management": "how we managed your tenancy",
    "Housing Allocations": "your application for housing",
    "Adult Social Care": "the care and support arranged for you",
    "Children's Services": "our work with your family",
}
"""What a demo complaint is about, as it reads after "your complaint about…". One case in seven
is left without, as every case recorded before the field existed is."""
VULNERABILITIES = (
    "Sight loss (registered partially sighted).",
    "Hearing impairment; uses a hearing aid.",
    "Recently bereaved.",
    "Long-term mental health condition; prefers written contact.",
    "Mobility impairment; housebound most days.",
    "English is a second language; Polish interpreter helpful.",
)
STAFF_ROLES = (
    "Team Leader",
    "Customer Services Adviser",
    "Supervisor",
    "Caseworker",
    "Operations Manager",
    "Duty Officer",
)

# Service areas, and for each the issues people complain about there:
# (summary, what the records show, remedy, lesson learnt, action).
ISSUES: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "Waste and Recycling": (
        (
            "The {kind} bin was missed on {count} collections in a row although it was out by 7am.",
            "the round sheets show the property missing from the route after the rounds changed",
            "An apology and a collection within two working days.",
            "Route changes are now checked against the subscriber list before they go live.",
            "Add the property back to the round and remove the 'no access' flag.",
        ),
        (
            "The crew left bins in the middle of the pavement, blocking a wheelchair user.",
            "the in-cab camera shows the bins left on the pavement on two dates",
            "An apology; the crew have been reminded to return bins to the boundary.",
            "Bin return is now part of the crews' monthly briefing.",
            "Supervisor to spot-check the street for four weeks.",
        ),
        (
            "A request for a replacement {kind} bin was not answered for six weeks.",
            "the request was logged but not passed to the delivery team",
            "A replacement bin delivered and an apology.",
            "Requests now show on the delivery team's list automatically.",
            "Deliver the bin and close the request.",
        ),
    ),
    "Highways": (
        (
            "A pothole reported {count} times outside number {number} has not been repaired.",
            "inspections recorded the defect below the intervention level until the last visit",
            "The pothole has been repaired and the reporting history explained.",
            "Repeat reports of one defect now trigger a fresh inspection.",
            "Repair the defect and re-inspect in three months.",
        ),
        (
            "Street lights on the road have been out for more than a month.",
            "the fault was logged against the wrong column number",
            "The lights were repaired within five working days of the complaint.",
            "Fault reports now need a column number checked on the map.",
            "Repair the lights and confirm the column records.",
        ),
        (
            "Road works closed the only access without the notice residents were promised.",
            "the permit required letters two weeks ahead but none were sent",
            "An apology; the contractor has been reminded of the permit conditions.",
            "Permit conditions on notice are now checked before works start.",
            "Write to the contractor about the breach of permit.",
        ),
    ),
    "Council Tax": (
        (
            "A reminder was sent for an instalment that had already been paid.",
            "the payment arrived on time but was allocated to the wrong account",
            "The payment was moved and the reminder cancelled.",
            "Unallocated payments are now checked daily.",
            "Reallocate the payment and cancel the reminder.",
        ),
        (
            "The single person discount was removed without warning.",
            "a data-matching review removed the discount before the letter was sent",
            "The discount was reinstated and the account corrected.",
            "Discounts are no longer removed until the response window has passed.",
            "Reinstate the discount and send a corrected bill.",
        ),
        (
            "Calls to the council tax line were not returned after {count} messages.",
            "the callback list was not worked during a period of staff sickness",
            "An apology and a call from a team leader.",
            "The callback list is now covered when staff are absent.",
            "Call the resident back and note the account.",
        ),
    ),
    "Parking Services": (
        (
            "A parking ticket was issued while a valid permit was displayed.",
            "the civil enforcement officer's photographs show the permit in the windscreen",
            "The penalty charge notice was cancelled.",
            "Officers are reminded to check the whole windscreen before issuing.",
            "Cancel the penalty charge notice.",
        ),
        (
            "The resident permit application has not been decided after eight weeks.",
            "the application was waiting for a proof of address that had already been sent",
            "The permit was issued and backdated.",
            "Documents received by email are now attached to the application the same day.",
            "Issue the permit.",
        ),
    ),
    "Planning": (
        (
            "Neighbours were not consulted on an extension next door.",
            "the consultation letters were sent to the right addresses on the date recorded",
            "An explanation of how neighbours are consulted.",
            "Consultation letters now show the date they were posted.",
            "Send the consultation record to the complainant.",
        ),
        (
            "Enforcement has not acted on a breach of planning reported in the spring.",
            "the enforcement case was opened but not visited within the target",
            "A site visit was arranged and the outcome will be written to the complainant.",
            "Enforcement cases now have a visit date set when they are opened.",
            "Visit the site and decide on action.",
        ),
    ),
    "Environmental Health": (
        (
            "Noise from a neighbouring business has not been investigated.",
            "noise diaries were sent but not followed up when returned",
            "An officer will install monitoring equipment.",
            "Returned diaries now create a task for the case officer.",
            "Install noise monitoring for two weeks.",
        ),
        (
            "Fly-tipping on the alleyway was reported {count} times and not cleared.",
            "the reports were closed as cleared without a visit",
            "The alleyway was cleared within two days of the complaint.",
            "Reports are only closed after a photograph of the cleared site.",
            "Clear the site and consider enforcement.",
        ),
    ),
    "Libraries": (
        (
            "The library opening hours on the website were wrong and the branch was closed.",
            "the website was not updated when the hours changed",
            "An apology; the website has been corrected.",
            "Hour changes are now published on the website before they start.",
            "Correct the website.",
        ),
        (
            "Staff were rude when asked about a lost book charge.",
            "the staff member recalls the exchange differently and there were no witnesses",
            "An apology for the way the complainant felt.",
            "Customer care refresher for the branch team.",
            "Arrange the refresher training.",
        ),
    ),
    "Customer Services": (
        (
            "Calls were held in a queue for over an hour on {count} occasions.",
            "call records show waits of up to 70 minutes during a system failure",
            "An apology and an explanation of the system failure.",
            "A recorded message now tells callers when systems are down.",
            "Add the outage message to the telephone system.",
        ),
        (
            "An email to the council was not acknowledged or answered.",
            "the email was received in a shared mailbox and not allocated",
            "An apology and a full reply within five working days.",
            "The shared mailbox is now checked twice a day.",
            "Reply to the original email.",
        ),
    ),
    "Benefits": (
        (
            "The housing benefit claim took ten weeks to decide.",
            "the claim waited four weeks for evidence the council already held",
            "An apology; the claim has been decided and backdated.",
            "Evidence already held is now checked before asking for more.",
            "Pay the arrears of benefit.",
        ),
        (
            "An overpayment letter did not explain how the amount was worked out.",
            "the standard letter gives the total but not the periods it covers",
            "A breakdown of the overpayment was sent.",
            "The overpayment letter now includes a breakdown.",
            "Update the letter template.",
        ),
    ),
    "Parks and Open Spaces": (
        (
            "The play area has been closed for months with no explanation.",
            "the equipment failed its safety inspection and parts were on order",
            "Signs now explain the closure and the expected reopening date.",
            "Closures now get a sign with a date within a week.",
            "Put up signs and confirm the reopening date.",
        ),
        (
            "Overhanging trees from the park have not been cut back.",
            "the tree survey put the work in the next year's programme",
            "The trees have been added to this year's programme.",
            "Requests near homes are now reprioritised after a survey.",
            "Cut back the trees.",
        ),
    ),
    "Housing Repairs": (
        (
            "A repair to the {fixture} was booked {count} times and nobody came.",
            "the repairs system shows the appointments cancelled by the contractor without notice",
            "An apology, a compensation payment of £50 and a fixed appointment.",
            "The contractor now has to give 24 hours' notice of any cancellation.",
            "Complete the repair and confirm with the tenant.",
        ),
        (
            "Damp and mould in the bedroom have not been treated.",
            "an inspection found condensation damp and recommended works that were not ordered",
            "The works have been ordered and an officer will visit after.",
            "Damp inspections now order their recommended works automatically.",
            "Carry out the mould treatment and fit extractor fans.",
        ),
        (
            "The heating has been broken since October.",
            "the boiler part was back-ordered and temporary heaters were not offered",
            "Temporary heaters were delivered the same day and the boiler repaired.",
            "Temporary heating is now offered whenever a repair is delayed.",
            "Fit the replacement part and check the system.",
        ),
    ),
    "Tenancy Management": (
        (
            "Reports of antisocial behaviour by a neighbour were not acted on.",
            "the reports were logged but no action plan was agreed",
            "An officer has agreed an action plan with the tenant.",
            "Every antisocial behaviour report now has an action plan within ten days.",
            "Agree and review the action plan.",
        ),
        (
            "The communal areas have not been cleaned for weeks.",
            "the cleaning schedule shows visits recorded that the photographs do not support",
            "An apology and a deep clean of the block.",
            "Cleaning visits now need a photograph.",
            "Monitor the cleaning contract monthly.",
        ),
    ),
    "Housing Allocations": (
        (
            "The housing application was placed in the wrong band.",
            "the medical evidence was not passed to the assessment team",
            "The application was reassessed and moved to the right band from the original date.",
            "Medical evidence is now scanned to the application the day it arrives.",
            "Reassess the banding.",
        ),
    ),
    "Adult Social Care": (
        (
            "The care package started three weeks after the agreed date.",
            "the provider was not commissioned until the assessment was signed off late",
            "An apology and a refund of the contribution for the period.",
            "Sign-off is now tracked against the agreed start date.",
            "Refund the contribution.",
        ),
        (
            "Carers arrived late or not at all for {count} visits.",
            "the provider's call logs confirm the missed and late visits",
            "The provider has been issued with a performance notice.",
            "Missed visits now alert the commissioning team the same day.",
            "Review the provider's performance in a month.",
        ),
        (
            "The financial assessment was wrong and the charge too high.",
            "disability-related expenditure was left out of the assessment",
            "The assessment was redone and the overcharge refunded.",
            "Assessors now use a checklist of allowable expenditure.",
            "Refund the overcharge.",
        ),
    ),
    "Children's Services": (
        (
            "The social worker changed {count} times in a year and nobody told the family.",
            "staff turnover is confirmed and the family were not told of two changes",
            "An apology; the family now have a named manager as a point of contact.",
            "Families are now written to whenever their social worker changes.",
            "Write to the family with the manager's details.",
        ),
        (
            "The education, health and care plan review was months late.",
            "the review meeting was not booked after the school asked for it",
            "The review has been booked and will be held within four weeks.",
            "Review requests now create a booking task the day they arrive.",
            "Hold the review meeting.",
        ),
        (
            "A report shared at a meeting contained wrong information about the family.",
            "two statements in the report were not supported by the case records",
            "The report has been corrected and the family given a copy.",
            "Reports are now checked by a manager before being shared.",
            "Issue the corrected report.",
        ),
    ),
}
ROUTE_AREAS: dict[RouteId, tuple[str, ...]] = {
    RouteId.CORPORATE: (
        "Waste and Recycling",
        "Highways",
        "Council Tax",
        "Parking Services",
        "Planning",
        "Environmental Health",
        "Libraries",
        "Customer Services",
        "Benefits",
        "Parks and Open Spaces",
    ),
    RouteId.HOUSING: ("Housing Repairs", "Tenancy Management", "Housing Allocations"),
    RouteId.ADULT_SOCIAL_CARE: ("Adult Social Care",),
    RouteId.CHILDRENS_SERVICES: ("Children's Services",),
    RouteId.MEMBER_ENQUIRY: (
        "Waste and Recycling",
        "Highways",
        "Council Tax",
        "Parking Services",
        "Planning",
        "Environmental Health",
        "Housing Repairs",
    ),
}
ROUTE_WEIGHTS = {
    RouteId.CORPORATE: 10,
    RouteId.HOUSING: 5,
    RouteId.ADULT_SOCIAL_CARE: 3,
    RouteId.CHILDRENS_SERVICES: 3,
    RouteId.MEMBER_ENQUIRY: 2,
}
COMPLAINTS_TEAM = "Corporate Complaints"
FILL = {
    "kind": ("garden waste", "recycling", "general waste", "food waste"),
    "count": ("three", "four", "five", "six"),
    "number": ("4", "11", "17", "23", "38", "52"),
    "fixture": (
        "bathroom extractor fan",
        "kitchen tap",
        "front door lock",
        "window catch",
        "toilet cistern",
    ),
}

EXPLANATIONS = {
    Finding.UPHELD: "Having looked at the records, {evidence}. This fell short of the standard "
    "we aim for, and I uphold this part of your complaint.",
    Finding.PARTIALLY_UPHELD: "The records show that {evidence}. Part of what you describe is "
    "confirmed, but not all of it, so I partially uphold this point.",
}
NO_FAULT = (
    "I have checked the service's records for the dates you gave, and they show the service "
    "acted in line with its procedures. I have found no fault, so I do not uphold this point, "
    "but I am sorry you have been left feeling this way.",
    "The records show the work was done on the dates you mention and within the service "
    "standard. I have found no evidence of fault, so I do not uphold this point.",
    "Having spoken to the staff involved and read the records, I am satisfied the service "
    "followed the correct process. I do not uphold this point, and I understand this is not "
    "the answer you hoped for.",
)
NO_FAULT_EVIDENCE = "the records show the service followed its procedure"
NOTE_TEXTS = {
    NoteKind.FACT: (
        "Checked the case records: {evidence}.",
        "Confirmed with the system audit log that the request was logged on time.",
    ),
    NoteKind.HEARSAY: (
        "The complainant says a member of staff told them it would be sorted "
        "within a week; no record of this conversation.",
        "Neighbour reportedly saw the same problem; not spoken to directly.",
    ),
    NoteKind.EVIDENCE: (
        "Copy of the complainant's photographs saved to the case file.",
        "Extract from the service's records saved: {evidence}.",
    ),
    NoteKind.ACTION: (
        "Ask the service manager for the records for the dates given.",
        "Chase the contractor for their job sheets by Friday.",
    ),
}
CONTACT_RESULTS = (
    "No answer; left a voicemail.",
    "Spoke to the complainant; agreed the issues.",
    "Email sent asking for a convenient time to talk.",
    "Letter sent asking the complainant to get in touch.",
    "No reply.",
    "Number not recognised.",
)
SETTLEMENTS = (
    "An apology, the work completed within five working days and a £25 goodwill payment.",
    "The charge was cancelled and an apology sent.",
    "A refund of {amount} and a written apology.",
    "The service put the problem right the same week and apologised.",
)
EXTENSION_REASONS = (
    "Waiting for records from the contractor.",
    "A key member of staff is on leave until next week.",
    "The complaint covers three services and needs more time.",
)


# --------------------------------------------------------------------------------------------
# The plan: what kinds of case to make
# --------------------------------------------------------------------------------------------

STATES = (
    "open",
    "overdue",
    "responded",
    "upheld",
    "partially-upheld",
    "not-upheld",
    "withdrawn",
    "settled",
    "discontinued",
    "refused",
    "suspended",
)
STATE_WEIGHTS = (14, 6, 5, 14, 16, 22, 6, 7, 2, 2, 1)
FINDING_STATES = {
    "upheld": Outcome.UPHELD,
    "partially-upheld": Outcome.PARTIALLY_UPHELD,
    "not-upheld": Outcome.NOT_UPHELD,
}
OTHER_OUTCOMES = {
    "withdrawn": Outcome.WITHDRAWN,
    "settled": Outcome.SETTLED,
    "discontinued": Outcome.DISCONTINUED,
    "refused": Outcome.REFUSED,
}


@dataclass
class DemoResult:
    cases: int
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    first_reference: str = ""
    last_reference: str = ""
    shared_with: str | None = None
    """The name of the officer of ``share_with``'s login, if they were given cases."""
    shared: int = 0
    """How many of the cases are theirs."""

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds > 0 else float("inf")


class _Weighted:
    """Fast repeated weighted choice with one call to ``rng.random()``."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


class _ClockCase:
    """Just what :func:`refresh_clock` reads and writes, without an ORM object per case."""

    __slots__ = (
        "route",
        "stage",
        "received",
        "acknowledged",
        "escalation_requested",
        "extensions",
        "suspensions",
        "acknowledge_by",
        "respond_by",
        "respond_by_latest",
    )

    def __init__(
        self,
        route: RouteId,
        stage: int,
        received: dt.date,
        acknowledged: dt.date | None,
        escalation_requested: dt.date | None,
        extensions: tuple = (),
        suspensions: tuple = (),
    ) -> None:
        self.route = route
        self.stage = stage
        self.received = received
        self.acknowledged = acknowledged
        self.escalation_requested = escalation_requested
        self.extensions = extensions
        self.suspensions = suspensions
        self.acknowledge_by: dt.date | None = None
        self.respond_by: dt.date | None = None
        self.respond_by_latest: dt.date | None = None


class _Dated:
    __slots__ = ("stage", "new_date", "start", "end")

    def __init__(self, **values: Any) -> None:
        for key in self.__slots__:
            setattr(self, key, values.get(key))


@dataclass
class _Officers:
    investigators: dict[str, list[tuple[int, str]]]
    managers: dict[str, tuple[int, str]]
    complaints: list[tuple[int, str]]
    sharing: int | None = None
    """The officer of the person making the demo, in the place of a demo officer (see
    :func:`_share_with`)."""


def _officer_list() -> list[dict[str, Any]]:
    """The demo officers: the same for every seed, so runs can add to one database."""
    rng = random.Random("caseworker-demo-officers")
    people: list[dict[str, Any]] = []
    used: set[str] = set()

    def person(role: Role, area: str) -> None:
        while True:
            first = rng.choice(FIRST_NAMES)
            last = rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_ENDS)
            email = f"{first}.{last}@council.example".lower()
            if email not in used:
                used.add(email)
                break
        people.append(
            {
                "name": f"{first} {last}",
                "email": email,
                "role": role.value,
                "service_area": area,
                "login": None,
                "active": True,
            }
        )

    for area in ISSUES:
        for _ in range(3):
            person(Role.INVESTIGATING_OFFICER, area)
        person(Role.LINE_MANAGER, area)
    for _ in range(3):
        person(Role.COMPLAINTS_MANAGER, COMPLAINTS_TEAM)
    return people


def _ensure_officers(connection: Connection) -> _Officers:
    wanted = _officer_list()
    existing = set(
        connection.scalars(
            select(Officer.email).where(Officer.email.in_([o["email"] for o in wanted]))
        )
    )
    missing = [o for o in wanted if o["email"] not in existing]
    if missing:
        connection.execute(insert(Officer), missing)
    rows = connection.execute(
        select(Officer.id, Officer.name, Officer.role, Officer.service_area)
        .where(Officer.email.in_([o["email"] for o in wanted]))
        .order_by(Officer.email)
    ).all()
    officers = _Officers({}, {}, [])
    for officer_id, name, role, area in rows:
        if role == Role.INVESTIGATING_OFFICER:
            officers.investigators.setdefault(area, []).append((officer_id, name))
        elif role == Role.LINE_MANAGER:
            officers.managers[area] = (officer_id, name)
        else:
            officers.complaints.append((officer_id, name))
    return officers


def _share_with(connection: Connection, officers: _Officers, login: str) -> str | None:
    """Let the officer whose login is ``login`` take the place of one demo officer of their
    role, and so get the cases that officer would have had: a complaints manager those of the
    first demo complaints manager recorded (stage 2 and 3 cases), an investigating officer
    those of the last demo investigator in their service.

    This is for the person who opened the app on the empty database before making the demo,
    whom the app recorded as its first complaints manager: without it their Today would stay
    empty, where someone who makes the demo first is linked to that same first demo complaints
    manager and has the same cases. Their record is never named as the subject of a complaint
    (subjects are picked from the first two investigators). Returns their name, or None (no
    active record with that login, a demo officer's record already, or a role that is not given
    cases)."""
    row = connection.execute(
        select(Officer.id, Officer.name, Officer.role, Officer.service_area).where(
            Officer.login == login, Officer.active.is_(True)
        )
    ).first()
    if row is None:
        return None
    officer_id, name, role, area = row
    demo_ids = {o[0] for o in officers.complaints} | {
        o[0] for people in officers.investigators.values() for o in people
    }
    if officer_id in demo_ids:
        return None  # linked to a demo officer: has cases already
    if role == Role.COMPLAINTS_MANAGER and officers.complaints:
        # The one link_to_complaints_manager would link: the first recorded.
        first = min(range(len(officers.complaints)), key=lambda i: officers.complaints[i][0])
        officers.complaints[first] = (officer_id, name)
    elif role == Role.INVESTIGATING_OFFICER and len(officers.investigators.get(area, ())) > 2:
        officers.investigators[area][-1] = (officer_id, name)
    else:
        return None
    officers.sharing = officer_id
    return str(name)


def _next_id(connection: Connection, model: Any) -> int:
    return (connection.execute(select(func.max(model.id))).scalar() or 0) + 1


class _References:
    """Hands out ``CW-YYYY-NNNNN`` references per year, continuing each year's counter."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.next: dict[int, int] = {}
        self.had_counter: dict[int, bool] = {}

    def take(self, year: int) -> str:
        number = self.next.get(year)
        if number is None:
            number = self._start(year)
        self.next[year] = number + 1
        return f"{REFERENCE_PREFIX}-{year}-{number:05d}"

    def _start(self, year: int) -> int:
        value = self.connection.execute(
            select(Counter.value).where(Counter.name == f"reference-{year}")
        ).scalar()
        self.had_counter[year] = value is not None
        prefix = f"{REFERENCE_PREFIX}-{year}-"
        highest = self.connection.execute(
            select(func.max(Case.reference)).where(Case.reference.like(prefix + "%"))
        ).scalar()
        in_use = int(highest.rsplit("-", 1)[1]) if highest else 0
        return max(value or 0, in_use) + 1

    def save(self) -> None:
        for year, number in self.next.items():
            name = f"reference-{year}"
            if self.had_counter[year]:
                self.connection.execute(
                    update(Counter).where(Counter.name == name).values(value=number - 1)
                )
            else:
                self.connection.execute(insert(Counter).values(name=name, value=number - 1))


# --------------------------------------------------------------------------------------------
# Generating
# --------------------------------------------------------------------------------------------


class _Generator:
    def __init__(
        self,
        policies: Sequence[Policy],
        officers: _Officers,
        rng: random.Random,
        today: dt.date,
        ids: dict[str, int],
        references: _References,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        self.rng = rng
        self.today = today
        self.history_days = history_days
        self.officers = officers
        self.ids = ids
        self.references = references
        self.routes: list[tuple[Policy, Route]] = [
            (policy, route) for policy in policies for route in policy.routes
        ]
        self.route_pick = _Weighted(
            self.routes, [ROUTE_WEIGHTS[route.id] for _, route in self.routes]
        )
        self.state_pick = _Weighted(STATES, STATE_WEIGHTS)
        self.channel_pick = _Weighted(
            [Channel.ONLINE, Channel.EMAIL, Channel.PHONE, Channel.LETTER, Channel.IN_PERSON],
            [35, 30, 15, 12, 8],
        )
        self.calendars = {policy.id: policy_calendar(policy) for policy in policies}
        self.clock_cache: dict[tuple, tuple[dt.date | None, dt.date | None, dt.date | None]] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.shared = 0
        self.reset()

    def reset(self) -> None:
        self.rows = {
            name: []
            for name in (
                "complainants",
                "cases",
                "representatives",
                "case_subjects",
                "issues",
                "notes",
                "interviews",
                "contact_attempts",
                "extensions",
                "suspensions",
            )
        }

    def _id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    # ---- people ------------------------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        rng = self.rng
        return (
            FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))],
            SURNAME_STARTS[int(rng.random() * len(SURNAME_STARTS))]
            + SURNAME_ENDS[int(rng.random() * len(SURNAME_ENDS))],
        )

    def _address(self) -> tuple[str, str]:
        rng = self.rng
        street = (
            f"{STREETS[int(rng.random() * len(STREETS))]} "
            f"{STREET_KINDS[int(rng.random() * len(STREET_KINDS))]}"
        )
        number = 1 + int(rng.random() * 120)
        line = (
            f"{number} {street}"
            if rng.random() < 0.85
            else f"Flat {1 + int(rng.random() * 12)}, {street.split()[0]} House"
        )
        town = TOWNS[int(rng.random() * len(TOWNS))]
        postcode = (
            f"Q{POSTCODE_AREA[int(rng.random() * len(POSTCODE_AREA))]}"
            f"{1 + int(rng.random() * 29)} {int(rng.random() * 10)}"
            f"{POSTCODE_UNIT[int(rng.random() * 6)]}{POSTCODE_UNIT[int(rng.random() * 6)]}"
        )
        return f"{line}\n{town}", postcode

    def _phone(self) -> str:
        if self.rng.random() < 0.5:
            return f"01632 960 {int(self.rng.random() * 1000):03d}"
        return f"07700 900 {int(self.rng.random() * 1000):03d}"

    def _complainant(self, received: dt.date) -> tuple[int, str]:
        rng = self.rng
        first, last = self._name()
        address, postcode = self._address()
        complainant_id = self._id("complainants")
        has_email = rng.random() < 0.7
        chosen = int(rng.random() * len(ADJUSTMENTS)) if rng.random() < 0.08 else None
        adjustments = ADJUSTMENTS[chosen] if chosen is not None else ""
        self.rows["complainants"].append(
            {
                "id": complainant_id,
                "name": f"{first} {last}",
                # from the id, not the random stream, so the same seed gives the same cases
                "title": "Dr" if complainant_id % 17 == 0 else "",
                "addressed_as": first if complainant_id % 29 == 0 else "",
                "address": address,
                "postcode": postcode,
                "email": f"{first}.{last}{complainant_id % 97}@example."
                f"{('com', 'org', 'net')[complainant_id % 3]}".lower()
                if has_email
                else "",
                "phone": self._phone() if rng.random() < 0.6 else "",
                "preferred_contact": (
                    ContactMethod.EMAIL if has_email else ContactMethod.LETTER
                ).value
                if rng.random() < 0.5
                else None,
                "reasonable_adjustments": adjustments,
                "adjustments_public": ADJUSTMENTS_PUBLIC[chosen] if chosen is not None else "",
                "adjustments_review_on": received + dt.timedelta(days=365) if adjustments else None,
                "vulnerabilities": VULNERABILITIES[int(rng.random() * len(VULNERABILITIES))]
                if rng.random() < 0.06
                else "",
            }
        )
        return complainant_id, f"{first} {last}"

    # ---- the clock ---------------------------------------------------------------------

    def _clock(
        self,
        policy: Policy,
        route: RouteId,
        stage: int,
        received: dt.date,
        acknowledged: dt.date | None,
        escalation: dt.date | None,
        extension: dt.date | None = None,
        suspension: tuple[dt.date, dt.date | None] | None = None,
    ) -> tuple[dt.date | None, dt.date | None, dt.date | None]:
        key = (policy.id, route, stage, received, acknowledged, escalation, extension, suspension)
        found = self.clock_cache.get(key)
        if found is None:
            case = _ClockCase(
                route,
                stage,
                received,
                acknowledged,
                escalation,
                (_Dated(stage=stage, new_date=extension),) if extension else (),
                (_Dated(start=suspension[0], end=suspension[1]),) if suspension else (),
            )
            refresh_clock(case, policy)  # type: ignore[arg-type]
            found = (case.acknowledge_by, case.respond_by, case.respond_by_latest)
            if len(self.clock_cache) > 200_000:
                self.clock_cache.clear()
            self.clock_cache[key] = found
        return found

    # ---- one case ----------------------------------------------------------------------

    def _days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=low + int(self.rng.random() * (high - low + 1)))

    def _at(self, day: dt.date) -> dt.datetime:
        minutes = 9 * 60 + int(self.rng.random() * 8 * 60)
        return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=dt.UTC)

    def case(self, index: int) -> str:
        rng = self.rng
        today = self.today
        # The first few cases go through every route and every state, so that even a small
        # demo covers all of them; after that they are drawn at realistic frequencies.
        policy, route = (
            self.routes[index] if index < len(self.routes) else self.route_pick.pick(rng)
        )
        state = STATES[index] if index < len(STATES) else self.state_pick.pick(rng)
        if state == "suspended" and policy.rules.suspension is None:
            state = "open"
        last_stage = len(route.stages)
        stage = 1
        if last_stage > 1 and state != "discontinued":
            roll = rng.random()
            if index == len(STATES) or roll < 0.14:
                stage = 2
            if last_stage > 2 and roll < 0.03:
                stage = 3

        # Dates, working back from today.
        if state == "open":
            start_ago = self._days(0, 22)
        elif state == "overdue":
            start_ago = self._days(50, 160)
        elif state in ("responded", "suspended"):
            start_ago = self._days(20, 45)
        else:
            start_ago = self._days(25, self.history_days)
        stage_received = today - start_ago
        escalation = None
        received = stage_received
        if stage > 1:
            escalation = stage_received
            received = escalation - self._days(25 * (stage - 1), 70 * (stage - 1))
        acknowledged = None
        if start_ago.days >= 1 or rng.random() < 0.3:
            acknowledged = min(today, stage_received + self._days(0, 4))

        suspension = None
        if state == "suspended":
            # Open-ended: the clock waits until the other proceedings end.
            suspension = (stage_received + self._days(3, 12), None)
        acknowledge_by, respond_by, latest = self._clock(
            policy, route.id, stage, received, acknowledged, escalation, suspension=suspension
        )

        extension = None
        if (
            (state in FINDING_STATES or state == "responded")
            and respond_by is not None
            and latest is not None
            and rng.random() < 0.08
        ):
            extension = min(
                latest,
                self.calendars[policy.id].add_working_days(respond_by, 3 + int(rng.random() * 8)),
            )
            acknowledge_by, respond_by, latest = self._clock(
                policy, route.id, stage, received, acknowledged, escalation, extension=extension
            )

        response_sent = response_method = closed_on = outcome = None
        withdrawn_on = withdrawal_method = None
        settlement = refusal = ""
        status = CaseStatus.OPEN
        if state in FINDING_STATES or state == "responded":
            assert respond_by is not None  # only a suspended case's clock has no date
            late = rng.random() < 0.12
            offset = self._days(1, 25) if late else -self._days(0, 9)
            response_sent = min(today, max(stage_received, respond_by + offset))
            response_method = (
                SendMethod.EMAIL
                if rng.random() < 0.7
                else (SendMethod.FIRST_CLASS, SendMethod.SECOND_CLASS, SendMethod.HAND)[
                    int(rng.random() * 3)
                ]
            )
            status = CaseStatus.RESPONDED
            if state in FINDING_STATES:
                outcome = FINDING_STATES[state]
                closed_on = min(today, response_sent + self._days(0, 3))
                status = CaseStatus.CLOSED
            else:
                outcome = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)[
                    int(rng.random() * 3)
                ]
        elif state in OTHER_OUTCOMES:
            outcome = OTHER_OUTCOMES[state]
            status = CaseStatus.CLOSED
            closed_on = min(today, stage_received + self._days(2, 25))
            if state == "withdrawn":
                withdrawn_on = closed_on
                withdrawal_method = (
                    ContactMethod.PHONE,
                    ContactMethod.EMAIL,
                    ContactMethod.LETTER,
                )[int(rng.random() * 3)]
            elif state == "settled":
                settlement = SETTLEMENTS[int(rng.random() * len(SETTLEMENTS))].format(
                    amount=f"£{10 + int(rng.random() * 90)}.00"
                )
                response_sent = closed_on
                response_method = SendMethod.EMAIL
            elif state == "refused":
                response_sent = closed_on
                response_method = SendMethod.EMAIL
                if stage > 1:
                    refusal = (
                        "The request gives no new information and no reason why the "
                        "stage 1 response was wrong."
                    )
        elif state == "suspended":
            status = CaseStatus.SUSPENDED
        if acknowledged is not None and closed_on is not None and acknowledged > closed_on:
            acknowledged = closed_on
            acknowledge_by, respond_by, latest = self._clock(
                policy,
                route.id,
                stage,
                received,
                acknowledged,
                escalation,
                extension=extension,
                suspension=suspension,
            )

        # People.
        via_role = via_name = None
        if route.id == RouteId.MEMBER_ENQUIRY or rng.random() < 0.1:
            via_role = ReferrerRole.MP if rng.random() < 0.35 else ReferrerRole.COUNCILLOR
            first, last = self._name()
            via_name = (
                f"{'Councillor' if via_role == ReferrerRole.COUNCILLOR else ''} "
                f"{first} {last}{' MP' if via_role == ReferrerRole.MP else ''}".strip()
            )
        if index == len(STATES) + 1 and via_role is None:
            via_role, via_name = ReferrerRole.COUNCILLOR, "Councillor Ulric Hollowstead"
        if index == len(STATES) + 2 and via_role is None:
            via_role, via_name = ReferrerRole.MP, "Septimus Wickmere MP"
        channel = (
            self.channel_pick.pick(rng)
            if via_role is None
            else (Channel.VIA_MP if via_role == ReferrerRole.MP else Channel.VIA_COUNCILLOR)
        )

        areas = ROUTE_AREAS[route.id]
        area = areas[int(rng.random() * len(areas))]
        investigators = self.officers.investigators[area]
        investigator_id, investigator = investigators[int(rng.random() * len(investigators))]
        officer_id: int | None = investigator_id
        author = investigator
        stage1_officer = None
        if stage > 1:
            stage1_officer = investigator_id
            officer_id, author = self.officers.complaints[
                int(rng.random() * len(self.officers.complaints))
            ]
        if state == "open" and rng.random() < 0.1:
            officer_id = None  # not yet allocated
        if officer_id is not None and officer_id == self.officers.sharing:
            self.shared += 1

        complainant_id, complainant = self._complainant(received)
        case_id = self._id("cases")
        reference = self.references.take(received.year)
        created = self._at(received)
        specs = ISSUES[area]
        count = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
        chosen = rng.sample(range(len(specs)), min(count, len(specs)))
        investigated = state in FINDING_STATES or state == "responded"

        findings: list[Finding | None] = []
        for position, _ in enumerate(chosen):
            if not investigated:
                findings.append(None)
            elif outcome == Outcome.UPHELD:
                findings.append(Finding.UPHELD)
            elif outcome == Outcome.NOT_UPHELD:
                findings.append(Finding.NOT_UPHELD)
            elif len(chosen) == 1:
                findings.append(Finding.PARTIALLY_UPHELD)
            else:
                findings.append(
                    Finding.UPHELD
                    if position == 0
                    else (Finding.NOT_UPHELD, Finding.PARTIALLY_UPHELD)[int(rng.random() * 2)]
                )

        summaries = []
        for number, (spec_index, finding) in enumerate(zip(chosen, findings, strict=True), 1):
            summary, evidence, remedy, lesson, action = specs[spec_index]
            if finding == Finding.NOT_UPHELD:
                evidence = NO_FAULT_EVIDENCE
            summary = summary.format(**{k: v[int(rng.random() * len(v))] for k, v in FILL.items()})
            summaries.append(summary)
            issue_id = self._id("issues")
            shows_fault = finding in (Finding.UPHELD, Finding.PARTIALLY_UPHELD)
            self.rows["issues"].append(
                {
                    "id": issue_id,
                    "case_id": case_id,
                    "number": number,
                    "summary": summary,
                    "finding": finding.value if finding else None,
                    "explanation": ""
                    if finding is None
                    else (
                        NO_FAULT[int(rng.random() * len(NO_FAULT))]
                        if finding == Finding.NOT_UPHELD
                        else EXPLANATIONS[finding].format(evidence=evidence)
                    ),
                    "remedy": remedy if shows_fault else "",
                    "lesson_learnt": lesson if shows_fault else "",
                    "action": action if shows_fault else "",
                    "action_due": response_sent + dt.timedelta(days=28)
                    if shows_fault and response_sent
                    else None,
                    "action_completed": min(today, response_sent + self._days(3, 40))
                    if shows_fault and response_sent and rng.random() < 0.7
                    else None,
                }
            )
            if state in ("open", "overdue", "suspended") or investigated:
                notes = int(rng.random() * 4) if investigated else int(rng.random() * 2)
                kinds = list(NoteKind)
                for _ in range(notes):
                    kind = kinds[int(rng.random() * 4)]
                    options = NOTE_TEXTS[kind]
                    when = min(today, stage_received + self._days(1, 15))
                    self.rows["notes"].append(
                        {
                            "id": self._id("notes"),
                            "issue_id": issue_id,
                            "kind": kind.value,
                            "text": options[int(rng.random() * len(options))].format(
                                evidence=evidence
                            ),
                            "source": "Service records" if kind == NoteKind.EVIDENCE else "",
                            "author": author,
                            "created_at": self._at(when),
                        }
                    )

        # The investigation's other records.
        if investigated and rng.random() < 0.25:
            first, last = self._name()
            accompanied = rng.random() < 0.3
            union = rng.random() < 0.5
            companion = " ".join(self._name())
            self.rows["interviews"].append(
                {
                    "id": self._id("interviews"),
                    "case_id": case_id,
                    "interviewee": f"{first} {last}",
                    "interviewee_role": STAFF_ROLES[int(rng.random() * len(STAFF_ROLES))],
                    "held_on": min(today, stage_received + self._days(3, 12)),
                    "method": (
                        InterviewMethod.IN_PERSON,
                        InterviewMethod.PHONE,
                        InterviewMethod.VIDEO,
                    )[int(rng.random() * 3)].value,
                    "accompanied_by": companion if accompanied else "",
                    "accompanied_as": ("union representative" if union else "colleague")
                    if accompanied
                    else "",
                    "notes": f"Explained what happened with: {summaries[0][0].lower()}"
                    f"{summaries[0][1:]}",
                    "summary": "Account agreed and read back at the end of the interview.",
                    "summary_read_back": True,
                    "further_information_invited": True,
                    "further_information": ""
                    if rng.random() < 0.7
                    else "Sent copies of the relevant records by email the next day.",
                    "recorded_by": author,
                }
            )
        attempts = (
            3
            if state == "discontinued"
            else (1 + int(rng.random() * 2) if rng.random() < 0.2 else 0)
        )
        methods = [ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.LETTER]
        if attempts:
            rng.shuffle(methods)
        for attempt in range(attempts):
            when = min(today, stage_received + dt.timedelta(days=1 + attempt * 3))
            self.rows["contact_attempts"].append(
                {
                    "id": self._id("contact_attempts"),
                    "case_id": case_id,
                    "at": self._at(when),
                    "method": methods[attempt % 3].value,
                    "result": "No reply."
                    if state == "discontinued"
                    else CONTACT_RESULTS[int(rng.random() * len(CONTACT_RESULTS))],
                    "made_by": author,
                }
            )
        if extension is not None:
            self.rows["extensions"].append(
                {
                    "id": self._id("extensions"),
                    "case_id": case_id,
                    "stage": stage,
                    "new_date": extension,
                    "reason": EXTENSION_REASONS[int(rng.random() * len(EXTENSION_REASONS))],
                    "complainant_told": min(today, respond_by - dt.timedelta(days=3))
                    if respond_by is not None
                    else today,
                    "told_method": ContactMethod.EMAIL.value,
                }
            )
        if suspension is not None:
            grounds = policy.rules.suspension.grounds if policy.rules.suspension else ["Other"]
            self.rows["suspensions"].append(
                {
                    "id": self._id("suspensions"),
                    "case_id": case_id,
                    "start": suspension[0],
                    "end": suspension[1],
                    "reason": f"{grounds[int(rng.random() * len(grounds))]}: the complaint waits "
                    "for the outcome.",
                }
            )
        if rng.random() < 0.08 and len(investigators) > 1:
            subject_id, subject = next(o for o in investigators if o[0] != investigator_id)
            self.rows["case_subjects"].append(
                {
                    "id": self._id("case_subjects"),
                    "case_id": case_id,
                    "officer_id": subject_id,
                    "name": subject,
                }
            )
        if rng.random() < 0.1 or index == len(STATES) + 3:
            first, _ = self._name()
            address, _ = self._address()
            self.rows["representatives"].append(
                {
                    "id": self._id("representatives"),
                    "case_id": case_id,
                    "name": f"{first} {complainant.split()[-1]}",
                    "relationship_to_complainant": RELATIONSHIPS[
                        int(rng.random() * len(RELATIONSHIPS))
                    ],
                    "address": address,
                    "email": "",
                    "phone": self._phone(),
                    "consent_received": min(today, received + self._days(0, 10))
                    if rng.random() < 0.85
                    else None,
                }
            )

        # The first point is what the complaint is about (the letter's Re: line); the others
        # are its issues, numbered on the case.
        summary = summaries[0]
        steps = (
            ""
            if not investigated
            else (
                "I read the service's records for the dates you gave"
                + (
                    ", interviewed the staff involved"
                    if self.rows["interviews"] and self.rows["interviews"][-1]["case_id"] == case_id
                    else ""
                )
                + " and spoke to the service manager."
            )
        )
        self.rows["cases"].append(
            {
                "id": case_id,
                "reference": reference,
                "policy_id": policy.id,
                "route": route.id.value,
                "stage": stage,
                "status": status.value,
                "received": received,
                "channel": channel.value,
                "service_area": area,
                "summary": summary,
                "complaint_subject": AREA_SUBJECTS.get(area, "") if case_id % 7 else "",
                "anonymous": False,
                "time_limit_waived_by": "",
                "complainant_id": complainant_id,
                "referrer_name": via_name or "",
                "referrer_role": via_role.value if via_role else None,
                # the demo's named MP is a knight: "Dear Sir Septimus"
                "referrer_title": "Sir" if via_name == "Septimus Wickmere MP" else "",
                "referrer_address": "Members' Office, Town Hall, Nettleford"
                if via_role == ReferrerRole.COUNCILLOR
                else ("House of Commons, London" if via_role == ReferrerRole.MP else ""),
                "officer_id": officer_id,
                "stage1_officer_id": stage1_officer,
                "acknowledged": acknowledged,
                "acknowledge_by": acknowledge_by,
                "respond_by": respond_by,
                "respond_by_latest": latest,
                "response_sent": response_sent,
                "response_method": response_method.value if response_method else None,
                "escalation_requested": escalation,
                "closed_on": closed_on,
                "outcome": outcome.value if outcome else None,
                "understanding": f"You are unhappy that {summaries[0][0].lower()}{summaries[0][1:]}"
                if investigated
                else "",
                "steps_taken": steps,
                "evidence_considered": "The service's records and the information you sent."
                if investigated
                else "",
                "settlement_terms": settlement,
                "withdrawn_on": withdrawn_on,
                "withdrawal_method": withdrawal_method.value if withdrawal_method else None,
                "escalation_refusal_reasons": refusal,
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        return reference


_TABLES = (
    ("complainants", Complainant),
    ("cases", Case),
    ("representatives", Representative),
    ("case_subjects", CaseSubject),
    ("issues", Issue),
    ("notes", Note),
    ("interviews", Interview),
    ("contact_attempts", ContactAttempt),
    ("extensions", Extension),
    ("suspensions", Suspension),
)


def _flush(connection: Connection, generator: _Generator, totals: dict[str, int]) -> None:
    for name, model in _TABLES:
        rows = generator.rows[name]
        if rows:
            connection.execute(insert(model), rows)
            totals[name] = totals.get(name, 0) + len(rows)
    generator.reset()


def _fix_sequences(connection: Connection) -> None:
    """PostgreSQL: move each id sequence past the explicit ids just inserted."""
    if connection.dialect.name != "postgresql":
        return
    for _, model in (*_TABLES, ("officers", Officer)):
        table = model.__tablename__
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _analyze(engine: Engine) -> None:
    """On PostgreSQL, gather the planner's statistics for the tables just filled. Autovacuum
    would, but not for minutes after a bulk load, and until then the quick views' plans are two
    to three times slower (docs/performance.md). Not on SQLite: its statistics make the Due this
    week and Overdue views slower, and the app never gathers them there."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def generate_demo(
    engine: Engine,
    n: int,
    *,
    seed: int = 0,
    today: dt.date | None = None,
    actor: str = DEMO_ACTOR,
    policies: Sequence[Policy] | None = None,
    progress: Callable[[int, int, float], None] | None = None,
    batch: int = BATCH,
    share_with: str | None = None,
) -> DemoResult:
    """Add ``n`` synthetic cases to the database behind ``engine``, in one transaction.

    ``today`` (default: the real date) is what "open", "overdue" and every date are relative to;
    the same ``seed`` and ``today`` give the same cases. ``policies`` defaults to every installed
    policy. ``progress(done, n, seconds)`` is called after each batch. ``share_with`` is the
    login of the person making the demo: if it already has an officer record of its own, that
    officer is given the cases of one demo officer of the same role (:func:`_share_with`).
    """
    if n < 0:
        raise ValueError("the number of cases cannot be negative")
    if policies is None:
        from caseworker.policy.loader import load_policies

        policies = [loaded for _, loaded in sorted(load_policies().items())]
    today = today or dt.date.today()
    started = time.perf_counter()
    totals: dict[str, int] = {}
    first = last = ""
    with engine.begin() as connection:
        officers = _ensure_officers(connection)
        shared_with = _share_with(connection, officers, share_with) if share_with else None
        ids = {name: _next_id(connection, model) for name, model in _TABLES}
        references = _References(connection)
        history = max(HISTORY_DAYS, round(n / CASES_PER_YEAR * 365))
        generator = _Generator(
            policies, officers, random.Random(seed), today, ids, references, history
        )
        done = 0
        while done < n:
            size = min(batch, n - done)
            for index in range(done, done + size):
                reference = generator.case(index)
                if index == 0:
                    first = reference
                last = reference
            _flush(connection, generator, totals)
            done += size
            if progress is not None:
                progress(done, n, time.perf_counter() - started)
        references.save()
        _fix_sequences(connection)
        connection.execute(
            insert(AuditEvent).values(
                at=dt.datetime.now(dt.UTC),
                actor=actor,
                case_id=None,
                entity="cases",
                entity_id=None,
                action="create",
                field="demo",
                old_value=None,
                new_value=f"demo data generated: {n} cases (seed {seed}, relative to "
                f"{today.isoformat()})",
            )
        )
    _analyze(engine)
    return DemoResult(
        n, time.perf_counter() - started, totals, first, last, shared_with, generator.shared
    )


__all__ = ["DemoResult", "generate_demo"]
