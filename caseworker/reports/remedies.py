"""Kinds of remedy, read from the remedy's wording.

A remedy is recorded as text on each issue (and the terms of a settlement on the case), so the
kind is read from its words, the same way in SQL (for the report) and in Python (for the purge).
The kinds are Stockport's list of remedies (section 4.6): an apology; an explanation; providing the
service or putting things right; changing procedures; financial compensation. A remedy may be of
several kinds; one using none of the words counts as "other".

When a case is purged under the retention policy the remedy's words go, but the purge writes
:func:`retained_text` in their place: a sentence naming the kinds, which reads back as exactly the
same kinds (a test checks every combination), so reports over past periods still add up.

The case file has no field for an amount of compensation: reports count financial remedies and
do not total amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_


@dataclass(frozen=True, slots=True)
class RemedyKind:
    key: str
    label: str
    words: tuple[str, ...]
    """Lower-case fragments any one of which marks a remedy as this kind."""
    marker: str
    """What :func:`retained_text` writes for this kind: it contains one of ``words`` and none of
    any other kind's."""


KINDS: tuple[RemedyKind, ...] = (
    RemedyKind("apology", "Apology", ("apolog", "sorry"), "an apology"),
    RemedyKind("explanation", "Explanation", ("explain", "explanation"), "an explanation"),
    RemedyKind(
        "put-right",
        "Service provided or put right",
        (
            "put right",
            "repair",
            "complet",
            "deliver",
            "reinstat",
            "cancel",
            "issued",
            "arrang",
            "booked",
            "cleared",
            "correct",
            "reassess",
            "backdat",
            "install",
            "replace",
            "fitted",
            "reallocat",
            "resolved",
        ),
        "the service put right",
    ),
    RemedyKind(
        "procedure",
        "Procedure changed or staff reminded",
        ("procedure", "reminded", "training", "refresher", "guidance", "checklist"),
        "a procedure changed",
    ),
    RemedyKind(
        "financial",
        "Financial (compensation, refund or payment)",
        ("£", "compensation", "refund", "payment", "reimburs", "financial"),
        "a financial remedy",
    ),
)
OTHER = "other"
OTHER_LABEL = "Other remedy"
RETAINED = "Removed under the retention policy."
"""What replaces a purged text that held no remedy kind (or was not a remedy at all)."""


def kind_matches(kind: RemedyKind, column: Any) -> ColumnElement[bool]:
    """SQL: ``column`` reads as a remedy of ``kind``."""
    lowered = func.lower(column)
    return or_(*(lowered.like(f"%{word}%") for word in kind.words))


def kinds_of(text: str) -> list[str]:
    """The keys of the kinds ``text`` reads as, in :data:`KINDS` order (empty: none)."""
    lowered = text.lower()
    return [kind.key for kind in KINDS if any(word in lowered for word in kind.words)]


def retained_text(text: str) -> str:
    """What a purged remedy (or settlement) keeps: no words of the original, only its kinds.

    Empty text stays empty, so counts of remedies do not change.
    """
    if not text.strip():
        return ""
    found = kinds_of(text)
    if not found:
        return RETAINED
    markers = [kind.marker for kind in KINDS if kind.key in found]
    return f"{RETAINED[:-1]}; it was {_join(markers)}."


def _join(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


__all__ = [
    "KINDS",
    "OTHER",
    "OTHER_LABEL",
    "RETAINED",
    "RemedyKind",
    "kind_matches",
    "kinds_of",
    "retained_text",
]
