"""The few libpq calls the start-up page makes (caseworker.storage.libpq), against a real
server: values come back as text in the forms the start-up page reads, NULL apart from the
empty string, and whatever fails says why."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.services.lists.startpage import _pg_conninfo
from caseworker.storage import libpq

pytestmark = pytest.mark.postgres


@pytest.fixture
def connection(pg_url):
    with libpq.Connection(_pg_conninfo(pg_url)) as opened:
        yield opened


def test_the_library_is_psycopgs_own_copy_when_it_ships_one() -> None:
    bundled = libpq.bundled_libpq()
    if bundled is None:
        pytest.skip("psycopg's binary package is not installed here")
    assert bundled.name.startswith("libpq")
    assert libpq.library()  # loads


def test_parameters_and_values_go_as_text(connection) -> None:
    rows = connection.execute(
        "SELECT $1::int + 1, $2::text, $3::date, $4::boolean, $5::text IS NULL, '',"
        " NULL::text, 'Ann O''Neill — café'",
        [41, "Larch", "2026-12-03", False, None],
    )
    assert rows == [("42", "Larch", "2026-12-03", "f", "t", "", None, "Ann O'Neill — café")]


def test_the_session_reads_times_in_utc_and_dates_in_iso(connection) -> None:
    [(stamp, day)] = connection.execute(
        "SELECT TIMESTAMPTZ '2026-12-03 09:15:00.25+05:30', DATE '2027-01-15'"
    )
    assert dt.datetime.fromisoformat(stamp) == dt.datetime(
        2026, 12, 3, 3, 45, 0, 250000, tzinfo=dt.UTC
    )
    assert dt.date.fromisoformat(day) == dt.date(2027, 1, 15)


def test_several_statements_give_the_last_ones_rows(connection) -> None:
    assert connection.execute(
        "CREATE TEMP TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT n FROM t ORDER BY n"
    ) == [("1",), ("2",)]
    assert connection.execute("DROP TABLE t") == []


def test_a_failing_statement_says_why_and_the_connection_goes_on(connection) -> None:
    with pytest.raises(libpq.LibpqError, match='relation "nowhere" does not exist'):
        connection.execute("SELECT * FROM nowhere")
    assert connection.execute("SELECT 1") == [("1",)]


def test_a_closed_connection_is_not_used(pg_url) -> None:
    opened = libpq.Connection(_pg_conninfo(pg_url))
    opened.close()
    opened.close()  # twice is harmless
    with pytest.raises(libpq.LibpqError, match="closed"):
        opened.execute("SELECT 1")


def test_a_server_that_is_not_there_says_so() -> None:
    with pytest.raises(libpq.LibpqError, match="127.0.0.1"):
        libpq.Connection("postgresql://nobody@127.0.0.1:1/none", timeout=2)
