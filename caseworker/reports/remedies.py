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

from sqlalchemy import ColumnElement, case, func, literal, or_


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


HELD = 1 << len(KINDS)
"""In :func:`kinds_mask`: the text is not empty (a remedy, or terms, is recorded)."""


def kinds_mask(column: Any, dialect: str, *, lowered: bool = False) -> ColumnElement[int]:
    """SQL: which kinds ``column`` reads as, worked out once per row: bit ``n`` for
    ``KINDS[n]``, plus :data:`HELD` when the text is not empty; 0 for empty text or NULL.

    Grouped on (at most 64 values), the kinds are asked once per row rather than once per
    count (and the words of every kind again for "other"). The same reading as
    :func:`kind_matches`: on SQLite without ``lower()``, as its ``LIKE`` already ignores the
    case of ASCII letters, the only ones its ``lower()`` changes, and each kind's words are
    lower-case ASCII or "£" (a ``lower()`` per word was half the issues' time there).
    PostgreSQL's ``LIKE`` heeds case: there it is :func:`kind_matches`' own, unless
    ``lowered`` says ``column`` is already ``lower()``'s (worked out once, not once a word)."""
    bits = []
    for number, kind in enumerate(KINDS):
        matched = (
            or_(*(column.like(f"%{word}%") for word in kind.words))
            if dialect == "sqlite" or lowered
            else kind_matches(kind, column)
        )
        bits.append(case((matched, literal(1 << number)), else_=literal(0)))
    total: Any = literal(HELD)
    for bit in bits:
        total = total + bit
    return case((column != "", total), else_=literal(0))


def kind_counts(rows: Iterable[tuple[int, int]]) -> tuple[int, list[int]]:
    """From (:func:`kinds_mask`, count) pairs: the texts held, and those of each kind in
    :data:`KINDS` order then "other" (held, of none of the kinds)."""
    held = 0
    counts = [0] * (len(KINDS) + 1)
    for mask, count in rows:
        if not mask & HELD:
            continue
        held += count
        found = False
        for number in range(len(KINDS)):
            if mask & (1 << number):
                counts[number] += count
                found = True
        if not found:
            counts[-1] += count
    return held, counts


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
    "HELD",
    "kind_counts",
    "kind_matches",
    "kinds_mask",
    "kinds_of",
    "retained_text",
]
