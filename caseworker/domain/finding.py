"""What finding shows: search hits grouped by case and the lines of an officer's Today list.

Plain data, with no database: :func:`caseworker.services.search.fulltext.search` and
:func:`caseworker.services.lists.today.today_list` fill them in, and the desktop app's Today and
search pages are built from them before the database layer is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from caseworker.domain.enums import CaseStatus, Outcome

UPDATE_EVERY = 10
"""Working days without contact after which a complainant is owed an update (default)."""

SECTION_OF_MATCH = {
    "case": "overview",
    "complainant": "overview",
    "issue": "issues",
    "note": "issues",
    "interview": "interviews",
    "letter": "letters",
    "email": "documents",
    "document": "documents",
}
"""Which part of the case file shows what a search matched."""

SECTION_OF_TODAY = {
    "acknowledgement": "letters",
    "response": "letters",
    "contact": "timeline",
    "extensions": "overview",
    "actions": "issues",
    "risk-assessment": "home-visit",
    "escalation": "stage2",
    "milestones": "progress",
    "formats": "letters",
}
"""Which part of the case file a Today line opens at."""

TODAY_KINDS = (
    ("acknowledgement", "Acknowledgements due"),
    ("response", "Responses due"),
    ("contact", "Complainants owed an update"),
    ("extensions", "Extensions to tell the complainant about"),
    ("actions", "Remedies and actions due"),
    ("risk-assessment", "Risk assessments before a booked visit"),
    ("escalation", "Decisions due on requests for the next stage"),
    ("milestones", "Stage milestones due (panel, report, reply)"),
    ("formats", "Letters to arrange in another format (Braille, audio, a language)"),
    ("subject-access", "Subject access requests due"),
)
"""The Today list's groups, in the order shown, by the core's section names."""


@dataclass(frozen=True)
class Match:
    kind: str
    """case, complainant, issue, note, interview, letter, email or document."""
    text: str
    """The snippet, the words that matched in [brackets]."""
    section: str
    """The part of the case file that shows it (see :data:`SECTION_OF_MATCH`)."""


@dataclass(frozen=True)
class FoundCase:
    case_id: int
    reference: str
    complainant: str
    status: CaseStatus
    outcome: Outcome | None
    service_area: str
    matches: tuple[Match, ...] = ()


@dataclass(frozen=True)
class TodayLine:
    case_id: int
    reference: str
    complainant: str
    kind: str
    section: str
    """The core's section: acknowledgement, response, contact, extensions, actions,
    risk-assessment."""
    opens_at: str
    """The part of the case file to open (see :data:`SECTION_OF_TODAY`)."""
    due: dt.date | None
    text: str
    overdue: bool


@dataclass
class Today:
    officer: str | None
    """The signed-in officer's name; ``None`` when the login is no officer's."""
    day: dt.date
    lines: list[TodayLine] = field(default_factory=list)
    problem: str = ""
    """Why there is no list (the login is not an officer's), in plain words."""
