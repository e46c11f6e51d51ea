"""The working-day clock, with every expected date counted by hand in the comments.

Calendar facts used below (England and Wales):
  2026: Good Friday Fri 3 Apr, Easter Monday Mon 6 Apr, early May Mon 4 May, spring Mon 25 May,
        Christmas Fri 25 Dec, Boxing Day Sat 26 Dec -> substitute Mon 28 Dec.
  2027: New Year Fri 1 Jan, Good Friday Fri 26 Mar, Easter Monday Mon 29 Mar, early May Mon 3 May,
        spring Mon 31 May, Christmas Sat 25 Dec and Boxing Day Sun 26 Dec -> substitutes
        Mon 27 and Tue 28 Dec.
  2028: New Year Sat 1 Jan -> substitute Mon 3 Jan.
"""

from __future__ import annotations

import datetime as dt
import random

import holidays
import pytest

from caseworker.errors import UserError
from caseworker.policy.clock import (
    WorkingCalendar,
    add_months,
    bank_holidays,
    calendar_for,
    merge_suspensions,
)

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return calendar_for(())


# -- bank holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Weekday bank holidays in January and December.
        # Christmas 2021 Sat, Boxing Day Sun -> Mon 27, Tue 28; New Year 2022 Sat -> Mon 3 Jan.
        (2021, [D(2021, 1, 1), D(2021, 12, 27), D(2021, 12, 28)]),
        (2022, [D(2022, 1, 3), D(2022, 12, 26), D(2022, 12, 27)]),
        # Boxing Day 2026 Sat -> Mon 28 Dec.
        (2026, [D(2026, 1, 1), D(2026, 12, 25), D(2026, 12, 28)]),
        (2027, [D(2027, 1, 1), D(2027, 12, 27), D(2027, 12, 28)]),
        (2028, [D(2028, 1, 3), D(2028, 12, 25), D(2028, 12, 26)]),
    ],
)
def test_christmas_and_new_year_substitute_days(
    cal: WorkingCalendar, year: int, expected: list[dt.date]
) -> None:
    observed = [d for d in bank_holidays(year) if d.month in (1, 12)]
    assert [d for d in observed if d.weekday() < 5] == expected
    for day in expected:
        assert not cal.is_working_day(day)


def test_one_off_bank_holidays_and_easter(cal: WorkingCalendar) -> None:
    for day in (
        D(2022, 6, 3),  # Platinum Jubilee
        D(2022, 9, 19),  # State funeral of Queen Elizabeth II
        D(2023, 5, 8),  # Coronation of King Charles III
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2027, 3, 26),
        D(2027, 3, 29),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2027, 5, 3),
        D(2027, 5, 31),
    ):
        assert not cal.is_working_day(day), day
    assert cal.is_working_day(D(2026, 11, 23))  # a Monday
    assert not cal.is_working_day(D(2026, 11, 28))  # a Saturday
    assert not cal.is_working_day(D(2026, 11, 29))  # a Sunday
    # Scotland's 2 January and St Andrew's Day are not England and Wales bank holidays.
    assert cal.is_working_day(D(2026, 1, 2))
    assert cal.is_working_day(D(2026, 11, 30))


# -- the spec example and receipt on a non-working day ---------------------------------------


def test_spec_example(cal: WorkingCalendar) -> None:
    # Received Mon 23 Nov 2026.
    # 5:  Tue 24 (1), Wed 25 (2), Thu 26 (3), Fri 27 (4), Mon 30 (5)                 -> Mon 30 Nov
    # 20: Tue 1 Dec (6), Wed 2 (7), Thu 3 (8), Fri 4 (9), Mon 7 (10), Tue 8 (11), Wed 9 (12),
    #     Thu 10 (13), Fri 11 (14), Mon 14 (15), Tue 15 (16), Wed 16 (17), Thu 17 (18),
    #     Fri 18 (19), Mon 21 (20)                                                    -> Mon 21 Dec
    received = D(2026, 11, 23)
    assert cal.clock_start(received) == received
    assert cal.add_working_days(received, 5) == D(2026, 11, 30)
    assert cal.add_working_days(received, 20) == D(2026, 12, 21)
    assert cal.after_clock_start(received, (5, 20)) == [D(2026, 11, 30), D(2026, 12, 21)]


def test_received_on_a_saturday(cal: WorkingCalendar) -> None:
    # Sat 28 Nov 2026 counts as received Mon 30 Nov.
    # 5 after Mon 30: Tue 1 Dec (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5)       -> Mon 7 Dec
    saturday = D(2026, 11, 28)
    assert cal.clock_start(saturday) == D(2026, 11, 30)
    assert cal.add_working_days(cal.clock_start(saturday), 5) == D(2026, 12, 7)
    assert cal.after_clock_start(saturday, (5,)) == [D(2026, 12, 7)]
    # add_working_days itself does not move the start: 5 after Sat 28 Nov is
    # Mon 30 (1), Tue 1 Dec (2), Wed 2 (3), Thu 3 (4), Fri 4 (5)                      -> Fri 4 Dec
    assert cal.add_working_days(saturday, 5) == D(2026, 12, 4)


def test_received_on_early_may_bank_holiday(cal: WorkingCalendar) -> None:
    # Mon 4 May 2026 (bank holiday) counts as received Tue 5 May.
    # 5 after: Wed 6 (1), Thu 7 (2), Fri 8 (3), Mon 11 (4), Tue 12 (5)                -> Tue 12 May
    assert cal.clock_start(D(2026, 5, 4)) == D(2026, 5, 5)
    assert cal.after_clock_start(D(2026, 5, 4), (5,)) == [D(2026, 5, 12)]


def test_across_spring_bank_holiday(cal: WorkingCalendar) -> None:
    # Received Fri 22 May 2026. Sat 23, Sun 24, Mon 25 (spring bank holiday) skipped.
    # 5 after: Tue 26 (1), Wed 27 (2), Thu 28 (3), Fri 29 (4), Mon 1 Jun (5)          -> Mon 1 Jun
    assert cal.add_working_days(D(2026, 5, 22), 5) == D(2026, 6, 1)
    # 2027: received Fri 28 May; Mon 31 May is the spring bank holiday.
    # Tue 1 Jun (1), Wed 2 (2), Thu 3 (3), Fri 4 (4), Mon 7 (5)                       -> Mon 7 Jun
    assert cal.add_working_days(D(2027, 5, 28), 5) == D(2027, 6, 7)


# -- Christmas and New Year ------------------------------------------------------------------


def test_christmas_2026(cal: WorkingCalendar) -> None:
    # Received Mon 21 Dec 2026. Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (Boxing Day
    # substitute), Fri 1 Jan (New Year), Sat 2, Sun 3 are not working days.
    # Tue 22 (1), Wed 23 (2), Thu 24 (3), Tue 29 (4), Wed 30 (5)                       -> Wed 30 Dec
    # Thu 31 (6), Mon 4 Jan (7), Tue 5 (8), Wed 6 (9), Thu 7 (10)                      -> Thu 7 Jan
    # Fri 8 (11), Mon 11 (12), Tue 12 (13), Wed 13 (14), Thu 14 (15), Fri 15 (16),
    # Mon 18 (17), Tue 19 (18), Wed 20 (19), Thu 21 (20)                              -> Thu 21 Jan
    received = D(2026, 12, 21)
    assert cal.after_clock_start(received, (5, 10, 20)) == [
        D(2026, 12, 30),
        D(2027, 1, 7),
        D(2027, 1, 21),
    ]
    # Received on Christmas Day: counts as received Tue 29 Dec; 5 after:
    # Wed 30 (1), Thu 31 (2), Mon 4 Jan (3), Tue 5 (4), Wed 6 (5)                      -> Wed 6 Jan
    assert cal.clock_start(D(2026, 12, 25)) == D(2026, 12, 29)
    assert cal.after_clock_start(D(2026, 12, 25), (5,)) == [D(2027, 1, 6)]


def test_christmas_2027(cal: WorkingCalendar) -> None:
    # Received Thu 23 Dec 2027. Sat 25, Sun 26, Mon 27 and Tue 28 (substitutes), Sat 1 Jan,
    # Sun 2, Mon 3 Jan (New Year substitute) are not working days.
    # Fri 24 (1), Wed 29 (2), Thu 30 (3), Fri 31 (4), Tue 4 Jan (5)                    -> Tue 4 Jan
    assert cal.add_working_days(D(2027, 12, 23), 5) == D(2028, 1, 4)
    # Received Mon 27 Dec 2027 (a substitute day): counts as received Wed 29 Dec.
    # Thu 30 (1), Fri 31 (2), Tue 4 Jan (3), Wed 5 (4), Thu 6 (5)                      -> Thu 6 Jan
    assert cal.clock_start(D(2027, 12, 27)) == D(2027, 12, 29)
    assert cal.after_clock_start(D(2027, 12, 27), (5,)) == [D(2028, 1, 6)]


# -- Easter ----------------------------------------------------------------------------------


def test_easter_2027(cal: WorkingCalendar) -> None:
    # Received Wed 24 Mar 2027. Fri 26 (Good Friday), Sat 27, Sun 28, Mon 29 (Easter Monday).
    # Thu 25 (1), Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 (5)                     -> Fri 2 Apr
    assert cal.add_working_days(D(2027, 3, 24), 5) == D(2027, 4, 2)
    # Received on Good Friday: counts as received Tue 30 Mar.
    # Wed 31 (1), Thu 1 Apr (2), Fri 2 (3), Mon 5 (4), Tue 6 (5)                       -> Tue 6 Apr
    assert cal.clock_start(D(2027, 3, 26)) == D(2027, 3, 30)
    assert cal.after_clock_start(D(2027, 3, 26), (5,)) == [D(2027, 4, 6)]


def test_easter_2026(cal: WorkingCalendar) -> None:
    # Received Wed 1 Apr 2026. Fri 3 (Good Friday), Sat 4, Sun 5, Mon 6 (Easter Monday).
    # Thu 2 (1), Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5)                           -> Fri 10 Apr
    assert cal.add_working_days(D(2026, 4, 1), 5) == D(2026, 4, 10)
    assert cal.next_working_day(D(2026, 4, 2)) == D(2026, 4, 7)
    assert cal.previous_working_day(D(2026, 4, 7)) == D(2026, 4, 2)


# -- closure days ----------------------------------------------------------------------------


def test_closure_days() -> None:
    # The council also closes Tue 29, Wed 30 and Thu 31 Dec 2026. Received Mon 21 Dec 2026:
    # Tue 22 (1), Wed 23 (2), Thu 24 (3), [25 Christmas .. 3 Jan all closed], Mon 4 Jan (4),
    # Tue 5 (5)                                                                        -> Tue 5 Jan
    closures = [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]
    closed = calendar_for(closures)
    assert closed.add_working_days(D(2026, 12, 21), 5) == D(2027, 1, 5)
    assert not closed.is_working_day(D(2026, 12, 30))
    assert closed.clock_start(D(2026, 12, 29)) == D(2027, 1, 4)
    # Without the closure: Tue 22, Wed 23, Thu 24, Tue 29, Wed 30                      -> Wed 30 Dec
    assert calendar_for().add_working_days(D(2026, 12, 21), 5) == D(2026, 12, 30)
    # Tue 22 .. Tue 5 Jan: 5 working days with the closure, 8 without (22, 23, 24, 29, 30, 31,
    # 4, 5).
    assert closed.working_days_between(D(2026, 12, 21), D(2027, 1, 5)) == 5
    assert calendar_for().working_days_between(D(2026, 12, 21), D(2027, 1, 5)) == 8


def test_calendar_for_is_shared() -> None:
    assert calendar_for([]) is calendar_for(())
    assert calendar_for([D(2026, 12, 29)]) is calendar_for((D(2026, 12, 29),))
    assert calendar_for([D(2026, 12, 29)]) is not calendar_for(())


# -- suspensions -----------------------------------------------------------------------------


def test_suspension_pushes_the_date(cal: WorkingCalendar) -> None:
    # Received Mon 23 Nov 2026, 20 working days -> Mon 21 Dec (spec example). Suspended
    # Mon 7 - Fri 11 Dec: 5 working days do not count, so the clock runs 5 more after Mon 21:
    # Tue 22 (1), Wed 23 (2), Thu 24 (3), Tue 29 (4), Wed 30 (5)                       -> Wed 30 Dec
    received = D(2026, 11, 23)
    suspended = [(D(2026, 12, 7), D(2026, 12, 11))]
    assert cal.add_working_days(received, 20, suspended) == D(2026, 12, 30)
    # The same period given as Sat 5 - Sun 13 Dec holds the same 5 working days.
    assert cal.add_working_days(received, 20, [(D(2026, 12, 5), D(2026, 12, 13))]) == D(
        2026, 12, 30
    )


def test_suspensions_overlapping_outside_and_weekend(cal: WorkingCalendar) -> None:
    received = D(2026, 11, 23)
    # Two overlapping periods Mon 7 - Wed 9 and Tue 8 - Fri 11 Dec: still those 5 days.
    overlapping = [(D(2026, 12, 8), D(2026, 12, 11)), (D(2026, 12, 7), D(2026, 12, 9))]
    assert cal.add_working_days(received, 20, overlapping) == D(2026, 12, 30)
    # Only a weekend (Sat 28 - Sun 29 Nov): no working day lost                        -> Mon 21 Dec
    assert cal.add_working_days(received, 20, [(D(2026, 11, 28), D(2026, 11, 29))]) == D(
        2026, 12, 21
    )
    # Before the clock started, or after the date it would end: no effect.
    assert cal.add_working_days(received, 20, [(D(2026, 11, 1), D(2026, 11, 23))]) == D(
        2026, 12, 21
    )
    assert cal.add_working_days(received, 20, [(D(2026, 12, 22), D(2027, 2, 1))]) == D(2026, 12, 21)
    # Suspended Fri 20 - Wed 25 Nov, across receipt: Tue 24 and Wed 25 do not count.
    # Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue 1 Dec (4), Wed 2 (5), Thu 3 (6), Fri 4 (7),
    # Mon 7 (8), Tue 8 (9), Wed 9 (10), Thu 10 (11), Fri 11 (12), Mon 14 (13), Tue 15 (14),
    # Wed 16 (15), Thu 17 (16), Fri 18 (17), Mon 21 (18), Tue 22 (19), Wed 23 (20) -> Wed 23 Dec
    assert cal.add_working_days(received, 20, [(D(2026, 11, 20), D(2026, 11, 25))]) == D(
        2026, 12, 23
    )
    # Suspended on the due day itself, Mon 21 Dec only: Tue 22 becomes the 20th.
    assert cal.add_working_days(received, 20, [(D(2026, 12, 21), D(2026, 12, 21))]) == D(
        2026, 12, 22
    )


def test_suspension_must_not_end_before_it_starts(cal: WorkingCalendar) -> None:
    with pytest.raises(UserError, match="2026-12-01.*2026-12-07"):
        cal.add_working_days(D(2026, 11, 23), 20, [(D(2026, 12, 7), D(2026, 12, 1))])


def test_merge_suspensions() -> None:
    assert merge_suspensions(
        [
            (D(2026, 1, 10), D(2026, 1, 12)),
            (D(2026, 1, 1), D(2026, 1, 5)),
            (D(2026, 1, 6), D(2026, 1, 7)),
            (D(2026, 1, 11), D(2026, 1, 11)),
        ]
    ) == [(D(2026, 1, 1), D(2026, 1, 7)), (D(2026, 1, 10), D(2026, 1, 12))]


# -- counting between dates ------------------------------------------------------------------


def test_working_days_between_signs(cal: WorkingCalendar) -> None:
    mon23, mon30 = D(2026, 11, 23), D(2026, 11, 30)
    # After Mon 23 up to and including Mon 30: Tue 24, Wed 25, Thu 26, Fri 27, Mon 30 = 5.
    assert cal.working_days_between(mon23, mon30) == 5
    assert cal.working_days_between(mon30, mon23) == -5
    assert cal.working_days_between(mon23, mon23) == 0
    # Fri 27 -> Sat 28: no working day after Fri up to Sat.
    assert cal.working_days_between(D(2026, 11, 27), D(2026, 11, 28)) == 0
    # Sat 28 -> Mon 30: Mon 30 = 1; back again: -1.
    assert cal.working_days_between(D(2026, 11, 28), mon30) == 1
    assert cal.working_days_between(mon30, D(2026, 11, 28)) == -1
    # Due Mon 21 Dec 2026, sent Wed 30 Dec: late by Tue 22, Wed 23, Thu 24, Tue 29, Wed 30 = 5.
    assert cal.working_days_between(D(2026, 12, 21), D(2026, 12, 30)) == 5
    # Days left on Thu 17 Dec: Fri 18, Mon 21 = 2.
    assert cal.working_days_between(D(2026, 12, 17), D(2026, 12, 21)) == 2
    # Inclusive count Mon 21 - Wed 30 Dec: 21, 22, 23, 24, 29, 30 = 6.
    assert cal.working_days_in(D(2026, 12, 21), D(2026, 12, 30)) == 6
    assert cal.working_days_in(D(2026, 12, 30), D(2026, 12, 21)) == 0


def test_negative_and_zero_counts(cal: WorkingCalendar) -> None:
    # 3 working days before Tue 29 Dec 2026: Thu 24 (1), Wed 23 (2), Tue 22 (3).
    assert cal.add_working_days(D(2026, 12, 29), -3) == D(2026, 12, 22)
    assert cal.add_working_days(D(2026, 12, 26), 0) == D(2026, 12, 26)


# -- months windows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # a leap year
        (D(2027, 3, 31), 1, D(2027, 4, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 5, 31), 12, D(2027, 5, 31)),
        (D(2026, 5, 31), 14, D(2027, 7, 31)),
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


# -- the span grows; years outside are refused -----------------------------------------------


def test_span_grows_lazily() -> None:
    cal = WorkingCalendar(first_year=2026, last_year=2026)
    # Christmas 2027 lies outside the first span: Thu 23 Dec 2027 + 5 -> Tue 4 Jan 2028.
    assert cal.add_working_days(D(2027, 12, 23), 5) == D(2028, 1, 4)
    # Reaching the end of the span from inside it: Wed 30 Dec 2026 + 3 ->
    # Thu 31 (1), Mon 4 Jan (2), Tue 5 (3).
    cal = WorkingCalendar(first_year=2026, last_year=2026)
    assert cal.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert cal.after_clock_start(D(2026, 12, 30), (3,)) == [D(2027, 1, 5)]
    # Before the span: Good Friday 2024 was 29 Mar, Easter Monday 1 Apr.
    # Thu 28 Mar 2024 + 1 -> Tue 2 Apr.
    assert cal.add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    assert cal.working_days_between(D(1990, 1, 1), D(2150, 1, 1)) > 0


def test_years_outside_the_clock_are_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(UserError, match="1899-12-01 is outside"):
        cal.add_working_days(D(1899, 12, 1), 1)
    with pytest.raises(UserError, match="outside the years"):
        cal.add_working_days(D(2200, 12, 20), 30)
    with pytest.raises(UserError, match="9999-01-01"):
        cal.clock_start(D(9999, 1, 1))


# -- the fast path against a plain day-by-day count ------------------------------------------


class NaiveCalendar:
    """Step through the days one at a time: slow, obviously right."""

    def __init__(self, closure_days: frozenset[dt.date] = frozenset()) -> None:
        self.bank = holidays.UnitedKingdom(subdiv="ENG", years=range(1985, 2090))
        self.closure_days = closure_days

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.bank and day not in self.closure_days

    def add(self, day: dt.date, n: int, suspensions=()) -> dt.date:  # noqa: ANN001
        step = dt.timedelta(days=1 if n >= 0 else -1)
        while n != 0:
            day += step
            if self.is_working_day(day) and not any(a <= day <= b for a, b in suspensions):
                n -= 1 if n > 0 else -1
        return day

    def clock_start(self, day: dt.date) -> dt.date:
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def between(self, a: dt.date, b: dt.date) -> int:
        lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
        count = 0
        while lo < hi:
            lo += dt.timedelta(days=1)
            count += self.is_working_day(lo)
        return sign * count


@pytest.mark.parametrize("with_closures", [False, True])
def test_fast_path_matches_day_by_day_count(with_closures: bool) -> None:
    rng = random.Random(20261123 + with_closures)
    closures = (
        frozenset(D(2000, 1, 1) + dt.timedelta(days=rng.randrange(40 * 365)) for _ in range(300))
        if with_closures
        else frozenset()
    )
    # A narrow first span, so the checks also cover growing it both ways.
    fast = WorkingCalendar(closures, first_year=2020, last_year=2021)
    slow = NaiveCalendar(closures)
    first, last = D(1990, 1, 1).toordinal(), D(2075, 12, 31).toordinal()
    for _ in range(3000):
        day = D.fromordinal(rng.randint(first, last))
        n = rng.randint(0, 130)
        assert fast.add_working_days(day, n) == slow.add(day, n), (day, n)
        back = -rng.randint(1, 30)
        assert fast.add_working_days(day, back) == slow.add(day, back), (day, back)
        assert fast.is_working_day(day) == slow.is_working_day(day), day
        start = slow.clock_start(day)
        assert fast.clock_start(day) == start, day
        offsets = sorted(rng.sample(range(0, 131), 3))
        assert fast.after_clock_start(day, offsets) == [slow.add(start, k) for k in offsets]
        other = day + dt.timedelta(days=rng.randint(-200, 200))
        assert fast.working_days_between(day, other) == slow.between(day, other), (day, other)
        # add_working_days and working_days_between agree.
        assert fast.working_days_between(day, fast.add_working_days(day, n)) == n


def test_suspensions_match_day_by_day_count() -> None:
    rng = random.Random(7)
    fast = calendar_for(())
    slow = NaiveCalendar()
    first = D(2024, 1, 1).toordinal()
    for _ in range(2000):
        day = D.fromordinal(first + rng.randrange(5 * 365))
        n = rng.randint(0, 60)
        periods = []
        for _ in range(rng.randint(1, 3)):
            start = day + dt.timedelta(days=rng.randint(-20, 80))
            periods.append((start, start + dt.timedelta(days=rng.randint(0, 25))))
        expected = slow.add(day, n, periods)
        assert fast.add_working_days(day, n, periods) == expected, (day, n, periods)


def test_open_ended_suspension(cal: WorkingCalendar) -> None:
    received = D(2026, 11, 23)
    # Still suspended since Mon 7 Dec 2026 (no end, or date.max): the 20th working day is not
    # reached before the suspension, so there is no date to give.
    for end in (None, dt.date.max):
        with pytest.raises(UserError, match="stopped since 2026-12-07 by a suspension with no end"):
            cal.add_working_days(received, 20, [(D(2026, 12, 7), end)])
    # Suspended from Tue 22 Dec, after the due date Mon 21 Dec: no effect.
    assert cal.add_working_days(received, 20, [(D(2026, 12, 22), None)]) == D(2026, 12, 21)
    # Merged with an earlier period that touches it.
    assert merge_suspensions([(D(2026, 12, 7), None), (D(2026, 12, 1), D(2026, 12, 6))]) == [
        (D(2026, 12, 1), dt.date.max)
    ]
