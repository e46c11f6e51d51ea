"""`caseworker import`, `caseworker export` and `caseworker cases`: cases in and out as JSON files.

    caseworker import complaints.json          # prints the references of the cases added
    caseworker export CW-2026-00042            # prints the case as a case file
    caseworker export CW-2026-00042 CW-2026-00043 -o two-cases.json
    caseworker cases                           # a table of every case
    caseworker cases --json --status open      # [{reference, policy, route, stage, ...}]

The file format is described in docs/case-file.md. A file is imported whole or not at all: any
problem is reported with the file and the field path, and nothing of the file is saved. Each case
is authorised as the new-case form authorises one (a case the officer may not record refuses the
file), and an officer exports only cases they may see.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caseworker.bootstrap import open_app
from caseworker.domain.enums import CaseStatus
from caseworker.errors import UserError
from caseworker.interchange.casejson import (
    dumps,
    export_cases,
    import_cases,
    letter_notes,
    read_case_file,
)
from caseworker.services import officers
from caseworker.services.lists.references import case_rows


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import",
        help="add the cases in a JSON case file",
        description='Add the cases in a JSON case file (one case object, or {"cases": [...]}; '
        "see docs/case-file.md). Cases without a reference are given the next one. The file is "
        "checked whole first: any problem is reported with the field path and nothing is saved.",
    )
    importer.add_argument("file", metavar="FILE", type=Path, help="the JSON case file")
    importer.set_defaults(handler=run_import)

    exporter = subparsers.add_parser(
        "export",
        help="print cases as a JSON case file",
        description="Print cases in the case file format that `caseworker import` reads: one "
        'reference gives one case object, several give {"cases": [...]}.',
    )
    exporter.add_argument("references", metavar="REF", nargs="+", help="case reference")
    exporter.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="write the file (UTF-8) instead of printing it",
    )
    exporter.set_defaults(handler=run_export)

    lister = subparsers.add_parser(
        "cases",
        help="list the cases",
        description="List the cases in reference order: reference, policy, route, stage, "
        "status, outcome and the date the response is due.",
    )
    lister.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {reference, policy, route, stage, status, outcome, due}",
    )
    lister.add_argument(
        "--status", choices=[s.value for s in CaseStatus], help="only cases with this status"
    )
    lister.add_argument("--limit", type=int, metavar="N", help="at most N cases")
    lister.set_defaults(handler=run_cases)


def run_import(args: argparse.Namespace) -> int:
    case_file = read_case_file(args.file, today=dt.date.today())
    app = open_app(args.db)
    try:
        ctx = app.context()
        with ctx.unit() as uow:  # opening the database, as the app does: the first-run rule
            signed = officers.sign_in(uow)
        if signed.first_run:
            print(f"caseworker: {signed.notice}", file=sys.stderr)
        references = import_cases(ctx, case_file)
    finally:
        app.close()
    for reference in references:
        print(reference)
    count = len(references)
    print(f"imported {count} case{'s' if count != 1 else ''} from {args.file}", file=sys.stderr)
    for note in letter_notes(case_file):
        print(f"caseworker: note: {note}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    app = open_app(args.db)
    try:
        text = dumps(export_cases(app.context(), args.references))
    finally:
        app.close()
    if args.output is None:
        with _reader_may_stop():
            sys.stdout.write(text)
            sys.stdout.flush()
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UserError(f"{args.output}: cannot be written ({error.strerror})") from None
        print(f"wrote {len(args.references)} case(s) to {args.output}", file=sys.stderr)
    return 0


@contextlib.contextmanager
def _reader_may_stop() -> Iterator[None]:
    """Stop quietly when the program reading the output goes away (``caseworker cases | head``)."""
    try:
        yield
    except BrokenPipeError:
        # Point stdout at nothing so that Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


_COLUMNS = (
    ("reference", "Reference"),
    ("policy", "Policy"),
    ("route", "Route"),
    ("stage", "Stage"),
    ("status", "Status"),
    ("outcome", "Outcome"),
    ("due", "Due"),
)


def run_cases(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise UserError(f"--limit: {args.limit} is not a number of cases")
    app = open_app(args.db)
    out = sys.stdout
    try:
        with _reader_may_stop():
            rows = case_rows(app.context(), status=args.status, limit=args.limit)
            if args.json:
                # Streamed one row at a time: a 250,000-case list never sits in memory whole.
                out.write("[")
                count = 0
                for row in rows:
                    out.write(("," if count else "") + "\n  " + json.dumps(row))
                    count += 1
                out.write("\n]\n" if count else "]\n")
            else:
                _print_table(rows, out)
    finally:
        app.close()
    return 0


def _print_table(rows: Iterator[dict[str, Any]], out: Any) -> None:
    widths = {
        "reference": 14,
        "policy": 23,
        "route": 18,
        "stage": 5,
        "status": 9,
        "outcome": 16,
        "due": 10,
    }
    header = "  ".join(label.ljust(widths[key]) for key, label in _COLUMNS).rstrip()
    out.write(header + "\n")
    out.write("  ".join("-" * widths[key] for key, _ in _COLUMNS) + "\n")
    count = 0
    for row in rows:
        cells = []
        for key, _ in _COLUMNS:
            value = row[key]
            text = "-" if value is None else str(value)
            cells.append(text.rjust(widths[key]) if key == "stage" else text.ljust(widths[key]))
        out.write("  ".join(cells).rstrip() + "\n")
        count += 1
    out.write(f"{count} case{'s' if count != 1 else ''}\n")
