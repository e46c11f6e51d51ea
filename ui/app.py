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
from caseworker.services.managerdesk import ManagerDesk
from caseworker.services.officers import sign_in
from ui.live import watch
from ui.main_window import MainWindow
from ui.managers import add_manager_actions, show_notice


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
    """The main window on the opened database, for the person at the keyboard.

    On a database with no officers the person becomes its first complaints manager; a login
    linked to no officer still opens the app, with a notice saying how to link it (see
    :func:`caseworker.services.officers.sign_in`)."""
    try:
        with app.uow() as uow:
            signed = sign_in(uow)
        notice, kind = signed.notice, "info" if signed.may_change_cases else "warning"
    except Exception as error:  # a database login that may not read officers: still open
        from ui.case_tabs.common import reason

        notice, kind = f"Could not tell who you are: {reason(error)}", "warning"
    cases = CaseList(app.sessions, login=app.actor)
    desk = CaseDesk(app.sessions, actor=app.actor)
    window = MainWindow(cases, database=describe_database(app.url), desk=desk)
    add_manager_actions(window, ManagerDesk(app.sessions, actor=app.actor))
    if notice:
        show_notice(window, notice, kind)
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
