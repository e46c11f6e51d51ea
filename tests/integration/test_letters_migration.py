"""Migration 0002 (what letters need) upgrades a database holding cases made under 0001."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from caseworker.storage.database import alembic_config, make_engine, migrate, schema_revision


def test_upgrade_from_0001_keeps_cases_and_fills_the_new_columns(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cases (reference, policy_id, route, stage, status, received, channel,"
                " service_area, summary, anonymous, time_limit_waived_by, referrer_name,"
                " referrer_address, created_at, updated_at, version) VALUES ('CW-2026-00001',"
                " 'stockport', 'corporate', 1, 'open', '2026-03-02', 'email', 'Waste', 'Bins', 0,"
                " '', '', '', '2026-03-02 09:00:00', '2026-03-02 09:00:00', 1)"
            )
        )
        case_id = connection.execute(text("SELECT id FROM cases")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO issues (case_id, number, summary, explanation, remedy, lesson_learnt,"
                " action) VALUES (:case_id, 1, 'Bin missed', '', '', '', '')"
            ),
            {"case_id": case_id},
        )
        connection.execute(
            text(
                "INSERT INTO letters (case_id, kind, stage, filename, created_at, created_by)"
                " VALUES (:case_id, 'acknowledgement', 1, 'ack.docx', '2026-03-03 09:00:00', 'ann')"
            ),
            {"case_id": case_id},
        )

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")

    assert schema_revision(engine) == "0002"
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT reference, understanding, steps_taken, evidence_considered,"
                " settlement_terms, escalation_refusal_reasons, withdrawn_on, withdrawal_method"
                " FROM cases"
            )
        ).one()
    assert tuple(row) == ("CW-2026-00001", "", "", "", "", "", None, None)
    assert "draft" in {column["name"] for column in inspect(engine).get_columns("letters")}
    with engine.connect() as connection:
        # The case's records survive: adding columns must not rebuild (and so empty) the tables.
        assert connection.execute(text("SELECT count(*) FROM issues")).scalar() == 1
        assert connection.execute(text("SELECT filename, draft FROM letters")).one() == (
            "ack.docx",
            None,
        )
    migrate(engine)  # and on to the newest revision

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "understanding" not in {c["name"] for c in inspect(engine).get_columns("cases")}
    engine.dispose()
