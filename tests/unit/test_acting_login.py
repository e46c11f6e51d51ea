"""On SQLite the acting officer is the operating-system account, read from the system."""

from __future__ import annotations

import os
import pwd

from caseworker.bootstrap import current_login, open_app


def test_the_login_is_the_account_not_an_environment_variable(monkeypatch) -> None:
    account = pwd.getpwuid(os.geteuid()).pw_name
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "the.chief.executive")
    assert current_login() == account


def test_a_database_opened_without_an_actor_acts_as_the_account(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", "the.chief.executive")
    monkeypatch.setenv("USER", "the.chief.executive")
    app = open_app(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        assert app.actor == pwd.getpwuid(os.geteuid()).pw_name
    finally:
        app.close()
