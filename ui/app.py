"""Starting the desktop app: the QApplication, the main window, and start-up errors shown in a
message box (someone who double-clicked an icon has no terminal to read a traceback in).

:func:`run` with an opened :class:`~caseworker.bootstrap.App`: the window is built on the loaded
core, so the list can be sorted, filtered and searched, and a case opened, from its first paint
(see ``docs/performance.md``, "Opening the app"). This module imports nothing of the database
layer until it is needed.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from caseworker_ui.garbage import collect_on_this_thread

if TYPE_CHECKING:
    from caseworker.bootstrap import App
    from caseworker.services.permissions import Viewer
    from caseworker_ui.main_window import MainWindow

Opener = Callable[[str], "tuple[App | None, str]"]
"""Opens (and migrates) the database at a URL: the app, or None and why not in a sentence."""

EXIT_WHEN_SHOWN = "CASEWORKER_EXIT_WHEN_SHOWN"
"""Set (to anything) to have the app quit as soon as its case list has been painted with the
database opened behind it, printing ``caseworker: case list shown: N rows of M cases``: how the
desktop bundle is checked headless (``.ci/bundle-smoke``)."""


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The process's QApplication, created on first use, with garbage collected on its thread
    only (:mod:`caseworker_ui.garbage`: never a window deleted by a worker thread's read)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        qt_app = existing
    else:
        qt_app = QApplication(list(argv) if argv is not None else sys.argv[:1])
        qt_app.setApplicationName("Caseworker")
        qt_app.setApplicationDisplayName("Caseworker")
        qt_app.setOrganizationName("Caseworker")
    collect_on_this_thread(qt_app)
    return qt_app


def sign_in_notice(app: App) -> tuple[str, str, Viewer | None]:
    """Who the person is, as a notice for the window (empty when nothing needs saying) and its
    kind, ``info`` or ``warning``; and the active officer they are, for the case list (read once
    for both), or None.

    On a database with no officers the person becomes its first complaints manager; a login
    linked to no officer still opens the app, with a notice saying how to link it (see
    :func:`caseworker.services.officers.sign_in`)."""
    from caseworker.services.officers import sign_in

    try:
        with app.uow() as uow:
            signed = sign_in(uow)
    except Exception as error:  # a database login that may not read officers: still open
        from caseworker_ui.case_tabs.common import reason

        return f"Could not tell who you are: {reason(error)}", "warning", None
    return signed.notice, "info" if signed.may_change_cases else "warning", signed.viewer


def main_window(app: App, *, rest_after_first_paint: bool = False) -> MainWindow:
    """The main window on the opened database, for the person at the keyboard. With
    ``rest_after_first_paint`` (the app's start, :func:`run`) the managers' and offline menus
    and the live changes follow the list's first paint instead of holding it up (35-50 ms), as
    do the email drop and the Today and search pages when the list is the first screen."""
    from caseworker.services.lists.caselist import CaseList
    from caseworker.storage.location import describe_database
    from caseworker_ui.main_window import MainWindow

    notice, kind, viewer = sign_in_notice(app)
    cases = CaseList(app.context(), viewer=viewer)
    window = MainWindow(
        cases,
        database=describe_database(app.url),
        desk=app.context(),
        rest_after_first_paint=rest_after_first_paint,
    )
    if notice:  # before the paint: the list does not move down under the officer's eyes
        from caseworker_ui.managers import show_notice

        show_notice(window, notice, kind)
    if rest_after_first_paint:

        def rest() -> None:
            window.first_painted.disconnect(rest)
            _add_the_rest(window, app)

        window.first_painted.connect(rest)
    else:
        _add_the_rest(window, app)
    return window


def _add_the_rest(window: MainWindow, app: App) -> None:
    """What the window gets on top of its list and desk: the managers' menu, the offline
    actions, and colleagues' changes shown live."""
    from caseworker.services.team.changes import ChangeFeed
    from caseworker_ui.live import watch
    from caseworker_ui.managers import add_manager_actions
    from caseworker_ui.offline import add_offline_actions

    add_manager_actions(window, app.context())
    add_offline_actions(window, app.context())
    notice = window.findChild(QWidget, "signInNotice")
    if notice is not None:  # above an offline copy's bar, however late that came
        layout = window.centralWidget().layout()
        layout.removeWidget(notice)
        layout.insertWidget(0, notice)  # type: ignore[attr-defined]
    watch(window, ChangeFeed(app.engine))  # colleagues' changes appear without a refresh


def collect_garbage_again() -> None:
    """Garbage collected again once the list is painted (the start turns the collector off,
    :func:`caseworker_ui.launch.run_app` and :func:`run`), on the window's thread
    (:mod:`caseworker_ui.garbage`). What the start made first goes to the permanent generation:
    the modules, classes and mappings live as long as the app, and collections while the
    officer works need not walk them again and again."""
    collector = collect_on_this_thread(application())
    if collector.paused:
        gc.freeze()
        collector.resume()


def after_the_first_paint(window: MainWindow) -> None:
    """The start's last step, once ``window``'s list is on the screen, in a turn of the event
    loop of its own after the managers' and offline menus (:func:`main_window`):
    :func:`ready_to_open_a_case`."""
    window.first_painted.connect(lambda: QTimer.singleShot(0, ready_to_open_a_case))


def ready_to_open_a_case() -> None:
    """Once the list is on the screen: the case window's modules loaded while the officer reads
    the list (some 50 ms, which made the first case opened in a session take half as long again
    as the next), and garbage collected again (:func:`collect_garbage_again`)."""
    import caseworker_ui.case_window  # noqa: F401

    collect_garbage_again()


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
    collect_on_this_thread(qt_app).pause()  # until the list is painted: collect_garbage_again
    window = main_window(app, rest_after_first_paint=True)
    after_the_first_paint(window)
    exit_when_shown(window)
    window.show()
    return qt_app.exec()


def show_startup_error(message: str) -> None:
    """Tell the person why the app could not start, in a window."""
    application()
    box = QMessageBox(QMessageBox.Icon.Critical, "Caseworker could not start", message)
    box.exec()


# -- when the team database cannot be reached ---------------------------------------------------

_windows: list[QWidget] = []
"""Top-level windows opened in place of another (kept alive while shown)."""


def _keep(window: QWidget) -> None:
    _windows.append(window)


def open_without_team(url: str, message: str, opener: Opener) -> QWidget:
    """What opens when the team database at ``url`` could not be opened (``message`` says
    why): the officer's offline copy if there is one (:func:`offline_window`), else a window
    that says what is wrong and what to do, and opens the app once it can."""
    from caseworker.services.team.offline import OfflineError
    from caseworker.services.team.offline_copy import find_copy, open_copy
    from caseworker_ui.offline import UnreachableWindow

    try:
        copy = find_copy()
    except OfflineError as error:
        copy = None
        message = f"{message}\n\nYour offline copy could not be opened: {error}"
    if copy is not None and copy.references:
        return offline_window(open_copy(copy), copy, url, message, opener)

    def opened(app: App) -> None:
        window = main_window(app)
        window.app = app  # type: ignore[attr-defined]
        _keep(window)
        window.show()

    return UnreachableWindow(message, url, opener, opened)


def offline_window(
    copy_app: App, copy: Any, url: str, why: str, opener: Opener, *, probe_ms: int | None = None
) -> MainWindow:
    """The main window on the officer's offline copy, with the offline bar; once all the work
    is back it is replaced by the main window on the team database."""
    from caseworker_ui.offline import PROBE_MS, OfflineMode

    window = main_window(copy_app)
    window.app = copy_app  # type: ignore[attr-defined]

    def switch(team_app: App) -> None:
        team_window = main_window(team_app)
        team_window.app = team_app  # type: ignore[attr-defined]
        _keep(team_window)
        team_window.show()
        window.close()
        copy_app.close()

    window.offline = OfflineMode(  # type: ignore[attr-defined]
        window,
        copy_app,
        copy,
        url,
        opener,
        why=why,
        switch=switch,
        probe_ms=probe_ms or PROBE_MS,
    )
    return window


def run_without_team(url: str, message: str, opener: Opener) -> int:
    """:func:`open_without_team`, shown, until the last window is closed; the exit status."""
    qt_app = application()
    window = open_without_team(url, message, opener)
    _keep(window)
    window.show()
    try:
        return qt_app.exec()
    finally:
        for shown in _windows:
            offline = getattr(shown, "offline", None)
            if offline is not None:
                offline.close()
            app = getattr(shown, "app", None)
            if app is not None:
                app.close()
        _windows.clear()
