"""The few calls of PostgreSQL's client library the start-up page needs, through ``ctypes``.

The app talks to PostgreSQL through psycopg, but importing psycopg takes about 80 ms, which was
most of the difference between starting on SQLite and on PostgreSQL, and all the start-up page
does (:mod:`caseworker.services.lists.startpage`) is run three statements and read their answers as
text. libpq itself (the library psycopg is built on, and ships a copy of) loads in under 10 ms.
So this module loads that same library and makes those calls: connect, run a statement with
parameters, read the rows, disconnect. It is not a driver and is used for nothing else:
whatever it cannot do, or any error, only means the page is read the ordinary way.

Values come back as libpq's text: ``int('42')``, ``'t'``/``'f'`` for booleans, ISO dates and,
with the session's ``TimeZone`` set to UTC, timestamps such as ``2026-12-03 09:15:00+00``.
ctypes releases the interpreter's lock during each call, so a thread waiting here for the
server lets the window be built meanwhile.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path

CONNECTION_OK = 0
PGRES_COMMAND_OK = 1
PGRES_TUPLES_OK = 2

SESSION_SETTINGS = "SET DateStyle TO ISO; SET TimeZone TO 'UTC'; SET client_encoding TO 'UTF8'"
"""Sent first, so that dates, times and text come back in the form this module reads."""


class LibpqError(Exception):
    """libpq could not be found or loaded, or the server refused a connection or statement."""


def bundled_libpq() -> Path | None:
    """The copy of libpq that psycopg's binary package ships (in ``psycopg_binary.libs`` beside
    it on Linux and Windows, ``psycopg_binary/.dylibs`` on macOS), if that package is installed."""
    spec = find_spec("psycopg_binary")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    for folder in (package.parent / "psycopg_binary.libs", package / ".dylibs"):
        found = sorted(folder.glob("libpq*")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


@cache
def library() -> tuple[ctypes.CDLL, ctypes.PyDLL]:
    """libpq, loaded once (psycopg's own copy, else the system's), twice over: for the calls
    that wait on the server, which release the interpreter's lock, and for those that only read
    a result already received, which keep it (releasing and taking it back for each of a
    page's 1,500 values, while another thread holds it, costs a wait each time).
    :class:`LibpqError` if it cannot be loaded."""
    path = bundled_libpq()
    if path is None:
        from ctypes.util import find_library

        name = find_library("pq") or find_library("libpq")
        if name is None:
            raise LibpqError("libpq is not installed")
        location = name
    else:
        location = str(path)
    try:
        waiting, reading = ctypes.CDLL(location), ctypes.PyDLL(location)
    except OSError as error:
        raise LibpqError(f"libpq could not be loaded from {location}: {error}") from error
    pointer, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for lib, name, result, arguments in (
        (
            waiting,
            "PQconnectdbParams",
            pointer,
            [ctypes.POINTER(text), ctypes.POINTER(text), number],
        ),
        (waiting, "PQfinish", None, [pointer]),
        (waiting, "PQexec", pointer, [pointer, text]),
        (
            waiting,
            "PQexecParams",
            pointer,
            [pointer, text, number, pointer, ctypes.POINTER(text), pointer, pointer, number],
        ),
        (reading, "PQstatus", number, [pointer]),
        (reading, "PQerrorMessage", text, [pointer]),
        (reading, "PQresultStatus", number, [pointer]),
        (reading, "PQresultErrorMessage", text, [pointer]),
        (reading, "PQntuples", number, [pointer]),
        (reading, "PQnfields", number, [pointer]),
        (reading, "PQgetisnull", number, [pointer, number, number]),
        (reading, "PQgetvalue", text, [pointer, number, number]),
        (reading, "PQclear", None, [pointer]),
    ):
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = arguments
    return waiting, reading


Row = tuple[str | None, ...]


def _strings(values: Sequence[bytes | None]) -> ctypes.Array[ctypes.c_char_p]:
    return (ctypes.c_char_p * (len(values) + 1))(*values, None)


def _text(value: object) -> bytes | None:
    """A parameter as libpq's text form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode("utf-8")


class Connection:
    """One connection, for a few statements, then :meth:`close`."""

    def __init__(self, conninfo: str, *, timeout: int = 10) -> None:
        """``conninfo``: a ``postgresql://`` URI or ``key=value`` string, as libpq takes
        (password, host, ``sslmode`` and the rest; ``.pgpass`` and ``PG*`` variables apply)."""
        self._wait, self._read = library()
        keywords = _strings([b"dbname", b"connect_timeout"])
        values = _strings([conninfo.encode("utf-8"), str(timeout).encode()])
        # expand_dbname=1: the first "dbname" is the whole connection string; the keywords
        # after it add to it.
        self._conn = self._wait.PQconnectdbParams(keywords, values, 1)
        if not self._conn:
            raise LibpqError("libpq could not allocate a connection")
        if self._read.PQstatus(self._conn) != CONNECTION_OK:
            message = self._message()
            self.close()
            raise LibpqError(message or "could not connect")
        self.execute(SESSION_SETTINGS)

    def _message(self) -> str:
        raw = self._read.PQerrorMessage(self._conn) if self._conn else None
        return (raw or b"").decode("utf-8", "replace").strip()

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """The rows of one statement (``$1``, ``$2``… for ``params``), each value as text or
        None; a statement that returns no rows gives ``[]``. Given no parameters, ``sql``
        may hold several statements (the last one's rows are returned)."""
        if self._conn is None:
            raise LibpqError("the connection is closed")
        if params:
            values = _strings([_text(value) for value in params])
            result = self._wait.PQexecParams(
                self._conn, sql.encode("utf-8"), len(params), None, values, None, None, 0
            )
        else:
            result = self._wait.PQexec(self._conn, sql.encode("utf-8"))
        if not result:
            raise LibpqError(self._message() or "the statement could not be sent")
        lib = self._read
        try:
            status = lib.PQresultStatus(result)
            if status == PGRES_COMMAND_OK:
                return []
            if status != PGRES_TUPLES_OK:
                raw = lib.PQresultErrorMessage(result) or b""
                raise LibpqError(raw.decode("utf-8", "replace").strip() or f"status {status}")
            fields = range(lib.PQnfields(result))
            value, null = lib.PQgetvalue, lib.PQgetisnull
            # Text results hold no NUL byte, so each value is the C string libpq returns.
            return [
                tuple(
                    None if null(result, row, field) else value(result, row, field).decode("utf-8")
                    for field in fields
                )
                for row in range(lib.PQntuples(result))
            ]
        finally:
            lib.PQclear(result)

    def close(self) -> None:
        if self._conn is not None:
            self._wait.PQfinish(self._conn)
            self._conn = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
