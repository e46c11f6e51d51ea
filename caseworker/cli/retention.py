"""`caseworker retention`: list the cases past their policy's retention period, and purge them.

    caseworker retention --list
    caseworker retention --list --today 2027-04-01             # what will be due by then
    caseworker retention --purge --confirm CW-2022-00017,CW-2022-00021
    caseworker retention --purge --confirm-all-listed          # asks you to type the number
    caseworker retention --purge --confirm-all-listed --count 37

Purging removes the personal data and documents of closed cases for good (what stays and what
goes: caseworker.services.records.retention), so it never happens by accident: ``--purge`` alone
purges nothing and says why; it needs the references you checked (``--confirm``), or
``--confirm-all-listed`` and the number of cases listed, typed at the prompt or given with
``--count``. What is due is counted from the real date: ``--today`` only looks ahead with
``--list``, and a purge refuses it, so no case is ever purged before its retention date. Only a
complaints manager may purge, and managers may list (the login must be linked to their officer
record). Each purged case gets one audit event naming who confirmed it.
"""

from __future__ import annotations

import argparse
import sys

from caseworker.bootstrap import open_app
from caseworker.domain.refusals import Refused
from caseworker.errors import UserError
from caseworker.reports.period import parse_date
from caseworker.services.records.retention import (
    RetentionList,
    purge,
    retention_list,
    why_not_purge,
)

TODAY_LOOKS_AHEAD = (
    "nothing purged: --today only looks ahead with --list (what will become due by then); a "
    "purge counts from the real date, so no case is purged before its retention date"
)


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
        help="with --list: a later date, to see what will be due by then (a purge always counts "
        "from the real date)",
    )
    parser.set_defaults(handler=run)


def show(listed: RetentionList) -> None:
    if not listed.due:
        print(f"No closed case is past its retention period on {listed.today.isoformat()}.")
    elif listed.ahead:
        print(
            f"{len(listed.due):,} closed case(s) will be past their retention period by "
            f"{listed.today.isoformat()} (looking ahead: each may be purged from the day after "
            "it is kept until, not before):"
        )
    else:
        print(
            f"{len(listed.due):,} closed case(s) past their retention period on "
            f"{listed.today.isoformat()}:"
        )
    if listed.due:
        print(f"  {'reference':<16} {'closed on':<11} {'kept until':<11} council")
    for case in listed.due:
        print(
            f"  {case.reference:<16} {case.closed_on.isoformat():<11} "
            f"{case.kept_until.isoformat():<11} {case.council} ({case.years} years)"
        )
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
    on = parse_date(args.today, "--today") if args.today else None
    if args.list and (args.confirm or args.confirm_all_listed or args.count is not None):
        raise UserError("--confirm, --confirm-all-listed and --count go with --purge, not --list")
    if args.purge:
        if on is not None:
            raise UserError(TODAY_LOOKS_AHEAD)
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
        ctx = app.context()
        if args.list:
            show(retention_list(ctx, on=on))
            return 0
        refusal = why_not_purge(ctx)  # said first: the list is not what was asked for
        if refusal is not None:
            raise Refused(refusal)
        if args.confirm_all_listed:
            listed = retention_list(ctx)
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
        result = purge(ctx, references)
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
