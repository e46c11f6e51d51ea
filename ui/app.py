"""Starting the desktop app: the QApplication, the main window, and start-up errors shown in a
message box (someone who double-clicked an icon has no terminal to read a traceback in).

Two ways in:

* :func:`run` with an opened :class:`~caseworker.bootstrap.App`: the window is built on the
  loaded core (the first start on a database, after an upgrade, and in tests).
* :func:`run_loading` with the start-up page (:mod:`caseworker.services.lists.startpage`): the
window
  is shown at once with the list's first page, read before the database layer is loaded; after
  its first paint a worker thread loads the core and opens the database (:class:`CoreLoader`),
  and the window is then given the case list and the desk (:meth:`MainWindow.attach`). The
  person sees their cases in about a third of the time, and the window answers while the rest
  loads.

This module imports nothing of the database layer until it is needed.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

if TYPE_CHECKING:
    from caseworker.bootstrap import App
    from caseworker.services.lists.startpage import StartPage
    from caseworker_ui.main_window import MainWindow

log = logging.getLogger(__name__)

Opener = Callable[[str], "tuple[App | None, str]"]
"""Opens (and migrates) the database at a URL: the app, or None and why not in a sentence."""

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
    from caseworker_ui.offline import add_offline_actions

    add_manager_actions(window, app.context())
    add_offline_actions(window, app.context())
    if notice[0]:
        show_notice(window, *notice)
    watch(window, ChangeFeed(app.engine))  # colleagues' changes appear without a refresh


def keep_start_recipe(app: App) -> None:
    """Keep the start-up page's statements for the next start (written only when they changed;
    a failure only means the next start reads the first page the ordinary way)."""
    from caseworker.services.lists.caselist import write_start_recipe

    try:
        write_start_recipe(app.context())
    except Exception:
        log.warning("could not keep the start-up page's statements", exc_info=True)


def exit_when_shown(window: MainWindow) -> Callable[[], None]:
    """With :data:`EXIT_WHEN_SHOWN` set, quit the app once ``window`` has been painted and is no
    longer loading, saying how many rows its case list shows. The returned function checks
    again (call it when a loading window has been given the app)."""
    painted = False

    def check() -> None:
        if painted and not window.loading:
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
    keep_start_recipe(app)
    return qt_app.exec()


# -- starting from the start-up page -----------------------------------------------------------


class CoreLoader(QObject):
    """Loads the core and opens the database on a worker thread, then hands the app to the
    window's thread: :attr:`loaded` with the :class:`~caseworker.bootstrap.App` and the sign-in
    notice, or :attr:`failed` with why the database could not be opened."""

    loaded = Signal(object, object)
    failed = Signal(str)
    _done = Signal(object, object, str)  # from the worker thread, queued to this object's

    def __init__(self, url: str, opener: Opener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self._opener = opener
        self._thread: Any = None
        self._done.connect(self._finished)

    def start(self) -> None:
        """Start loading (once)."""
        if self._thread is not None:
            return
        import threading

        self._thread = threading.Thread(target=self._load, name="caseworker-load", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the worker thread is done (for tests and shutting down)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _load(self) -> None:
        app: Any = None
        notice: Any = None
        try:
            app, message = self._opener(self.url)
            if app is not None:
                notice = sign_in_notice(app)
                # What attaching needs, imported here rather than on the window's thread.
                import caseworker.services.cases.allocation  # noqa: F401
                import caseworker.services.cases.casefile  # noqa: F401
                import caseworker.services.evidence.mail  # noqa: F401
                import caseworker.services.lists.today  # noqa: F401
                import caseworker.services.search.previous  # noqa: F401
                import caseworker.services.team.changes  # noqa: F401

                keep_start_recipe(app)
        except Exception as error:  # the opener explains what it can; anything else too
            log.exception("could not load the app")
            if app is not None:
                app.close()
            app, message = None, f"Caseworker could not start: {error}"
        self._done.emit(app, notice, message)

    @Slot(object, object, str)
    def _finished(self, app: Any, notice: Any, message: str) -> None:
        if app is None:
            self.failed.emit(message)
        else:
            self.loaded.emit(app, notice)


def launch(url: str, page: StartPage, opener: Opener) -> tuple[MainWindow, CoreLoader]:
    """The main window on the start-up page, shown; once it has been painted the core loads on
    a worker thread, and the window is given the case list and desk when it has."""
    from caseworker.storage.location import describe_database
    from caseworker_ui.main_window import MainWindow

    application()
    window = MainWindow(page, database=describe_database(url), loading=True)
    loader = CoreLoader(url, opener, parent=window)
    loader.loaded.connect(lambda app, notice: attach_app(window, app, notice))
    window.first_painted.connect(loader.start)
    window.show()
    if not window.isVisible():  # never painted (no screen to paint on): load now
        loader.start()
    return window, loader


def attach_app(window: MainWindow, app: App, notice: tuple[str, str]) -> None:
    """Give the loading window the loaded app: its case list, desk and the rest."""
    from caseworker.services.lists.caselist import CaseList

    window.app = app  # type: ignore[attr-defined]  # closed by run_loading
    window.attach(CaseList(app.context()), app.context())
    _add_the_rest(window, app, notice)


def run_loading(url: str, page: StartPage, opener: Opener) -> int:
    """:func:`launch`, then run until the window is closed; the exit status (2 when the
    database could not be opened after all: a message box has said why)."""
    qt_app = application()
    window, loader = launch(url, page, opener)
    shown = exit_when_shown(window)
    loader.loaded.connect(lambda *_loaded: shown())  # after attach_app, connected first
    failures: list[str] = []

    def failed(message: str) -> None:
        failures.append(message)
        print(f"caseworker: {message}", file=sys.stderr)
        QMessageBox.critical(window, "Caseworker could not start", message)
        window.close()

    loader.failed.connect(failed)
    try:
        status = qt_app.exec()
    finally:
        loader.wait(30)
        app = getattr(window, "app", None)
        if app is not None:
            app.close()
    return 2 if failures else status


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
