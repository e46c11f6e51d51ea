"""Shared fixtures: every test gets its own data folder and database; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a temporary one and forget any database URL from outside."""
    home = tmp_path / "caseworker-home"
    monkeypatch.setenv("CASEWORKER_HOME", str(home))
    monkeypatch.delenv("CASEWORKER_DB", raising=False)
    return home


@pytest.fixture
def app(tmp_path: Path) -> Iterator:
    """A migrated SQLite database in the test's folder, opened as 'tester'."""
    from caseworker.bootstrap import open_app

    opened = open_app(f"sqlite:///{tmp_path / 'test.sqlite'}", actor="tester")
    yield opened
    opened.close()
