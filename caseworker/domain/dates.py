"""Dates as people type and read them: ``3/12``, ``3 Dec 2026``, ``2026-12-03``, ``today``.

One reading for every date field of the app (and anything else that takes a typed date), so the
app holds no date arithmetic of its own. Day before month, as in England. A date typed without
its year is in the year of "today" (the context's, never the computer's clock), unless that falls
outside the field's bounds and the same day of the year before or after, within six months of
today, does not: a complaint "received 28/12" typed on 5 January was received last December.
Nothing else moves a year.
"""

from __future__ import annotations

import datetime as dt
import re

from caseworker.errors import UserError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = {
    name.lower(): number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in {full, full[:3], full[:4]}
}
_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}

NEAR_DAYS = 183
"""How far from today a date typed without its year may be moved into the next or last year."""

EXAMPLES = "3/12, 3 Dec 2026, 2026-12-03 or today"
"""What a date field accepts, in words for a tooltip or a refusal."""


class DateNotRead(UserError):
    """Typed text that is not a date, or a date outside what the field allows."""


def show_date(day: dt.date | None, empty: str = "") -> str:
    """``3 Dec 2026``: how a date is shown, the same in every locale."""
    if day is None:
        return empty
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _year(text: str, today: dt.date) -> int:
    year = int(text)
    if len(text) <= 2:  # 26 → 2026, in the century of today
        year += today.year // 100 * 100
    return year


def _parts(text: str, today: dt.date) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from the text, or None when it reads as no date."""
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return int(match[1]), int(match[2]), int(match[3])
    if match := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?", text):
        year = _year(match[3], today) if match[3] else None
        return year, int(match[2]), int(match[1])
    words = re.sub(r"[,.]", " ", text).split()
    day = month = year = None
    for word in words:
        plain = re.sub(r"(?<=\d)(st|nd|rd|th)$", "", word)
        if plain.isdigit():
            if day is None and len(plain) <= 2:
                day = int(plain)
            elif month is None and len(plain) <= 2:  # "3 12 2026"
                month = int(plain)
            elif year is None:
                year = _year(plain, today)
            else:
                return None
        elif plain in _MONTH_NAMES and month is None:
            month = _MONTH_NAMES[plain]
        else:
            return None
    if day is None or month is None:
        return None
    return year, month, day


def read_date(
    text: str,
    *,
    today: dt.date,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    what: str = "the date",
) -> dt.date:
    """The date ``text`` means, read on ``today``, within ``earliest``..``latest`` when given.

    Raises :class:`DateNotRead`, saying what was typed and what would do, for text that is no
    date ("32/12", "soon") or a date outside the bounds."""
    typed = " ".join(text.strip().lower().split())
    if not typed:
        raise DateNotRead(f"{what} is empty: type a date such as {EXAMPLES}")
    if typed in _WORDS:
        day = today + dt.timedelta(days=_WORDS[typed])
    else:
        parts = _parts(typed, today)
        if parts is None:
            raise DateNotRead(f'"{text.strip()}" is not a date: type {EXAMPLES}')
        year, month, day_number = parts
        candidates = [year] if year is not None else [today.year, today.year - 1, today.year + 1]
        days = []
        for candidate in candidates:
            try:
                days.append(dt.date(candidate, month, day_number))
            except ValueError:
                continue
        if not days:
            raise DateNotRead(f'"{text.strip()}" is not a date: there is no such day')
        # Another year only where this year's date is out of bounds and that one is near.
        near = [
            d for d in days if _within(d, earliest, latest) and abs((d - today).days) <= NEAR_DAYS
        ]
        day = days[0] if not near or _within(days[0], earliest, latest) else near[0]
    if earliest is not None and day < earliest:
        raise DateNotRead(f"{what} cannot be before {show_date(earliest)}: {show_date(day)}")
    if latest is not None and day > latest:
        raise DateNotRead(f"{what} cannot be after {show_date(latest)}: {show_date(day)}")
    return day


def _within(day: dt.date, earliest: dt.date | None, latest: dt.date | None) -> bool:
    return (earliest is None or day >= earliest) and (latest is None or day <= latest)
