"""Starting the desktop app: the QApplication, the main window, and start-up errors shown in a
message box (someone who double-clicked an icon has no terminal to read a traceback in)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from caseworker.bootstrap import App
from caseworker.services.caselist import CaseList, describe_database
from caseworker.services.changes import ChangeFeed
from caseworker.services.desk import CaseDesk
from ui.live import watch
from ui.main_window import MainWindow


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The process's QApplication, created on first use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qt_app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    qt_app.setApplicationName("Caseworker")
    qt_app.setApplicationDisplayName("Caseworker")
    qt_app.setOrganizationName("Caseworker")
    return qt_app


def main_window(app: App) -> MainWindow:
    """The main window on the opened database, for the person at the keyboard."""
    cases = CaseList(app.sessions, login=app.actor)
    desk = CaseDesk(app.sessions, actor=app.actor)
    window = MainWindow(cases, database=describe_database(app.url), desk=desk)
    watch(window, ChangeFeed(app.engine))  # colleagues' changes appear without a refresh
    return window


def run(app: App) -> int:
    """Show the main window and run until it is closed; the exit status."""
    qt_app = application()
    window = main_window(app)
    window.show()
    return qt_app.exec()


def show_startup_error(message: str) -> None:
    """Tell the person why the app could not start, in a window."""
    application()
    box = QMessageBox(QMessageBox.Icon.Critical, "Caseworker could not start", message)
    box.exec()
