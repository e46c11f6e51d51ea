"""The case list's first page at start-up, read before the database layer is loaded.

Importing SQLAlchemy, the mapped models and the policy validator takes about 0.4 s, three
quarters of the time from starting the app to its first rows. None of it is needed to show one
page of the list: that is two SQL statements and the working-day clock. So the app shows its
window with the first page read through the database's own client library (``sqlite3``, or
libpq on PostgreSQL: :mod:`caseworker.storage.libpq`), on a thread of its own while the window
is built, and loads the rest while the person is already looking at their cases.

The statements are not written here. They are the case list's own (:func:`caseworker.services.
caselist.list_page_query` and :func:`~caseworker.services.lists.caselist.count_query` for the list
as it opens: every case, newest first), compiled by SQLAlchemy the last time the app ran and kept in
the cache folder as a :class:`StartRecipe`, with how to read each column and each policy's
closure days. A recipe is used only when it fits this start exactly:

* the same version of Caseworker, and the database at the schema revision it was compiled for
  (anything else, an upgrade included, goes the ordinary way, which migrates);
* the policy files unchanged since their closure days were read (same paths, sizes, times);
* a URL the driver can be given directly (``sqlite:///<file>`` of an existing file, or
  ``postgresql[+psycopg]://…``).

Whatever goes wrong (no recipe yet, a locked file, a server that is down or slow to answer) only
means the page is read the ordinary way: :func:`open_start_page` returns ``None``, or a page
that says it is not ready, and never raises. Once the app
has loaded, the list reads the same page through
:class:`caseworker.services.lists.caselist.CaseList` and keeps what is shown if it is the same, so a
recipe that no longer matches the code can cost
a reload, never a wrong row; and the app writes the recipe afresh whenever it differs
(:func:`caseworker.services.lists.caselist.write_start_recipe`).

This module imports neither SQLAlchemy nor pydantic (a test checks it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from caseworker.domain import enums
from caseworker.domain.caselist import (
    PAGE_SIZE,
    CaseFilter,
    CaseRow,
    CaseSort,
    CaseSummary,
    case_row,
)
from caseworker.policy.clock import WorkingCalendar, calendar_for

log = logging.getLogger(__name__)

RECIPE_FORMAT = 2
"""Bumped whenever :class:`StartRecipe` changes shape: older files are then ignored."""

COLUMN_KINDS = ("int", "str", "bool", "date", "datetime")
"""How a result column is read, besides ``enum:<name of a class in caseworker.domain.enums>``."""


class NotReady(Exception):
    """The start-up page was asked for something other than the page it holds (another filter,
    sort or page): the list has to wait until the app has loaded."""


@dataclass(frozen=True)
class Statement:
    sql: str
    params: list[Any]
    """The parameters, in order: SQLite's ``?`` and PostgreSQL's ``$1``, ``$2``… (compiled
    for libpq, not psycopg's ``%(name)s``)."""


@dataclass(frozen=True)
class StartRecipe:
    """What reading the first page takes, for one kind of database."""

    dialect: str
    """``sqlite`` or ``postgresql``."""
    version: str
    """The Caseworker version that compiled it."""
    revision: str
    """The schema revision it was compiled for."""
    page: Statement
    count: Statement
    columns: list[str]
    """How each column of a page row is read (see :data:`COLUMN_KINDS`)."""
    policy_files: list[list[Any]]
    """:func:`caseworker.policy.files.policy_files_stamp` when the closure days were read."""
    closure_days: dict[str, list[str]] = field(default_factory=dict)
    """Each installed policy's closure days (ISO dates), by policy id."""


def recipe_path(dialect: str) -> Path:
    from caseworker.storage.location import cache_dir

    return cache_dir() / f"start-page-{dialect}.json"


def load_recipe(dialect: str) -> StartRecipe | None:
    """The recipe kept for ``dialect``, or None (none kept, another format, unreadable)."""
    try:
        data = json.loads(recipe_path(dialect).read_text("utf-8"))
        if data.pop("format", None) != RECIPE_FORMAT:
            return None
        data["page"] = Statement(**data["page"])
        data["count"] = Statement(**data["count"])
        return StartRecipe(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save_recipe(recipe: StartRecipe) -> bool:
    """Keep ``recipe`` for the next start (written whole or not at all); whether it was written.
    A cache folder that cannot be written is not an error: the next start is just slower."""
    path = recipe_path(recipe.dialect)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(
            json.dumps({"format": RECIPE_FORMAT, **asdict(recipe)}, indent=1), "utf-8"
        )
        partial.replace(path)
    except OSError as error:
        log.info("could not keep the start-up page's statements in %s: %s", path, error)
        return False
    return True


# -- reading the page --------------------------------------------------------------------------


def _reader(kind: str) -> Callable[[Any], Any]:
    """A function reading one value of a column of this kind as SQLAlchemy would give it, from
    what ``sqlite3`` gives (dates and times as text, booleans as 0 and 1) or libpq's text."""
    if kind.startswith("enum:"):
        enum_class = getattr(enums, kind[5:])
        return lambda value: None if value is None else enum_class(value)
    if kind == "date":
        return lambda value: dt.date.fromisoformat(value) if isinstance(value, str) else value
    if kind == "datetime":
        return lambda value: dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if kind == "bool":
        return lambda value: (
            None if value is None else value == "t" if isinstance(value, str) else bool(value)
        )
    if kind == "int":
        return lambda value: None if value is None else int(value)
    if kind == "str":
        return lambda value: value
    raise ValueError(f"unknown column kind {kind!r}")


def _sqlite_file(url: str) -> str | None:
    """The file of a plain ``sqlite:///<path>`` URL; None for anything else (memory, options)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return path if path and path != ":memory:" else None


def _pg_conninfo(url: str) -> str | None:
    """The libpq URI of a ``postgresql://`` or ``postgresql+psycopg://`` URL (the same
    user, password, host, port, database and options), else None."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("postgresql", "postgresql+psycopg"):
        return None
    return f"postgresql://{rest}"


def dialect_of(url: str) -> str | None:
    """``sqlite`` or ``postgresql`` for a URL the start-up page can open, else None."""
    if _sqlite_file(url) is not None:
        return "sqlite"
    if _pg_conninfo(url) is not None:
        return "postgresql"
    return None


Query = Callable[[str, Any], list[tuple[Any, ...]]]
"""``query(sql, params)``: the rows of one statement."""


class _SQLite:
    """The database file through ``sqlite3``, read-only."""

    def __init__(self, url: str) -> None:
        import sqlite3
        from urllib.parse import quote

        path = _sqlite_file(url)
        assert path is not None
        # mode=rw: never creates a database (a missing file goes the ordinary way, which does).
        self._open = lambda: sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, timeout=10)

    def read(self, statements: Callable[[Query], Any]) -> Any:
        connection = self._open()
        try:
            connection.execute("PRAGMA query_only=ON")
            return statements(lambda sql, params: connection.execute(sql, params).fetchall())
        finally:
            connection.close()


class _PostgreSQL:
    """The server through libpq (:mod:`caseworker.storage.libpq`: psycopg takes 80 ms to
    import, libpq under 10)."""

    def __init__(self, url: str) -> None:
        from caseworker.storage import libpq

        self._libpq = libpq
        self._conninfo = _pg_conninfo(url)
        libpq.library()  # loaded here, not on the reading thread: LibpqError if it cannot be

    def read(self, statements: Callable[[Query], Any]) -> Any:
        assert self._conninfo is not None
        with self._libpq.Connection(self._conninfo) as connection:
            return statements(connection.execute)


def _driver(dialect: str, url: str) -> _SQLite | _PostgreSQL:
    return _SQLite(url) if dialect == "sqlite" else _PostgreSQL(url)


WAIT_AT_MOST = 3.0
"""Seconds the window waits for the page being read before it shows the list as loading (the
server is slow to answer): the database is then opened the ordinary way, which says what is
wrong if anything is."""


def open_start_page(url: str, *, today: Callable[[], dt.date] = dt.date.today) -> StartPage | None:
    """The first page of the list as it opens and its count, read with the database's client
    library alone; None when that cannot be done exactly (see the module's notes). Never raises.

    On PostgreSQL the page is read on a thread of its own while the window is built: most of
    that time is the server's (a new connection's first statements loading its catalogue, then
    counting every case), during which the thread does not hold the interpreter's lock. The
    window asks for the page last (:meth:`StartPage.page` waits for it); a page that could not
    be read in time is not an error: the list shows as loading until the app has opened the
    database the ordinary way. On SQLite it is read here and now: ``sqlite3`` lets go of the
    lock for each row it steps to and then waits to get it back from the thread building the
    window, which made the same read slower on a thread.
    """
    try:
        recipe = _fitting_recipe(url)
        if recipe is None:
            return None
        driver = _driver(recipe.dialect, url)  # imports and loads here, on this thread
        if recipe.dialect == "sqlite":  # read here and now (see above)
            rows, total = _read_rows(recipe, driver, today())
            return StartPage(rows, total, today=today)
    except Exception as error:  # the ordinary start will say what is wrong, if anything is
        log.info("no start-up page (%s): reading the list the ordinary way", error)
        return None
    return StartPage.being_read(lambda day: _read_rows(recipe, driver, day), today=today)


def read_start_page(url: str, *, today: Callable[[], dt.date] = dt.date.today) -> StartPage | None:
    """:func:`open_start_page`, once it has been read: None also when reading it failed."""
    page = open_start_page(url, today=today)
    if page is None or not page.wait():
        return None
    return page


def _fitting_recipe(url: str) -> StartRecipe | None:
    from caseworker import __version__
    from caseworker.policy.files import policy_files_stamp
    from caseworker.storage.revisions import head_revision

    dialect = dialect_of(url)
    if dialect is None:
        return None
    if dialect == "sqlite" and not Path(_sqlite_file(url) or "").expanduser().is_file():
        return None
    recipe = load_recipe(dialect)
    if recipe is None or recipe.version != __version__ or recipe.revision != head_revision():
        return None
    if recipe.policy_files != policy_files_stamp():
        return None
    return recipe


def _read_rows(
    recipe: StartRecipe, driver: _SQLite | _PostgreSQL, today: dt.date
) -> tuple[list[CaseRow], int]:
    readers = [_reader(kind) for kind in recipe.columns]

    def statements(query: Query) -> tuple[list[tuple[Any, ...]], int]:
        revisions = [row[0] for row in query("SELECT version_num FROM alembic_version", ())]
        if revisions != [recipe.revision]:
            raise ValueError(
                f"the database is at revision {', '.join(revisions) or 'none'}, "
                f"not {recipe.revision}"
            )
        raw = query(recipe.page.sql, recipe.page.params)
        total = len(raw)
        if total >= PAGE_SIZE:
            total = int(query(recipe.count.sql, recipe.count.params)[0][0])
        return raw, total

    raw, total = driver.read(statements)
    calendars = StartCalendars(recipe.closure_days)
    rows = [
        case_row(
            [read(value) for read, value in zip(readers, values, strict=True)], today, calendars
        )
        for values in raw
    ]
    return rows, total


class StartCalendars:
    """``calendars(policy_id)``: the working-day calendar of each policy, from the closure days
    kept with the recipe; a policy not installed counts weekends and bank holidays alone (as
    :class:`caseworker.services.lists.caselist.PolicyCalendars` does)."""

    def __init__(self, closure_days: dict[str, list[str]]) -> None:
        self._days = closure_days
        self._calendars: dict[str, WorkingCalendar] = {}

    def __call__(self, policy_id: str) -> WorkingCalendar:
        calendar = self._calendars.get(policy_id)
        if calendar is None:
            days = [dt.date.fromisoformat(day) for day in self._days.get(policy_id, [])]
            calendar = self._calendars[policy_id] = calendar_for(days)
        return calendar


class StartPage:
    """The list's first page as read at start-up: answers the list model's first questions
    (the page and the count of every case, newest first) until the app has loaded; anything
    else, or a page that could not be read, raises :class:`NotReady`."""

    login: str | None = None

    def __init__(
        self, rows: list[CaseRow], total: int, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self.first_rows = rows
        self.total = total
        self._today = today
        self._thread: threading.Thread | None = None
        self._read = True

    @classmethod
    def being_read(
        cls,
        read: Callable[[dt.date], tuple[list[CaseRow], int]],
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> StartPage:
        """A page that ``read(today)`` is reading, on a thread started here."""
        page = cls([], 0, today=today)
        page._read = False

        def reading() -> None:
            try:
                page.first_rows, page.total = read(page.today())
                page._read = True
            except Exception as error:  # the ordinary start will say what is wrong
                log.info(
                    "the start-up page could not be read (%s): reading the list the ordinary way",
                    error,
                )

        page._thread = threading.Thread(target=reading, name="caseworker-start-page", daemon=True)
        page._thread.start()
        return page

    def wait(self, timeout: float | None = None) -> bool:
        """Wait (at most ``timeout`` seconds, by default :data:`WAIT_AT_MOST`) for the page to
        be read; whether it was."""
        if self._thread is not None:
            self._thread.join(WAIT_AT_MOST if timeout is None else timeout)
            if self._thread.is_alive():
                return False
        return self._read

    def today(self) -> dt.date:
        return self._today()

    def count(self, filt: CaseFilter) -> int:
        if filt != CaseFilter() or not self.wait():
            raise NotReady("the list is still loading")
        return self.total

    def page(
        self,
        filt: CaseFilter,
        sort: CaseSort,
        *,
        after: CaseSummary | None = None,
        limit: int = PAGE_SIZE,
    ) -> list[CaseRow]:
        if (
            filt != CaseFilter()
            or sort != CaseSort()
            or after is not None
            or limit != PAGE_SIZE
            or not self.wait()
        ):
            raise NotReady("the list is still loading")
        return list(self.first_rows)
