"""Offline work: check cases out to a SQLite file on a laptop, work with no network, check in.

:func:`check_out` copies just the chosen cases, with every record that belongs to them (issues
and their notes, interviews, risk assessments, contact attempts, letters with their documents,
extensions, suspensions, allocations, the complainant...), the officers list and each case's
audit trail, into a new SQLite database with the same schema. The app opens it like any other
(``caseworker --db sqlite:///FILE``). The central database records each checkout (who, which
machine and file, when, the case's version): :func:`checked_out` is what colleagues see.

The copy keeps, for each case, its records as they were when copied (``Checkout.base``), so
:func:`check_in` can compare three ways, case by case:

* changed only in the copy: the copy's changes are applied to the central database;
* changed only centrally: the central version stands and the (unchanged) copy is set aside;
* changed on both sides: nothing is written for that case. The report lists, field by field,
  what it was at checkout, what it is centrally and in the copy, and the checkout stays open
  until someone decides with ``keep={reference: "mine"}`` (apply the copy's changes over the
  central ones) or ``"theirs"`` (keep the central version).

"Changed" means any record of the case differs from the checkout's snapshot, so a central change
made by any means, audited or not, is seen. Only the copy's own changes are applied (a field
nobody touched offline keeps its central value), records added offline get new ids centrally,
and the case's version moves on, so a colleague with the case open gets a conflict rather than
an overwrite. The audit events recorded in the copy are appended to the central trail with
their original actor and time and ``origin`` naming the copy; where "mine" replaced a central
value, that replacement is recorded too, by whoever checked in. Cases created in the copy are
not carried (they have no central reference yet): the report names them, to export and import.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from caseworker.errors import UserError
from caseworker.storage.audit import render
from caseworker.storage.backup import to_dialect
from caseworker.storage.database import make_engine, migrate
from caseworker.storage.models import AuditEvent, Base, Checkout, Officer, utcnow
from caseworker.storage.upgrade import upgrade_database

CASES: Table = Base.metadata.tables["cases"]
COMPLAINANTS: Table = Base.metadata.tables["complainants"]
AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
CHECKOUTS: Table = Checkout.__table__  # type: ignore[assignment]
OFFICERS: Table = Officer.__table__  # type: ignore[assignment]
_NOT_PART = {"cases", "complainants", "officers", "checkouts", "audit_events", "counters"}
_NOISE = {("cases", "updated_at"), ("cases", "version")}
"""Moved by every save: not compared (the case's other values are)."""

Graph = dict[str, dict[int, dict[str, Any]]]
"""A case's rows by table and id (values as read)."""
Snapshot = dict[str, dict[str, dict[str, Any]]]
"""The same, with values made comparable and JSON-safe (ids as text keys)."""


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


# -- check-out ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutResult:
    copy_id: str
    path: Path
    references: list[str]


def check_out(
    central: Engine,
    references: Sequence[str],
    target: Path | str,
    *,
    actor: str,
    machine: str | None = None,
) -> CheckoutResult:
    """Copy the cases into a new SQLite file and mark them checked out centrally."""
    target = Path(target).expanduser().resolve()
    if not references:
        raise OfflineError("name at least one case to check out")
    if target.exists():
        raise OfflineError(f"{target} already exists: check out into a new file")
    machine = machine if machine is not None else socket.gethostname()
    copy_id = str(uuid.uuid4())
    options = {"isolation_level": "REPEATABLE READ"} if central.dialect.name == "postgresql" else {}
    with central.connect().execution_options(**options) as connection, connection.begin():
        found = dict(
            connection.execute(
                select(CASES.c.reference, CASES.c.id).where(CASES.c.reference.in_(references))
            ).all()
        )
        missing = [ref for ref in references if ref not in found]
        if missing:
            raise OfflineError(f"there is no case {', '.join(missing)}")
        ids = [found[ref] for ref in dict.fromkeys(references)]
        taken = checked_out(connection, ids)
        if taken:
            raise OfflineError(
                "; ".join(info.describe() for info in taken.values())
                + ": it must be checked in first"
            )
        if central.dialect.name == "postgresql":  # keep colleagues' saves out until we are done
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
                "checked_out_by": actor,
                "machine": machine,
                "file": str(target),
                "checked_out_at": now,
                "base_version": graphs[case_id]["cases"][case_id]["version"],  # type: ignore[index]
                "base_audit_id": base_audit_id,
                "checked_in_by": "",
                "result": "",
            }
            for case_id in ids
        ]
        _write_copy(target, officers, graphs, history, rows)
        connection.execute(insert(CHECKOUTS), rows)
        # The checkout is in the central audit trail, by whoever made it.
        connection.execute(
            insert(AUDIT),
            [
                {
                    "at": now,
                    "actor": actor,
                    "case_id": row["case_id"],
                    "entity": "checkouts",
                    "entity_id": None,
                    "action": "check-out",
                    "field": "",
                    "old_value": None,
                    "new_value": json.dumps(
                        {
                            "copy_id": copy_id,
                            "machine": machine,
                            "file": str(target),
                            "base_version": row["base_version"],
                        },
                        sort_keys=True,
                    ),
                    "origin": "",
                }
                for row in rows
            ],
        )
    return CheckoutResult(copy_id, target, list(dict.fromkeys(references)))


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


@dataclass(frozen=True)
class Difference:
    """One value that differs: at checkout (was), in the central database (theirs), in the
    copy (mine). ``None`` for a record that is not there."""

    where: str
    field: str
    was: Any
    theirs: Any
    mine: Any

    def describe(self) -> str:
        def shown(value: Any) -> str:
            text = "(none)" if value is None else str(value) or "(blank)"
            return text if len(text) <= 60 else text[:59] + "…"

        return (
            f"{self.where} {self.field}: was {shown(self.was)}, central "
            f"{shown(self.theirs)}, yours {shown(self.mine)}"
        )


@dataclass
class CaseCheckin:
    reference: str
    case_id: int
    outcome: Outcome
    message: str
    differences: list[Difference] = field(default_factory=list)
    carried_events: int = 0


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
                )
            )
    return found


def check_in(
    central: Engine, copy_path: Path | str, *, actor: str, keep: dict[str, str] | None = None
) -> CheckinReport:
    """Bring the copy's cases back, case by case (see the module notes); the report."""
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
            checkouts = (
                connection.execute(
                    select(CHECKOUTS).where(CHECKOUTS.c.base.is_not(None)).order_by(CHECKOUTS.c.id)
                )
                .mappings()
                .all()
            )
            if not checkouts:
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
        with central.connect() as connection:
            known = connection.execute(
                select(func.count()).select_from(CHECKOUTS).where(CHECKOUTS.c.copy_id == copy_id)
            ).scalar_one()
        if not known:
            raise OfflineError(
                f"{copy_path} was not checked out from this database "
                "(give the central database with --db)"
            )
        unknown = set(keep) - set(_references(local, carried_ids).values())
        if unknown:
            raise OfflineError(f"--keep: {', '.join(sorted(unknown))} is not in this copy")
        results = []
        for row in checkouts:
            try:
                results.append(
                    _check_in_case(
                        central, local, dict(row), actor=actor, copy_path=copy_path, keep=keep
                    )
                )
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


def _check_in_case(
    central: Engine,
    local: Engine,
    checkout: dict[str, Any],
    *,
    actor: str,
    copy_path: Path,
    keep: dict[str, str],
) -> CaseCheckin:
    case_id = checkout["case_id"]
    with local.connect() as connection:
        mine_graph = read_case(connection, case_id)
        offline_events = (
            connection.execute(
                select(AUDIT)
                .where(AUDIT.c.case_id == case_id, AUDIT.c.id > checkout["base_audit_id"])
                .order_by(AUDIT.c.id)
            )
            .mappings()
            .all()
        )
    base: Snapshot = checkout["base"] or {}
    reference = (base.get("cases", {}).get(str(case_id)) or {}).get("reference", str(case_id))
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
    ours = diff(base, mine)
    origin = f"offline copy {copy_path.name} ({checkout['copy_id'][:8]})"

    with central.begin() as connection:
        open_row = connection.execute(
            select(CHECKOUTS.c.id)
            .where(
                CHECKOUTS.c.copy_id == checkout["copy_id"],
                CHECKOUTS.c.case_id == case_id,
                CHECKOUTS.c.checked_in_at.is_(None),
            )
            .with_for_update()
        ).scalar_one_or_none()
        theirs_graph = read_case(connection, case_id)
        if theirs_graph is None:
            outcome, message = (
                Outcome.DELETED_CENTRALLY,
                (
                    f"{reference}: deleted from the central database since it was checked out; "
                    f"{'the changes made offline are still in ' + str(copy_path) if ours else ''}".rstrip(
                        "; "
                    )
                ),
            )
            _close_local(local, checkout["id"], actor, outcome)
            return CaseCheckin(reference, case_id, outcome, message)
        if open_row is None:
            _close_local(local, checkout["id"], actor, Outcome.ALREADY_IN)
            return CaseCheckin(
                reference,
                case_id,
                Outcome.ALREADY_IN,
                f"{reference}: already checked in from this copy",
            )
        theirs = snapshot(theirs_graph)
        central_changes = diff(base, theirs)
        seen_version = theirs_graph["cases"][case_id]["version"]
        choice = keep.get(reference)

        if not ours and not central_changes:
            outcome, message, carried = Outcome.UNCHANGED, f"{reference}: unchanged", 0
        elif not central_changes:
            new_ids = _apply(
                connection,
                case_id,
                mine_graph,
                ours,
                seen_version,
                theirs_graph,
                None,
                actor,
                origin,
            )
            carried = _carry(connection, offline_events, origin, case_id, new_ids)
            outcome, message = (
                Outcome.APPLIED,
                (f"{reference}: {ours.count()} change(s) made offline applied"),
            )
        elif not ours:
            outcome, carried = Outcome.DISCARDED, 0
            message = (
                f"{reference}: changed centrally since it was checked out "
                f"({_who(connection, case_id, checkout)}) and not in the copy: the "
                "central version stands, the copy of it is set aside"
            )
        elif choice == "mine":
            new_ids = _apply(
                connection,
                case_id,
                mine_graph,
                ours,
                seen_version,
                theirs_graph,
                theirs,
                actor,
                origin,
            )
            carried = _carry(connection, offline_events, origin, case_id, new_ids)
            outcome, message = (
                Outcome.KEPT_MINE,
                (
                    f"{reference}: changed on both sides; the copy's {ours.count()} change(s) "
                    "applied over the central ones (as asked)"
                ),
            )
        elif choice == "theirs":
            carried = _carry(
                connection,
                offline_events,
                origin + ", not applied: the central version was kept",
                case_id,
            )
            outcome, message = (
                Outcome.KEPT_THEIRS,
                (
                    f"{reference}: changed on both sides; the central version kept (as asked), "
                    "the copy's changes recorded in the audit trail but not applied"
                ),
            )
        else:
            return CaseCheckin(
                reference,
                case_id,
                Outcome.CONFLICT,
                f"{reference}: changed on both sides since it was checked out "
                f"({_who(connection, case_id, checkout)} centrally): not checked in",
                differences(base, theirs, mine),
            )

        connection.execute(
            update(CHECKOUTS)
            .where(CHECKOUTS.c.id == open_row)
            .values(checked_in_at=utcnow(), checked_in_by=actor, result=outcome.value)
        )
        connection.execute(
            insert(AUDIT).values(
                at=utcnow(),
                actor=actor,
                case_id=case_id,
                entity="checkouts",
                entity_id=open_row,
                action="check-in",
                field="",
                old_value=None,
                new_value=json.dumps(
                    {
                        "copy_id": checkout["copy_id"],
                        "result": outcome.value,
                        "offline_events": carried,
                    },
                    sort_keys=True,
                ),
                origin="",
            )
        )
    _close_local(local, checkout["id"], actor, outcome)
    return CaseCheckin(reference, case_id, outcome, message, carried_events=carried)


def _who(connection: Connection, case_id: int, checkout: dict[str, Any]) -> str:
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


def _apply(
    connection: Connection,
    case_id: int,
    mine: Graph,
    ours: Diff,
    seen_version: int,
    theirs_graph: Graph,
    theirs: Snapshot | None,
    actor: str,
    origin: str,
) -> dict[str, dict[int, int]]:
    """Write the copy's changes to the central database, inside ``connection``'s transaction;
    the central ids given to records added offline (by table, then offline id)."""
    dialect = connection.dialect.name
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    # The case's row first: it checks nobody saved since we looked, locks it on PostgreSQL, and
    # moves the version so that anyone with the case open must reload.
    moved = connection.execute(
        update(CASES)
        .where(CASES.c.id == case_id, CASES.c.version == seen_version)
        .values(version=CASES.c.version + 1, updated_at=to_dialect(utcnow(), dialect))
    )
    if moved.rowcount != 1:
        raise _Raced(
            f"case {case_id} was saved centrally while it was being checked in: check in again"
        )
    new_ids: dict[str, dict[int, int]] = {}

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
        result = connection.execute(insert(table).values(**_central(values, dialect)))
        inserted: Any = result.inserted_primary_key
        new_ids.setdefault(table_name, {})[row_id] = inserted[0]
    overwritten = []
    for (table_name, row_id), fields in ours.changed.items():
        table = tables[table_name]
        if row_id not in theirs_graph.get(table_name, {}):
            continue  # deleted centrally meanwhile: nothing to update
        values = remap(table, {name: mine[table_name][row_id][name] for name in fields})
        connection.execute(
            update(table).where(table.c.id == row_id).values(**_central(values, dialect))
        )
        if theirs is not None:  # keeping mine over theirs: say what was replaced
            now_there = theirs[table_name][str(row_id)]
            for name, (was, _mine) in fields.items():
                if now_there.get(name) != was:
                    overwritten.append(
                        {
                            "at": utcnow(),
                            "actor": actor,
                            "case_id": case_id,
                            "entity": table_name,
                            "entity_id": row_id,
                            "action": "update",
                            "field": name,
                            "old_value": render(theirs_graph[table_name][row_id][name]),
                            "new_value": render(mine[table_name][row_id][name]),
                            "origin": f"check-in of {origin}: kept the copy's value",
                        }
                    )
    for table_name, row_id in sorted(ours.deleted, key=lambda c: -order.index(c[0])):
        table = tables[table_name]
        connection.execute(table.delete().where(table.c.id == row_id))
    if overwritten:
        connection.execute(insert(AUDIT), overwritten)
    return new_ids


def _carry(
    connection: Connection,
    events: Sequence[Any],
    origin: str,
    case_id: int,
    new_ids: dict[str, dict[int, int]] | None = None,
) -> int:
    """Append the copy's audit events for the case to the central trail: original actor and
    time, the copy named in ``origin``, ids of records added offline made central."""
    new_ids = new_ids or {}
    rows = []
    for event in events:
        entity_id = event["entity_id"]
        entity_id = new_ids.get(event["entity"], {}).get(entity_id, entity_id)
        rows.append(
            {
                "at": to_dialect(event["at"], connection.dialect.name),
                "actor": event["actor"],
                "case_id": case_id,
                "entity": event["entity"],
                "entity_id": entity_id,
                "action": event["action"],
                "field": event["field"],
                "old_value": event["old_value"],
                "new_value": event["new_value"],
                "origin": origin,
            }
        )
    if rows:
        connection.execute(insert(AUDIT), rows)
    return len(rows)
