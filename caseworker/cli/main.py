"""Entry point of the ``caseworker`` command.

With no subcommand it opens the desktop app on the chosen database. Each subcommand is a module of
this package exposing ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``(args) -> int`` returning the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from caseworker.errors import CaseworkerError

# Subcommand modules, in the order `caseworker --help` lists them.
SUBCOMMANDS = (
    "policies",
    "deadlines",
    "cases",
    "demo",
    "officers",
    "letter",
    "report",
    "retention",
    "backup",
    "offline",
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from caseworker.cli.app import run_app

            return run_app(args)
        return int(args.handler(args))
    except CaseworkerError as error:
        print(f"caseworker: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
