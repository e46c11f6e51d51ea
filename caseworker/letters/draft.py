"""The structured draft of a letter: what is checked, edited by the officer, and rendered.

A draft is plain data (no database session, no Word): who it goes to, the frame Appendix B asks
for (reference, subject, the date the complaint was received), then named sections in order. The
issues of the complaint are one section, ``issues``, whose content is the list of
:class:`IssueResponse` (ISSUE 1, ISSUE 2...); every other section is text the officer may edit,
where a blank line starts a new paragraph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from caseworker.domain.enums import Finding, LetterKind, Outcome


class Recipient(StrEnum):
    """Who the letter is addressed to."""

    COMPLAINANT = "complainant"
    REPRESENTATIVE = "representative"
    REFERRER = "referrer"
    """The councillor or MP the complaint or enquiry came through."""


class SectionKey(StrEnum):
    """The named sections a letter can hold, each a field a template may place on its own."""

    OPENING = "opening"
    """Appendix B's first line: thank you for your complaint, which we received on (date)."""
    STAGE = "stage"
    """Which stage of the procedure this letter is (seeds 001, 002: the complaint stage)."""
    APOLOGY = "apology"
    UNDERSTANDING = "understanding"
    """Our understanding of the complaint (the complaint definition)."""
    DECISION = "decision"
    """The plain statement of the outcome (Appendix A: '... your complaint has been upheld')."""
    STEPS = "steps"
    """The steps taken to investigate."""
    EVIDENCE = "evidence"
    """The information and evidence taken into account."""
    ISSUES = "issues"
    """ISSUE 1, ISSUE 2...: each point, its finding and the explanation."""
    ACTIONS = "actions"
    """Outstanding actions and when they will be done."""
    CHANGES = "changes"
    """What has been put in place so it does not happen again (changes to policy or process)."""
    SETTLEMENT = "settlement"
    WITHDRAWAL = "withdrawal"
    EXTENSION = "extension"
    """Why the response will be late and the new date."""
    MEETING = "meeting"
    DISCONTINUATION = "discontinuation"
    REFUSAL = "refusal"
    """Why the complaint is not taken on at stage 1, and where it goes instead."""
    ESCALATION = "escalation"
    """The decision on a request for the next stage, with the reasons."""
    ENQUIRY = "enquiry"
    """The answer to a Member/MP enquiry."""
    ADJUSTMENTS = "adjustments"
    """Reasonable adjustments agreed (Stoke: set out in the acknowledgement)."""
    NEXT_STEPS = "next_steps"
    """What happens now: the handler and the date to expect a response."""
    CLOSING = "closing"
    NEXT_STAGE = "next_stage"
    """How to take the complaint to the next stage, with the contact details from the policy."""
    OMBUDSMAN = "ombudsman"
    """The right Ombudsman and how to reach them."""


@dataclass
class Addressee:
    recipient: Recipient
    name: str
    address: str = ""
    """Postal address, one line per line; may be empty when the letter goes by email."""
    email: str = ""
    salutation: str = ""
    """The words after "Dear"."""

    def block(self) -> str:
        return "\n".join(part for part in (self.name, self.address.strip()) if part)


@dataclass
class Signatory:
    name: str = ""
    title: str = ""
    email: str = ""


@dataclass
class IssueResponse:
    """One numbered point of the complaint and the council's answer to it."""

    number: int
    summary: str
    finding: Finding | None = None
    explanation: str = ""
    remedy: str = ""
    """How the council will put this part right."""
    lesson: str = ""
    """What has been put in place so it does not happen again."""
    action: str = ""
    action_due: dt.date | None = None
    action_completed: dt.date | None = None


@dataclass
class Section:
    key: SectionKey
    text: str = ""
    heading: str = ""


@dataclass
class LetterDraft:
    kind: LetterKind
    stage: int
    outcome: Outcome | None
    policy_id: str
    council: str
    reference: str
    date: dt.date
    addressee: Addressee
    complainant_name: str
    subject: str
    received: dt.date | None
    """When the complaint (or, at a later stage, the request for it) was received."""
    signatory: Signatory = field(default_factory=Signatory)
    sections: list[Section] = field(default_factory=list)
    issues: list[IssueResponse] = field(default_factory=list)
    final: bool = False
    """True when this stage is the last of the route: the council's final word."""
    large_print: bool = False
    """The complainant asked for large print: the document is set in 16pt or larger."""
    formats: list[str] = field(default_factory=list)
    """Other formats asked for (Braille, another language…), noted for the officer to arrange:
    Caseworker cannot produce them."""
    formats_offer: str = ""
    """The footer's offer of other formats, in the council's words (without large print on a
    letter already in large print)."""
    wording: dict[str, str] = field(default_factory=dict)
    """The fields every phrase may use, as the builder filled them from the case ("your
    complaint" or "the complaint", the complainant's name...): the issues' phrases
    (``[issue.upheld]``...) are filled with them when the letter is made. Empty in a draft kept
    before they were."""

    # -- access ------------------------------------------------------------------------------

    def section(self, key: SectionKey | str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def text_of(self, key: SectionKey | str) -> str:
        found = self.section(key)
        return found.text if found is not None else ""

    def set_text(self, key: SectionKey | str, text: str) -> None:
        """Replace a section's text (the officer's edit), adding the section if it is absent."""
        found = self.section(key)
        if found is None:
            self.sections.append(Section(SectionKey(key), text))
        else:
            found.text = text

    def remove(self, key: SectionKey | str) -> None:
        self.sections = [s for s in self.sections if s.key != key]

    def all_text(self) -> list[tuple[str, str]]:
        """Every piece of text the officer can edit, with where it is, in letter order."""
        pieces: list[tuple[str, str]] = [("Subject", self.subject)]
        for section in self.sections:
            if section.key == SectionKey.ISSUES:
                for issue in self.issues:
                    where = f"Issue {issue.number}"
                    pieces += [
                        (f"{where}, summary", issue.summary),
                        (f"{where}, explanation", issue.explanation),
                        (f"{where}, remedy", issue.remedy),
                        (f"{where}, lesson learnt", issue.lesson),
                        (f"{where}, action", issue.action),
                    ]
            else:
                label = section.heading or section.key.value.replace("_", " ").capitalize()
                pieces.append((label, section.text))
        return [(where, text) for where, text in pieces if text]

    # -- storage -----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, kept with the stored letter."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterDraft:
        values = dict(data)
        values["kind"] = LetterKind(values["kind"])
        values["outcome"] = Outcome(values["outcome"]) if values.get("outcome") else None
        values["date"] = dt.date.fromisoformat(values["date"])
        values["received"] = (
            dt.date.fromisoformat(values["received"]) if values.get("received") else None
        )
        addressee = dict(values["addressee"])
        addressee["recipient"] = Recipient(addressee["recipient"])
        values["addressee"] = Addressee(**addressee)
        values["signatory"] = Signatory(**values.get("signatory", {}))
        values["sections"] = [
            Section(SectionKey(s["key"]), s.get("text", ""), s.get("heading", ""))
            for s in values.get("sections", [])
        ]
        issues = []
        for raw in values.get("issues", []):
            issue = dict(raw)
            issue["finding"] = Finding(issue["finding"]) if issue.get("finding") else None
            for name in ("action_due", "action_completed"):
                issue[name] = dt.date.fromisoformat(issue[name]) if issue.get(name) else None
            issues.append(IssueResponse(**issue))
        values["issues"] = issues
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
