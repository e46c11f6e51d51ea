"""Backup and restore: a consistent copy while people are saving, restored whole, in every
format; a non-empty database is only replaced with --force and after a backup of it."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select, text

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.demo import generate_demo
from caseworker.domain import rules
from caseworker.domain.enums import Channel, LetterKind, RouteId
from caseworker.domain.refusals import NotPermitted
from caseworker.services.context import Context
from caseworker.services.officers import link_to_complaints_manager
from caseworker.services.records.backups import backup_database, restore_database
from caseworker.storage.backup import (
    BackupError,
    BackupFormat,
    backup,
    file_format,
    is_empty,
    restore,
)
from caseworker.storage.database import NewerDatabase, make_engine, session_factory
from caseworker.storage.models import Case, Issue, Letter
from tests.officers import add_team

TODAY = dt.date(2026, 11, 23)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def fingerprint(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, comparable across SQLite and PostgreSQL (less the SQLite
    full-text indexes, which a restore rebuilds from the rows: their pages differ, not their
    hits)."""
    metadata = MetaData()
    metadata.reflect(
        engine, only=lambda name, _: not name.startswith(("search_fts", "caselist_fts"))
    )
    found = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            found[table.name] = sorted(tuple(str(_plain(v)) for v in row) for row in rows)
    return found


def fill(url: str, cases: int = 12) -> None:
    app = open_app(url, actor="ann")
    try:
        generate_demo(app.engine, cases, seed=3, today=TODAY, actor="ann")
        with app.uow() as uow:
            case = uow.session.scalars(select(Case).order_by(Case.id)).first()
            assert case is not None
            uow.session.add(
                Letter(
                    case_id=case.id,
                    kind=LetterKind.ACKNOWLEDGEMENT,
                    stage=1,
                    filename="ack.docx",
                    content=b"PK\x03\x04 a letter" * 100,
                    draft={"sections": ["Dear Ms Example"]},
                    created_by="ann",
                )
            )
            case.summary = "Changed after the demo, so the audit trail has an update"
            uow.commit()
    finally:
        app.close()


def round_trip(
    source_url: str, target_url: str, backup_file: Path, fmt: BackupFormat | None = None
) -> None:
    source = make_engine(source_url)
    target = make_engine(target_url)
    try:
        made = backup(source, backup_file, fmt=fmt)
        assert backup_file.is_file()
        assert file_format(backup_file) == made.format
        restored = restore(target, backup_file)
        assert restored.previous is None
        assert fingerprint(target) == fingerprint(source)
    finally:
        source.dispose()
        target.dispose()


def test_sqlite_backup_is_a_consistent_copy_taken_while_saving(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    fill(url)
    app = open_app(url, actor="ann")
    stop = threading.Event()
    saved: list[str] = []

    def keep_saving() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            with app.uow() as uow:
                case = Case(
                    reference=f"CW-2027-{number:05d}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    received=TODAY,
                    channel=Channel.EMAIL,
                    service_area="Waste",
                )
                case.issues = [Issue(number=n, summary=f"Point {n}") for n in (1, 2, 3)]
                uow.session.add(case)
                uow.commit()
            saved.append(case.reference)

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        copies = []
        for n in range(5):
            while len(saved) < 3 * (n + 1):
                stop.wait(0.01)
            copies.append(backup(app.engine, tmp_path / f"copy{n}.sqlite").path)
    finally:
        stop.set()
        writer.join()
        app.close()
    for copy in copies:
        connection = sqlite3.connect(copy)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            # Each save is in the copy whole or not at all: every case has its three issues.
            counts = connection.execute(
                "SELECT c.reference, count(i.id) FROM cases c LEFT JOIN issues i "
                "ON i.case_id = c.id WHERE c.reference LIKE 'CW-2027-%' GROUP BY c.id"
            ).fetchall()
            assert counts and all(n == 3 for _, n in counts)
            created = connection.execute(
                "SELECT count(*) FROM audit_events WHERE entity = 'cases' AND action = 'create'"
                " AND new_value LIKE '%CW-2027-%'"
            ).fetchone()[0]
            assert created == len(counts)
        finally:
            connection.close()
    # A copy is itself a Caseworker database.
    opened = open_app(f"sqlite:///{copies[-1]}")
    opened.close()


def test_sqlite_round_trip_and_json_round_trip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    fill(url)
    round_trip(url, f"sqlite:///{tmp_path / 'restored.sqlite'}", tmp_path / "b.sqlite")
    round_trip(
        url,
        f"sqlite:///{tmp_path / 'from-json.sqlite'}",
        tmp_path / "b.jsonl.gz",
        BackupFormat.JSON,
    )


def test_restore_refuses_a_database_with_work_unless_forced_and_backs_it_up_first(
    tmp_path: Path, isolated_home: Path
) -> None:
    old = f"sqlite:///{tmp_path / 'old.sqlite'}"
    fill(old, cases=3)
    live = f"sqlite:///{tmp_path / 'live.sqlite'}"
    fill(live, cases=5)
    engine = make_engine(old)
    backup(engine, tmp_path / "old-backup.sqlite")
    before_old = fingerprint(engine)
    engine.dispose()

    engine = make_engine(live)
    before_live = fingerprint(engine)
    with pytest.raises(BackupError, match="--force"):
        restore(engine, tmp_path / "old-backup.sqlite")
    assert fingerprint(engine) == before_live  # untouched
    done = restore(engine, tmp_path / "old-backup.sqlite", force=True)
    assert fingerprint(engine) == before_old
    assert done.previous is not None
    assert done.previous.parent == isolated_home / "backups"
    assert "before-restore" in done.previous.name
    kept = make_engine(f"sqlite:///{done.previous}")
    assert fingerprint(kept) == before_live
    kept.dispose()
    engine.dispose()
    # The restored database opens and works: the audit trail is still append-only.
    app = open_app(live)
    with app.engine.connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM audit_events"))
    app.close()


def test_a_backup_from_a_newer_caseworker_is_refused(tmp_path: Path) -> None:
    newer = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    fill(newer, cases=1)
    engine = make_engine(newer)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    backup(engine, tmp_path / "newer-backup.sqlite")
    engine.dispose()
    target = make_engine(f"sqlite:///{tmp_path / 'target.sqlite'}")
    with pytest.raises(NewerDatabase, match="revision 9999_future"):
        restore(target, tmp_path / "newer-backup.sqlite")
    assert is_empty(target)
    target.dispose()


def test_backup_and_restore_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    fill(url, cases=2)
    app = open_app(url, actor="ann")
    link_to_complaints_manager(app.context())  # as `caseworker demo` does: Ann may back it up
    app.close()
    monkeypatch.setattr(
        "caseworker.bootstrap.current_login", lambda: "ann"
    )  # the operating-system account running the commands
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", url, "backup", str(copy)]) == 0
    assert f"to {copy} as sqlite" in capsys.readouterr().out
    assert main(["--db", url, "backup", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["--db", url, "restore", str(copy)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--db", url, "restore", "--force", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "previous contents were backed up to" in out and "restored" in out
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert main(["--db", fresh, "restore", str(copy)]) == 0
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    assert main(["--db", fresh, "restore", "--force", str(not_a_backup)]) == 2
    assert "not a Caseworker backup" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgresql_backup_and_restore_in_each_format(pg_url: str, tmp_path: Path) -> None:
    fill(pg_url)
    engine = make_engine(pg_url)
    original = fingerprint(engine)
    dump = backup(engine, tmp_path / "team.pgdump", fmt=BackupFormat.PG_DUMP)
    assert file_format(dump.path) == BackupFormat.PG_DUMP
    as_json = backup(engine, tmp_path / "team.jsonl.gz", fmt=BackupFormat.JSON)

    # A JSON dump of PostgreSQL restores into SQLite too (moving a team's database).
    moved = make_engine(f"sqlite:///{tmp_path / 'moved.sqlite'}")
    restore(moved, as_json.path)
    assert fingerprint(moved) == original
    moved.dispose()

    with pytest.raises(BackupError, match="--force"):
        restore(engine, dump.path)
    for made in (dump, as_json):
        with engine.begin() as connection:  # work done since the backup...
            connection.execute(text("UPDATE cases SET summary = 'after the backup'"))
        done = restore(engine, made.path, force=True, backups=tmp_path / "kept")
        assert done.previous is not None and done.previous.exists()
        assert fingerprint(engine) == original  # ...is replaced by the backup
    # Sequences carry on after the restored rows, and the restored database works.
    app = open_app(pg_url, actor="ann")
    try:
        with app.uow() as uow:
            case = uow.session.scalars(select(Case)).first()
            assert case is not None
            case.summary = "Saved after the restore"
            uow.commit()
        with app.engine.connect() as connection, pytest.raises(Exception, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
    finally:
        app.close()
    engine.dispose()


# ---- a complaints manager's (issue 15) ---------------------------------------------------------


def _team_database(tmp_path: Path, name: str = "live.sqlite") -> str:
    url = f"sqlite:///{tmp_path / name}"
    fill(url, cases=2)
    app = open_app(url, actor="cam")
    add_team(app)
    app.close()
    return url


@pytest.mark.parametrize(
    ("login", "who"),
    [
        ("ann", "Ann Smith (an investigating officer)"),
        ("lee", "Lee Line (a line manager)"),
    ],
)
def test_only_a_complaints_manager_backs_up_or_restores(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
    login: str,
    who: str,
) -> None:
    url = _team_database(tmp_path)
    other = _team_database(tmp_path, "other.sqlite")
    engine = make_engine(other)
    backup(engine, tmp_path / "other-backup.sqlite")
    engine.dispose()
    engine = make_engine(url)
    before = fingerprint(engine)

    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: login)
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", url, "backup", str(copy)]) == 2
    err = capsys.readouterr().err
    assert err == f"caseworker: Refused: {who} may not back up the database ({rules.BACKUP_BY})\n"
    assert not copy.exists() and not copy.with_name(copy.name + ".partial").exists()

    assert main(["--db", url, "restore", "--force", str(tmp_path / "other-backup.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"caseworker: Refused: {who} may not restore a backup over the database "
        f"({rules.BACKUP_BY})\n"
    )
    assert fingerprint(engine) == before  # nothing restored...
    assert not (isolated_home / "backups").exists() or not any(
        (isolated_home / "backups").iterdir()
    )  # ...and not even the backup a restore takes first was written

    # The services refuse as the commands do.
    ctx = Context(session_factory(engine), actor=login)
    with pytest.raises(NotPermitted, match="a complaints manager backs up or restores"):
        backup_database(ctx, copy)
    with pytest.raises(NotPermitted, match="a complaints manager backs up or restores"):
        restore_database(ctx, tmp_path / "other-backup.sqlite", force=True)
    assert fingerprint(engine) == before and not copy.exists()

    # Cam, the complaints manager, may.
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "cam")
    assert main(["--db", url, "backup", str(copy)]) == 0
    assert main(["--db", url, "restore", "--force", str(tmp_path / "other-backup.sqlite")]) == 0
    engine.dispose()


def test_an_unlinked_login_restores_only_into_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first-run rule: a new installation is restored from a backup by whoever opens it."""
    url = _team_database(tmp_path)
    engine = make_engine(url)
    backup(engine, tmp_path / "b.sqlite")
    before = fingerprint(engine)
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "visitor")
    assert main(["--db", url, "restore", "--force", str(tmp_path / "b.sqlite")]) == 2
    assert "the login 'visitor' is not linked to any officer record" in capsys.readouterr().err
    assert fingerprint(engine) == before
    engine.dispose()
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert main(["--db", fresh, "restore", str(tmp_path / "b.sqlite")]) == 0
    restored = make_engine(fresh)
    assert fingerprint(restored) == before
    restored.dispose()
