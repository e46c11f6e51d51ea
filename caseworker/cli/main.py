"""The ``caseworker`` command line.

With no subcommand it opens the desktop app on the chosen database: the app is the UI's, so the
installed ``caseworker`` script is :func:`caseworker_ui.launch.main`, which passes its
``run_app`` in here (the core never imports the UI). Each subcommand is a module of
this package exposing ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(args) -> int`` returning the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence

from caseworker.errors import CaseworkerError

# Subcommand modules, in the order `caseworker --help` lists them.
SUBCOMMANDS = (
    "policies",
    "deadlines",
    "cases",
    "demo",
    "officers",
    "letter",
    "emailletter",
    "report",
    "tsm",
    "annual",
    "subjectaccess",
    "retention",
    "backup",
    "offline",
    "team",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseworker",
        description="Corporate complaints casework for English councils. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $CASEWORKER_DB, else SQLite in your data folder); "
        "e.g. postgresql+psycopg://user@host/caseworker",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"caseworker.cli.{name}")
        module.register(subparsers)
    return parser


class _Quiet(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]  # noqa: ANN201
        raise ValueError(message)


def _app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain ``caseworker [--db URL]``, which opens the app, without
    importing every command's module first (0.4 s before the window could start); None for
    anything else (a command, --help, a mistake), which the whole parser handles."""
    parser = _Quiet(prog="caseworker", add_help=False)
    parser.add_argument("--db")
    try:
        args, rest = parser.parse_known_args(argv)
    except ValueError:  # e.g. --db without a URL: the whole parser says so
        return None
    if rest:
        return None
    args.command = None
    return args


def main(
    argv: Sequence[str] | None = None,
    run_app: Callable[[argparse.Namespace], int] | None = None,
) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    _private_start()
    args = _app_arguments(given)
    if args is None:
        args = build_parser().parse_args(given)
    try:
        if args.command is None:
            if run_app is None:
                print(
                    "caseworker: the desktop app is not installed; see 'caseworker --help' "
                    "for the commands",
                    file=sys.stderr,
                )
                return 2
            return run_app(args)
        status = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not at exit where it cannot be reported
        return status
    except CaseworkerError as error:
        print(f"caseworker: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _output_closed(args.command)


def _private_start() -> None:
    """What every start does before touching personal data: files it creates are the account's
    alone (umask 077: databases, backups, exports, letters 0600); a polite ``kill`` (SIGTERM)
    ends it as an interrupted command would, so partial backups and opened documents are
    removed on the way out; and what a killed session left behind is swept away
    (:func:`caseworker.storage.scratch.sweep`)."""
    if os.name == "posix":
        os.umask(0o077)
    try:
        signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread (a test running main() in a worker)
        pass
    from caseworker.storage import scratch

    scratch.sweep()


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _output_closed(command: str | None) -> int:
    """Standard output went to a program that stopped reading (``caseworker officers | head``):
    say so on one line, and point standard output at nowhere so that Python's own flush at exit
    does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind sys.stdout (a test's capture)
        pass
    print(
        f"caseworker {command}: the output was cut short: the program reading it stopped "
        "(broken pipe)",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
