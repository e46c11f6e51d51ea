"""Migration 0003 (managers' work) upgrades a database holding cases made under 0002, on SQLite
and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from caseworker.storage.database import alembic_config, make_engine, migrate, schema_revision

NEW_TABLES = {"allocations", "contact_restrictions", "ombudsman_cases"}


def _upgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def check_upgrade_from_0002(engine: Engine) -> None:
    _upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cases (reference, policy_id, route, stage, status, received, channel,"
                " service_area, summary, anonymous, time_limit_waived_by, referrer_name,"
                " referrer_address, created_at, updated_at, version) VALUES ('CW-2026-00001',"
                " 'stockport', 'corporate', 1, 'open', '2026-03-02', 'email', 'Waste', 'Bins',"
                " false,"
                " '', '', '', '2026-03-02 09:00:00', '2026-03-02 09:00:00', 1)"
            )
        )
        case_id = connection.execute(text("SELECT id FROM cases")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO contact_attempts (case_id, at, method, result, made_by)"
                " VALUES (:case_id, '2026-03-03 10:00:00', 'phone', 'no reply', 'ann')"
            ),
            {"case_id": case_id},
        )

    _upgrade(engine, "0003")
    assert schema_revision(engine) == "0003"
    assert NEW_TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT reference, escalation_reason, escalation_late, escalation_reason_missing,"
                " escalation_decision, discontinued_on, reopened_on, reopening_ground,"
                " reopening_reason FROM cases"
            )
        ).one()
        assert tuple(row) == ("CW-2026-00001", "", False, False, None, None, None, "", "")
        assert connection.execute(text("SELECT result, answered FROM contact_attempts")).one() == (
            "no reply",
            False,
        )
    migrate(engine)  # and on to the newest revision

    _downgrade(engine, "0002")
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    assert "escalation_late" not in {c["name"] for c in inspect(engine).get_columns("cases")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contact_attempts")).scalar() == 1
    _upgrade(engine, "head")


def test_upgrade_from_0002_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    try:
        check_upgrade_from_0002(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_upgrade_from_0002_on_postgresql(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        check_upgrade_from_0002(engine)
    finally:
        engine.dispose()
