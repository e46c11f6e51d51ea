"""The unit of work: one transaction for one thing a person does.

Use it as a context manager; it discards everything unless :meth:`commit` was called, so a failed
save leaves nothing half-written. A unit of work that ends *without* an error but with changes never
committed is a service that forgot to commit: that is refused loudly
(:class:`UncommittedChanges`) rather than discarded in silence. The actor's name goes into the
session so that the audit trail records who made every change.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

import caseworker.storage.audit  # noqa: F401  (registers the audit trail on every session)
from caseworker.storage.audit import has_unsaved_changes


class UncommittedChanges(RuntimeError):
    """A unit of work ended normally with changes it never committed (a programming error)."""


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
        forgotten = exc_type is None and has_unsaved_changes(self.session)
        self.session.close()
        if forgotten:
            raise UncommittedChanges(
                "a change was made but never committed: the service must commit its unit of work"
            )

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
