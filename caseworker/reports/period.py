"""The period a report covers: a quarter, a year, a financial year or any two dates, inclusive.

Councils report quarterly (Stockport 4.3: "analysed on a quarterly basis") and annually (Stoke,
seed 002, Southampton: an annual report). Quarters are calendar quarters (Q1 is January to March);
a financial year runs from 1 April to 31 March, as councils' performance years do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from caseworker.errors import UserError

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_FINANCIAL = re.compile(r"^(\d{4})[-/](\d{2}|\d{4})$")


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: dt.date
    end: dt.date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserError(
                f"the period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        if not self.label:
            object.__setattr__(self, "label", describe(self.start, self.end))

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        if not 1 <= number <= 4:
            raise UserError(f"a quarter is 1 to 4, not {number}")
        first_month = 3 * (number - 1) + 1
        start = dt.date(year, first_month, 1)
        end = _month_end(year, first_month + 2)
        return cls(start, end, f"Q{number} {year} ({_day(start)} to {_day(end)})")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(
            dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year} (1 January to 31 December {year})"
        )

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        """1 April ``first_year`` to 31 March of the next year (``2026/27``)."""
        return cls(
            dt.date(first_year, 4, 1),
            dt.date(first_year + 1, 3, 31),
            f"{first_year}/{(first_year + 1) % 100:02d} (1 April {first_year} to "
            f"31 March {first_year + 1})",
        )

    @classmethod
    def year_to_date(cls, today: dt.date) -> Period:
        """1 January of ``today``'s year to ``today``."""
        return cls(dt.date(today.year, 1, 1), today)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026``, ``2026Q3`` (or ``2026-Q3``) or ``2026/27`` (a financial year)."""
        text = text.strip()
        if re.fullmatch(r"\d{4}", text):
            return cls.year(int(text))
        match = _QUARTER.match(text)
        if match:
            return cls.quarter(int(match.group(1)), int(match.group(2)))
        match = _FINANCIAL.match(text)
        if match:
            first = int(match.group(1))
            second = int(match.group(2))
            if second % 100 == (first + 1) % 100:
                return cls.financial_year(first)
        raise UserError(f"'{text}' is not a period: use 2026, 2026Q3 or 2026/27")

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def last_full_quarter(today: dt.date) -> tuple[int, int]:
    """(year, quarter number) of the last calendar quarter that ended before ``today``: what a
    quarterly report is usually about (on 25 November 2026, Q3 2026; in February, Q4 of the
    year before)."""
    current = (today.month - 1) // 3 + 1
    return (today.year, current - 1) if current > 1 else (today.year - 1, 4)


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date, or a :class:`UserError` naming ``what`` (``--from``) and the text."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{what}: '{text}' is not a date (YYYY-MM-DD, e.g. 2026-04-01)") from None


def describe(start: dt.date, end: dt.date) -> str:
    """A period in words, e.g. "1 April 2026 to 31 March 2027"."""
    return f"{_day(start)} to {_day(end)}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


__all__ = ["Period", "describe", "last_full_quarter", "parse_date"]
