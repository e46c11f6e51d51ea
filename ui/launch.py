"""`caseworker` with no subcommand: open the database, then the desktop app.

Qt is imported only here, inside :func:`run_app`, so that the command line and the core never
load it. A database that cannot be opened is explained in a message box and on standard error,
without a traceback.

The database is opened (and upgraded if need be) first, then the window is built on it: one
way to read the database, and a list that answers from its first paint. Nothing of the database
layer is imported at the top of this module, so that the commands stay quick.
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from caseworker.errors import CaseworkerError

if TYPE_CHECKING:
    from caseworker.bootstrap import App


def shown_url(url: str) -> str:
    """``url`` with any password replaced by ``***``."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def startup_error_message(url: str, error: Exception) -> str | None:
    """What to tell a person whose database could not be opened; None for an unexpected error."""
    from sqlalchemy.exc import SQLAlchemyError

    where = f"Caseworker could not open the database\n{shown_url(url)}"
    if isinstance(error, CaseworkerError):
        return f"{where}\n\n{error}"
    if isinstance(error, ModuleNotFoundError):
        return (
            f"{where}\n\nThe database driver is not installed ({error}). For PostgreSQL, install "
            "Caseworker with its 'postgres' extra."
        )
    if isinstance(error, SQLAlchemyError):
        reason = str(getattr(error, "orig", None) or error).strip()
        return (
            f"{where}\n\n{reason}\n\nCheck that the file is a Caseworker database, or that the "
            "database server is running and the address, name and password are right."
        )
    if isinstance(error, OSError):
        return f"{where}\n\n{error.strerror or error}: {error.filename or ''}".rstrip(": ")
    return None


def open_database(url: str | None) -> tuple[App | None, str]:
    """The opened (and migrated) app, or None and the message saying why not."""
    from caseworker.bootstrap import open_app
    from caseworker.storage.location import database_url

    resolved = url or "the default database"
    try:
        resolved = database_url(url)
        app = open_app(resolved)
    except Exception as error:
        message = startup_error_message(resolved, error)
        if message is None:
            raise
        return None, message
    # The case list's core (the policies' schema and pydantic with it) is imported before Qt:
    # once PySide6 is loaded its import hook reads the source of every module imported after
    # it, looking for "PySide6" (about 20 ms of processor time for these, measured).
    import caseworker.services.lists.caselist  # noqa: F401
    import caseworker.services.officers  # noqa: F401

    return app, ""


def run_app(args: argparse.Namespace) -> int:
    # A start allocates a great deal and frees almost nothing: Python's garbage collector
    # would walk the ever-growing heap of modules, classes and mappings again and again (about
    # a tenth of the start's processor time). It is off until the list has been painted
    # (then caseworker_ui.app.run collects on the window's thread, caseworker_ui.garbage), or
    # until this returns, whatever happens.
    gc.disable()
    try:
        return _open_and_run(args)
    finally:
        gc.enable()


def _open_and_run(args: argparse.Namespace) -> int:
    app, message = open_database(getattr(args, "db", None))
    if app is None:
        gc.enable()
        print(f"caseworker: {message}", file=sys.stderr)
        import caseworker_ui.app

        if _team_database(getattr(args, "db", None)):
            # No network? The officer's offline copy, or what to do: never a dead end.
            return caseworker_ui.app.run_without_team(
                _resolved(getattr(args, "db", None)), message, open_database
            )
        caseworker_ui.app.show_startup_error(message)
        return 2
    try:
        import caseworker_ui.app

        return caseworker_ui.app.run(app)
    finally:
        app.close()


def _resolved(url: str | None) -> str:
    from caseworker.storage.location import database_url

    return database_url(url)


def _team_database(url: str | None) -> bool:
    """Whether the database is a team's server (not a file on this computer)."""
    try:
        resolved = _resolved(url)
    except OSError:
        return False
    return "://" in resolved and not resolved.startswith("sqlite")


def main() -> int:
    """The installed ``caseworker`` script: the commands, or the app when none is given."""
    from caseworker.cli.main import main as command_line

    return command_line(sys.argv[1:], run_app=run_app)


if __name__ == "__main__":
    sys.exit(main())
