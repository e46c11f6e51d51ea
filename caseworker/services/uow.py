"""The unit of work: one transaction for one thing a person does.

Use it as a context manager; it discards everything unless :meth:`commit` was called, so a failed save
leaves nothing half-written. The actor's name goes into the session so that the audit trail
records who made every change.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

import caseworker.storage.audit  # noqa: F401  (registers the audit trail on every session)


class UnitOfWork:
    def __init__(self, sessions: sessionmaker[Session], actor: str) -> None:
        self._sessions = sessions
        self.actor = actor
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.session.info["actor"] = self.actor
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() ends the transaction without committing it, so anything not committed is
        # rolled back; objects already loaded stay readable (detached) for the caller.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
