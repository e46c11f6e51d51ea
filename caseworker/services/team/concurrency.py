"""No silent overwrites: every save says which version of the case it started from.

Two people with the same case open (on a shared PostgreSQL database, or two windows on one SQLite
file) both start from the case's ``version``. The first to save wins and the version goes up;
the second save is refused with an :class:`EditConflict` instead of overwriting, and nothing of it
is written. The conflict holds, field by field, what that person started from, what is in the
database now (theirs) and what they typed (mine), plus who saved in between and when, so the
app can show both versions and offer the two ways on:

* **reload**: :func:`reload` (or :attr:`EditConflict.current`) gives the case as it is now, to
  edit again; what they typed is still in :attr:`EditConflict.case_changes` /
  :attr:`EditConflict.issue_changes` to copy from;
* **keep mine after seeing theirs**: :func:`keep_mine` saves the same changes again, starting
  from the version they have now seen. If someone saved yet again in between, that is a new
  conflict: nobody's work is overwritten unseen.

Typical use::

    edit = begin_edit(uow.session, case_id)            # when the form opens
    ...
    try:
        save_case_edits(uow, case_id, edit.version, {"summary": text}, started_from=edit)
    except EditConflict as conflict:                   # show conflict.fields; then either
        keep_mine(uow, conflict)                       # ... or edit = reload(uow, case_id)

The version check is also made by the database: the UPDATE says ``WHERE version = <started
from>``, so two saves racing on PostgreSQL (the second waits on the first's row lock) or on
SQLite (the second waits for the write lock) cannot both succeed.

Allocation races the same way: :func:`caseworker.services.cases.allocation.allocate` gives a case
to an officer only if it is still with the officer the manager saw, else
:class:`AllocationConflict` names who got there first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import Enum as SQLEnum
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from caseworker.domain.refusals import MissingInformation, Refused, WrongState
from caseworker.errors import CaseworkerError
from caseworker.services.cases.actions import check_action
from caseworker.services.investigation.issues import CASE_TEXT_FIELDS, STAGE1_FIELDS, stage1_fixed
from caseworker.services.permissions import Action, authorise
from caseworker.services.uow import UnitOfWork
from caseworker.storage.audit import render
from caseworker.storage.models import AuditEvent, Case, Issue, utcnow

NOT_EDITABLE = frozenset({"id", "reference", "created_at", "updated_at", "version"})
CASE_FIELDS = frozenset(a.key for a in inspect(Case).column_attrs) - NOT_EDITABLE
"""The case's fields (what a conflict compares)."""
SAVED_IN_PLACE = CASE_TEXT_FIELDS | {"summary"}
"""The case fields a person types into the case file and saves in place (the letter's texts and
the case-list note); every other field is changed by the step that decides it."""
ISSUE_FIELDS = frozenset(a.key for a in inspect(Issue).column_attrs) - {"id", "case_id", "number"}
"""Issue fields a conflict compares (issues are named by their number)."""
ISSUE_DECIDED = frozenset(
    {"raised_at_stage", "stage2_finding", "stage2_explanation", "stage2_remedy"}
)
"""Issue fields only their own step changes (the stage 2 review's finding), never a save."""


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""What the person started from, when the save was not given it (see ``started_from``)."""


@dataclass(frozen=True)
class CaseEdit:
    """The case as a person started editing it: its version and the values they saw."""

    case_id: int
    reference: str
    version: int
    case: dict[str, Any]
    issues: dict[int, dict[str, Any]]
    """Each issue's fields, by issue number."""


def _values(row: Any, names: frozenset[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in sorted(names)}


def begin_edit(session: Session, case_id: int) -> CaseEdit:
    """The case as it is now, to start editing from (and to pass as ``started_from``)."""
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        raise Refused(f"there is no case with id {case_id}")
    return CaseEdit(
        case.id,
        case.reference,
        case.version,
        _values(case, CASE_FIELDS),
        {issue.number: _values(issue, ISSUE_FIELDS) for issue in case.issues},
    )


@dataclass(frozen=True)
class FieldConflict:
    """One field someone changed: what the person started from, theirs now, and mine."""

    where: str
    """'case', or 'issue 2'."""
    field: str
    started_from: Any
    theirs: Any
    mine: Any

    @property
    def they_changed(self) -> bool:
        """Whether it changed in the database since the person started (unknown: assume so)."""
        return self.started_from is UNKNOWN or render(self.theirs) != render(self.started_from)

    @property
    def clash(self) -> bool:
        """Both changed it, to different values: the one a person must decide."""
        return self.they_changed and render(self.mine) != render(self.theirs)


class Conflict(CaseworkerError):
    """Someone else saved the same thing first; nothing of this save was written."""


class EditConflict(Conflict):
    """A save refused because the case changed since the version it started from."""

    def __init__(
        self,
        *,
        case_id: int,
        reference: str,
        base_version: int,
        current: CaseEdit,
        fields: tuple[FieldConflict, ...],
        their_other_changes: tuple[FieldConflict, ...],
        changed_by: str,
        changed_at: dt.datetime | None,
        case_changes: dict[str, Any],
        issue_changes: dict[int, dict[str, Any]],
    ) -> None:
        self.case_id = case_id
        self.reference = reference
        self.base_version = base_version
        self.current = current
        """The case as it is now (theirs): what :func:`reload` gives."""
        self.fields = fields
        """Every field this save changes: started from, theirs, mine."""
        self.their_other_changes = their_other_changes
        """Fields they changed that this save leaves alone (kept either way)."""
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.case_changes = case_changes
        self.issue_changes = issue_changes
        when = f" at {changed_at:%H:%M on %d %B %Y}" if changed_at else ""
        clashes = [
            f"{f.field}" if f.where == "case" else f"{f.where} {f.field}" for f in fields if f.clash
        ]
        detail = f"; both of you changed {', '.join(clashes)}" if clashes else ""
        super().__init__(
            f"{reference} was changed by {changed_by or 'someone else'}{when} since you opened "
            f"it{detail}. Nothing was saved and nothing you typed is lost: reload the case, or "
            "keep your changes after seeing theirs."
        )

    @property
    def current_version(self) -> int:
        return self.current.version

    @property
    def clashes(self) -> tuple[FieldConflict, ...]:
        return tuple(f for f in self.fields if f.clash)


class AllocationConflict(Conflict):
    """Another manager allocated the case first."""

    def __init__(
        self, reference: str, officer: str, allocated_by: str, allocated_at: dt.datetime | None
    ) -> None:
        self.reference = reference
        self.officer = officer
        self.allocated_by = allocated_by
        self.allocated_at = allocated_at
        when = f" at {allocated_at:%H:%M on %d %B %Y}" if allocated_at else ""
        by = f" by {allocated_by}" if allocated_by else ""
        super().__init__(
            f"{reference} was allocated to {officer}{by}{when} while you were "
            "choosing; your allocation was not made"
        )


def _coerce(row_class: type, name: str, value: Any) -> Any:
    """A value as the column stores it (an enumeration's value given as text, say)."""
    column: Any = inspect(row_class).columns[name]
    enum_class = getattr(column.type, "enum_class", None)
    if (
        isinstance(column.type, SQLEnum)
        and enum_class
        and value is not None
        and not isinstance(value, Enum)
    ):
        try:
            return enum_class(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in enum_class)
            raise MissingInformation(f"{name}: '{value}' is not one of {allowed}") from None
    return value


def _check_names(changes: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{what} have no editable field {', '.join(sorted(unknown))}")


def save_case_edits(
    uow: UnitOfWork,
    case_id: int,
    base_version: int,
    changes: dict[str, Any] | None = None,
    *,
    issues: dict[int, dict[str, Any]] | None = None,
    started_from: CaseEdit | None = None,
) -> int:
    """Save changes to a case's fields and its issues' fields (issues by number) in one
    transaction, if the case is still at ``base_version``; the new version.

    Raises :class:`EditConflict` (and writes nothing) when anyone saved the case since. Give
    ``started_from`` (from :func:`begin_edit`) so the conflict can say what each field was when
    the person started; without it, that is :data:`UNKNOWN`.
    """
    changes = dict(changes or {})
    issues = {number: dict(values) for number, values in (issues or {}).items()}
    _check_names(changes, CASE_FIELDS, "cases")
    decided = sorted(set(changes) - SAVED_IN_PLACE)
    if decided:
        # The allocation, the stage, the status, the dates a step records...: each is changed
        # by its own step, which checks who may take it and when. A save of typed text is not
        # a way round them.
        raise Refused(
            f"{', '.join(decided)} {'is' if len(decided) == 1 else 'are'} not typed into the case "
            "file: each is changed by its own step (allocate, escalate, close…)"
        )
    for values in issues.values():
        _check_names(values, ISSUE_FIELDS, "issues")
        if values.keys() & ISSUE_DECIDED:
            raise Refused(
                f"{', '.join(sorted(values.keys() & ISSUE_DECIDED))} of an issue "
                "is not typed into the case file: the stage 2 review records it"
            )
    # Who may change the case is checked first (a closed case is read-only, an officer works on
    # their own cases): an edit saved from a window is a change like any other.
    _, case = authorise(uow, case_id, Action.WORK)
    if case.version != base_version:
        raise _conflict(uow, case_id, base_version, changes, issues, started_from)
    if any(values.keys() & STAGE1_FIELDS for values in issues.values()):
        fixed = stage1_fixed(case.reference, case.stage)
        if fixed is not None:
            raise WrongState(fixed)
    by_number = {issue.number: issue for issue in case.issues}
    missing = sorted(set(issues) - set(by_number))
    if missing:
        raise Refused(f"{case.reference} has no issue {', '.join(map(str, missing))}")
    for name, value in changes.items():
        setattr(case, name, _coerce(Case, name, value))
    for number, values in issues.items():
        issue = by_number[number]
        for name, value in values.items():
            setattr(issue, name, _coerce(Issue, name, value))
        if values.keys() & {"action", "action_due"}:
            check_action(case, issue, issue.action or "", issue.action_due)
    # The case row is always written, so an issue-only save checks and moves the version too.
    case.updated_at = utcnow()
    try:
        uow.session.flush()
        uow.commit()
    except StaleDataError:
        raise _conflict(uow, case_id, base_version, changes, issues, started_from) from None
    return case.version


def keep_mine(uow: UnitOfWork, conflict: EditConflict) -> int:
    """Save what the person typed again, now that they have seen the other version."""
    return save_case_edits(
        uow,
        conflict.case_id,
        conflict.current_version,
        conflict.case_changes,
        issues=conflict.issue_changes,
        started_from=conflict.current,
    )


def reload(uow: UnitOfWork, case_id: int) -> CaseEdit:
    """The case as it is now, to edit again (discarding nothing: the conflict keeps what was
    typed)."""
    uow.session.rollback()
    return begin_edit(uow.session, case_id)


def _last_change(session: Session, case_id: int) -> tuple[str, dt.datetime | None]:
    row = session.execute(
        select(AuditEvent.actor, AuditEvent.at)
        .where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else ("", None)


def _conflict(
    uow: UnitOfWork,
    case_id: int,
    base_version: int,
    changes: dict[str, Any],
    issues: dict[int, dict[str, Any]],
    started_from: CaseEdit | None,
) -> EditConflict:
    uow.session.rollback()
    current = begin_edit(uow.session, case_id)
    fields: list[FieldConflict] = []
    others: list[FieldConflict] = []

    def compare(
        where: str, now: dict[str, Any], base: dict[str, Any] | None, mine: dict[str, Any]
    ) -> None:
        for name in sorted(now):
            started = base.get(name, UNKNOWN) if base is not None else UNKNOWN
            if name in mine:
                fields.append(FieldConflict(where, name, started, now[name], mine[name]))
            elif base is not None and render(now[name]) != render(started):
                others.append(FieldConflict(where, name, started, now[name], now[name]))

    compare("case", current.case, started_from.case if started_from else None, changes)
    for number in sorted(set(current.issues) | set(issues)):
        base = started_from.issues.get(number) if started_from else None
        now = current.issues.get(number)
        if now is None:  # the issue went meanwhile: everything typed for it is kept here
            fields.extend(
                FieldConflict(f"issue {number}", name, UNKNOWN, None, value)
                for name, value in issues[number].items()
            )
            continue
        compare(f"issue {number}", now, base, issues.get(number, {}))
    changed_by, changed_at = _last_change(uow.session, case_id)
    uow.session.rollback()
    return EditConflict(
        case_id=case_id,
        reference=current.reference,
        base_version=base_version,
        current=current,
        fields=tuple(fields),
        their_other_changes=tuple(others),
        changed_by=changed_by,
        changed_at=changed_at,
        case_changes=changes,
        issue_changes=issues,
    )
