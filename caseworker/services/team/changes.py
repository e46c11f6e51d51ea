"""Which cases colleagues changed: so the case list refreshes itself, without a Refresh button.

The API (Qt-free; the desktop app wires it to the list)::

    feed = ChangeFeed(app.engine)        # marks "now": only later changes are reported
    ...
    changed = feed.poll()                # set of case ids created, changed or deleted since
                                         # the last poll (empty when nothing happened)
    feed.close()                         # or use it as a context manager

:meth:`ChangeFeed.poll` never blocks. How the app calls it:

* **PostgreSQL** (``feed.mode == "notify"``): migration 0005 added triggers that ``NOTIFY
  caseworker_cases`` on every insert, update and delete of a case and every audit event (so a
  new note or letter counts as a change to its case). Notifications arrive at commit, on a
  connection the feed keeps listening. :meth:`ChangeFeed.fileno` is that connection's socket:
  watch it (``QSocketNotifier(feed.fileno(), QSocketNotifier.Read)``) and call ``poll()`` when
  it becomes readable; ``poll()`` asks the database nothing unless a notification came.
* **SQLite** (``feed.mode == "poll"``, and PostgreSQL if listening fails): call ``poll()`` on a
  timer, every few seconds. Each poll is two index lookups (``max(audit_events.id)`` and
  ``max(cases.updated_at)``); only when one moved does it fetch the ids of the changed cases.

Either way the ids come from the audit trail after the feed's marker (the highest audit event id
seen) and from ``cases.updated_at`` (for changes written without the ORM). On PostgreSQL an
event id can become visible after a higher one (transactions commit out of order), so ids
skipped over are remembered for a while (``gap_seconds``) and looked at again on later polls.

:meth:`ChangeFeed.wait` blocks until something changes or the timeout passes, for a worker
thread or a command-line watcher.
"""

from __future__ import annotations

import datetime as dt
import select as select_module
import time
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, func, or_, select

from caseworker.storage.models import AuditEvent, Case

CHANNEL = "caseworker_cases"
"""The PostgreSQL notification channel (the triggers of migration 0005 notify it)."""
MAX_GAPS = 10_000


class ChangeFeed:
    def __init__(self, engine: Engine, *, listen: bool = True, gap_seconds: float = 120.0) -> None:
        self.engine = engine
        self.gap_seconds = gap_seconds
        self._audit_id, self._updated_at = self._marks()
        self._gaps: dict[int, float] = {}
        self._listener: Any = None
        if listen and engine.dialect.name == "postgresql":
            self._listen()

    # -- the public API -----------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """'notify' (PostgreSQL LISTEN/NOTIFY) or 'poll'."""
        return "notify" if self._listener is not None else "poll"

    def fileno(self) -> int | None:
        """In notify mode, the socket that becomes readable when a notification arrives."""
        return self._listener.fileno() if self._listener is not None else None

    def poll(self, *, force: bool = False) -> set[int]:
        """The ids of cases changed since the last poll; empty if none. Never blocks.

        In notify mode the database is asked only when a notification came (or ``force``)."""
        if self._listener is not None and not force:
            payload_ids = self._drain()
            if payload_ids is None:
                return set()
            return payload_ids | self._changed_since_marks()
        if self._listener is not None:
            return (self._drain() or set()) | self._changed_since_marks()
        return self._changed_since_marks()

    def wait(self, timeout: float, *, interval: float = 2.0) -> set[int]:
        """Block until some case changes or ``timeout`` seconds pass; the changed ids."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if self._listener is not None:
                try:
                    select_module.select([self._listener.fileno()], [], [], max(left, 0))
                except (OSError, ValueError):
                    self._stop_listening()
            changed = self.poll()
            if changed or left <= 0:
                return changed
            if self._listener is None:
                time.sleep(min(interval, max(left, 0)))

    def close(self) -> None:
        self._stop_listening()

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- polling ------------------------------------------------------------------------------

    def _marks(self) -> tuple[int, dt.datetime | None]:
        with self.engine.connect() as connection:
            audit_id = connection.execute(select(func.max(AuditEvent.id))).scalar_one()
            updated_at = connection.execute(select(func.max(Case.updated_at))).scalar_one()
        return audit_id or 0, updated_at

    def _changed_since_marks(self) -> set[int]:
        changed: set[int] = set()
        now = time.monotonic()
        self._gaps = {i: t for i, t in self._gaps.items() if now - t < self.gap_seconds}
        with self.engine.connect() as connection:
            highest = connection.execute(select(func.max(AuditEvent.id))).scalar_one() or 0
            if highest > self._audit_id or self._gaps:
                wanted = AuditEvent.id > self._audit_id
                if self._gaps:
                    wanted = or_(wanted, AuditEvent.id.in_(list(self._gaps)))
                rows = connection.execute(
                    select(AuditEvent.id, AuditEvent.case_id).where(wanted)
                ).all()
                seen = {row.id for row in rows}
                changed.update(row.case_id for row in rows if row.case_id is not None)
                for gone in seen & set(self._gaps):
                    del self._gaps[gone]
                top = max(seen | {self._audit_id})
                if self.engine.dialect.name != "sqlite":  # SQLite commits in id order
                    skipped = [
                        i
                        for i in range(max(self._audit_id + 1, top - MAX_GAPS), top)
                        if i not in seen
                    ]
                    self._gaps.update(dict.fromkeys(skipped, now))
                    if len(self._gaps) > MAX_GAPS:
                        self._gaps = dict(sorted(self._gaps.items())[-MAX_GAPS:])
                self._audit_id = top
            latest = connection.execute(select(func.max(Case.updated_at))).scalar_one()
            if latest is not None and (self._updated_at is None or latest > self._updated_at):
                query = select(Case.id)
                if self._updated_at is not None:
                    query = query.where(Case.updated_at > self._updated_at)
                changed.update(connection.execute(query).scalars())
                self._updated_at = latest
        return changed

    # -- PostgreSQL LISTEN/NOTIFY -------------------------------------------------------------

    def _listen(self) -> None:
        try:
            raw = self.engine.raw_connection()
            connection: Any = raw.driver_connection
            raw.detach()  # ours for as long as the feed lives, not the pool's
            connection.rollback()
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
        except Exception:  # no listening (a pooler that forbids it, say): poll instead
            self._listener = None
            return
        self._listener = connection

    def _drain(self) -> set[int] | None:
        """Ids named by the notifications waiting; None if there were none."""
        try:
            notices = list(self._listener.notifies(timeout=0))
        except Exception:
            self._stop_listening()
            return set()  # and the caller polls
        if not notices:
            return None
        ids: set[int] = set()
        for notice in notices:
            ids.update(int(part) for part in notice.payload.split(",") if part.isdigit())
        return ids

    def _stop_listening(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:
                pass
            self._listener = None
