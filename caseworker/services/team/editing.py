"""One person editing one case (the case file window): every save starts from what they saw.

:class:`CaseEditor` holds the version of the case the person started from (:func:`begin_edit`
when the case is shown) and the changes typed since the last save. Each save goes through
:func:`~caseworker.services.team.concurrency.save_case_edits`, so a colleague's save in between is
never overwritten unseen, and after each of the person's own saves the version they started
from moves on to the one they wrote (not to whatever is in the database then, which could hide a
colleague's change).

What the check covers, and why:

* the case's letter texts (understanding, steps taken, evidence considered) and each issue's
  fields (the point, finding, explanation, remedy, lesson, action) are edited in place by whoever
  has the case open: they go through here, all the changes waiting to be saved in one
  transaction, so one conflict shows all of them;
* a colleague's save that touched other fields (or the same field to the same words) does not
  clash: the save goes ahead (:func:`keep_mine` starting from the new version, which writes only
  this person's fields, so theirs stay) and :attr:`CaseEditor.merged` says so;
* an interview's notes, summary and further information are typed into the interview's own
  row (normally by the officer who held it): each save states what the field said when the
  window showed it and is refused with a :class:`FieldEditConflict` if it says something else
  now, so two people typing into the same interview cannot overwrite each other either;
* notes, interviews and contact attempts are added as new rows, which cannot clash.

Nothing here knows about Qt: the window stages a change as the person types and saves after a
pause; the conflict it may get back carries, per field, what they started from, theirs and mine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.domain.refusals import MissingInformation, Refused
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import CASE_TEXT_FIELDS, ISSUE_FIELDS
from caseworker.services.permissions import Action, authorise
from caseworker.services.team import concurrency
from caseworker.services.team.concurrency import (
    UNKNOWN,
    CaseEdit,
    Conflict,
    EditConflict,
    FieldConflict,
    begin_edit,
)
from caseworker.services.uow import UnitOfWork
from caseworker.storage.audit import render

if TYPE_CHECKING:
    from caseworker.services.context import Context
from caseworker.storage.models import AuditEvent, Case, Interview, Officer

INTERVIEW_TEXT_FIELDS = frozenset({"notes", "summary", "further_information"})

MAX_MERGES = 5
"""How many colleagues' non-clashing saves in a row one save merges before giving up (a case
being saved many times a second is left to the person)."""


@dataclass(frozen=True)
class LastChange:
    """Who changed a case last, and when (from the audit trail)."""

    login: str
    name: str
    at: Any

    @property
    def who(self) -> str:
        return self.name or self.login or "someone else"


def person_name(session: Session, login: str) -> str:
    """The officer's name for a login (the audit trail records logins), else the login."""
    if not login:
        return ""
    name = session.scalar(select(Officer.name).where(Officer.login == login))
    return name or login


def last_change(session: Session, case_id: int) -> LastChange | None:
    row = session.execute(
        select(AuditEvent.actor, AuditEvent.at)
        .where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return LastChange(row[0], person_name(session, row[0]), row[1])


class FieldEditConflict(Conflict):
    """A save of an interview's text refused: someone saved a different text in the same field
    since the window showed it. Nothing was written. Shaped like :class:`EditConflict` for the
    app's conflict window (``fields``: started from, theirs, mine)."""

    def __init__(
        self,
        *,
        case_id: int,
        reference: str,
        interview_id: int,
        fields: tuple[FieldConflict, ...],
        changed_by: str,
        changed_at: Any,
    ) -> None:
        self.case_id = case_id
        self.reference = reference
        self.interview_id = interview_id
        self.fields = fields
        self.their_other_changes: tuple[FieldConflict, ...] = ()
        self.changed_by = changed_by
        self.changed_at = changed_at
        names = ", ".join(f"{f.where} {f.field.replace('_', ' ')}" for f in fields)
        super().__init__(
            f"{reference}: {names} was changed by {changed_by or 'someone else'} "
            "since you opened it. Nothing was saved and nothing you typed is lost."
        )

    @property
    def clashes(self) -> tuple[FieldConflict, ...]:
        return tuple(f for f in self.fields if f.clash)


def save_interview_text(
    uow: UnitOfWork, interview_id: int, changes: dict[str, Any], started_from: dict[str, Any]
) -> None:
    """Save an interview's texts if each still says what ``started_from`` says (a field
    missing from it is not checked), with :func:`investigation.update_interview`'s rules, and
    commit."""
    unknown = set(changes) - INTERVIEW_TEXT_FIELDS
    if unknown:
        raise ValueError(f"the case file edits no interview field {', '.join(sorted(unknown))}")
    interview = uow.session.get(Interview, interview_id)
    if interview is None:
        raise Refused(f"there is no interview with id {interview_id}")
    moved = [
        name
        for name in changes
        if started_from.get(name, UNKNOWN) is not UNKNOWN
        and render(getattr(interview, name)) != render(started_from[name])
    ]
    if moved:
        where = f"interview with {interview.interviewee}"
        fields = tuple(
            FieldConflict(
                where,
                name,
                started_from.get(name, UNKNOWN),
                getattr(interview, name),
                changes[name],
            )
            for name in sorted(changes)
        )
        row = uow.session.execute(
            select(AuditEvent.actor, AuditEvent.at)
            .where(AuditEvent.entity == "interviews", AuditEvent.entity_id == interview_id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
        case = uow.session.get(Case, interview.case_id)
        conflict = FieldEditConflict(
            case_id=interview.case_id,
            reference=case.reference if case else "",
            interview_id=interview_id,
            fields=fields,
            changed_by=row[0] if row else "",
            changed_at=row[1] if row else None,
        )
        uow.rollback()
        raise conflict
    investigation.change_interview(uow, interview_id, **changes)
    uow.commit()


def _advanced(
    base: CaseEdit, version: int, changes: dict[str, Any], issues: dict[int, dict[str, Any]]
) -> CaseEdit:
    """What the person has now seen: ``base`` with their own saved changes, at ``version``."""
    return CaseEdit(
        base.case_id,
        base.reference,
        version,
        {**base.case, **changes},
        {
            number: {**base.issues.get(number, {}), **issues.get(number, {})}
            for number in set(base.issues) | set(issues)
        },
    )


class CaseEditor:
    """The case file window's edits of one case, saved with the version check.

    Made with the :class:`~caseworker.services.context.Context` the window acts in:
    ``CaseEditor(ctx, case_id)``. Starting (reading the texts the edits start from) needs leave
    to see the case; every save needs leave to work on it."""

    def __init__(self, ctx: Context, case_id: int) -> None:
        self._ctx = ctx
        self.actor = ctx.actor
        self.case_id = case_id
        self.base: CaseEdit = self.start()
        self._case_changes: dict[str, Any] = {}
        self._issue_changes: dict[int, dict[str, Any]] = {}
        self._seen: dict[tuple[int, str], Any] = {}
        self.merged: list[EditConflict] = []
        """Colleagues' saves merged without a clash since the person last looked (the window
        shows them and clears this)."""

    def _uow(self) -> UnitOfWork:
        return self._ctx.unit()

    # -- what the person started from ----------------------------------------------------------

    def start(self) -> CaseEdit:
        """Start (again) from the case as it is now, once the person may see it; call it just
        before showing the case."""
        with self._uow() as uow:
            authorise(uow, self.case_id, Action.VIEW)
            self.base = begin_edit(uow.session, self.case_id)
        return self.base

    @property
    def version(self) -> int:
        return self.base.version

    # -- changes waiting to be saved -----------------------------------------------------------

    def change_case(self, field: str, value: Any) -> None:
        if field not in CASE_TEXT_FIELDS:
            raise ValueError(f"the case file edits no case field '{field}'")
        self._case_changes[field] = value

    def change_issue(self, number: int, field: str, value: Any) -> None:
        if field not in ISSUE_FIELDS:
            raise ValueError(f"issues have no field '{field}'")
        self._issue_changes.setdefault(number, {})[field] = value

    @property
    def has_changes(self) -> bool:
        return bool(self._case_changes or self._issue_changes)

    def discard(self) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
        """Forget the changes waiting (the person reloaded); what they were."""
        dropped = (self._case_changes, self._issue_changes)
        self._case_changes, self._issue_changes = {}, {}
        return dropped

    def _check(self) -> None:
        for number, values in self._issue_changes.items():
            if "summary" in values and not str(values["summary"]).strip():
                raise MissingInformation(
                    f"issue {number} needs the complainant's point; it cannot be blank"
                )

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> int | None:
        """Save every change waiting, if nobody saved the case meanwhile; the new version (None
        when there was nothing to save).

        Raises :class:`EditConflict` when a colleague saved one of the same fields differently
        (nothing is written; the changes stay waiting for :meth:`keep_mine` or :meth:`reload`).
        A colleague's save of other fields is merged (see :attr:`merged`)."""
        if not self.has_changes:
            return None
        self._check()
        changes, issues = (
            dict(self._case_changes),
            {n: dict(v) for n, v in self._issue_changes.items()},
        )
        with self._uow() as uow:
            try:
                version = concurrency.save_case_edits(
                    uow,
                    self.case_id,
                    self.base.version,
                    changes,
                    issues=issues,
                    started_from=self.base,
                )
            except EditConflict as conflict:
                return self._merge(uow, conflict)
        self._saved(self.base, version, changes, issues)
        return version

    def _merge(self, uow: UnitOfWork, conflict: EditConflict) -> int:
        for _attempt in range(MAX_MERGES):
            if conflict.clashes:
                raise conflict
            try:
                version = concurrency.keep_mine(uow, conflict)
            except EditConflict as again:
                conflict = again
                continue
            self.merged.append(conflict)
            self._saved(conflict.current, version, conflict.case_changes, conflict.issue_changes)
            return version
        raise conflict

    def _saved(
        self,
        base: CaseEdit,
        version: int,
        changes: dict[str, Any],
        issues: dict[int, dict[str, Any]],
    ) -> None:
        self.base = _advanced(base, version, changes, issues)
        # Only what was saved is done: a change typed while saving (same value) is not lost.
        for field, value in changes.items():
            if self._case_changes.get(field, object()) == value:
                del self._case_changes[field]
        for number, values in issues.items():
            waiting = self._issue_changes.get(number, {})
            for field, value in values.items():
                if waiting.get(field, object()) == value:
                    del waiting[field]
            if not waiting:
                self._issue_changes.pop(number, None)

    def keep_mine(self, conflict: EditConflict) -> int:
        """Save the person's changes over theirs, now they have seen them; the new version.
        Raises a new :class:`EditConflict` if someone saved yet again meanwhile."""
        with self._uow() as uow:
            version = concurrency.keep_mine(uow, conflict)
        self._saved(conflict.current, version, conflict.case_changes, conflict.issue_changes)
        return version

    def reload(self) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
        """Take the case as it is now (theirs) and drop the changes waiting; what they were,
        so the person can still copy what they typed."""
        dropped = self.discard()
        self.start()
        return dropped

    # -- interviews ---------------------------------------------------------------------------

    def saw_interview(self, interview_id: int, field: str, value: Any) -> None:
        """The window shows this text of the interview: a save of the field starts from it."""
        self._seen[(interview_id, field)] = value

    def save_interview(self, interview_id: int, field: str, value: Any) -> None:
        """Save an interview's text typed in the window, unless a colleague saved the field
        differently since it was shown (:class:`FieldEditConflict`)."""
        started = (
            {field: self._seen[(interview_id, field)]}
            if (interview_id, field) in self._seen
            else {}
        )
        with self._uow() as uow:
            save_interview_text(uow, interview_id, {field: value}, started)
        self._seen[(interview_id, field)] = value

    def keep_mine_interview(self, conflict: FieldEditConflict) -> None:
        """Save the interview texts typed over the colleague's, now they have been seen."""
        mine = {f.field: f.mine for f in conflict.fields}
        theirs = {f.field: f.theirs for f in conflict.fields}
        with self._uow() as uow:
            save_interview_text(uow, conflict.interview_id, mine, theirs)
        for field, value in mine.items():
            self._seen[(conflict.interview_id, field)] = value

    def forget_interview(self, conflict: FieldEditConflict) -> None:
        """The person reloaded the colleague's version: it is what they see next."""
        for field in conflict.fields:
            self._seen[(conflict.interview_id, field.field)] = field.theirs

    # -- who --------------------------------------------------------------------------------

    def last_change(self) -> LastChange | None:
        with self._uow() as uow:
            authorise(uow, self.case_id, Action.VIEW)
            return last_change(uow.session, self.case_id)

    def person(self, login: str) -> str:
        with self._uow() as uow:
            return person_name(uow.session, login)
