"""``CASEWORKER_EXIT_WHEN_SHOWN``: the app quits once its case list is on the screen with the
database open behind it, saying how many rows the list shows (how ``.ci/bundle-smoke`` checks the
desktop bundle headless). Without it, the first paint changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import caseworker_ui.app
from caseworker_ui.app import EXIT_WHEN_SHOWN, exit_when_shown
from caseworker_ui.main_window import MainWindow


def main_windows() -> list[MainWindow]:
    """The main windows on the screen (one an earlier test closed may not be deleted yet)."""
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


@pytest.fixture
def running(qapp) -> Iterator[None]:
    """The app's event loop may run: a quit that never comes ends it with status 3 after 30 s
    (failing the test, not hanging it); the windows it leaves are closed afterwards."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: qapp.exit(3))
    timer.start(30_000)
    yield
    timer.stop()
    for window in main_windows():
        window.close()
        window.deleteLater()


def test_the_app_quits_once_the_list_is_shown_saying_how_many_rows(
    app, some_cases, monkeypatch, capsys, running
) -> None:
    monkeypatch.setenv(EXIT_WHEN_SHOWN, "1")
    assert caseworker_ui.app.run(app) == 0
    [window] = main_windows()
    assert window.desk is not None and window.model.rowCount() == 5
    assert "caseworker: case list shown: 5 rows of 5 cases\n" in capsys.readouterr().out


def test_without_it_the_first_paint_changes_nothing(
    app, some_cases, monkeypatch, qtbot, capsys
) -> None:
    monkeypatch.delenv(EXIT_WHEN_SHOWN, raising=False)
    quits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", lambda *args: quits.append(args[-1]))
    window = caseworker_ui.app.main_window(app)
    qtbot.addWidget(window)
    check = exit_when_shown(window)
    with qtbot.waitSignal(window.first_painted, timeout=10_000):
        window.show()
    check()
    qtbot.wait(50)
    assert quits == [] and window.isVisible()
    assert "case list shown" not in capsys.readouterr().out
