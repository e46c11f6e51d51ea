"""Starting the desktop app: the QApplication, the main window, and start-up errors shown in a
message box (someone who double-clicked an icon has no terminal to read a traceback in).

:func:`run` with an opened :class:`~caseworker.bootstrap.App`: the window is built on the loaded
core, so the list can be sorted, filtered and searched, and a case opened, from its first paint
(see ``docs/performance.md``, "Opening the app"). This module imports nothing of the database
layer until it is needed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from caseworker.bootstrap import App
    from caseworker_ui.main_window import MainWindow

EXIT_WHEN_SHOWN = "CASEWORKER_EXIT_WHEN_SHOWN"
"""Set (to anything) to have the app quit as soon as its case list has been painted with the
database opened behind it, printing ``caseworker: case list shown: N rows of M cases``: how the
desktop bundle is checked headless (``.ci/bundle-smoke``)."""


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


def sign_in_notice(app: App) -> tuple[str, str]:
    """Who the person is, as a notice for the window (empty when nothing needs saying) and its
    kind, ``info`` or ``warning``.

    On a database with no officers the person becomes its first complaints manager; a login
    linked to no officer still opens the app, with a notice saying how to link it (see
    :func:`caseworker.services.officers.sign_in`)."""
    from caseworker.services.officers import sign_in

    try:
        with app.uow() as uow:
            signed = sign_in(uow)
    except Exception as error:  # a database login that may not read officers: still open
        from caseworker_ui.case_tabs.common import reason

        return f"Could not tell who you are: {reason(error)}", "warning"
    return signed.notice, "info" if signed.may_change_cases else "warning"


def main_window(app: App) -> MainWindow:
    """The main window on the opened database, for the person at the keyboard."""
    from caseworker.services.lists.caselist import CaseList
    from caseworker.storage.location import describe_database
    from caseworker_ui.main_window import MainWindow

    notice = sign_in_notice(app)
    cases = CaseList(app.context())
    window = MainWindow(cases, database=describe_database(app.url), desk=app.context())
    _add_the_rest(window, app, notice)
    return window


def _add_the_rest(window: MainWindow, app: App, notice: tuple[str, str]) -> None:
    """What the window gets on top of its list and desk: the managers' menu, the sign-in
    notice, and colleagues' changes shown live."""
    from caseworker.services.team.changes import ChangeFeed
    from caseworker_ui.live import watch
    from caseworker_ui.managers import add_manager_actions, show_notice

    add_manager_actions(window, app.context())
    if notice[0]:
        show_notice(window, *notice)
    watch(window, ChangeFeed(app.engine))  # colleagues' changes appear without a refresh


def exit_when_shown(window: MainWindow) -> Callable[[], None]:
    """With :data:`EXIT_WHEN_SHOWN` set, quit the app once ``window`` has been painted, saying
    how many rows its case list shows."""
    painted = False

    def check() -> None:
        if painted:
            model = window.model
            print(f"caseworker: case list shown: {model.rowCount()} rows of {model.total} cases")
            sys.stdout.flush()
            application().exit(0)

    def first_paint() -> None:
        nonlocal painted
        painted = True
        check()

    if os.environ.get(EXIT_WHEN_SHOWN):
        window.first_painted.connect(first_paint)
    return check


def run(app: App) -> int:
    """Show the main window and run until it is closed; the exit status."""
    qt_app = application()
    window = main_window(app)
    exit_when_shown(window)
    window.show()
    return qt_app.exec()


def show_startup_error(message: str) -> None:
    """Tell the person why the app could not start, in a window."""
    application()
    box = QMessageBox(QMessageBox.Icon.Critical, "Caseworker could not start", message)
    box.exec()
