"""Offline work: check cases out to a SQLite file on a laptop, work with no network, check in.

:func:`check_out` copies just the chosen cases, with every record that belongs to them (issues
and their notes, interviews, risk assessments, contact attempts, letters with their documents,
extensions, suspensions, allocations, the complainant...), the officers list and each case's
audit trail, into a new SQLite database with the same schema. The app opens it like any other
(``caseworker --db sqlite:///FILE``). Only cases the acting officer may work on
(:data:`~caseworker.services.permissions.Action.WORK`) are checked out: one that is not is
refused by name, with the rule, and nothing is checked out. The central database records each
checkout (who, which machine and file, when, the case's version, and what its records were):
:func:`checked_out` is what colleagues see.

:func:`check_in` compares three ways, case by case, each case in its own unit of work: the
records as they were at checkout (kept centrally in ``Checkout.base``; the copy's own snapshot is
used only for a checkout made before that was kept), as they are centrally, and as they are in
the copy:

* changed only in the copy: the copy's changes are applied to the central database;
* changed only centrally: the central version stands and the (unchanged) copy is set aside;
* changed on both sides: nothing is written for that case. The report lists, field by field,
  what it was at checkout, what it is centrally and in the copy, and the checkout stays open
  until the officer decides with ``keep={reference: "mine"}`` (apply the copy's changes over the
  central ones) or ``"theirs"`` (keep the central version, set the copy's changes aside).

Who may check a case in: the officer it was checked out to (the central checkout row says who,
not the copy), and, for a case whose copy holds changes to apply, only while they may work on it
now (:func:`why_not_check_in`: the permissions of :mod:`caseworker.services.permissions`, plus,
for a record or field only a manager's decision makes, the right to make that decision). A case
refused is reported as :attr:`Outcome.REFUSED` with the rule's words: nothing of it is applied
and its checkout stays open (to check in once allowed, or, for the officer it is checked out to,
to close with ``"theirs"``, setting the copy's changes aside). The other cases of the file
proceed as usual: each case is checked in, or not, on its own.

"Changed" means any record of the case differs from the checkout's snapshot, so a central change
made by any means, audited or not, is seen. Only the copy's own changes are applied (a field
nobody touched offline keeps its central value), records added offline get new ids centrally,
and the case's version moves on (by one, only if nobody saved since it was read), so a
colleague with the case open gets a conflict rather than an overwrite.

The audit trail. Nothing of the copy's own trail is copied: its names and values could have been
edited by anyone holding the file. Each change applied is recorded centrally from the
comparison itself, one row per field changed (``update``, with the central value it replaced and
the copy's value), per record added (``create``) or removed (``delete``), with:

* ``actor``: the officer checking in (the Context's login);
* ``at``: **the time the change was made offline**, read from the copy's trail for that field
  (or record) if it lies between the checkout and now; otherwise (a copy edited outside the app,
  or a time that cannot be right) the time of the check-in, and ``origin`` says so;
* ``origin``: which copy it came from (``offline copy FILE (ID)``), and where "mine" replaced a
  central change, that it did.

The check-out and check-in are recorded too (entity ``checkouts``), by the officer; the check-in
row counts the changes applied, and for ``"theirs"`` lists the copy's changes set aside. Cases
created in the copy are not carried (they have no central reference yet): the report names them,
to export and import.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import socket
import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from caseworker.domain import rules
from caseworker.domain.refusals import NotPermitted, Refused, WrongState
from caseworker.errors import UserError
from caseworker.services.context import Context
from caseworker.services.investigation.issues import STAGE1_FIELDS, stage1_fixed
from caseworker.services.permissions import (
    OFFLINE_COPY_MARK,
    Action,
    acting_officer,
    authorise,
    check,
    load_case,
    permitted,
)
from caseworker.services.team.concurrency import FieldConflict
from caseworker.services.uow import UnitOfWork
from caseworker.storage.audit import NOISE, database_writes_trail, render, trail_context
from caseworker.storage.backup import to_dialect
from caseworker.storage.database import make_engine, migrate
from caseworker.storage.models import AuditEvent, Base, Case, Checkout, Counter, Officer, utcnow
from caseworker.storage.upgrade import upgrade_database

CASES: Table = Base.metadata.tables["cases"]
COMPLAINANTS: Table = Base.metadata.tables["complainants"]
AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
CHECKOUTS: Table = Checkout.__table__  # type: ignore[assignment]
OFFICERS: Table = Officer.__table__  # type: ignore[assignment]
COUNTERS: Table = Counter.__table__  # type: ignore[assignment]
_COPY_MARK = OFFLINE_COPY_MARK
"""A copy says it is one with a counter named this and its copy id (the central database, which
keeps the same checkout rows, has none)."""
_NOT_PART = {"cases", "complainants", "officers", "checkouts", "audit_events", "counters"}
_NOISE = {("cases", column) for column in NOISE}
"""Moved by every save or kept by the database from other columns (the list's sort keys): not
compared (the case's other values are)."""

Graph = dict[str, dict[int, dict[str, Any]]]
"""A case's rows by table and id (values as read)."""
Snapshot = dict[str, dict[str, dict[str, Any]]]
"""The same, with values made comparable and JSON-safe (ids as text keys)."""

_RECORDS_DECIDED = {
    "allocations": Action.ALLOCATE,
    "suspensions": Action.MANAGE,
    "contact_restrictions": Action.RESTRICT_CONTACT,
    "ombudsman_cases": Action.OMBUDSMAN,
}
"""Records only a decision makes (by the service that checks that action): adding, changing or
removing one in a copy needs the right to make the decision, not just to work on the case."""
_CASE_FIELDS_DECIDED = {
    "officer_id": Action.ALLOCATE,
    "stage1_officer_id": Action.ALLOCATE,
    "stage": Action.DECIDE_ESCALATION,
    "escalation_decision": Action.DECIDE_ESCALATION,
    "escalation_decided_on": Action.DECIDE_ESCALATION,
    "escalation_refusal_reasons": Action.DECIDE_ESCALATION,
    "escalation_requested": Action.LOG_ESCALATION,
    "escalation_reason": Action.LOG_ESCALATION,
    "escalation_late": Action.LOG_ESCALATION,
    "escalation_reason_missing": Action.LOG_ESCALATION,
    "escalation_decide_by": Action.LOG_ESCALATION,
    "discontinued_on": Action.MANAGE,
    "refusal_reasons": Action.MANAGE,
    "refusal_route": Action.MANAGE,
    "reopened_on": Action.REOPEN,
    "reopening_ground": Action.REOPEN,
    "reopening_reason": Action.REOPEN,
}
"""The case's fields only a decision sets (allocation, escalation, discontinuation, re-opening)."""
_ISSUE_FIELDS_DECIDED = {
    "stage2_finding": Action.REVIEW_POINTS,
    "stage2_explanation": Action.REVIEW_POINTS,
    "stage2_remedy": Action.REVIEW_POINTS,
}
"""A point's fields only the stage 2 review sets."""


class OfflineError(UserError):
    """A checkout or check-in that cannot be done; the message says why."""


def _case_tables() -> list[tuple[Table, Column, Table]]:
    """Every table whose rows belong to a case: (table, its column pointing up, the parent),
    parents before children (issues before notes)."""
    found: list[tuple[Table, Column, Table]] = []
    parents = {CASES}
    for table in Base.metadata.sorted_tables:
        if table.name in _NOT_PART:
            continue
        for column in table.columns:
            for key in column.foreign_keys:
                if key.column.table in parents and key.column.name == "id":
                    found.append((table, column, key.column.table))
                    parents.add(table)
                    break
            else:
                continue
            break
    return found


CASE_TABLES = _case_tables()


def _rows(connection: Connection, table: Table, *where: Any) -> dict[int, dict[str, Any]]:
    return {
        row["id"]: dict(row) for row in connection.execute(select(table).where(*where)).mappings()
    }


def read_case(connection: Connection, case_id: int) -> Graph | None:
    """The case's rows, or None if there is no such case."""
    cases = _rows(connection, CASES, CASES.c.id == case_id)
    if not cases:
        return None
    graph: Graph = {"cases": cases}
    complainant_id = cases[case_id]["complainant_id"]
    graph["complainants"] = (
        _rows(connection, COMPLAINANTS, COMPLAINANTS.c.id == complainant_id)
        if complainant_id is not None
        else {}
    )
    for table, column, parent in CASE_TABLES:
        parent_ids = list(graph.get(parent.name, {}))
        graph[table.name] = _rows(connection, table, column.in_(parent_ids)) if parent_ids else {}
    return graph


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return to_dialect(value, "sqlite").isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def snapshot(graph: Graph) -> Snapshot:
    return {
        table: {
            str(row_id): {k: _comparable(v) for k, v in row.items() if (table, k) not in _NOISE}
            for row_id, row in rows.items()
        }
        for table, rows in graph.items()
    }


@dataclass
class Diff:
    """What changed between two snapshots of one case."""

    created: list[tuple[str, int]] = field(default_factory=list)
    deleted: list[tuple[str, int]] = field(default_factory=list)
    changed: dict[tuple[str, int], dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.created or self.deleted or self.changed)

    def count(self) -> int:
        return len(self.created) + len(self.deleted) + sum(map(len, self.changed.values()))


def diff(before: Snapshot, after: Snapshot) -> Diff:
    found = Diff()
    for table in sorted(set(before) | set(after)):
        old_rows, new_rows = before.get(table, {}), after.get(table, {})
        for row_id in sorted(set(new_rows) - set(old_rows), key=int):
            found.created.append((table, int(row_id)))
        for row_id in sorted(set(old_rows) - set(new_rows), key=int):
            found.deleted.append((table, int(row_id)))
        for row_id in sorted(set(old_rows) & set(new_rows), key=int):
            old, new = old_rows[row_id], new_rows[row_id]
            fields = {
                k: (old.get(k), new.get(k))
                for k in sorted(set(old) | set(new))
                if old.get(k) != new.get(k)
            }
            if fields:
                found.changed[(table, int(row_id))] = fields
    return found


# -- who has what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutInfo:
    case_id: int
    reference: str
    checked_out_by: str
    machine: str
    file: str
    checked_out_at: dt.datetime
    base_version: int

    def describe(self) -> str:
        where = f" on {self.machine}" if self.machine else ""
        return (
            f"{self.reference} is checked out to an offline copy by {self.checked_out_by}"
            f"{where} since {self.checked_out_at:%d %B %Y %H:%M}"
        )


def checked_out(
    connection: Connection | Any, case_ids: Iterable[int] | None = None
) -> dict[int, CheckoutInfo]:
    """The cases checked out now (open checkouts), by case id: what colleagues see."""
    query = (
        select(
            CHECKOUTS.c.case_id,
            CASES.c.reference,
            CHECKOUTS.c.checked_out_by,
            CHECKOUTS.c.machine,
            CHECKOUTS.c.file,
            CHECKOUTS.c.checked_out_at,
            CHECKOUTS.c.base_version,
        )
        .join(CASES, CASES.c.id == CHECKOUTS.c.case_id)
        .where(CHECKOUTS.c.checked_in_at.is_(None))
        .order_by(CHECKOUTS.c.id)
    )
    if case_ids is not None:
        query = query.where(CHECKOUTS.c.case_id.in_(list(case_ids)))
    return {row[0]: CheckoutInfo(*row) for row in connection.execute(query)}


def list_checkouts(ctx: Context) -> list[CheckoutInfo]:
    """The cases checked out now that the acting officer may see, oldest checkout first (what
    ``caseworker offline list`` shows)."""
    with ctx.unit() as uow:
        officer = acting_officer(uow)
        found = checked_out(uow.session.connection())
        return [
            info
            for case_id, info in found.items()
            if permitted(officer, Action.VIEW, load_case(uow, case_id))
        ]


# -- check-out ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutResult:
    copy_id: str
    path: Path
    references: list[str]


def check_out(
    ctx: Context,
    references: Sequence[str],
    target: Path | str,
    *,
    machine: str | None = None,
) -> CheckoutResult:
    """Copy the cases into a new SQLite file and mark them checked out centrally, to the acting
    officer. Every case must be one they may work on: otherwise the refusals name each case and
    its rule, and nothing is checked out (no file, no checkout)."""
    target = Path(target).expanduser().resolve()
    if not references:
        raise OfflineError("name at least one case to check out")
    if target.exists():
        raise OfflineError(f"{target} already exists: check out into a new file")
    machine = machine if machine is not None else socket.gethostname()
    copy_id = str(uuid.uuid4())
    with ctx.unit() as uow:
        connection = _connection(uow, repeatable_read=True)
        acting_officer(uow)  # a login with no officer record is refused once, not per case
        found = dict(
            connection.execute(
                select(CASES.c.reference, CASES.c.id).where(CASES.c.reference.in_(references))
            ).all()
        )
        missing = [ref for ref in references if ref not in found]
        if missing:
            raise OfflineError(f"there is no case {', '.join(missing)}")
        ids = [found[ref] for ref in dict.fromkeys(references)]
        refusals: list[Refused] = []
        for case_id in ids:
            try:
                authorise(uow, case_id, Action.WORK)
            except Refused as refusal:
                refusals.append(refusal)
        if refusals:
            words = "; ".join(str(r).removeprefix("Refused: ") for r in refusals)
            raise type(refusals[0])(f"{words}: nothing was checked out")
        taken = checked_out(connection, ids)
        if taken:
            raise OfflineError(
                "; ".join(info.describe() for info in taken.values())
                + ": it must be checked in first"
            )
        if connection.dialect.name == "postgresql":  # keep colleagues' saves out until we are done
            connection.execute(select(CASES.c.id).where(CASES.c.id.in_(ids)).with_for_update())
        now = utcnow()
        base_audit_id = connection.execute(select(func.max(AUDIT.c.id))).scalar_one() or 0
        graphs = {case_id: read_case(connection, case_id) for case_id in ids}
        officers = connection.execute(select(OFFICERS)).mappings().all()
        history = (
            connection.execute(select(AUDIT).where(AUDIT.c.case_id.in_(ids)).order_by(AUDIT.c.id))
            .mappings()
            .all()
        )
        rows = [
            {
                "case_id": case_id,
                "copy_id": copy_id,
                "checked_out_by": ctx.actor,
                "machine": machine,
                "file": str(target),
                "checked_out_at": now,
                "base_version": graphs[case_id]["cases"][case_id]["version"],  # type: ignore[index]
                "base_audit_id": base_audit_id,
                # What the case was, kept centrally: check-in compares with this, never with
                # the copy's own (editable) snapshot.
                "base": snapshot(graphs[case_id] or {}),
                "checked_in_by": "",
                "result": "",
            }
            for case_id in ids
        ]
        _write_copy(target, officers, graphs, history, rows)
        try:
            # The checkout is in the central audit trail, by whoever made it: written by the
            # database's trigger on the checkout (PostgreSQL) or here (SQLite).
            described = {
                row["case_id"]: json.dumps(
                    {
                        "copy_id": copy_id,
                        "machine": machine,
                        "file": str(target),
                        "base_version": row["base_version"],
                    },
                    sort_keys=True,
                )
                for row in rows
            }
            event = {"action": "check-out", "entity_id": None, "by_case": described}
            with trail_context(connection, event=event):
                connection.execute(insert(CHECKOUTS), rows)
            if not database_writes_trail(connection):
                connection.execute(
                    insert(AUDIT),
                    [
                        {
                            "at": now,
                            "actor": ctx.actor,
                            "case_id": row["case_id"],
                            "entity": "checkouts",
                            "entity_id": None,
                            "action": "check-out",
                            "field": "",
                            "old_value": None,
                            "new_value": described[row["case_id"]],
                            "origin": "",
                        }
                        for row in rows
                    ],
                )
            uow.commit()
        except BaseException:
            target.unlink(missing_ok=True)  # not checked out: no copy either
            raise
    return CheckoutResult(copy_id, target, list(dict.fromkeys(references)))


def _connection(uow: UnitOfWork, *, repeatable_read: bool = False) -> Connection:
    """The unit of work's own connection (its transaction), for the whole-case reads and writes
    done table by table; on PostgreSQL optionally one consistent snapshot (it must be asked for
    before anything else is read)."""
    bind = uow.session.get_bind()
    if repeatable_read and bind.dialect.name == "postgresql":
        return uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return uow.session.connection()


def _local(values: dict[str, Any]) -> dict[str, Any]:
    return {key: to_dialect(value, "sqlite") for key, value in values.items()}


def _write_copy(
    target: Path,
    officers: Sequence[Any],
    graphs: dict[int, Graph | None],
    history: Sequence[Any],
    checkouts: list[dict[str, Any]],
) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{target}")
    try:
        migrate(engine)
        with engine.begin() as connection:
            if officers:
                connection.execute(insert(OFFICERS), [_local(dict(o)) for o in officers])
            order = [COMPLAINANTS, CASES] + [table for table, _, _ in CASE_TABLES]
            seen_complainants: set[int] = set()
            for table in order:
                rows = []
                for graph in graphs.values():
                    for row_id, row in (graph or {}).get(table.name, {}).items():
                        if table is COMPLAINANTS:
                            if row_id in seen_complainants:
                                continue
                            seen_complainants.add(row_id)
                        rows.append(_local(row))
                if rows:
                    connection.execute(insert(table), rows)
            if history:
                connection.execute(insert(AUDIT), [_local(dict(e)) for e in history])
            last_copied = connection.execute(select(func.max(AUDIT.c.id))).scalar_one() or 0
            connection.execute(
                insert(COUNTERS).values(name=_COPY_MARK + checkouts[0]["copy_id"], value=1)
            )
            connection.execute(
                insert(CHECKOUTS),
                [
                    _local(
                        {
                            **row,
                            "base_audit_id": last_copied,
                            "base": snapshot(graphs[row["case_id"]] or {}),
                        }
                    )
                    for row in checkouts
                ],
            )
    except BaseException:
        engine.dispose()
        target.unlink(missing_ok=True)
        raise
    engine.dispose()


# -- check-in -----------------------------------------------------------------------------------


class Outcome(enum.StrEnum):
    UNCHANGED = "unchanged"
    APPLIED = "applied"
    DISCARDED = "discarded"
    KEPT_MINE = "kept-mine"
    KEPT_THEIRS = "kept-theirs"
    CONFLICT = "conflict"
    TRY_AGAIN = "try-again"
    """Saved centrally during the check-in, or could not be written: nothing was written."""
    DELETED_CENTRALLY = "deleted-centrally"
    ALREADY_IN = "already-checked-in"
    REFUSED = "refused"
    """The officer checking in may not: not theirs to check in, or changes they may not make
    (the message gives the rule). Nothing was written; the checkout stays open."""


@dataclass(frozen=True)
class Difference:
    """One value that differs: at checkout (was), in the central database (theirs), in the
    copy (mine). ``None`` for a record that is not there."""

    where: str
    field: str
    was: Any
    theirs: Any
    mine: Any
    table: str = ""
    row_id: int = 0

    def describe(self) -> str:
        def shown(value: Any) -> str:
            text = "(none)" if value is None else str(value) or "(blank)"
            return text if len(text) <= 60 else text[:59] + "…"

        return (
            f"{self.where} {self.field}: was {shown(self.was)}, central "
            f"{shown(self.theirs)}, yours {shown(self.mine)}"
        )


@dataclass(frozen=True)
class OfflineConflict:
    """A case changed on both sides, as the side-by-side conflict window shows a live conflict:
    every value that differs, field by field, as it was when taken (``started_from``), as it is
    centrally (``theirs``) and in the copy (``mine``), who changed it centrally and when."""

    case_id: int
    reference: str
    fields: tuple[FieldConflict, ...]
    changed_by: str
    changed_at: dt.datetime | None
    their_other_changes: tuple[FieldConflict, ...] = ()


@dataclass
class CaseCheckin:
    reference: str
    case_id: int
    outcome: Outcome
    message: str
    differences: list[Difference] = field(default_factory=list)
    carried_events: int = 0
    conflict: OfflineConflict | None = None


@dataclass
class CheckinReport:
    copy_id: str
    cases: list[CaseCheckin]
    not_carried: list[str]
    """References of cases created in the copy: export them and import them centrally."""

    @property
    def conflicts(self) -> list[CaseCheckin]:
        return [c for c in self.cases if c.outcome == Outcome.CONFLICT]


def _label(table: str, row_id: int, snapshots: Sequence[Snapshot]) -> str:
    for snap in snapshots:
        row = snap.get(table, {}).get(str(row_id))
        if row is None:
            continue
        if table == "cases":
            return "case"
        if table == "issues":
            return f"issue {row.get('number')}"
        break
    return {"complainants": "complainant"}.get(table, f"{table.rstrip('s')} {row_id}")


def differences(base: Snapshot, theirs: Snapshot, mine: Snapshot) -> list[Difference]:
    """Every value changed on either side that now differs between the two."""
    ours, central = diff(base, mine), diff(base, theirs)
    keys: set[tuple[str, int, str]] = set()
    for changes in (ours, central):
        for (table, row_id), fields in changes.changed.items():
            keys.update((table, row_id, name) for name in fields)
        for table, row_id in changes.created + changes.deleted:
            keys.add((table, row_id, "(record)"))
    found = []
    for table, row_id, name in sorted(keys):

        def value(
            snap: Snapshot, table: str = table, row_id: int = row_id, name: str = name
        ) -> Any:
            row = snap.get(table, {}).get(str(row_id))
            if name == "(record)":
                return None if row is None else "present"
            return None if row is None else row.get(name)

        if value(theirs) != value(mine):
            found.append(
                Difference(
                    _label(table, row_id, (mine, theirs, base)),
                    name,
                    value(base),
                    value(theirs),
                    value(mine),
                    table,
                    row_id,
                )
            )
    return found


def _record_words(snap: Snapshot, table: str, row_id: int) -> str:
    """A record as a person recognises it (its text, summary, file or name)."""
    row = snap.get(table, {}).get(str(row_id))
    if row is None:
        return "(not there)"
    for key in ("text", "summary", "filename", "subject", "name", "interviewee"):
        if row.get(key):
            return str(row[key])
    return "(there)"


def conflict_fields(base: Snapshot, theirs: Snapshot, mine: Snapshot) -> tuple[FieldConflict, ...]:
    """:func:`differences` as the conflict window shows them: a record added or removed on one
    side as its words."""
    return tuple(
        FieldConflict(
            d.where,
            "record",
            _record_words(base, d.table, d.row_id),
            _record_words(theirs, d.table, d.row_id),
            _record_words(mine, d.table, d.row_id),
        )
        if d.field == "(record)"
        else FieldConflict(d.where, d.field, d.was, d.theirs, d.mine)
        for d in differences(base, theirs, mine)
    )


def check_in(
    ctx: Context, copy_path: Path | str, *, keep: dict[str, str] | None = None
) -> CheckinReport:
    """Bring the copy's cases back, case by case, as the acting officer (see the module notes);
    the report."""
    copy_path = Path(copy_path).expanduser().resolve()
    keep = dict(keep or {})
    bad = {ref: choice for ref, choice in keep.items() if choice not in ("mine", "theirs")}
    if bad:
        raise OfflineError(f"--keep takes mine or theirs, not {', '.join(bad.values())}")
    if not copy_path.is_file():
        raise OfflineError(f"there is no offline copy {copy_path}")
    local = make_engine(f"sqlite:///{copy_path}")
    try:
        upgrade_database(local)  # a copy from an older version: backed up, brought up to date
        with local.connect() as connection:
            marks = (
                connection.execute(
                    select(COUNTERS.c.name).where(COUNTERS.c.name.startswith(_COPY_MARK))
                )
                .scalars()
                .all()
            )
            checkouts = (
                connection.execute(
                    select(CHECKOUTS)
                    .where(
                        CHECKOUTS.c.base.is_not(None),
                        *[CHECKOUTS.c.copy_id == mark.removeprefix(_COPY_MARK) for mark in marks],
                    )
                    .order_by(CHECKOUTS.c.id)
                )
                .mappings()
                .all()
            )
            if not checkouts or len(marks) > 1:
                raise OfflineError(
                    f"{copy_path} is not an offline copy (no cases were checked out into it)"
                )
            copy_id = checkouts[0]["copy_id"]
            carried_ids = {row["case_id"] for row in checkouts}
            new_offline = (
                connection.execute(
                    select(CASES.c.reference)
                    .where(CASES.c.id.not_in(carried_ids))
                    .order_by(CASES.c.reference)
                )
                .scalars()
                .all()
            )
        with ctx.unit() as uow:
            central_bases = (
                _connection(uow)
                .execute(select(CHECKOUTS.c.base).where(CHECKOUTS.c.copy_id == copy_id))
                .scalars()
                .all()
            )
        if not central_bases:
            raise OfflineError(
                f"{copy_path} was not checked out from this database "
                "(give the central database with --db)"
            )
        if not marks and any(base is not None for base in central_bases):
            # Checked out since checkouts are marked: this is not the copy (it may be a backup).
            raise OfflineError(
                f"{copy_path} is not an offline copy (no cases were checked out into it)"
            )
        with ctx.unit() as uow:
            acting_officer(uow)  # a login with no officer record is refused once, not per case
        unknown = set(keep) - set(_references(local, carried_ids).values())
        if unknown:
            raise OfflineError(f"--keep: {', '.join(sorted(unknown))} is not in this copy")
        results = []
        for row in checkouts:
            try:
                results.append(_check_in_case(ctx, local, dict(row), copy_path, keep))
            except (_Raced, IntegrityError) as error:
                reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
                reference = _references(local, [row["case_id"]]).get(row["case_id"], "?")
                results.append(
                    CaseCheckin(
                        reference,
                        row["case_id"],
                        Outcome.TRY_AGAIN,
                        f"{reference}: nothing written ({reason}); check in again",
                    )
                )
    finally:
        local.dispose()
    return CheckinReport(copy_id, results, list(new_offline))


def why_not_check_in(officer: Officer, case: Case, changes: Diff) -> Refused | None:
    """Why ``officer`` may not have a copy's ``changes`` to ``case`` applied now, or ``None``:
    they must be allowed to work on the case, and a record or field only a decision makes (an
    allocation, a suspension, the escalation decision...) needs the right to make it."""
    needed: list[Action | None] = [Action.WORK]
    for table, _row_id in changes.created + changes.deleted:
        needed.append(_RECORDS_DECIDED.get(table))
    for (table, _row_id), fields in changes.changed.items():
        needed.append(_RECORDS_DECIDED.get(table))
        if table == "cases":
            needed.extend(_CASE_FIELDS_DECIDED.get(name) for name in fields)
        if table == "issues":
            needed.extend(_ISSUE_FIELDS_DECIDED.get(name) for name in fields)
    for action in dict.fromkeys(a for a in needed if a is not None):
        try:
            check(officer, action, case)
        except Refused as refusal:
            return refusal
    touched = {
        name
        for (table, _id), fields in changes.changed.items()
        if table == "issues"
        for name in fields
    }
    fixed = stage1_fixed(case.reference, case.stage) if touched & STAGE1_FIELDS else None
    return WrongState(fixed) if fixed is not None else None


def _references(engine: Engine, ids: Iterable[int]) -> dict[int, str]:
    with engine.connect() as connection:
        return dict(
            connection.execute(
                select(CASES.c.id, CASES.c.reference).where(CASES.c.id.in_(list(ids)))
            ).all()
        )


def _close_local(local: Engine, checkout_id: int, actor: str, outcome: Outcome) -> None:
    with local.begin() as connection:
        connection.execute(
            update(CHECKOUTS)
            .where(CHECKOUTS.c.id == checkout_id)
            .values(
                checked_in_at=to_dialect(utcnow(), "sqlite"),
                checked_in_by=actor,
                result=outcome.value,
            )
        )


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _offline_times(
    local: Engine, case_id: int, mine: Graph, after_audit_id: int, since: dt.datetime
) -> dict[tuple[str, int, str], dt.datetime]:
    """When each change was made in the copy, by (table, offline id, field; "" for a record
    added or removed), from the copy's trail: only times between the checkout and now."""
    complainants = list(mine.get("complainants", {}))
    now = _aware(utcnow())
    with local.connect() as connection:
        events = connection.execute(
            select(AUDIT.c.entity, AUDIT.c.entity_id, AUDIT.c.field, AUDIT.c.at)
            .where(
                AUDIT.c.id > after_audit_id,
                or_(
                    AUDIT.c.case_id == case_id,
                    (AUDIT.c.entity == "complainants") & AUDIT.c.entity_id.in_(complainants),
                ),
            )
            .order_by(AUDIT.c.id)
        ).all()
    times: dict[tuple[str, int, str], dt.datetime] = {}
    for entity, entity_id, name, at in events:
        if at is None or entity_id is None:
            continue
        at = _aware(at)
        if _aware(since) <= at <= now:
            times[(entity, entity_id, name or "")] = at
    return times


def _check_in_case(
    ctx: Context,
    local: Engine,
    checkout: dict[str, Any],
    copy_path: Path,
    keep: dict[str, str],
) -> CaseCheckin:
    case_id = checkout["case_id"]
    with local.connect() as connection:
        mine_graph = read_case(connection, case_id)
    copy_base: Snapshot = checkout["base"] or {}
    reference = (copy_base.get("cases", {}).get(str(case_id)) or {}).get("reference", str(case_id))
    if checkout["checked_in_at"] is not None:
        return CaseCheckin(
            reference,
            case_id,
            Outcome.ALREADY_IN,
            f"{reference}: already checked in ({checkout['result']})",
        )
    if mine_graph is None:
        raise OfflineError(
            f"{reference} was deleted from the offline copy: deleting a case "
            "is not carried back; check it in after restoring it"
        )
    mine = snapshot(mine_graph)
    origin = f"offline copy {copy_path.name} ({checkout['copy_id'][:8]})"

    with ctx.unit() as uow:
        connection = _connection(uow)
        central_row = (
            connection.execute(
                select(CHECKOUTS)
                .where(CHECKOUTS.c.copy_id == checkout["copy_id"], CHECKOUTS.c.case_id == case_id)
                .order_by(CHECKOUTS.c.id.desc())
                .limit(1)
                .with_for_update()
            )
            .mappings()
            .one_or_none()
        )
        theirs_graph = read_case(connection, case_id)
        if theirs_graph is None:
            ours = diff(copy_base, mine)
            kept = f"; the changes made offline are still in {copy_path}" if ours else ""
            _close_local(local, checkout["id"], ctx.actor, Outcome.DELETED_CENTRALLY)
            return CaseCheckin(
                reference,
                case_id,
                Outcome.DELETED_CENTRALLY,
                f"{reference}: deleted from the central database since it was checked out{kept}",
            )
        reference = theirs_graph["cases"][case_id]["reference"]
        if central_row is None:
            return _refused(
                reference,
                case_id,
                f"{reference} was never checked out into this copy ({rules.OFFLINE_CHECK_IN})",
            )
        if central_row["checked_in_at"] is not None:
            _close_local(local, checkout["id"], ctx.actor, Outcome.ALREADY_IN)
            return CaseCheckin(
                reference,
                case_id,
                Outcome.ALREADY_IN,
                f"{reference}: already checked in from this copy",
            )
        if central_row["checked_out_by"] != ctx.actor:
            return _refused(
                reference,
                case_id,
                f"{reference} is checked out to {central_row['checked_out_by']}, not to "
                f"{ctx.actor} ({rules.OFFLINE_CHECK_IN})",
            )
        base: Snapshot = central_row["base"] or copy_base
        ours = diff(base, mine)
        theirs = snapshot(theirs_graph)
        central_changes = diff(base, theirs)
        choice = keep.get(reference)
        if ours and choice != "theirs":
            refusal = why_not_check_in(acting_officer(uow), load_case(uow, case_id), ours)
            if refusal is not None:
                return _refused(
                    reference,
                    case_id,
                    f"{str(refusal).removeprefix('Refused: ')}: nothing of it was applied; the "
                    f"changes made offline stay in {copy_path.name} (check in again once you "
                    f"may make them, or set them aside with --keep theirs {reference})",
                )

        set_aside: list[dict[str, Any]] = []
        if not ours and not central_changes:
            outcome, message, recorded = Outcome.UNCHANGED, f"{reference}: unchanged", 0
        elif ours and (not central_changes or choice == "mine"):
            times = _offline_times(
                local,
                case_id,
                mine_graph,
                checkout["base_audit_id"],
                central_row["checked_out_at"],
            )
            recorded = _apply(
                connection,
                ctx.actor,
                case_id,
                mine_graph,
                ours,
                theirs_graph,
                central_changes,
                times,
                origin,
            )
            if not central_changes:
                outcome = Outcome.APPLIED
                message = f"{reference}: {ours.count()} change(s) made offline applied"
            else:
                outcome = Outcome.KEPT_MINE
                message = (
                    f"{reference}: changed on both sides; the copy's {ours.count()} change(s) "
                    "applied over the central ones (as asked)"
                )
        elif not ours:
            outcome, recorded = Outcome.DISCARDED, 0
            message = (
                f"{reference}: changed centrally since it was checked out "
                f"({_who(connection, case_id, central_row)}) and not in the copy: the "
                "central version stands, the copy of it is set aside"
            )
        elif choice == "theirs":
            set_aside = _described(ours, mine_graph)
            outcome, recorded = Outcome.KEPT_THEIRS, len(set_aside)
            both = "changed on both sides; " if central_changes else ""
            message = (
                f"{reference}: {both}the central version kept (as asked), the copy's "
                f"{ours.count()} change(s) set aside, listed in the audit trail, not applied"
            )
        else:
            found = differences(base, theirs, mine)
            actors, last = _central_changers(connection, case_id, central_row)
            return CaseCheckin(
                reference,
                case_id,
                Outcome.CONFLICT,
                f"{reference}: changed on both sides since it was checked out "
                f"({_who(connection, case_id, central_row)} centrally): not checked in",
                found,
                conflict=OfflineConflict(
                    case_id,
                    reference,
                    conflict_fields(base, theirs, mine),
                    ", ".join(actors) or "A colleague",
                    last,
                ),
            )

        now = utcnow()
        details: dict[str, Any] = {
            "copy_id": checkout["copy_id"],
            "result": outcome.value,
            "offline_events": recorded,
        }
        if set_aside:
            details["set_aside"] = set_aside
        described = json.dumps(details, sort_keys=True, ensure_ascii=False)
        event = {
            "action": "check-in",
            "entity_id": central_row["id"],
            "by_case": {case_id: described},
        }
        with trail_context(connection, event=event):
            connection.execute(
                update(CHECKOUTS)
                .where(CHECKOUTS.c.id == central_row["id"])
                .values(checked_in_at=now, checked_in_by=ctx.actor, result=outcome.value)
            )
        if not database_writes_trail(connection):
            connection.execute(
                insert(AUDIT).values(
                    at=now,
                    actor=ctx.actor,
                    case_id=case_id,
                    entity="checkouts",
                    entity_id=central_row["id"],
                    action="check-in",
                    field="",
                    old_value=None,
                    new_value=described,
                    origin="",
                )
            )
        uow.commit()
    _close_local(local, checkout["id"], ctx.actor, outcome)
    return CaseCheckin(reference, case_id, outcome, message, carried_events=recorded)


def _refused(reference: str, case_id: int, words: str) -> CaseCheckin:
    """A case not checked in: nothing written anywhere (its checkout stays open)."""
    return CaseCheckin(reference, case_id, Outcome.REFUSED, str(NotPermitted(words)))


def _described(changes: Diff, mine: Graph) -> list[dict[str, Any]]:
    """The copy's changes as the check-in's audit record lists them when they are set aside."""
    listed: list[dict[str, Any]] = [
        {"entity": table, "entity_id": row_id, "action": "create"}
        for table, row_id in changes.created
    ]
    listed += [
        {"entity": table, "entity_id": row_id, "action": "delete"}
        for table, row_id in changes.deleted
    ]
    for (table, row_id), fields in changes.changed.items():
        listed += [
            {
                "entity": table,
                "entity_id": row_id,
                "action": "update",
                "field": name,
                "value": render(mine[table][row_id][name]),
            }
            for name in fields
        ]
    return listed


def _central_changers(
    connection: Connection, case_id: int, checkout: Any
) -> tuple[list[str], dt.datetime | None]:
    """Who changed the case centrally since it was taken (by name where the officers list has
    one), and when last."""
    rows = connection.execute(
        select(AUDIT.c.actor, func.max(AUDIT.c.at))
        .where(
            AUDIT.c.case_id == case_id,
            AUDIT.c.id > checkout["base_audit_id"],
            AUDIT.c.entity != "checkouts",
        )
        .group_by(AUDIT.c.actor)
        .order_by(func.min(AUDIT.c.id))
    ).all()
    names = dict(connection.execute(select(OFFICERS.c.login, OFFICERS.c.name)).all())
    last = max((_aware(at) for _actor, at in rows if at is not None), default=None)
    return [names.get(actor) or actor for actor, _at in rows], last


def _who(connection: Connection, case_id: int, checkout: Any) -> str:
    actors = (
        connection.execute(
            select(AUDIT.c.actor)
            .where(
                AUDIT.c.case_id == case_id,
                AUDIT.c.id > checkout["base_audit_id"],
                AUDIT.c.entity != "checkouts",
            )
            .group_by(AUDIT.c.actor)
            .order_by(func.min(AUDIT.c.id))
        )
        .scalars()
        .all()
    )
    return "by " + ", ".join(actors) if actors else "without an audit trail"


class _Raced(OfflineError):
    pass


def _central(values: dict[str, Any], dialect: str) -> dict[str, Any]:
    return {key: to_dialect(value, dialect) for key, value in values.items()}


def _record(values: dict[str, Any], table: str) -> str:
    """A whole record as the audit trail keeps it (as the session's flush does)."""
    return json.dumps(
        {k: render(v) for k, v in values.items() if (table, k) not in _NOISE},
        sort_keys=True,
        ensure_ascii=False,
    )


def _apply(
    connection: Connection,
    actor: str,
    case_id: int,
    mine: Graph,
    ours: Diff,
    theirs: Graph,
    central_changes: Diff,
    times: dict[tuple[str, int, str], dt.datetime],
    origin: str,
) -> int:
    """Write the copy's changes to the central database, inside ``connection``'s transaction,
    each with its audit row (see the module notes); how many audit rows were written."""
    dialect = connection.dialect.name
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    now = utcnow()
    # The case's row first: it checks nobody saved since we looked, locks it on PostgreSQL, and
    # moves the version so that anyone with the case open must reload.
    moved = connection.execute(
        update(CASES)
        .where(CASES.c.id == case_id, CASES.c.version == theirs["cases"][case_id]["version"])
        .values(version=CASES.c.version + 1, updated_at=to_dialect(now, dialect))
    )
    if moved.rowcount != 1:
        raise _Raced(
            f"case {case_id} was saved centrally while it was being checked in: check in again"
        )
    new_ids: dict[str, dict[int, int]] = {}
    trail: list[dict[str, Any]] = []
    replaced = {
        (table, row_id, name)
        for (table, row_id), fields in central_changes.changed.items()
        for name in fields
    }

    def audit(
        table: str,
        offline_id: int,
        central_id: int,
        action: str,
        name: str = "",
        old: str | None = None,
        new: str | None = None,
    ) -> None:
        when = times.get((table, offline_id, name))
        note = "" if when is not None else ", made offline at a time the copy does not record"
        if (table, offline_id, name) in replaced:
            note += ": kept over a central change"
        trail.append(
            {
                "at": to_dialect(when or now, dialect),
                "actor": actor,
                "case_id": case_id,
                "entity": table,
                "entity_id": central_id,
                "action": action,
                "field": name,
                "old_value": old,
                "new_value": new,
                "origin": (origin + note)[:300],
            }
        )

    database = database_writes_trail(connection)

    def stamped(table: str, offline_id: int, name: str = "") -> AbstractContextManager[None]:
        """On PostgreSQL, the time and copy the database's trigger records the change with."""
        when = times.get((table, offline_id, name))
        note = "" if when is not None else ", made offline at a time the copy does not record"
        if (table, offline_id, name) in replaced:
            note += ": kept over a central change"
        at = when.isoformat() if when is not None else None  # else the database's own time
        return trail_context(connection, at=at, origin=(origin + note)[:300])

    def remap(table: Table, values: dict[str, Any]) -> dict[str, Any]:
        for column in table.columns:
            for key in column.foreign_keys:
                mapped = new_ids.get(key.column.table.name, {})
                if values.get(column.name) in mapped:
                    values[column.name] = mapped[values[column.name]]
        return values

    order = [t.name for t in Base.metadata.sorted_tables]
    for table_name, row_id in sorted(ours.created, key=lambda c: order.index(c[0])):
        table = tables[table_name]
        values = remap(table, {k: v for k, v in mine[table_name][row_id].items() if k != "id"})
        with stamped(table_name, row_id):
            result = connection.execute(insert(table).values(**_central(values, dialect)))
        inserted: Any = result.inserted_primary_key
        new_ids.setdefault(table_name, {})[row_id] = inserted[0]
        audit(
            table_name,
            row_id,
            inserted[0],
            "create",
            new=_record({"id": inserted[0], **values}, table_name),
        )
    for (table_name, row_id), fields in ours.changed.items():
        table = tables[table_name]
        if row_id not in theirs.get(table_name, {}):
            continue  # deleted centrally meanwhile: nothing to update
        values = remap(table, {name: mine[table_name][row_id][name] for name in fields})
        if database:  # one statement per field: each with the time it was changed offline
            for name, value in values.items():
                with stamped(table_name, row_id, name):
                    connection.execute(
                        update(table)
                        .where(table.c.id == row_id)
                        .values({name: to_dialect(value, dialect)})
                    )
        else:
            connection.execute(
                update(table).where(table.c.id == row_id).values(**_central(values, dialect))
            )
        for name, value in values.items():
            old, new = render(theirs[table_name][row_id][name]), render(value)
            if old != new:
                audit(table_name, row_id, row_id, "update", name, old, new)
    for table_name, row_id in sorted(ours.deleted, key=lambda c: -order.index(c[0])):
        if table_name == "complainants" or row_id not in theirs.get(table_name, {}):
            continue  # a complainant may have other cases; one unlinked offline stays
        table = tables[table_name]
        with stamped(table_name, row_id):
            connection.execute(table.delete().where(table.c.id == row_id))
        audit(
            table_name,
            row_id,
            row_id,
            "delete",
            old=_record(theirs[table_name][row_id], table_name),
        )
    if trail and not database:  # on PostgreSQL the database's triggers recorded them
        connection.execute(insert(AUDIT), trail)
    return len(trail)
