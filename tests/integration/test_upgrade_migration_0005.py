"""Migration 0005 (team database, offline copies) upgrades a database holding cases with
records and an audit trail made under 0004, on SQLite and on PostgreSQL, losing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from caseworker.storage.database import alembic_config, make_engine, schema_revision


def _move(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("cases", "issues", "notes", "letters", "contact_attempts", "audit_events")
        }


def check_upgrade_from_0004(engine: Engine) -> None:
    _move(engine, "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cases (reference, policy_id, route, stage, status, received, channel,"
                " service_area, summary, anonymous, time_limit_waived_by, referrer_name,"
                " referrer_address, created_at, updated_at, version) VALUES ('CW-2026-00001',"
                " 'stockport', 'corporate', 1, 'open', '2026-03-02', 'email', 'Waste', 'Bins',"
                " false,"
                " '', '', '', '2026-03-02 09:00:00', '2026-03-02 09:00:00', 3)"
            )
        )
        case_id = connection.execute(text("SELECT id FROM cases")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO issues (case_id, number, summary, explanation, remedy, lesson_learnt,"
                " action) VALUES (:c, 1, 'Bin missed', '', '', '', '')"
            ),
            {"c": case_id},
        )
        issue_id = connection.execute(text("SELECT id FROM issues")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO notes (issue_id, kind, text, source, author, created_at)"
                " VALUES (:i, 'fact', 'Round sheet shows a miss', 'round sheet', 'ann',"
                " '2026-03-04 10:00:00')"
            ),
            {"i": issue_id},
        )
        connection.execute(
            text(
                "INSERT INTO letters (case_id, kind, stage, filename, created_at, created_by)"
                " VALUES (:c, 'acknowledgement', 1, 'ack.docx', '2026-03-03 09:00:00', 'ann')"
            ),
            {"c": case_id},
        )
        connection.execute(
            text(
                "INSERT INTO contact_attempts (case_id, at, method, result, made_by, answered)"
                " VALUES (:c, '2026-03-03 10:00:00', 'phone', 'no reply', 'ann', false)"
            ),
            {"c": case_id},
        )
        connection.execute(
            text(
                "INSERT INTO audit_events (at, actor, case_id, entity, entity_id, action, field)"
                " VALUES ('2026-03-02 09:00:00', 'ann', :c, 'cases', :c, 'create', '')"
            ),
            {"c": case_id},
        )
    before = _counts(engine)

    _move(engine, "0005")
    assert schema_revision(engine) == "0005"
    assert _counts(engine) == before
    assert "checkouts" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT actor, origin FROM audit_events")).one() == (
            "ann",
            "",
        )
        assert connection.execute(text("SELECT reference, version FROM cases")).one() == (
            "CW-2026-00001",
            3,
        )

    _move(engine, "0004", down=True)
    assert _counts(engine) == before
    assert "checkouts" not in inspect(engine).get_table_names()
    assert "origin" not in {c["name"] for c in inspect(engine).get_columns("audit_events")}
    _move(engine, "head")
    assert _counts(engine) == before
    # The trail is still append-only after the column came and went.
    with engine.connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM audit_events"))


def test_upgrade_from_0004_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        check_upgrade_from_0004(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_upgrade_from_0004_on_postgresql(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        check_upgrade_from_0004(engine)
        with engine.connect() as connection:
            triggers = set(
                connection.execute(
                    text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
                ).scalars()
            )
        assert {"cases_notify_update", "audit_events_notify"} <= triggers
    finally:
        engine.dispose()
