"""The database: migrations, SQLite settings, the audit trail, units of work and references."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DatabaseError

from caseworker.bootstrap import open_app
from caseworker.domain.enums import Channel, NoteKind, Role, RouteId
from caseworker.services.cases.records import next_reference
from caseworker.services.uow import UncommittedChanges
from caseworker.storage.audit import AuditTrailReadOnly
from caseworker.storage.database import database_url, migrate, schema_revision
from caseworker.storage.models import (
    AuditEvent,
    Base,
    Case,
    Issue,
    Note,
    Officer,
    leave_search_index_alone,
)


def _case(reference: str = "CW-2026-00001", **overrides: object) -> Case:
    values = dict(
        reference=reference,
        policy_id="stockport",
        route=RouteId.CORPORATE,
        received=dt.date(2026, 11, 23),
        channel=Channel.EMAIL,
        service_area="Waste and Recycling",
    )
    values.update(overrides)
    return Case(**values)


def test_default_database_is_sqlite_in_the_data_folder(isolated_home: Path) -> None:
    url = database_url()
    assert url == f"sqlite:///{isolated_home / 'caseworker.sqlite'}"
    app = open_app()
    try:
        assert (isolated_home / "caseworker.sqlite").exists()
        assert schema_revision(app.engine) is not None
    finally:
        app.close()


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORKER_DB", "sqlite:///from-env.sqlite")
    assert database_url() == "sqlite:///from-env.sqlite"
    assert database_url("sqlite:///given.sqlite") == "sqlite:///given.sqlite"


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(app) -> None:  # noqa: ANN001
    with app.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_migrations_match_the_models(app) -> None:  # noqa: ANN001
    """Every schema change goes through a migration: the migrated schema equals the models."""
    with app.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        leave_search_index_alone()  # the FTS table and GIN indexes are not models
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(app) -> None:  # noqa: ANN001
    before = schema_revision(app.engine)
    migrate(app.engine)
    assert schema_revision(app.engine) == before
    tables = set(inspect(app.engine).get_table_names())
    assert {"cases", "issues", "notes", "audit_events", "alembic_version"} <= tables


def test_migrations_downgrade_and_upgrade_again(app) -> None:  # noqa: ANN001
    from alembic import command

    from caseworker.storage.database import alembic_config

    head = schema_revision(app.engine)
    config = alembic_config(app.engine)
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "cases" not in inspect(app.engine).get_table_names()
    migrate(app.engine)
    assert schema_revision(app.engine) == head


@pytest.mark.no_officer
def test_every_change_is_audited_with_who_and_what(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        case = _case()
        case.issues.append(Issue(number=1, summary="My bin was missed three weeks running"))
        uow.session.add(case)
        uow.commit()
        case.stage = 2
        case.issues[0].notes.append(
            Note(kind=NoteKind.HEARSAY, text="Neighbour says so", author="Ann Officer")
        )
        uow.commit()
        uow.session.delete(case.issues[0].notes[0])
        uow.commit()
        events = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()

    assert {event.actor for event in events} == {"tester"}
    assert all(event.case_id == case.id for event in events)
    actions = [(e.entity, e.action, e.field) for e in events]
    assert ("cases", "create", "") in actions
    assert ("issues", "create", "") in actions
    assert ("notes", "create", "") in actions
    assert ("notes", "delete", "") in actions
    update = next(e for e in events if e.action == "update")
    assert (update.entity, update.field, update.old_value, update.new_value) == (
        "cases",
        "stage",
        "1",
        "2",
    )
    created = next(e for e in events if e.entity == "issues")
    assert "My bin was missed three weeks running" in (created.new_value or "")


def test_audit_trail_cannot_be_changed_through_the_orm(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        uow.session.add(_case())
        uow.commit()
        event = uow.session.scalars(select(AuditEvent)).first()
        assert event is not None
        event.actor = "someone else"
        with pytest.raises(AuditTrailReadOnly):
            uow.session.flush()
        uow.rollback()
    with app.uow() as uow:
        event = uow.session.scalars(select(AuditEvent)).first()
        uow.session.delete(event)
        with pytest.raises(AuditTrailReadOnly):
            uow.session.flush()
        uow.rollback()


def test_audit_trail_cannot_be_changed_with_sql(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        uow.session.add(_case())
        uow.commit()
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
        with app.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text(statement))
    with app.uow() as uow:
        assert uow.session.scalar(select(AuditEvent.actor)) == "tester"


@pytest.mark.no_officer
def test_unit_of_work_rolls_back_unless_committed(app) -> None:  # noqa: ANN001
    # A unit that ends normally with a change never committed is a service that forgot to
    # commit: refused loudly, and the change is not kept.
    with pytest.raises(UncommittedChanges), app.uow() as uow:
        uow.session.add(_case())
        uow.session.flush()
    with pytest.raises(UncommittedChanges), app.uow() as uow:
        uow.session.add(_case("CW-2026-00003"))
    with pytest.raises(RuntimeError), app.uow() as uow:
        uow.session.add(_case("CW-2026-00002"))
        uow.session.flush()
        raise RuntimeError("the save failed half way")
    with app.uow() as uow:
        assert uow.session.scalars(select(Case)).all() == []
        assert uow.session.scalars(select(AuditEvent)).all() == []


def test_references_count_up_per_year_and_continue_after_imports(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        uow.session.add(_case("CW-2026-00041"))
        uow.session.flush()
        assert next_reference(uow.session, 2026) == "CW-2026-00042"
        assert next_reference(uow.session, 2026) == "CW-2026-00043"
        assert next_reference(uow.session, 2027) == "CW-2027-00001"
        uow.commit()
    with app.uow() as uow:
        assert next_reference(uow.session, 2026) == "CW-2026-00044"
        uow.rollback()


def test_an_officer_may_not_be_stored_without_a_role(app) -> None:  # noqa: ANN001
    with app.uow() as uow:
        uow.session.add(
            Officer(name="No Role", email="n@example.org", role=None, service_area="Waste")
        )
        with pytest.raises(DatabaseError):
            uow.session.flush()
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Ann",
                email="a@example.org",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste",
            )
        )
        uow.commit()


@pytest.mark.postgres
def test_postgresql_migrates_and_protects_the_audit_trail(pg_url: str) -> None:
    app = open_app(pg_url, actor="pg-tester")
    try:
        with app.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            leave_search_index_alone()
            assert compare_metadata(context, Base.metadata) == []
        with app.uow() as uow:
            uow.session.add(_case())
            uow.commit()
            assert next_reference(uow.session, 2026) == "CW-2026-00002"
            uow.commit()
        with app.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
        with app.uow() as uow:
            assert uow.session.scalar(select(AuditEvent.actor)) == "pg-tester"
    finally:
        app.close()


def test_every_migration_steps_down_and_up_keeping_case_records(app) -> None:  # noqa: ANN001
    """No migration may rebuild ``cases`` on SQLite: a rebuild cascade-deletes its children."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from caseworker.storage.database import alembic_config

    with app.uow() as uow:
        case = _case()
        case.issues.append(Issue(number=1, summary="Missed collection"))
        case.issues[0].notes.append(
            Note(kind=NoteKind.FACT, text="Crew log checked", author="Ann Officer")
        )
        uow.session.add(case)
        uow.commit()

    def counts() -> tuple[int, int, int]:
        with app.engine.connect() as connection:
            return tuple(  # type: ignore[return-value]
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("cases", "issues", "notes")
            )

    config = alembic_config(app.engine)
    revisions = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    # Down one revision at a time to the first schema, checking the records each time.
    for target in revisions[1:]:
        with app.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, target)
        assert counts() == (1, 1, 1), f"records lost going down to {target}"
    migrate(app.engine)
    assert counts() == (1, 1, 1)


def test_deleting_a_letter_is_audited_without_loading_its_document(app) -> None:  # noqa: ANN001
    from caseworker.domain.enums import LetterKind
    from caseworker.storage.models import Letter

    with app.uow() as uow:
        case = _case()
        case.letters.append(
            Letter(
                kind=LetterKind.ACKNOWLEDGEMENT,
                stage=1,
                filename="ack.docx",
                content=b"PK\x03\x04 document",
            )
        )
        uow.session.add(case)
        uow.commit()
    with app.uow() as uow:
        letter = uow.session.scalar(select(Letter))
        uow.session.delete(letter)
        uow.commit()
        deleted = uow.session.scalar(
            select(AuditEvent).where(AuditEvent.entity == "letters", AuditEvent.action == "delete")
        )
    assert deleted is not None and '"filename": "ack.docx"' in (deleted.old_value or "")
    assert "document" not in (deleted.old_value or "")
