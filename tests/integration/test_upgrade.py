"""Opening a database from another version: an older one is backed up, then upgraded, keeping
its data; a newer one is refused with a clear message and left exactly as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.storage.backup import file_revision
from caseworker.storage.database import (
    NewerDatabase,
    alembic_config,
    head_revision,
    make_engine,
    schema_revision,
)


def make_0001_database(engine: Engine) -> None:
    """A database as Caseworker's first release left it, with a case and its records."""
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
                " 'stockport', 'corporate', 1, 'open', '2026-03-02', 'email', 'Waste', 'Bins',"
                " false,"
                " '', '', '', '2026-03-02 09:00:00', '2026-03-02 09:00:00', 1)"
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
                "INSERT INTO notes (issue_id, kind, text, source, author, created_at) VALUES"
                " (:i, 'fact', 'Crew sheet shows the miss', 'crew sheet', 'ann',"
                " '2026-03-04 10:00:00')"
            ),
            {"i": issue_id},
        )
        connection.execute(
            text(
                "INSERT INTO contact_attempts (case_id, at, method, result, made_by) VALUES"
                " (:c, '2026-03-03 10:00:00', 'phone', 'no reply', 'ann')"
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


def records(engine: Engine) -> tuple:
    with engine.connect() as connection:
        return (
            connection.execute(text("SELECT reference, summary FROM cases")).all(),
            connection.execute(text("SELECT summary FROM issues")).all(),
            connection.execute(text("SELECT text FROM notes")).all(),
            connection.execute(text("SELECT result FROM contact_attempts")).all(),
            connection.execute(text("SELECT actor, action FROM audit_events")).all(),
        )


def test_an_old_database_is_backed_up_then_upgraded_on_open(
    tmp_path: Path, isolated_home: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    engine = make_engine(url)
    make_0001_database(engine)
    before = records(engine)
    engine.dispose()

    app = open_app(url, actor="ann")
    try:
        assert schema_revision(app.engine) == head_revision()
        assert records(app.engine) == before
    finally:
        app.close()
    backups = list((isolated_home / "backups").iterdir())
    assert len(backups) == 1
    taken = backups[0]
    assert taken.name.startswith("office-before-upgrade-from-0001-")
    assert file_revision(taken) == "0001"
    old = make_engine(f"sqlite:///{taken}")
    assert records(old) == before
    old.dispose()

    # Opened again at the newest revision: nothing more to back up.
    open_app(url).close()
    assert len(list((isolated_home / "backups").iterdir())) == 1


def test_a_new_database_needs_no_backup(tmp_path: Path, isolated_home: Path) -> None:
    open_app(f"sqlite:///{tmp_path / 'new.sqlite'}").close()
    assert not (isolated_home / "backups").exists() or not list(
        (isolated_home / "backups").iterdir()
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_database_from_a_newer_caseworker_is_refused_untouched(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.sqlite"
    url = f"sqlite:///{path}"
    open_app(url).close()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0042_future'"))
    engine.dispose()  # the last connection to close folds the WAL into the file
    digest = _digest(path)

    with pytest.raises(NewerDatabase) as refused:
        open_app(url)
    message = str(refused.value)
    assert message == (
        "this database was written by a newer version of Caseworker (revision 0042_future); "
        f"this version knows up to revision {head_revision()}. Install the newer version of "
        "Caseworker (or open another database with --db); nothing was changed."
    )
    assert _digest(path) == digest
    assert not (isolated_home / "backups").exists()
    # Every command says the same, without a traceback.
    assert main(["--db", url, "cases"]) == 2
    assert "newer version of Caseworker (revision 0042_future)" in capsys.readouterr().err
    assert main(["--db", url, "upgrade"]) == 2
    assert "install the newer version" in capsys.readouterr().err.lower()
    assert _digest(path) == digest


def test_upgrade_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'office.sqlite'}"
    engine = make_engine(url)
    make_0001_database(engine)
    engine.dispose()
    assert main(["--db", url, "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"from revision 0001 to {head_revision()}" in out and "before-upgrade-from-0001" in out
    assert main(["--db", url, "upgrade"]) == 0
    assert "is up to date" in capsys.readouterr().out


@pytest.mark.postgres
def test_an_old_postgresql_database_is_backed_up_then_upgraded(
    pg_url: str, isolated_home: Path
) -> None:
    engine = make_engine(pg_url)
    make_0001_database(engine)
    before = records(engine)
    engine.dispose()
    app = open_app(pg_url)
    try:
        assert schema_revision(app.engine) == head_revision()
        assert records(app.engine) == before
    finally:
        app.close()
    (taken,) = (isolated_home / "backups").iterdir()
    assert "before-upgrade-from-0001" in taken.name
    assert file_revision(taken) == "0001"
