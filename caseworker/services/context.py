"""Who is acting, on which database, on which day: the one thing every service is given.

A :class:`Context` is built once: by the app as it opens (the database, the login at the keyboard
and the real date), by each ``caseworker`` command, and by the tests (with a pinned date). Each
thing a person does is one function that takes it::

    lifecycle.acknowledge(ctx, case_id, on=ctx.today())

and, inside, opens its own unit of work (:meth:`Context.unit`), authorises the acting officer
(:func:`caseworker.services.permissions.authorise`), checks the step's preconditions (the same
"why not" the app uses to enable the control), makes the change (recorded in the audit trail by
the session's flush; the case's version moves with it) and commits. Nothing sits between the
app or a command and that function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from caseworker.services.uow import UnitOfWork

if TYPE_CHECKING:
    from caseworker.policy.schema import Policy


def installed_policy(policy_id: str) -> Policy:
    """The policy with this id: the bundled ones and the council's own folder."""
    from caseworker.policy.loader import get_policy

    return get_policy(policy_id)


def installed_policies() -> list[Policy]:
    """Every policy a case can be recorded under, baseline last (it is not a council's own).

    The same read of the policy files as :func:`installed_policy` (the loader's, once per
    process), so that opening the app reads them once, not once for the list's calendars and
    again for its filter choices."""
    from caseworker.policy import loader

    policies = loader.installed_policies().values()
    return sorted(policies, key=lambda p: (p.baseline, p.council.lower()))


class Context:
    """The database, the acting login and "today", for every service call."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        actor: str,
        today: Callable[[], dt.date] = dt.date.today,
        policy_lookup: Callable[[str], Policy] = installed_policy,
        policies: Callable[[], list[Policy]] = installed_policies,
    ) -> None:
        self.sessions = sessions
        self.actor = actor
        self._today = today
        self._policy = policy_lookup
        self._policies = policies

    def today(self) -> dt.date:
        """The date every rule counts from (the real date, except in tests and benchmarks)."""
        return self._today()

    def policy(self, policy_id: str) -> Policy:
        return self._policy(policy_id)

    def policies(self) -> list[Policy]:
        return self._policies()

    def unit(self) -> UnitOfWork:
        """One transaction, acting as this context's login: committed by the service or
        discarded."""
        return UnitOfWork(self.sessions, self.actor)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection of this context's database for reads that are columns, not objects (the
        case list's pages and counts), each read one statement. No session, so nothing to
        commit and no actor to name for the audit trail (nothing is written): a read that runs
        each time a list changes pays for neither. On PostgreSQL each statement is its own
        transaction (autocommit): a BEGIN and a ROLLBACK around one statement were two of its
        three round trips; SQLite's driver begins no transaction for a read. What the login may
        see is still the reader's to ask (:func:`caseworker.services.permissions.visible_to`),
        and on PostgreSQL row-level security applies to the connection's login as to a
        session's."""
        engine: Engine = self.sessions.kw["bind"]
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection

    def acting_as(self, actor: str) -> Context:
        """The same database and day, acting as another login (a test's second officer)."""
        return Context(
            self.sessions,
            actor=actor,
            today=self._today,
            policy_lookup=self._policy,
            policies=self._policies,
        )
