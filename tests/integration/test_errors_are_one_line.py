"""Errors a person will meet (issue 16): each is one line on standard error saying what is wrong
and where, the exit status is 2, no traceback, and nothing is created or changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from caseworker.cli.main import main
from caseworker.errors import UserError
from caseworker.services.evidence.mail import read_mail
from caseworker.storage.models import Base


@pytest.fixture(autouse=True)
def _run_by_the_tester(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands run as the operating-system account 'tester', the test database's officer."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "tester")


ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command; assert it was refused with exit 2 and one line; that line."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("caseworker")
    return err.strip()


def counts(app: Any) -> dict[str, int]:
    with app.uow() as uow:
        return {
            table.name: uow.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


# ---- databases ----------------------------------------------------------------------------


def test_a_database_server_that_is_not_there(
    capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    line = refused(capsys, "--db", "postgresql://jo:secret@127.0.0.1:1/complaints", "cases")
    assert line.startswith("caseworker: cannot open the database postgresql+psycopg://jo:***@")
    assert "Connection refused" in line and "database server is running" in line
    assert "secret" not in line
    assert not isolated_home.exists()


def test_an_unknown_database_host(capsys: pytest.CaptureFixture[str], isolated_home: Path) -> None:
    line = refused(
        capsys, "--db", "postgresql+psycopg://caseworker@no-such-host.invalid/complaints", "cases"
    )
    assert "cannot open the database" in line and "no-such-host.invalid" in line
    assert not isolated_home.exists()


@pytest.mark.postgres
def test_an_unknown_database_role(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = make_url(pg_url).set(username="no_such_officer_role")
    shown = url.render_as_string(hide_password=True)
    line = refused(capsys, "--db", shown, "officers")
    assert f"cannot open the database {shown}" in line
    assert 'role "no_such_officer_role" does not exist' in line


def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused_not_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path
) -> None:
    folder = tmp_path / "no" / "such" / "dir"
    url = f"sqlite:///{folder / 'x.sqlite'}"
    for command in (["cases"], ["upgrade"], ["demo", "--cases", "1"]):
        line = refused(capsys, "--db", url, *command)
        assert line == (
            f"caseworker: database {url}: there is no folder {folder}; check the URL "
            "(a new database file is made only in a folder that exists)"
        )
    assert not (tmp_path / "no").exists()
    assert not isolated_home.exists()


def test_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"not the bytes of SQLite " * 100)
    line = refused(capsys, "--db", f"sqlite:///{path}", "cases")
    assert "file is not a database" in line and str(path) in line
    assert path.read_bytes() == b"not the bytes of SQLite " * 100


def test_a_database_no_driver_is_installed_for(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "--db", "oracle+nosuchdriver://a@b/c", "cases")
    assert "no database driver for 'oracle+nosuchdriver'" in line


# ---- output into a pipe that closes -----------------------------------------------------------


def test_output_into_a_pipe_that_is_closed(app: Any, tmp_path: Path) -> None:
    """``caseworker officers | head``: the reader goes away before the list is written."""
    env = {**os.environ, "CASEWORKER_HOME": str(tmp_path / "home")}
    child = subprocess.Popen(
        [sys.executable, "-m", "caseworker.cli.main", "--db", app.url, "officers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # long before Python in the child has started
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 2
    assert err.splitlines() == [
        "caseworker officers: the output was cut short: the program reading it stopped "
        "(broken pipe)"
    ]


# ---- policy files ---------------------------------------------------------------------------


def bad_policy(folder: Path) -> Path:
    """Stockport's policy with ``method = {}`` in its first deemed-receipt entry."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "policies" / "stockport.toml").read_text(encoding="utf-8")
    assert '[[deemed_receipt]]\nmethod = "email"' in text
    path = folder / "stockport.toml"
    path.write_text(
        text.replace('[[deemed_receipt]]\nmethod = "email"', "[[deemed_receipt]]\nmethod = {}", 1),
        encoding="utf-8",
    )
    return path


def method_line(path: Path) -> int:
    return path.read_text(encoding="utf-8").splitlines().index("method = {}") + 1


def test_a_policy_with_a_table_for_a_sending_method(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bad_policy(tmp_path / "mine")
    line = refused(capsys, "policies", "--check", str(path))
    assert line == (
        f"caseworker: {path}, line {method_line(path)}, key deemed_receipt[0].method: must be "
        "'email', 'first-class', 'second-class' or 'hand' (got a table)"
    )


def test_import_with_that_policy_in_the_data_folder(
    app: Any, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bad_policy(isolated_home / "policies")
    before = counts(app)
    line = refused(capsys, "--db", app.url, "import", str(EXAMPLES / "cases.json"))
    assert line == (
        f"caseworker: {EXAMPLES / 'cases.json'}: cannot be checked, a policy file is wrong: "
        f"{path}, line {method_line(path)}, key deemed_receipt[0].method: must be 'email', "
        "'first-class', 'second-class' or 'hand' (got a table); nothing was imported"
    )
    assert counts(app) == before


# ---- JSON case files ------------------------------------------------------------------------


def case_text(summary: str = '"Bins missed"', stage: str = "1") -> str:
    """A valid case file but for what is put in as the summary's and the stage's JSON."""
    case = {
        "policy": "stockport",
        "route": "corporate",
        "stage": 0,
        "received": "2026-03-02",
        "channel": "email",
        "service_area": "Highways",
        "summary": "",
        "complainant": {
            "name": "Ambrose Thistlewick",
            "address": "7 Larkspur Row",
            "email": "ambrose@example.com",
        },
        "issues": [{"summary": "The pothole on Larkspur Row was not repaired."}],
    }
    text = json.dumps(case, indent=2)
    return text.replace('"stage": 0', f'"stage": {stage}').replace(
        '"summary": ""', f'"summary": {summary}'
    )


@pytest.mark.parametrize(
    ("summary", "stage", "words"),
    [
        (
            '"Bins missed \\ud83d"',
            "1",
            "line 8, column 27: \\ud83d is half of a character (a lone surrogate)",
        ),
        ('"Bins"', "9" * 5000, "line 4, column 12: a number of 5,000 digits"),
        ("[" * 1000 + "]" * 1000, "1", "line 8, column 1013: lists and objects nested 1,001 deep"),
    ],
    ids=["lone-surrogate", "5000-digits", "1000-deep"],
)
def test_json_no_case_file_can_hold(
    app: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    summary: str,
    stage: str,
    words: str,
) -> None:
    path = tmp_path / "complaints.json"
    path.write_text(case_text(summary, stage), encoding="utf-8")
    before = counts(app)
    line = refused(capsys, "--db", app.url, "import", str(path))
    assert line.startswith(f"caseworker: {path}: not valid JSON at {words}")
    assert line.endswith("; nothing was imported")
    assert counts(app) == before


def test_a_character_pair_and_an_escaped_backslash_are_not_lone_surrogates(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "complaints.json"
    path.write_text(case_text('"Bins \\ud83d\\ude00 and C:\\\\ud800"'), encoding="utf-8")
    assert main(["--db", app.url, "import", str(path)]) == 0, capsys.readouterr().err
    reference = capsys.readouterr().out.split()[0]
    assert main(["--db", app.url, "export", reference]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == "Bins \U0001f600 and C:\\ud800"


# ---- emails ---------------------------------------------------------------------------------

EML = (
    "From: Ann Example <ann.example@example.org>\n"
    "To: complaints@council.example\n"
    "Subject: Missed bins\n"
    "Date: {date}\n"
    "MIME-Version: 1.0\n"
    'Content-Type: text/plain; charset="{charset}"\n'
    "\n"
    "My bin has been missed four weeks running.\n"
)


@pytest.mark.parametrize(
    ("date", "charset", "words"),
    [
        (
            "Mon, 23 Nov 2026 09:15:00 +0000",
            "x-no-such-charset",
            "its text is in a character set Caseworker does not know ('x-no-such-charset')",
        ),
        (
            "Fri, 31 Dec 9999 23:59:59 -1200",
            "utf-8",
            "its Date header ('Fri, 31 Dec 9999 23:59:59 -1200') is in the future",
        ),
        (
            "Tue, 23 Nov 9999 09:15:00 +0000",
            "utf-8",
            "its Date header ('Tue, 23 Nov 9999 09:15:00 +0000') is in the future",
        ),
    ],
    ids=["unknown-charset", "year-9999-west", "year-9999"],
)
def test_an_email_that_cannot_be_read(
    app: Any, tmp_path: Path, date: str, charset: str, words: str
) -> None:
    path = tmp_path / "complaint.eml"
    path.write_text(EML.format(date=date, charset=charset), encoding="ascii")
    before = counts(app)
    with pytest.raises(UserError) as caught:
        read_mail(path)
    assert str(caught.value) == f"complaint.eml cannot be read as an email: {words}" + (
        ": no email was sent then" if "future" in words else ""
    )
    assert "\n" not in str(caught.value)
    assert counts(app) == before


def test_an_outlook_message_dated_year_9999(tmp_path: Path) -> None:
    import datetime as dt

    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "mail"))
    from msg_writer import build_msg

    path = tmp_path / "complaint.msg"
    path.write_bytes(
        build_msg(
            sender="Ann Example <ann.example@example.org>",
            to="complaints@council.example",
            subject="Missed bins",
            body="My bin has been missed.",
            sent=dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
            attachments=[],
        )
    )
    with pytest.raises(UserError) as caught:
        read_mail(path)
    message = str(caught.value)
    assert message.startswith("complaint.msg cannot be read as an email: its Date header ('9999-")
    assert message.endswith("is in the future: no email was sent then")
