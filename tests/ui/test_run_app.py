"""`caseworker` with no subcommand: the database opens first, and failing that, a plain message."""

from __future__ import annotations

import pytest

import ui.app
from caseworker.cli.main import main


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(ui.app, "show_startup_error", messages.append)
    return messages


def test_the_app_starts_on_the_migrated_database(tmp_path, monkeypatch):
    opened = []

    def run(app):
        opened.append(app)
        return 0

    monkeypatch.setattr(ui.app, "run", run)
    assert main(["--db", f"sqlite:///{tmp_path / 'new.sqlite'}"]) == 0
    assert opened[0].url.endswith("new.sqlite")
    assert (tmp_path / "new.sqlite").exists()


def test_the_main_window_opens_on_an_app(app, qtbot):
    window = ui.app.main_window(app)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Caseworker — test.sqlite"
    # The real app records new cases and opens case files, not only lists them.
    assert window.desk is not None and window.desk.actor == "tester"
    assert window.new_case_action in window.menuBar().actions()[0].menu().actions()
    assert not window.new_case_button.isHidden()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("nonsense", "is not a URL"),
        ("sqlite:///{tmp}/not-a-database.sqlite", "file is not a database"),
        ("postgresql://jo:secret@127.0.0.1:1/complaints", "database server is running"),
    ],
)
def test_a_database_that_will_not_open_is_explained_without_a_traceback(
    tmp_path, capsys, shown, url, words
):
    (tmp_path / "not-a-database.sqlite").write_bytes(b"these are not the bytes of SQLite" * 40)
    url = url.format(tmp=tmp_path)
    assert main(["--db", url]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert words in err and words in shown[0]
    assert "Caseworker could not open the database" in shown[0]
    assert "secret" not in shown[0] and "secret" not in err


def test_a_database_from_a_newer_caseworker_says_so(app, capsys, shown):
    from sqlalchemy import text

    with app.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    app.close()
    assert main(["--db", app.url]) == 2
    assert "newer version of Caseworker" in shown[0]
    assert "Traceback" not in capsys.readouterr().err
