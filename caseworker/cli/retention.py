"""`caseworker retention`: list the cases past their policy's retention period, and purge them.

    caseworker retention --list
    caseworker retention --purge --confirm CW-2022-00017,CW-2022-00021
    caseworker retention --purge --confirm-all-listed          # asks you to type the number
    caseworker retention --purge --confirm-all-listed --count 37

Purging removes the personal data and documents of closed cases for good (what stays and what
goes: caseworker.services.records.retention), so it never happens by accident: ``--purge`` alone purges
nothing and says why; it needs the references you checked (``--confirm``), or
``--confirm-all-listed`` and the number of cases listed, typed at the prompt or given with
``--count``. Only a complaints manager may purge (the login must be linked to their officer
record). Each purged case gets one audit event naming who confirmed it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from caseworker.bootstrap import open_app
from caseworker.errors import UserError
from caseworker.reports.period import parse_date
from caseworker.services.records.retention import RetentionList, purge, retention_list


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "retention",
        help="list closed cases past their retention period; purge the ones you confirm",
        description="List the closed cases kept longer than their policy's retention period "
        "(Stockport: 3 years after closure; policies without a period are never listed), or "
        "purge the personal data and documents of the ones a complaints manager confirms. "
        "Purging leaves anonymous counts so past reports do not change, and cannot be undone.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="list the cases due to be purged")
    action.add_argument(
        "--purge",
        action="store_true",
        help="purge the cases confirmed with --confirm or --confirm-all-listed",
    )
    parser.add_argument(
        "--confirm",
        metavar="REF,REF",
        help="the references of the cases to purge, separated by commas; each must be on the list",
    )
    parser.add_argument(
        "--confirm-all-listed",
        action="store_true",
        help="purge every case on the list: you are asked to type how many",
    )
    parser.add_argument(
        "--count",
        type=int,
        metavar="N",
        help="with --confirm-all-listed: the number of cases listed, instead of "
        "typing it at the prompt",
    )
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the date to count retention periods to (default: today)",
    )
    parser.set_defaults(handler=run)


def show(listed: RetentionList) -> None:
    if listed.due:
        print(
            f"{len(listed.due):,} closed case(s) past their retention period on "
            f"{listed.today.isoformat()}:"
        )
        print(f"  {'reference':<16} {'closed on':<11} {'kept until':<11} council")
        for case in listed.due:
            print(
                f"  {case.reference:<16} {case.closed_on.isoformat():<11} "
                f"{case.kept_until.isoformat():<11} {case.council} ({case.years} years)"
            )
    else:
        print(f"No closed case is past its retention period on {listed.today.isoformat()}.")
    if listed.held:
        print(f"Held back although due ({len(listed.held):,}):")
        for case in listed.held:
            print(f"  {case.reference:<16} {case.closed_on.isoformat():<11} {case.held}")
    if listed.policies_without_period:
        print(
            "No retention period is set (cases never listed): "
            + ", ".join(listed.policies_without_period)
            + "."
        )


def run(args: argparse.Namespace) -> int:
    today = parse_date(args.today, "--today") if args.today else dt.date.today()
    if args.list and (args.confirm or args.confirm_all_listed or args.count is not None):
        raise UserError("--confirm, --confirm-all-listed and --count go with --purge, not --list")
    if args.purge:
        if args.confirm and args.confirm_all_listed:
            raise UserError(
                "nothing purged: give either --confirm REF,REF or --confirm-all-listed, not both"
            )
        if not args.confirm and not args.confirm_all_listed:
            raise UserError(
                "nothing purged: --purge removes personal data for good, so it needs the cases "
                "you checked: --confirm REF,REF (see --list), or --confirm-all-listed and the "
                "number of cases typed"
            )
        if args.count is not None and not args.confirm_all_listed:
            raise UserError("nothing purged: --count goes with --confirm-all-listed")
    app = open_app(args.db)
    try:
        with app.uow() as uow:
            listed = retention_list(uow.session, today=today)
            if args.list:
                show(listed)
                return 0
            if args.confirm_all_listed:
                if not listed.due:
                    show(listed)
                    raise UserError("nothing purged: no case is due")
                references = listed.references()
                if args.count is None:
                    show(listed)
                typed = args.count if args.count is not None else _ask(len(references))
                if typed != len(references):
                    raise UserError(
                        f"nothing purged: {len(references):,} case(s) are listed, and the "
                        f"number confirmed was {typed if typed is not None else 'not given'}"
                    )
            else:
                references = [ref for ref in args.confirm.split(",") if ref.strip()]
            result = purge(uow, references, today=today)
            uow.commit()
    finally:
        app.close()
    print(
        f"purged {result.count:,} case(s), confirmed by {result.confirmed_by}: "
        + ", ".join(result.references[:20])
        + (" ..." if result.count > 20 else "")
    )
    if result.complainants_removed:
        print(f"removed {result.complainants_removed:,} complainant record(s) with no other case")
    return 0


def _ask(count: int) -> int | None:
    """Ask for the number of cases listed; None where nobody can answer (no terminal)."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
    else:
        line = input(f"This purges {count:,} case(s) for good. Type {count} to confirm: ")
    try:
        return int(line.strip())
    except ValueError:
        return None
