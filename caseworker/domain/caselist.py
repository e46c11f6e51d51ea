"""The case list's vocabulary: what a person asks to see, and the rows and clock they see.

Plain data and rules, with no database: :mod:`caseworker.services.lists.caselist` turns a
:class:`CaseFilter` and :class:`CaseSort` into SQL, and the desktop app shows :class:`CaseRow`
values. Kept apart so that the list model and its tests need no database layer.

"Days left" is counted on the policy's working-day clock (weekends, bank holidays and the policy's
closure days do not count) from ``today``, which the caller gives.

Quick views are the lists an officer goes to first. All but "All cases" show only live cases
(open, or suspended where the clock has stopped):

* My cases: allocated to the officer whose ``login`` is the person at the keyboard;
* Due this week: open, due from today to Sunday;
* Overdue: open, due before today;
* Unallocated: no officer yet;
* Stage 2: at stage 2.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, NamedTuple

from caseworker.domain.enums import CaseStatus, Outcome, RouteId
from caseworker.policy.clock import WorkingCalendar


class CaseSummary(NamedTuple):
    """One row of the case list (its cases' own columns).

    A named tuple: one is made for every row of every page, and a frozen dataclass's twelve
    guarded assignments were most of what turning a page's rows into the list cost."""

    id: int
    reference: str
    complainant: str
    service_area: str
    policy_id: str
    route: RouteId
    stage: int
    officer: str
    received: dt.date
    due: dt.date | None
    status: CaseStatus
    outcome: Outcome | None


LIVE = frozenset({CaseStatus.OPEN, CaseStatus.SUSPENDED})
"""Cases someone still has to work on."""

DUE_SOON_DAYS = 3
"""A case due within this many working days is flagged (amber) before it becomes overdue."""

PAGE_SIZE = 100

NO_DUE_DATE = dt.date(9999, 12, 31)
"""Stands in for a missing due date so that sorting and paging by due date are total orders."""


class QuickView(StrEnum):
    ALL = "all"
    MINE = "mine"
    DUE_THIS_WEEK = "due-this-week"
    OVERDUE = "overdue"
    UNALLOCATED = "unallocated"
    STAGE_2 = "stage-2"

    @property
    def label(self) -> str:
        return _VIEW_LABELS[self]


_VIEW_LABELS = {
    QuickView.ALL: "All cases",
    QuickView.MINE: "My cases",
    QuickView.DUE_THIS_WEEK: "Due this week",
    QuickView.OVERDUE: "Overdue",
    QuickView.UNALLOCATED: "Unallocated",
    QuickView.STAGE_2: "Stage 2",
}


class SortKey(StrEnum):
    """What the list can be sorted by. Days left sorts as the due date does."""

    REFERENCE = "reference"
    COMPLAINANT = "complainant"
    SERVICE = "service"
    STAGE = "stage"
    OFFICER = "officer"
    RECEIVED = "received"
    DUE = "due"
    STATUS = "status"


class Urgency(Enum):
    """How pressing a case's deadline is, for colouring and wording the list."""

    NONE = "none"  # responded, closed, or no due date
    STOPPED = "stopped"  # suspended: the clock does not run
    ON_TRACK = "on-track"
    DUE_SOON = "due-soon"  # due within DUE_SOON_DAYS working days (today included)
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What a person asked to see. Every field narrows the list; the defaults show every case."""

    text: str = ""
    """Words, or the starts of words, of a reference, a complainant's name or a service area."""
    statuses: frozenset[CaseStatus] = frozenset()
    """Empty: any status."""
    stage: int | None = None
    policy_id: str | None = None
    officer_id: int | None = None
    view: QuickView = QuickView.ALL

    @property
    def is_default(self) -> bool:
        return self == CaseFilter()


@dataclass(frozen=True, slots=True)
class CaseSort:
    key: SortKey = SortKey.RECEIVED
    descending: bool = True


def local_time(at: dt.datetime) -> dt.datetime:
    """A stored time (UTC; SQLite gives it back without a zone) on this computer's clock."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone()


@dataclass(frozen=True, slots=True)
class CheckoutMark:
    """A case checked out for offline work: colleagues see who has it, where and since when."""

    by: str
    """The officer's name (their login if no officer record has it)."""
    machine: str
    since: dt.datetime

    @property
    def short(self) -> str:
        return f"checked out to {self.by}"

    def describe(self) -> str:
        where = f" ({self.machine})" if self.machine else ""
        when = local_time(self.since)
        since = f"{when.day} {when:%b %Y, %H:%M}"
        return (
            f"Checked out to {self.by}'s laptop{where} since {since} for offline work. "
            "Changes saved here meanwhile are compared with theirs, case by case, when it "
            "is checked in."
        )


class CaseRow(NamedTuple):
    """One row of the list: the case's summary and its working days left (a named tuple, as
    :class:`CaseSummary` is: one is made for every row of every page)."""

    summary: CaseSummary
    days_left: int | None
    """Working days to the due date (0: due today; negative: that many working days late);
    ``None`` where the clock does not run (suspended, responded, closed) or there is no due
    date."""
    checkout: CheckoutMark | None = None
    """Set while the case is checked out to someone's offline copy."""

    @property
    def urgency(self) -> Urgency:
        return urgency(self.summary.status, self.days_left)

    @property
    def days_left_text(self) -> str:
        return days_left_text(self.summary.status, self.days_left)


@dataclass(frozen=True, slots=True)
class OfficerChoice:
    id: int
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filter lists offer."""

    officers: list[OfficerChoice] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    policy_titles: dict[str, str] = field(default_factory=dict)
    """"Council: title" of each installed policy in ``policies``."""
    stages: list[int] = field(default_factory=lambda: [1, 2, 3])
    statuses: list[CaseStatus] = field(default_factory=lambda: list(CaseStatus))


# -- the clock ---------------------------------------------------------------------------------


def days_left(calendar: WorkingCalendar, today: dt.date, due: dt.date) -> int:
    """Working days from ``today`` to ``due``: 0 when due today, negative when late.

    A case due on Friday is one working day late on the Saturday and Sunday after it, not
    "due today", and two working days late on the Monday.
    """
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def urgency(status: CaseStatus, days: int | None) -> Urgency:
    if status is CaseStatus.SUSPENDED:
        return Urgency.STOPPED
    if status is not CaseStatus.OPEN or days is None:
        return Urgency.NONE
    if days < 0:
        return Urgency.OVERDUE
    if days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.ON_TRACK


def days_left_text(status: CaseStatus, days: int | None) -> str:
    """Words that say what the colour says: "3 days late", "Due today", "1 day left"."""
    if status is CaseStatus.SUSPENDED:
        return "Clock stopped"
    if status is not CaseStatus.OPEN or days is None:
        return ""
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} late"
    if days == 0:
        return "Due today"
    return f"{days} day{'s' if days != 1 else ''} left"


def end_of_week(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week (Monday to Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def sort_value(key: SortKey, row: CaseSummary) -> object:
    """The value a row sorts by (to page after it, and to tell whether a changed row has moved)."""
    if key is SortKey.DUE:
        return row.due or NO_DUE_DATE
    return {
        SortKey.REFERENCE: row.reference,
        SortKey.COMPLAINANT: row.complainant,
        SortKey.SERVICE: row.service_area,
        SortKey.STAGE: row.stage,
        SortKey.OFFICER: row.officer,
        SortKey.RECEIVED: row.received,
        SortKey.STATUS: row.status,
    }[key]


_WORD = re.compile(r"\w+", re.UNICODE)


def filter_words(text: str) -> list[str]:
    """The words of a free-text filter, lower case; punctuation only separates them."""
    return [word.lower() for word in _WORD.findall(text)]


_SUMMARY_WIDTH = len(CaseSummary._fields)


def case_rows(
    results: Iterable[Sequence[Any]],
    today: dt.date,
    calendar: Callable[[str], WorkingCalendar],
) -> list[CaseRow]:
    """The rows of the list from the result rows of a page query: in each, the summary's
    columns in :class:`CaseSummary`'s order, then the open checkout's who, machine, since and
    their name (all ``None`` when the case is not checked out), then anything else the row
    holds (the first page's count), which is not the row's. ``calendar(policy_id)`` is the
    policy's working-day calendar; the working days left (:func:`days_left`) are worked out
    once per policy and due date, which are all they depend on besides ``today`` (a page's
    rows share a few dozen of them)."""
    width = _SUMMARY_WIDTH
    summary_of = CaseSummary._make
    known: dict[tuple[str, dt.date], int] = {}
    rows = []
    for values in results:
        summary = summary_of(values[:width])
        days = None
        due = summary.due
        if due is not None and summary.status is CaseStatus.OPEN:
            days = known.get((summary.policy_id, due))
            if days is None:
                days = days_left(calendar(summary.policy_id), today, due)
                known[summary.policy_id, due] = days
        since = values[width + 2]
        mark = None
        if since is not None:  # checked out: to whom (their name, else their login), where
            mark = CheckoutMark(values[width + 3] or values[width], values[width + 1], since)
        rows.append(CaseRow(summary, days, mark))
    return rows
