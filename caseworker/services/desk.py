"""The officer's desk: the case file services bound to one database, one person and one "today".

The desktop app holds one :class:`CaseDesk` (as it holds a
:class:`~caseworker.services.lists.caselist.CaseList` for the list). Each method is one thing a person
does, in its own unit of work, and calls the service module that owns the rule
(:mod:`~caseworker.services.cases.intake`, :mod:`~caseworker.services.investigation.issues`,
:mod:`~caseworker.services.investigation.homevisit`, :mod:`~caseworker.services.cases.casefile`), so the rules
stay testable without the app, and the app stays free of SQL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, sessionmaker

from caseworker.domain.enums import LetterKind, NoteKind, Outcome
from caseworker.domain.refusals import Refused
from caseworker.services import permissions
from caseworker.services.cases import casefile as casefile_view
from caseworker.services.cases import intake
from caseworker.services.cases.casefile import CaseFile, TimelineEvent
from caseworker.services.cases.intake import CreatedCase, NewCase, Triage
from caseworker.services.context import Context
from caseworker.services.investigation import homevisit
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import InterviewIn
from caseworker.services.lists.caselist import CheckoutMark, checkout_marks
from caseworker.services.team.editing import CaseEditor, LastChange, last_change

if TYPE_CHECKING:  # letters import python-docx (~0.06 s): not before the case list is shown
    from caseworker.services.letters import LetterPreview, SavedLetter


class CaseDesk(Context):
    """Being taken apart: each method here moves to the service function it calls, which
    takes the :class:`~caseworker.services.context.Context` this desk is."""

    @property
    def _sessions(self) -> sessionmaker[Session]:
        return self.sessions

    # -- a new case ------------------------------------------------------------------------------

    def default_policy_id(self) -> str | None:
        """The policy a new case most likely comes under: that of the last case recorded, unless
        that was the baseline code (not a council's own policy)."""
        with self.uow() as uow:
            latest = intake.latest_policy_id(uow)
        councils = [p.id for p in self.policies() if not p.baseline]
        if latest in councils:
            return latest
        return councils[0] if councils else latest

    def service_areas(self) -> list[str]:
        with self.uow() as uow:
            return intake.service_areas(uow)

    def triage(self, new: NewCase) -> Triage:
        return intake.triage(new, today=self.today(), policy=self._policy(new.policy_id))

    def create_case(self, new: NewCase) -> CreatedCase:
        with self.uow() as uow:
            return intake.create_case(uow, new, today=self.today(), policy_lookup=self._policy)

    # -- reading a case --------------------------------------------------------------------------

    def case_file(self, case_id: int) -> CaseFile:
        with self._sessions() as session:
            return casefile_view.load_case_file(
                session, case_id, today=self.today(), policy_lookup=self._policy
            )

    def why_read_only(self, case_id: int) -> str | None:
        """Why the person at the keyboard may not change this case, in the refusing rule's own
        words (a closed case until it is re-opened; a colleague's case for an investigating
        officer; a login linked to no officer), or ``None`` when they may. The case window asks
        this to open read-only instead of refusing each save as it is typed."""
        with self.uow() as uow:
            try:
                permissions.authorise(uow, case_id, permissions.Action.WORK)
            except Refused as refused:
                return str(refused).removeprefix("Refused: ")
        return None

    def timeline(self, case_id: int) -> list[TimelineEvent]:
        with self._sessions() as session:
            return casefile_view.timeline(session, case_id)

    # -- working on a case others may have open ---------------------------------------------

    def editor(self, case_id: int) -> CaseEditor:
        """The case's letter texts and issues, edited with the version check (see
        :mod:`caseworker.services.team.editing`): what the case file window saves them through."""
        return CaseEditor(self._sessions, actor=self.actor, case_id=case_id)

    def last_change(self, case_id: int) -> LastChange | None:
        """Who changed the case last and when (to tell a colleague's change from one's own)."""
        with self._sessions() as session:
            return last_change(session, case_id)

    def checkout(self, case_id: int) -> CheckoutMark | None:
        """Whether the case is checked out to someone's offline copy, and to whom."""
        with self._sessions() as session:
            return checkout_marks(session, [case_id]).get(case_id)

    # -- the overview ------------------------------------------------------------------------

    def record_adjustments(self, case_id: int, adjustments: str, review_on: dt.date | None) -> None:
        with self.uow() as uow:
            intake.record_adjustments(uow, case_id, adjustments, review_on)

    # -- issues and notes --------------------------------------------------------------------

    def add_issue(self, case_id: int, summary: str) -> int:
        with self.uow() as uow:
            return investigation.add_issue(uow, case_id, summary)

    def update_issue(self, issue_id: int, **changes: Any) -> None:
        with self.uow() as uow:
            investigation.update_issue(uow, issue_id, **changes)

    def add_note(self, issue_id: int, kind: NoteKind, text: str, source: str = "") -> int:
        with self.uow() as uow:
            return investigation.add_note(uow, issue_id, kind, text, source)

    def record_outcome(self, case_id: int, outcome: Outcome | None) -> None:
        with self.uow() as uow:
            investigation.record_outcome(uow, case_id, outcome)

    def update_case_text(self, case_id: int, **changes: str) -> None:
        with self.uow() as uow:
            investigation.update_case_text(uow, case_id, **changes)

    # -- interviews --------------------------------------------------------------------------

    def record_interview(self, case_id: int, interview: InterviewIn) -> int:
        with self.uow() as uow:
            return investigation.record_interview(uow, case_id, interview, today=self.today())

    def update_interview(self, interview_id: int, **changes: Any) -> None:
        with self.uow() as uow:
            investigation.update_interview(uow, interview_id, **changes)

    def read_back_summary(self, interview_id: int, summary: str) -> None:
        with self.uow() as uow:
            investigation.read_back_summary(uow, interview_id, summary)

    def invite_further_information(self, interview_id: int, further: str = "") -> None:
        with self.uow() as uow:
            investigation.invite_further_information(uow, interview_id, further)

    def withdraw_interview_step(self, interview_id: int, step: str) -> None:
        with self.uow() as uow:
            investigation.withdraw_interview_step(uow, interview_id, step)

    # -- home visits -------------------------------------------------------------------------

    def start_assessment(self, case_id: int) -> int:
        with self.uow() as uow:
            return homevisit.start_assessment(uow, case_id)

    def update_assessment(self, assessment_id: int, **changes: Any) -> bool:
        with self.uow() as uow:
            return homevisit.update_assessment(uow, assessment_id, **changes)

    def approve_assessment(self, assessment_id: int, policy_id: str) -> str:
        with self.uow() as uow:
            return homevisit.approve_assessment(uow, assessment_id, policy=self._policy(policy_id))

    def book_visit(self, case_id: int, on: dt.date, policy_id: str) -> int:
        with self.uow() as uow:
            return homevisit.book_visit(
                uow, case_id, on, today=self.today(), policy=self._policy(policy_id)
            )

    # -- letters -----------------------------------------------------------------------------

    def preview_letter(self, case_id: int, kind: LetterKind | None = None) -> LetterPreview:
        from caseworker.services import letters as letterdesk

        with self.uow() as uow:
            return letterdesk.preview_letter(
                uow, case_id, kind, today=self.today(), policy_lookup=self._policy
            )

    def save_letter(self, case_id: int, kind: LetterKind | None = None) -> SavedLetter:
        from caseworker.services import letters as letterdesk

        with self.uow() as uow:
            return letterdesk.save_letter(
                uow, case_id, kind, today=self.today(), policy_lookup=self._policy
            )

    def export_letter(self, letter_id: int, folder: Path | None = None) -> Path:
        from caseworker.services import letters as letterdesk

        with self.uow() as uow:
            return letterdesk.export_letter(uow, letter_id, folder)
