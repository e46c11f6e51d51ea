"""Nothing personal left lying about (issue 17): opened documents, backups in progress and the
data folder's files are the account's alone, and what a killed session left is swept away at the
next start."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from caseworker.cli.main import main
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.evidence.documents import attach_file, open_document
from caseworker.storage import scratch
from caseworker.storage.backup import backup

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and signals are POSIX")

NAME = "Bernadette Quigley-Ashworth"


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def document_id(desk, tmp_path: Path) -> int:
    case_id = intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="Ticket",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name=NAME, email="bq@example.com"),
            issues=("The ticket was wrong.",),
        ),
    ).id
    scan = tmp_path / "letter-from-complainant.pdf"
    scan.write_bytes(b"%PDF-1.4 " + NAME.encode())
    return attach_file(desk, case_id, scan)


def _run(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CASEWORKER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_an_opened_document_is_private_and_goes_with_the_session(
    desk, document_id: int, isolated_home: Path
) -> None:
    opened = open_document(desk, document_id)
    folder = isolated_home / scratch.OPENED / str(os.getpid())
    assert opened.is_relative_to(folder)
    assert _mode(opened) == 0o600
    assert _mode(folder) == 0o700 and _mode(isolated_home) == 0o700
    # The start of another Caseworker leaves a running session's documents alone...
    assert scratch.sweep() == []
    assert opened.exists()


def test_a_killed_sessions_documents_and_partial_backup_are_swept_at_the_next_start(
    isolated_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "team.sqlite"
    target.parent.mkdir()
    killed = _run(
        f"""
        import os, signal
        from pathlib import Path
        from caseworker.storage import scratch
        opened = scratch.write_private(scratch.session_folder() / "1" / "scan.pdf", b"{NAME}")
        partial = Path({str(target)!r} + ".partial")
        with scratch.in_progress(partial):
            partial.write_bytes(b"{NAME}")
            os.kill(os.getpid(), signal.SIGKILL)
        """,
        isolated_home,
    )
    assert killed.returncode == -signal.SIGKILL
    left = list((isolated_home / scratch.OPENED).iterdir())
    assert len(left) == 1 and (target.parent / "team.sqlite.partial").exists()

    assert main(["policies"]) == 0  # any start of Caseworker

    assert not list((isolated_home / scratch.OPENED).iterdir())
    assert not list(target.parent.iterdir())
    assert not list((isolated_home / scratch.IN_PROGRESS).iterdir())


def test_a_note_never_removes_anything_but_a_partial_file(isolated_home: Path, tmp_path) -> None:
    precious = tmp_path / "precious.docx"
    precious.write_bytes(b"keep me")
    notes = isolated_home / scratch.IN_PROGRESS
    notes.mkdir(parents=True)
    (notes / "999999999-1").write_text(str(precious))
    scratch.sweep()
    assert precious.read_bytes() == b"keep me"
    assert not (notes / "999999999-1").exists()


def test_a_backup_stopped_politely_leaves_no_partial_file(
    isolated_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.json.gz"
    stopped = _run(
        f"""
        import os, signal
        from pathlib import Path
        from caseworker.cli.main import _private_start
        from caseworker.storage import scratch
        _private_start()
        partial = Path({str(target)!r} + ".partial")
        with scratch.in_progress(partial):
            partial.write_bytes(b"{NAME}")
            os.kill(os.getpid(), signal.SIGTERM)
            raise AssertionError("SIGTERM should have ended the backup")
        """,
        isolated_home,
    )
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr
    assert not list(tmp_path.glob("copy.json.gz*"))


def test_a_backup_is_the_accounts_alone_and_no_partial_outlives_a_failure(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backup(app.engine, tmp_path / "out" / "b.sqlite").path
    assert _mode(made) == 0o600

    def broken(engine, target: Path) -> None:
        target.write_bytes(NAME.encode())
        raise OSError("disk full")

    monkeypatch.setattr("caseworker.storage.backup._sqlite_copy", broken)
    with pytest.raises(OSError, match="disk full"):
        backup(app.engine, tmp_path / "out" / "c.sqlite")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b.sqlite"]


def test_every_start_makes_the_data_folder_and_its_files_private(tmp_path: Path) -> None:
    home = tmp_path / "old-home"
    (home / "backups").mkdir(parents=True)
    old = home / "caseworker.sqlite"
    old.write_bytes(b"")
    kept = home / "backups" / "before-upgrade.sqlite"
    kept.write_bytes(b"")
    for path in (home, home / "backups"):
        path.chmod(0o755)
    for path in (old, kept):
        path.chmod(0o644)
    done = _run(
        "from caseworker.cli.main import main; raise SystemExit(main(['--db', "
        f"'sqlite:///{tmp_path}/new.sqlite', 'cases']))",
        home,
    )
    assert done.returncode == 0, done.stderr
    assert _mode(home) == 0o700
    assert _mode(old) == 0o600 and _mode(kept) == 0o600
    # A database made by any command is the account's alone (umask 077).
    assert _mode(tmp_path / "new.sqlite") == 0o600
