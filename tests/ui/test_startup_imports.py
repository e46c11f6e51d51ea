"""What a start leaves out until the case list answers (issue 20, "start faster by doing less").

The ``caseworker`` command is started in a fresh process, as ``benchmarks/startup.py`` starts it,
on a database whose cases the person at the keyboard may see, with the list as the first screen.
The moment the list is interactive (painted with rows, sortable, its filters filled, a case can
be opened and the search box is there), the modules made lazy are not imported: the other
database's SQLAlchemy dialect, the backup module, the email drop and the Today and search pages
(built just after the first paint), and the reports' and letters' libraries. Once the first
paint is past, those pages are there and the garbage collector (off during the start) is on
again. Nor has the ORM configured its mappers when the list answers (its first screen reads
the tables' columns). No time is measured here: ``benchmarks/startup.py`` does that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAZY = (
    "alembic",
    "caseworker.storage.backup",
    "caseworker_ui.case_tabs.common",
    "caseworker_ui.case_window",
    "caseworker_ui.date_field",
    "caseworker_ui.mail_drop",
    "caseworker_ui.search",
    "caseworker_ui.today",
    "docx",
    "extract_msg",
    "matplotlib",
    "openpyxl",
)
"""Not imported by the time the list is interactive, on either database."""

BUILT_AFTER_THE_FIRST_PAINT = (
    "caseworker_ui.case_window",  # loaded while the officer reads the list
    "caseworker_ui.mail_drop",
    "caseworker_ui.search",
    "caseworker_ui.today",
)

CHILD = r"""
import gc, json, sys, time

from PySide6.QtCore import QSettings

# An officer who left the app on the case list (Today is the first screen otherwise).
settings = QSettings("Caseworker", "Caseworker")
settings.setValue("window/start_page", "list")
settings.sync()

import caseworker_ui.launch as launch

WATCHED = {watched!r}


def imported():
    return sorted(m for m in WATCHED if m in sys.modules)


def configured():
    # Whether the ORM has configured its mappers (relationships, backrefs): the list's first
    # screen reads columns of tables, so that waits until a case is opened.
    from sqlalchemy import inspect

    from caseworker.storage.models import Base

    return any(inspect(mapped.class_).configured for mapped in Base.registry.mappers)


def until_interactive_then_report(*_args):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from caseworker_ui.main_window import MainWindow

    qt = QApplication.instance()
    window = next(w for w in qt.topLevelWidgets() if isinstance(w, MainWindow))

    class FirstRows(QObject):
        painted = False

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and window.model.rowCount() > 0:
                self.painted = True
            return False

    first = FirstRows()
    window.table.viewport().installEventFilter(first)

    def interactive():
        return (
            first.painted
            and window.table.isSortingEnabled()
            and window.stage_combo.count() > 1
            and window.policy_combo.count() > 1
            and window.officer_combo.count() > 1
            and window.open_case_action.isEnabled()
            and window.finding
            and window.search_box.isEnabled()
        )

    def wait(condition):
        deadline = time.monotonic() + 60
        while not condition() and time.monotonic() < deadline:
            qt.processEvents()
            time.sleep(0.001)
        return condition()

    report = {{"interactive": wait(interactive), "then": imported(), "mappers": configured()}}
    # Garbage collected again after the first paint, on the window's thread only, the start's
    # objects frozen first (and what opening a case needs loaded just before).
    from caseworker_ui.garbage import MainThreadCollector

    collector = qt.findChild(MainThreadCollector)
    report["counted"] = wait(lambda: window.counts_shown and window.today_view is not None)
    wait(lambda: collector is not None and not collector.paused)
    report["later"] = imported()
    report["collecting_later"] = (
        collector is not None
        and not collector.paused
        and not gc.isenabled()
        and gc.get_freeze_count() > 0
    )
    print("REPORT", json.dumps(report), flush=True)
    return 0


opened = launch.open_database


def open_database(url):
    result = opened(url)
    from PySide6.QtWidgets import QApplication

    QApplication.exec = until_interactive_then_report
    return result


launch.open_database = open_database
from caseworker.cli.main import main

sys.exit(main(["--db", {url!r}], run_app=launch.run_app))
"""


def start(url: str, tmp_path: Path, watched: list[str]) -> dict[str, Any]:
    """Start ``caseworker --db url`` in a fresh process until its list is interactive and
    then until what follows the first paint is done; which of ``watched`` were imported."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(watched=watched, url=url)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("REPORT "))


def some_cases_for_me(url: str) -> None:
    """A few demo cases, and the login the child runs under a complaints manager's."""
    from caseworker.bootstrap import open_app
    from caseworker.demo import generate_demo
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(url)
    try:
        generate_demo(app.engine, 12, seed=3)
        link_to_complaints_manager(app.context())
    finally:
        app.close()


def check(report: dict[str, Any], other_dialect: str) -> None:
    assert report["interactive"], report
    assert report["then"] == [], f"imported before the list answered: {report['then']}"
    assert not report["mappers"], "the ORM's mappers were configured before the list answered"
    assert report["counted"], report
    assert other_dialect not in report["later"]  # nor at all
    for module in BUILT_AFTER_THE_FIRST_PAINT:
        assert module in report["later"], report
    assert report["collecting_later"]


def test_a_start_on_sqlite_leaves_them_until_the_list_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'start.sqlite'}"
    some_cases_for_me(url)
    other = "sqlalchemy.dialects.postgresql"
    check(start(url, tmp_path, [*LAZY, other]), other)


@pytest.mark.postgres
def test_a_start_on_postgresql_leaves_them_until_the_list_answers(
    tmp_path: Path, pg_url: str
) -> None:
    some_cases_for_me(pg_url)
    other = "sqlalchemy.dialects.sqlite"
    check(start(pg_url, tmp_path, [*LAZY, other]), other)
