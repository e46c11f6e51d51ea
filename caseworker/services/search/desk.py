"""Finding work and cases, for the desktop app: search everything, previous complaints, and the
officer's Today list, each in its own short read-only unit of work.

The screens call these instead of the services underneath so that they hold no SQL: the search
hits come back with each case's complainant and status, the Today lines with the complainant's
name, and the officer is found from the login
(:func:`caseworker.services.permissions.current_officer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.domain.finding import (  # noqa: F401  (the desk's callers find them here)
    SECTION_OF_MATCH,
    SECTION_OF_TODAY,
    TODAY_KINDS,
    FoundCase,
    Match,
    Today,
    TodayLine,
)
from caseworker.domain.refusals import NotAnOfficer
from caseworker.services.cases.intake import NewCase
from caseworker.services.lists import today as todays_work
from caseworker.services.permissions import current_officer
from caseworker.services.search import fulltext as search
from caseworker.services.search import previous
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Complainant


def _names(
    session: Session, case_ids: set[int]
) -> dict[int, tuple[str, CaseStatus, Outcome | None, str]]:
    if not case_ids:
        return {}
    rows = session.execute(
        select(
            Case.id, Complainant.name, Case.anonymous, Case.status, Case.outcome, Case.service_area
        )
        .outerjoin(Complainant, Complainant.id == Case.complainant_id)
        .where(Case.id.in_(case_ids))
    )
    return {
        case_id: ("Anonymous" if anonymous or not name else name, status, outcome, service)
        for case_id, name, anonymous, status, outcome, service in rows
    }


class FindDesk:
    """Search, previous complaints and Today for one database and one person."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        *,
        actor: str,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._uow = uow
        self.actor = actor
        self._today = today

    @classmethod
    def on(
        cls,
        sessions: sessionmaker[Session],
        *,
        actor: str,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> FindDesk:
        return cls(lambda: UnitOfWork(sessions, actor), actor=actor, today=today)

    @classmethod
    def beside(cls, desk) -> FindDesk:  # noqa: ANN001  (a Context)
        """On the same database, person and "today" as a
        :class:`~caseworker.services.context.Context`."""
        return cls(desk.uow, actor=desk.actor, today=desk.today)

    def today(self) -> dt.date:
        return self._today()

    # -- search everything -----------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[FoundCase]:
        """The cases matching ``query``, best first, each with where it matched."""
        with self._uow() as uow:
            hits = search.search(uow.session, query, limit)
            about = _names(uow.session, {h.case_id for h in hits})
        found = []
        for hit in hits:
            name, status, outcome, service = about.get(hit.case_id, ("", CaseStatus.OPEN, None, ""))
            found.append(
                FoundCase(
                    hit.case_id,
                    hit.reference,
                    name,
                    status,
                    outcome,
                    service,
                    tuple(
                        Match(s.kind, s.text, SECTION_OF_MATCH.get(s.kind, "overview"))
                        for s in hit.snippets
                    ),
                )
            )
        return found

    # -- previous complaints ---------------------------------------------------------------

    def previous_for_draft(self, new: NewCase) -> previous.Previous:
        with self._uow() as uow:
            return previous.previous_for_draft(uow.session, new)

    def previous_for_case(self, case_id: int) -> previous.Previous:
        with self._uow() as uow:
            return previous.previous_for_case(uow.session, case_id)

    # -- today -----------------------------------------------------------------------------

    def today_list(self, *, update_every: int = todays_work.UPDATE_EVERY) -> Today:
        """What the signed-in officer needs to do now; a plain reason instead when the login
        is not linked to an officer record."""
        day = self.today()
        with self._uow() as uow:
            try:
                officer = current_officer(uow.session, self.actor)
            except NotAnOfficer as error:
                why = str(error).removeprefix("Refused: ")
                return Today(None, day, problem=f"No Today list: {why}.")
            items = todays_work.today_list(uow.session, officer.id, day, update_every=update_every)
            about = _names(uow.session, {i.case_id for i in items})
            name = officer.name
        return Today(
            name,
            day,
            [
                TodayLine(
                    i.case_id,
                    i.reference,
                    about.get(i.case_id, ("",))[0],
                    i.kind,
                    i.section,
                    SECTION_OF_TODAY.get(i.section, "overview"),
                    i.due,
                    i.text,
                    i.overdue,
                )
                for i in items
            ],
        )
