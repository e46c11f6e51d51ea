"""What the dashboard and the retention dialog call: reports, exports and retention, bound to one
database and the person at the keyboard. Each call opens its own short session, so a report can be
counted on a worker thread while the window stays responsive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from caseworker.domain.enums import Role
from caseworker.policy.schema import Policy
from caseworker.reports.export import export
from caseworker.reports.figures import Progress, build_report, installed_policies
from caseworker.reports.period import Period
from caseworker.reports.tables import Report
from caseworker.services.records import retention
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Officer


class ReportDesk:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        actor: str,
        today: Callable[[], dt.date] = dt.date.today,
        policies: Callable[[], dict[str, Policy]] = installed_policies,
    ) -> None:
        self._sessions = sessions
        self.actor = actor
        self._today = today
        self._load_policies = policies
        self._policies: dict[str, Policy] | None = None

    def today(self) -> dt.date:
        return self._today()

    def policies(self) -> dict[str, Policy]:
        if self._policies is None:
            self._policies = self._load_policies()
        return self._policies

    def councils(self) -> list[tuple[str, str]]:
        """(policy id, council) for each council's policy, for choosing whose cases to count."""
        return sorted(
            ((pid, p.council) for pid, p in self.policies().items() if not p.baseline),
            key=lambda item: item[1].lower(),
        )

    def report(
        self, period: Period, *, policy_id: str | None = None, progress: Progress | None = None
    ) -> Report:
        with self._sessions() as session:
            return build_report(
                session,
                period,
                policy_id=policy_id,
                as_of=self.today(),
                policies=self.policies(),
                progress=progress,
            )

    def export(self, report: Report, path: Path | str) -> Path:
        return export(report, path)

    # -- retention ------------------------------------------------------------------------------

    def may_purge(self) -> bool:
        """The person at the keyboard is an active complaints manager."""
        with self._sessions() as session:
            role = session.scalar(
                select(Officer.role).where(Officer.login == self.actor, Officer.active.is_(True))
            )
        return role == Role.COMPLAINTS_MANAGER

    def retention_list(self) -> retention.RetentionList:
        with self._sessions() as session:
            return retention.retention_list(session, today=self.today(), policies=self.policies())

    def purge(self, references: Sequence[str]) -> retention.PurgeResult:
        with UnitOfWork(self._sessions, self.actor) as uow:
            result = retention.purge(uow, references, today=self.today(), policies=self.policies())
            uow.commit()
        return result


__all__ = ["ReportDesk"]
