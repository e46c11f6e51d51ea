"""`caseworker` with no subcommand: the database opens first, and failing that, a plain message."""

from __future__ import annotations

import pytest

import caseworker_ui.app
from caseworker.cli.main import main as command_line
from caseworker_ui.launch import run_app


def main(argv: list[str]) -> int:
    """The installed ``caseworker`` script with ``argv``: the app when no command is given."""
    return command_line(argv, run_app=run_app)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(caseworker_ui.app, "show_startup_error", messages.append)
    return messages


def test_the_app_starts_on_the_migrated_database(tmp_path, monkeypatch):
    opened = []

    def run(app):
        opened.append(app)
        return 0

    monkeypatch.setattr(caseworker_ui.app, "run", run)
    assert main(["--db", f"sqlite:///{tmp_path / 'new.sqlite'}"]) == 0
    assert opened[0].url.endswith("new.sqlite")
    assert (tmp_path / "new.sqlite").exists()


def test_the_main_window_opens_on_an_app(app, qtbot):
    window = caseworker_ui.app.main_window(app)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Caseworker — test.sqlite"
    # The real app records new cases and opens case files, not only lists them.
    assert window.desk is not None and window.desk.actor == "tester"
    assert window.new_case_action in window.menuBar().actions()[0].menu().actions()
    assert not window.new_case_button.isHidden()


def test_the_window_reads_who_is_signed_in_once_and_lists_what_they_may_see(
    app, qtbot, add_officer, add_case
):
    """Sign-in's read of the officer serves the list too (the start reads it once), and the
    list still shows only what that officer may see."""
    import dataclasses

    from sqlalchemy import event

    from caseworker.services.lists.caselist import CaseFilter, CaseSort

    sam = add_officer("Sam Officer", login="sam")
    add_case(officer_id=sam, reference="CW-2026-00001")
    add_case(officer_id=None, reference="CW-2026-00002")  # not Sam's
    read: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if "FROM officers" in statement and "officers.login = " in statement:
            read.append(statement)

    event.listen(app.engine, "before_cursor_execute", seen)
    try:
        window = caseworker_ui.app.main_window(
            dataclasses.replace(app, actor="sam"), rest_after_first_paint=True
        )
        qtbot.addWidget(window)
        assert len(read) == 1
        rows, total = window._cases.page_and_count(CaseFilter(), CaseSort())
        assert [row.summary.reference for row in rows] == ["CW-2026-00001"] and total == 1
        assert window.model.total == 1
        assert len(read) == 1
    finally:
        event.remove(app.engine, "before_cursor_execute", seen)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("nonsense", "is not a URL"),
        ("sqlite:///{tmp}/not-a-database.sqlite", "file is not a database"),
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


def test_a_team_database_that_cannot_be_reached_is_explained_and_the_app_still_opens(
    capsys, shown, monkeypatch
):
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(
        caseworker_ui.app,
        "run_without_team",
        lambda url, message, opener: opened.append((url, message)) or 0,
    )
    assert main(["--db", "postgresql://jo:secret@127.0.0.1:1/complaints"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "database server is running" in err
    assert not shown  # no dead-end message box: the app opens without the team database
    ((url, message),) = opened
    assert url.endswith("127.0.0.1:1/complaints") and "database server is running" in message
    assert "secret" not in message and "secret" not in err


def test_with_no_offline_copy_the_app_says_what_to_do_and_tries_again(qtbot, app, monkeypatch):
    from caseworker_ui.offline import UnreachableWindow

    answers = iter([(None, "connection refused"), (app, "")])
    window = caseworker_ui.app.open_without_team(
        "postgresql://127.0.0.1:1/x",
        "Caseworker could not open the database",
        lambda url: next(answers),
    )
    qtbot.addWidget(window)
    assert isinstance(window, UnreachableWindow)
    assert "What to do" in window.explanation.text()
    window.show()
    qtbot.keyClick(window.retry, " ")  # still down: says so, stays open
    assert "Still cannot reach it" in window.explanation.text() and window.isVisible()
    qtbot.keyClick(window.retry, " ")  # back: the main window on the team database
    opened = [w for w in caseworker_ui.app._windows if getattr(w, "app", None) is app]
    assert opened and opened[0].isVisible() and not window.isVisible()
    opened[0].close()
    caseworker_ui.app._windows.clear()


def test_a_database_from_a_newer_caseworker_says_so(app, capsys, shown):
    from sqlalchemy import text

    with app.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    app.close()
    assert main(["--db", app.url]) == 2
    assert "newer version of Caseworker" in shown[0]
    assert "Traceback" not in capsys.readouterr().err


def test_every_start_opens_the_database_before_the_window(app, monkeypatch):
    """One way to read the database: a plain ``caseworker`` on a database the app has run on
    before still opens it first and builds the window on the loaded core, so the list answers
    (sorts, filters, searches, opens a case) from its first paint."""
    app.close()
    opened = []
    monkeypatch.setattr(caseworker_ui.app, "run", lambda loaded: opened.append(loaded) or 0)
    assert main(["--db", app.url]) == 0
    assert main(["--db", app.url]) == 0
    assert [loaded.url for loaded in opened] == [app.url, app.url]
    for loaded in opened:
        loaded.close()


def test_a_plain_start_imports_no_commands_module(tmp_path) -> None:
    """`caseworker` with no subcommand parses its arguments without importing every command's
    module (0.4 s before the window could start)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    child = (
        "import json, sys\n"
        "import caseworker_ui.launch as app\n"
        "app.run_app = lambda args: print(json.dumps([args.db, sorted(m for m in sys.modules\n"
        "    if m.startswith('caseworker.cli.') and m != 'caseworker.cli.main')]))\n"
        "sys.argv = ['caseworker', '--db', "
        f"{str(tmp_path / 'x.sqlite')!r}]\n"
        "app.main()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", child],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    db, imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert db == str(tmp_path / "x.sqlite")
    assert imported == []


def test_the_apps_start_adds_the_menus_beyond_the_list_after_its_first_paint(app, qtbot):
    """`run` paints the list first; the managers' and offline menus and the live changes
    follow that paint (the officer's notice does not: the list does not move under them)."""
    from PySide6.QtGui import QAction

    window = caseworker_ui.app.main_window(app, rest_after_first_paint=True)
    qtbot.addWidget(window)
    assert not window.findChildren(QAction, "takeSelectedOffline")
    window.show()
    qtbot.waitUntil(lambda: bool(window.findChildren(QAction, "takeSelectedOffline")))
    assert len(window.findChildren(QAction, "takeSelectedOffline")) == 1
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == [action.text() for action in plain_menus(app, qtbot)]


def plain_menus(app, qtbot) -> list:  # noqa: ANN001
    """The menus of the main window built all at once (as the tests' windows are)."""
    window = caseworker_ui.app.main_window(app)
    qtbot.addWidget(window)
    return window.menuBar().actions()
