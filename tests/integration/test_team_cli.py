"""`caseworker team` is for a shared PostgreSQL database; on SQLite it says so and does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseworker.cli.main import main
from caseworker.errors import UserError
from caseworker.storage.teamdb import login_statement


def test_team_setup_on_sqlite_says_a_team_uses_postgresql(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "mine.sqlite"
    assert main(["--db", f"sqlite:///{database}", "team", "setup"]) == 2
    assert "a team shares a PostgreSQL database" in capsys.readouterr().err
    assert not database.exists() or database.stat().st_size == 0


def test_a_login_statement_quotes_the_login_and_refuses_odd_names() -> None:
    assert login_statement("ann.smith") == (
        'CREATE ROLE "ann.smith" LOGIN IN ROLE "caseworker_officers";'
    )
    assert login_statement("ann.smith", exists=True) == (
        'GRANT "caseworker_officers" TO "ann.smith";'
    )
    with pytest.raises(UserError, match="not a database login"):
        login_statement('x"; DROP TABLE cases; --')
