"""Issue 17, item 3: on PostgreSQL the database writes the audit trail (migration 0011's
triggers), on SQLite the app does; the rows read the same, so the Timeline, the case file and
everything else that reads the trail show the same whichever database holds the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.bootstrap import App, open_app
from caseworker.domain.enums import (
    Channel,
    ContactMethod,
    LetterKind,
    NoteKind,
    Outcome,
    Role,
    RouteId,
)
from caseworker.services.cases.casefile import timeline
from caseworker.storage.models import (
    AuditEvent,
    Case,
    Complainant,
    ContactAttempt,
    Issue,
    Letter,
    Note,
    Officer,
    RiskAssessment,
)

WHEN = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _work(app: App) -> int:
    """The same changes, through the app's unit of work, on either database."""
    with app.uow() as uow:
        session = uow.session
        session.add(
            Officer(
                name="Terry Tester",
                email="terry@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Corporate",
                login="tester",
                active=True,
            )
        )
        case = Case(
            reference="CW-2026-00001",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins missed — «three» weeks",
            complainant=Complainant(name="Dee Example", email="dee@example.org"),
            created_at=WHEN,
            updated_at=WHEN,
        )
        case.issues = [
            Issue(
                number=1,
                summary="Missed bins",
                notes=[Note(kind=NoteKind.FACT, text="Round sheet", author="T", created_at=WHEN)],
            )
        ]
        case.letters = [
            Letter(
                kind=LetterKind.OUTCOME,
                stage=1,
                content=b"Dear Dee",
                draft={"to": "Dee", "b": [1, {"z": True, "a": None}]},
                created_at=WHEN,
            )
        ]
        case.risk_assessments = [RiskAssessment(answers={"dog": "yes", "alone": False})]
        case.contact_attempts = [ContactAttempt(at=WHEN, method=ContactMethod.PHONE, result="")]
        session.add(case)
        uow.commit()
        case.stage = 2
        case.anonymous = True
        case.closed_on = dt.date(2026, 11, 24)
        case.outcome = Outcome.UPHELD
        case.issues[0].summary = "Missed bins, three times"
        uow.commit()
        session.delete(case.issues[0].notes[0])
        uow.commit()
        return case.id


def _trail(app: App) -> list[tuple[Any, ...]]:
    with app.sessions() as session:
        return [
            (e.actor, e.case_id, e.entity, e.entity_id, e.action, e.field, e.old_value, e.new_value)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


@pytest.fixture
def postgres(pg_url: str) -> Iterator[App]:
    opened = open_app(pg_url, actor="tester")
    yield opened
    opened.close()


@pytest.mark.no_officer
@pytest.mark.postgres
def test_the_database_writes_the_trail_the_app_writes_on_sqlite(app: App, postgres: App) -> None:
    _work(app)
    case_id = _work(postgres)
    written_by_app, written_by_database = _trail(app), _trail(postgres)
    assert len(written_by_app) > 10
    # Row for row (the order within one save may differ: a flush orders by table).
    assert sorted(written_by_database, key=repr) == sorted(written_by_app, key=repr)
    # And what people read from it is the same (the app stamps one save's rows with one time,
    # the database each row as it is written, so rows of one save may come in another order).
    day = dt.date(2026, 11, 25)
    shown = [
        sorted(
            (e.category, e.summary, e.by)
            for e in timeline(opened.context(today=lambda: day), case_id)
        )
        for opened in (app, postgres)
    ]
    assert shown[0] == shown[1]
    assert any("Case recorded: CW-2026-00001" in summary for _, summary, _ in shown[1])


@pytest.mark.postgres
def test_every_table_a_migration_adds_is_in_the_databases_trail(pg_url: str) -> None:
    """Opening a database runs the migrations; the tables added after the trail's own migration
    (0011) get its trigger then, not at the next `team setup`."""
    from sqlalchemy import text

    from caseworker.storage.pgaudit import TRIGGER, audited_tables

    app = open_app(pg_url, actor="tester")
    try:
        with app.engine.connect() as connection:
            tables = set(audited_tables(connection))
            triggered = set(
                connection.execute(
                    text(
                        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "WHERE t.tgname = :name"
                    ),
                    {"name": TRIGGER},
                ).scalars()
            )
    finally:
        app.close()
    assert {"homes_owned", "subject_access_requests", "cases"} <= tables
    assert triggered == tables


@pytest.mark.no_officer
def test_the_timeline_reads_the_complainants_trail_through_an_index(app: App) -> None:
    """A case's Timeline reads its own trail and its complainant's in one statement (an ``OR``);
    the complainant's term had no index, so every row of the trail was read for it (1.4 million
    at 250,000 cases on PostgreSQL). Migration 0027's ``(entity, entity_id)`` index answers it,
    beside the case's own ``case_id`` index. The plan of the statement the Timeline sends:"""
    from sqlalchemy import event

    case_id = _work(app)
    sent: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *rest: Any) -> None:
        if "FROM audit_events" in statement:
            sent.append((statement, parameters))

    event.listen(app.engine, "before_cursor_execute", keep)
    try:
        shown = timeline(app.context(today=lambda: dt.date(2026, 11, 25)), case_id)
    finally:
        event.remove(app.engine, "before_cursor_execute", keep)
    assert any("Case recorded: CW-2026-00001" in e.summary for e in shown)
    [(statement, parameters)] = sent
    with app.engine.connect() as connection:
        plan = " | ".join(
            str(row[-1])
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    assert "ix_audit_events_entity" in plan and "ix_audit_events_case_id" in plan, plan
    assert "SCAN audit_events" not in plan, plan
