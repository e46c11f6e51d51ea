"""The append-only audit trail: every insert, update and delete of a case's records is written to
``audit_events`` in the same transaction, with who made it (``session.info["actor"]``).

On SQLite (one officer's database) the app writes it: the session's flush is hooked, so no
service can forget to record a change. On PostgreSQL the database writes it (triggers, migration
0011, :mod:`caseworker.storage.pgaudit`) for every client, with the database login as the actor,
and the flush hook writes nothing: what the app adds (the acting name for the administrator, the
time and copy of a change made offline, a check-out, check-in or purge) goes to the trigger in
transaction-local settings (:func:`trail_context`), never as rows of its own, so nothing is
recorded twice.

The trail is append-only: the ORM refuses to change or delete an event, and database triggers
refuse it from plain SQL too. The one change they allow is the retention purge's: the values in a
purged case's rows replaced by :data:`PURGED_VALUE` (who, when and which field stay).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, text
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from caseworker.errors import CaseworkerError
from caseworker.storage.models import AuditEvent, Base, Case, Counter, Note, utcnow

SYSTEM_ACTOR = "system"
_NOT_AUDITED = (AuditEvent, Counter)
NOISE = ("updated_at", "version", "due_key", "complainant_key", "officer_key")
"""Columns moved by every save or kept by the database from other columns (the case list's sort
keys): never recorded, by the app or by the database's trail (:mod:`caseworker.storage.pgaudit`)."""
_NOISE = frozenset(NOISE)
"""Not audited: when and how often a row was saved, and what the database derives (sort keys)."""

PURGED_VALUE = "(removed by the retention purge)"
"""What a purged case's audit rows hold in place of the values (who, when and which field stay)."""
KEPT_WHEN_PURGED = frozenset(
    {
        "policy_id",
        "route",
        "stage",
        "status",
        "received",
        "channel",
        "service_area",
        "anonymous",
        "officer_id",
        "stage1_officer_id",
        "acknowledged",
        "acknowledge_by",
        "respond_by",
        "respond_by_latest",
        "response_sent",
        "response_method",
        "escalation_requested",
        "stage_started",
        "closed_on",
        "outcome",
        "withdrawn_on",
        "withdrawal_method",
        "escalation_late",
        "escalation_reason_missing",
        "escalation_decide_by",
        "escalation_decision",
        "escalation_decided_on",
        "discontinued_on",
        "reopened_on",
        "purged_on",
        "purged_by",
        "adjustments_made",
        "number",
        "finding",
        "action_due",
        "action_completed",
        "new_date",
        "start",
        "end",
        "kind",
        "sent_on",
        "sent_method",
    }
)
"""Fields whose changes say nothing about a person (the case's dates, stage, status, outcome...):
their values stay in a purged case's update rows, as they stay in the case's own records."""


def database_writes_trail(connection: Connection | Session) -> bool:
    """Whether the database writes the audit trail itself (PostgreSQL, migration 0011)."""
    bind = connection.get_bind() if isinstance(connection, Session) else connection
    return bind.dialect.name == "postgresql"


@contextmanager
def trail_context(
    connection: Connection, **settings: str | dict[str, Any] | None
) -> Iterator[None]:
    """On PostgreSQL, what the statements run inside the ``with`` add to the trail the database
    writes: ``at`` (an ISO time), ``origin``, ``event`` (a dict: action, field, entity_id,
    by_case {case id: value}), ``purge`` ("on"); see :mod:`caseworker.storage.pgaudit`. Nothing
    on SQLite, where the app writes the trail."""
    if not database_writes_trail(connection):
        yield
        return
    _set(connection, settings)
    try:
        yield
    finally:
        _set(connection, {name: None for name in settings})


def _set(connection: Connection, settings: dict[str, str | dict[str, Any] | None]) -> None:
    for name, value in settings.items():
        if isinstance(value, dict):
            value = json.dumps(value, default=str)
        connection.execute(
            text("SELECT set_config(:name, :value, true)"),
            {"name": f"caseworker.{name}", "value": value or ""},
        )


class AuditTrailReadOnly(CaseworkerError):
    """Raised on any attempt to change or delete a recorded audit event."""


def render(value: Any) -> str | None:
    """A stored value as the text the audit trail keeps."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes, sha256 {hashlib.sha256(value).hexdigest()[:16]}>"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _case_id(obj: Base) -> int | None:
    if isinstance(obj, Case):
        return obj.id
    if isinstance(obj, Note):
        issue = obj.issue
        return issue.case_id if issue is not None else None
    return getattr(obj, "case_id", None)


def _snapshot(obj: Base) -> str:
    mapper = inspect(obj).mapper
    state = inspect(obj)
    values = {}
    for column in mapper.column_attrs:
        if column.key in _NOISE:
            continue
        # A deferred column not loaded (document bytes, a letter's draft) is left out: loading it
        # here is wasted work, and impossible for a row this flush has just deleted.
        if column.deferred and column.key in state.unloaded:
            continue
        values[column.key] = render(getattr(obj, column.key))
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def _rows_for_flush(session: Session) -> list[dict[str, Any]]:
    actor = str(session.info.get("actor") or SYSTEM_ACTOR)
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def row(
        obj: Base, action: str, field: str = "", old: str | None = None, new: str | None = None
    ) -> None:
        rows.append(
            {
                "at": now,
                "actor": actor,
                "case_id": _case_id(obj),
                "entity": type(obj).__tablename__,
                "entity_id": getattr(obj, "id", None),
                "action": action,
                "field": field,
                "old_value": old,
                "new_value": new,
            }
        )

    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED):
            row(obj, "create", new=_snapshot(obj))
    for obj in session.dirty:
        if not isinstance(obj, Base) or isinstance(obj, _NOT_AUDITED):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _NOISE:
                continue
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if render(old) == render(new):
                continue
            row(obj, "update", attr.key, render(old), render(new))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED):
            row(obj, "delete", old=_snapshot(obj))
    return rows


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditTrailReadOnly("the audit trail cannot be changed or deleted")


@event.listens_for(Session, "before_flush")
def _move_case_versions(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """A change to anything under a case (an issue, a note, an interview, an action…) is a change
    to the case: its version moves, so a save started from the older version is a conflict, not
    a silent overwrite (:mod:`caseworker.services.team.concurrency`)."""
    now = utcnow()
    touched: set[int] = set()
    with session.no_autoflush:
        _collect_cases(session, touched)
    for case_id in touched:
        case = session.get(Case, case_id)
        if case is not None and case not in session.deleted:
            case.updated_at = now


def _collect_cases(session: Session, touched: set[int]) -> None:
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, Base) or isinstance(obj, _NOT_AUDITED + (Case,)):
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        case_id = _case_id(obj)
        if case_id is not None:
            touched.add(case_id)


@event.listens_for(Session, "after_flush")
def _mark_flushed(session: Session, flush_context: UOWTransaction) -> None:
    session.info["flushed"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _mark_saved(session: Session) -> None:
    session.info.pop("flushed", None)


def has_unsaved_changes(session: Session) -> bool:
    """Whether the session holds changes (flushed or not) that were never committed."""
    if session.info.get("flushed"):
        return True
    return bool(session.new or session.deleted) or any(
        session.is_modified(obj) for obj in session.dirty
    )


@event.listens_for(Session, "after_begin")
def _name_the_actor(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    """On PostgreSQL, tell the database's trail who is acting; it records the name only for the
    administrator (the tables' owner), an officer's own login being the actor otherwise."""
    if database_writes_trail(connection):
        _set(connection, {"actor": str(session.info.get("actor") or SYSTEM_ACTOR)})


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: UOWTransaction) -> None:
    if database_writes_trail(session.connection()):
        return  # the database's triggers record it
    with session.no_autoflush:
        rows = _rows_for_flush(session)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)
