"""Typed dates (issue 19, item 2): what an officer types into a date field, read by the core."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.dates import DateNotRead, read_date, show_date

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("3/12", dt.date(2026, 12, 3)),
        ("3/12/2026", dt.date(2026, 12, 3)),
        ("3/12/26", dt.date(2026, 12, 3)),
        ("03.12.2026", dt.date(2026, 12, 3)),
        ("3 Dec 2026", dt.date(2026, 12, 3)),
        ("3 december 2026", dt.date(2026, 12, 3)),
        ("3rd Dec", dt.date(2026, 12, 3)),
        ("Dec 3, 2026", dt.date(2026, 12, 3)),
        ("3 12 2026", dt.date(2026, 12, 3)),
        ("2026-12-03", dt.date(2026, 12, 3)),
        ("  today ", TODAY),
        ("Tomorrow", dt.date(2026, 11, 26)),
        ("yesterday", dt.date(2026, 11, 24)),
        ("29 Feb 2028", dt.date(2028, 2, 29)),
    ],
)
def test_what_people_type_is_read_day_first(typed, meant):
    assert read_date(typed, today=TODAY) == meant


def test_a_date_without_its_year_is_this_years_unless_the_field_says_otherwise():
    # Received "28/12" typed on 5 January: it cannot be in the future, so last December.
    january = dt.date(2027, 1, 5)
    assert read_date("28/12", today=january) == dt.date(2027, 12, 28)
    assert read_date("28/12", today=january, latest=january) == dt.date(2026, 12, 28)
    # An extension after 20 Dec typed as "5/1" in December: next January.
    assert read_date("5/1", today=dt.date(2026, 12, 20), earliest=dt.date(2026, 12, 21)) == (
        dt.date(2027, 1, 5)
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "is empty"),
        ("soon", '"soon" is not a date'),
        ("32/12", "there is no such day"),
        ("29 Feb 2027", "there is no such day"),
        ("3 Dec 2026 4", "is not a date"),
        ("Decembre 3", "is not a date"),
    ],
)
def test_what_is_no_date_is_refused_in_words(typed, says):
    with pytest.raises(DateNotRead) as refused:
        read_date(typed, today=TODAY)
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_date_out_of_bounds_is_refused_naming_the_bound():
    with pytest.raises(DateNotRead, match="the date received cannot be after 25 Nov 2026"):
        read_date("2026-12-03", today=TODAY, latest=TODAY, what="the date received")
    with pytest.raises(DateNotRead, match="cannot be before 30 Nov 2026: 29 Nov 2026"):
        read_date("29/11", today=TODAY, earliest=dt.date(2026, 11, 30))


def test_dates_are_shown_the_way_letters_write_them():
    assert show_date(dt.date(2026, 12, 3)) == "3 Dec 2026"
    assert show_date(None, "Not given") == "Not given"
    for day in (dt.date(2026, 1, 31), dt.date(2026, 9, 1), TODAY):
        assert read_date(show_date(day), today=TODAY) == day


def test_an_extension_starts_after_the_date_it_replaces():
    from caseworker.services.cases.progress import extension_default

    due = dt.date(2026, 11, 16)
    assert extension_default(due, dt.date(2026, 12, 14)) == dt.date(2026, 12, 14)
    assert extension_default(due, None) == dt.date(2026, 11, 17)
    assert extension_default(due, due) == dt.date(2026, 11, 17)  # already at the limit
    assert extension_default(None, None) is None
