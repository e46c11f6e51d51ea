"""The working-day clock: weekends, England and Wales bank holidays and a policy's closure days.

Every complaints policy counts in working days: "acknowledge within 5 working days" ends on the
5th working day after the day of receipt. Received Monday 23 November 2026, the acknowledgement is
due Monday 30 November 2026 (24, 25, 26, 27, 30 November) and the response, 20 working days on,
Monday 21 December 2026.

The clock is recomputed for every open case on each screen refresh, so nothing here loops over
days. A :class:`WorkingCalendar` precomputes, for a span of years, the sorted list of working-day
ordinals and, for every day in the span, how many working days fall on or before it (its rank).
Adding N working days is then two list look-ups, and counting the working days between two dates
is a subtraction. The span grows, in whole years, when a date falls outside it.

Bank holidays come from the ``holidays`` package (``UnitedKingdom(subdiv="ENG")``), which includes
substitute days (Christmas 2027 falls on a Saturday, so Monday 27 and Tuesday 28 December 2027 are
bank holidays) and one-off days (the 2022 Platinum Jubilee, the 2023 Coronation). What it gives
for 2000–2040 is kept in a small file per version of the package (:func:`bank_holidays_file`),
so that a start of the app does not pay for importing its rules for every country.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from caseworker.errors import UserError

MIN_YEAR = 1900
"""The earliest year the clock covers; older dates are refused rather than guessed."""
MAX_YEAR = 2200
"""The latest year the clock covers."""

_FIRST_YEAR = 2000
_LAST_YEAR = 2040
"""The span built on first use; most cases fall inside it, so it rarely grows."""
_GROW_YEARS = 10
"""How many extra years to add when a date falls outside the span."""

Suspension = tuple[dt.date, dt.date | None]
"""A suspended period, first and last day inclusive: working days inside it do not count. An end
of ``None`` (or any day past :data:`MAX_YEAR`, such as ``date.max``) means still suspended."""


@cache
def _bank_holiday_ordinals(year: int) -> frozenset[int]:
    """England and Wales bank holidays in ``year``, substitute days included, as ordinals."""
    stored = _stored_bank_holidays().get(year)
    if stored is not None:
        return stored
    import holidays

    return frozenset(day.toordinal() for day in holidays.UnitedKingdom(subdiv="ENG", years=year))


def _holidays_version() -> str:
    """The installed version of the ``holidays`` package, from the name of its ``dist-info``
    folder beside it (one look at a folder; ``importlib.metadata`` and what it imports take
    about 10 ms at every start), else from its metadata."""
    from importlib.util import find_spec

    spec = find_spec("holidays")
    if spec is not None and spec.origin:
        found = sorted(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("holidays-") : -len(".dist-info")]
    from importlib.metadata import version

    return version("holidays")


def bank_holidays_file() -> Path:
    """Where the bank holidays of :data:`_FIRST_YEAR`–:data:`_LAST_YEAR` are kept once worked
    out, for the installed version of the ``holidays`` package (its name says which)."""
    from caseworker.storage.location import cache_dir

    return cache_dir() / f"bank-holidays-england-{_holidays_version()}.json"


@cache
def _stored_bank_holidays() -> dict[int, frozenset[int]]:
    """The bank holidays of the usual span of years, as the ``holidays`` package gave them.

    Importing the package's country rules and working out 41 years takes about 0.1 s, at every
    start, before the case list can show how many working days each case has left; the answer
    only changes with a new version of the package, so it is kept in a file named after that
    version (the first start after an upgrade works it out again). A file that cannot be read
    or written is not an error: the days are worked out as before.
    """
    try:
        path = bank_holidays_file()
    except Exception:  # no metadata for the package: work the days out each time
        return {}
    try:
        saved = json.loads(path.read_text("utf-8"))
        return {int(year): frozenset(days) for year, days in saved.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    import holidays

    worked_out: dict[int, frozenset[int]] = {
        year: frozenset() for year in range(_FIRST_YEAR, _LAST_YEAR + 1)
    }
    for day in holidays.UnitedKingdom(subdiv="ENG", years=range(_FIRST_YEAR, _LAST_YEAR + 1)):
        worked_out[day.year] = worked_out[day.year] | {day.toordinal()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({y: sorted(d) for y, d in worked_out.items()}), "utf-8")
        partial.replace(path)
    except OSError:
        pass
    return worked_out


def bank_holidays(year: int) -> list[dt.date]:
    """England and Wales bank holidays in ``year``, in date order (for display and tests)."""
    return sorted(dt.date.fromordinal(o) for o in _bank_holiday_ordinals(year))


class _Span:
    """One immutable precomputed span; replaced whole when the calendar grows."""

    __slots__ = ("first_year", "last_year", "base", "end", "days", "rank")

    def __init__(self, first_year: int, last_year: int, closed: frozenset[int]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.base = dt.date(first_year, 1, 1).toordinal()
        self.end = dt.date(last_year + 1, 1, 1).toordinal()  # exclusive
        off = set(closed)
        for year in range(first_year, last_year + 1):
            off |= _bank_holiday_ordinals(year)
        days: list[dt.date] = []
        rank: list[int] = []
        count = 0
        for ordinal in range(self.base, self.end):
            # Ordinal 1 (1 January of year 1) was a Monday: ordinal % 7 is 6 on a Saturday and
            # 0 on a Sunday.
            if ordinal % 7 not in (0, 6) and ordinal not in off:
                days.append(dt.date.fromordinal(ordinal))
                count += 1
            rank.append(count)
        self.days = days
        """Every working day in the span, ascending (shared date objects: no conversion)."""
        self.rank = rank
        """``rank[o - base]``: how many working days in the span fall on or before ordinal o."""


class WorkingCalendar:
    """Working days: not a Saturday, a Sunday, an England and Wales bank holiday or a closure day.

    Obtain one with :func:`calendar_for` so that every policy with the same closure days shares
    one precomputed calendar. All methods take and return :class:`datetime.date`.
    """

    def __init__(
        self,
        closure_days: Iterable[dt.date] = (),
        *,
        first_year: int = _FIRST_YEAR,
        last_year: int = _LAST_YEAR,
    ) -> None:
        self.closure_days: frozenset[dt.date] = frozenset(closure_days)
        self._closed = frozenset(day.toordinal() for day in self.closure_days)
        self._lock = threading.Lock()
        self._span = _Span(first_year, last_year, self._closed)

    def __repr__(self) -> str:
        span = self._span
        return (
            f"WorkingCalendar({len(self.closure_days)} closure days, "
            f"built {span.first_year}–{span.last_year})"
        )

    # -- the span ----------------------------------------------------------------------------

    def _grow(self, ordinal: int) -> _Span:
        """Extend the span, in whole years, so that it holds ``ordinal`` with room to spare."""
        clamped = dt.date.fromordinal(min(max(ordinal, 1), dt.date.max.toordinal()))
        year = clamped.year
        if not MIN_YEAR <= year <= MAX_YEAR or clamped.toordinal() != ordinal:
            raise UserError(
                f"{clamped.isoformat()} is outside the years the working-day clock covers "
                f"({MIN_YEAR}–{MAX_YEAR})"
            )
        with self._lock:
            span = self._span
            if span.base <= ordinal < span.end:
                return span
            first = max(MIN_YEAR, min(span.first_year, year - _GROW_YEARS))
            last = min(MAX_YEAR, max(span.last_year, year + _GROW_YEARS))
            span = _Span(first, last, self._closed)
            self._span = span
            return span

    def _span_for(self, ordinal: int) -> _Span:
        span = self._span
        if span.base <= ordinal < span.end:
            return span
        return self._grow(ordinal)

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        ordinal = day.toordinal()
        span = self._span_for(ordinal)
        i = ordinal - span.base
        return span.rank[i] != (span.rank[i - 1] if i else 0)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        return self.add_working_days(day, -1)

    def clock_start(self, received: dt.date) -> dt.date:
        """The day a complaint counts as received: itself on a working day, else the next one.

        A complaint emailed on Saturday 28 November 2026 counts as received on Monday 30 November.
        """
        ordinal = received.toordinal()
        span = self._span_for(ordinal)
        i = ordinal - span.base
        if span.rank[i] != (span.rank[i - 1] if i else 0):
            return received if type(received) is dt.date else dt.date.fromordinal(ordinal)
        return self.add_working_days(received, 1)

    def day_zero(self, event: dt.date, *, that_day: bool = False) -> dt.date:
        """Day 0 of a count from an event on ``event``: the day itself on a working day; on a
        non-working day the next working day (:meth:`clock_start`), or, with ``that_day``, the
        day itself (a policy's ``clock.start_on_non_working_day``)."""
        return event if that_day else self.clock_start(event)

    # -- counting ----------------------------------------------------------------------------

    def after_clock_start(
        self, received: dt.date, offsets: Iterable[int], *, that_day: bool = False
    ) -> list[dt.date]:
        """For each n >= 0 in ``offsets``, the nth working day after ``day_zero(received)``.

        ``after_clock_start(d, (5, 20))`` is ``[add_working_days(clock_start(d), 5),
        add_working_days(clock_start(d), 20)]`` in one look-up: the hot path of
        :func:`caseworker.policy.deadlines.compute_deadlines`. With ``that_day`` a non-working
        day is itself day 0 (see :meth:`day_zero`).
        """
        ordinal = received.toordinal()
        span = self._span
        i = ordinal - span.base
        if 0 < i < len(span.rank):
            rank = span.rank
            start = rank[i]
            if start != rank[i - 1] or that_day:
                # Received on a working day: that day is days[start]. With that_day, a
                # non-working day sits just after days[start] and counts like it.
                start -= 1
            # else the clock starts on the next working day, days[rank[i]]
            days = span.days
            try:
                if that_day:
                    return [days[start + n] if n else received for n in offsets]
                return [days[start + n] for n in offsets]
            except IndexError:
                pass  # past the end of the span: grow it below
        begin = self.day_zero(received, that_day=that_day)
        return [self.add_working_days(begin, n) for n in offsets]

    def add_working_days(
        self, day: dt.date, n: int, suspensions: Iterable[Suspension] = ()
    ) -> dt.date:
        """The ``n``-th working day strictly after ``day`` (before it, for negative ``n``).

        ``day`` itself never counts and is not moved to a working day first: use
        :meth:`clock_start` for that. ``n == 0`` returns ``day``. Working days inside a
        ``suspensions`` period (first and last day inclusive) do not count, so each suspended
        working day pushes the result one working day later.
        """
        if suspensions:
            return self._add_suspended(day, n, suspensions)
        if n == 0:
            return day
        ordinal = day.toordinal()
        span = self._span_for(ordinal)
        if n > 0:
            index = span.rank[ordinal - span.base] + n - 1
        else:
            i = ordinal - span.base
            index = (span.rank[i - 1] if i else 0) + n
        days = span.days
        if 0 <= index < len(days):
            return days[index]
        return self._add_slow(ordinal, n)

    def _add_slow(self, ordinal: int, n: int) -> dt.date:
        """``add_working_days`` when the answer lies outside the span: grow it, then look again."""
        # Five working days take at most about ten calendar days, even around Christmas.
        reach = ordinal + (2 * n + 14 if n > 0 else 2 * n - 14)
        try:
            self._span_for(reach)
        except UserError:
            pass  # near MIN_YEAR or MAX_YEAR: the index check below gives the message
        span = self._span_for(ordinal)
        i = ordinal - span.base
        if n > 0:
            index = span.rank[i] + n - 1
        else:
            index = (span.rank[i - 1] if i else 0) + n
        if not 0 <= index < len(span.days):  # only at MIN_YEAR or MAX_YEAR
            raise UserError(
                f"{n} working days from {dt.date.fromordinal(ordinal).isoformat()} is outside "
                f"the years the working-day clock covers ({MIN_YEAR}–{MAX_YEAR})"
            )
        return span.days[index]

    def _add_suspended(self, day: dt.date, n: int, suspensions: Iterable[Suspension]) -> dt.date:
        if n < 0:
            raise ValueError("suspensions apply only when counting forwards (n >= 0)")
        periods = merge_suspensions(suspensions)
        current, remaining = day, n
        for start, end in periods:
            if end <= current:
                continue
            if remaining == 0:
                break
            if start > current:
                candidate = self.add_working_days(current, remaining)
                if candidate < start:
                    return candidate
                # The working days strictly after `current` and before the suspension count.
                remaining -= self.working_days_between(current, start - dt.timedelta(days=1))
            if end.year > MAX_YEAR:
                raise UserError(
                    f"the clock has been stopped since {start.isoformat()} by a suspension with "
                    "no end date, so the date cannot be worked out until the suspension ends "
                    "(give its last day, or today's date for the date as if it ended today)"
                )
            current = end
        return self.add_working_days(current, remaining)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end < start.

        ``working_days_between(today, due)`` is the working days left (0: due today, negative:
        overdue); ``working_days_between(due, sent)`` is how many working days late a response
        was (0 or less: on time). ``add_working_days(a, k)`` is the date b with
        ``working_days_between(a, b) == k`` that is itself a working day.
        """
        a, b = start.toordinal(), end.toordinal()
        span = self._span_for(a)
        if not span.base <= b < span.end:
            self._span_for(b)
            span = self._span_for(a)
        return span.rank[b - span.base] - span.rank[a - span.base]

    def working_days_in(self, first: dt.date, last: dt.date) -> int:
        """Working days from ``first`` to ``last``, both inclusive (0 when last < first)."""
        if last < first:
            return 0
        return self.working_days_between(first - dt.timedelta(days=1), last)


def merge_suspensions(suspensions: Iterable[Suspension]) -> list[tuple[dt.date, dt.date]]:
    """Sort suspended periods and merge those that overlap or touch.

    An end of ``None`` becomes ``date.max`` (still suspended). Raises :class:`UserError` for a
    period that ends before it starts.
    """
    periods = []
    for start, end in suspensions:
        if end is None:
            end = dt.date.max
        elif end < start:
            raise UserError(
                f"a suspension cannot end ({end.isoformat()}) before it starts "
                f"({start.isoformat()})"
            )
        periods.append((start, end))
    periods.sort()
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in periods:
        if merged and (start - merged[-1][1]).days <= 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=64)
def _calendar(closure_days: frozenset[dt.date]) -> WorkingCalendar:
    return WorkingCalendar(closure_days)


def calendar_for(closure_days: Iterable[dt.date] = ()) -> WorkingCalendar:
    """The shared calendar for a set of closure days (a policy's ``clock.closure_days``)."""
    if isinstance(closure_days, frozenset):
        return _calendar(closure_days)
    return _calendar(frozenset(closure_days))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months on, clamped to the end of a shorter month.

    31 January 2027 plus one month is 28 February 2027; 31 January 2028 is 29 February 2028.
    """
    month0 = day.month - 1 + months
    year, month0 = day.year + month0 // 12, month0 % 12
    if month0 == 1:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        last = 29 if leap else 28
    else:
        last = (31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month0]
    return dt.date(year, month0 + 1, min(day.day, last))


__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Suspension",
    "WorkingCalendar",
    "add_months",
    "bank_holidays",
    "calendar_for",
    "merge_suspensions",
]
