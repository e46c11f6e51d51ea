"""The fields a letter's phrases are filled with that need no Word document: dates as a letter
writes them, "(by ...)" after an action still to do, and the fields the draft itself holds.

Kept apart from :mod:`caseworker.letters.render`, which fills the Word template with
python-docx, so that what builds and checks a draft (and the case window that shows it) does not
import python-docx and lxml (about 70 ms) until a letter is written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseworker.letters.draft import LetterDraft


def format_date(day: dt.date | None) -> str:
    """A date as a letter writes it: 3 March 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def by_when(action: str, due: dt.date | None) -> str:
    """ " (by 30 April 2026)" after an action still to do, unless its own words already say when
    ("until the end of April", "by 30 April"): the date is not said twice."""
    if due is None:
        return ""
    month = f"{due:%B}".lower()
    words = " ".join(action.lower().split())
    if f"{due.day} {month}" in words or f"end of {month}" in words:
        return ""
    return f" (by {format_date(due)})"


def draft_fields(draft: LetterDraft) -> dict[str, object]:
    """The phrase fields the draft itself holds: the council, the stage, when the complaint (or
    the request for this stage) was received, and the letter's date."""
    return {
        "council": draft.council,
        "stage": draft.stage,
        "received": format_date(draft.received),
        "date": format_date(draft.date),
    }


__all__ = ["by_when", "draft_fields", "format_date"]
