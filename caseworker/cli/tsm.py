"""`caseworker homes` and `caseworker tsm`: the number of homes the council owns, and the Tenant
Satisfaction Measures CH01 and CH02 for the council as landlord.

    caseworker homes                                   # every figure recorded, newest first
    caseworker homes --set 12480 --as-at 2027-03-31 --source "stock return 2026/27"
    caseworker tsm --period 2026/27                    # CH01 and CH02, stage 1 and stage 2

Recording the number of homes is a complaints manager's (audited); the measures are for whoever
may see the complaint figures. How each is counted: docs/reports/tsm.md.
"""

from __future__ import annotations

import argparse
import sys

from caseworker.bootstrap import open_app
from caseworker.cli.report import period_from
from caseworker.errors import UserError
from caseworker.reports.period import parse_date
from caseworker.reports.service import tsm
from caseworker.reports.tsm import STAGES
from caseworker.services.records.homes import homes_history, record_homes


def register(subparsers: argparse._SubParsersAction) -> None:
    homes = subparsers.add_parser(
        "homes",
        help="the number of homes the council owns as landlord (for CH01)",
        description="List the number of homes recorded, or record a new figure with its date "
        "(a complaints manager's; audited). CH01 uses the latest figure as at the reporting "
        "year's last day or before.",
    )
    homes.add_argument("--set", dest="homes", metavar="N", help="record N homes")
    homes.add_argument(
        "--as-at", dest="as_at", metavar="YYYY-MM-DD", help="the date the figure is as at"
    )
    homes.add_argument("--source", default="", help="where the figure comes from")
    homes.set_defaults(handler=run_homes)

    measures = subparsers.add_parser(
        "tsm",
        help="the Tenant Satisfaction Measures CH01 and CH02 for a reporting year",
        description="Count CH01 (complaints per 1,000 homes) and CH02 (% responded to within "
        "the Complaint Handling Code's timescales) for housing complaints, stage 1 and stage 2 "
        "separately. The Regulator's year is a financial year: --period 2026/27.",
    )
    measures.add_argument("--period", metavar="PERIOD", help="2026/27, 2026, 2026Q3")
    measures.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    measures.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    measures.add_argument("--policy", metavar="ID", help="only this council's cases")
    measures.set_defaults(handler=run_tsm)


def _count(text: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise UserError(f"--set: '{text}' is not a whole number of homes") from None


def run_homes(args: argparse.Namespace) -> int:
    homes = None
    as_at = None
    if args.homes is not None:
        homes = _count(args.homes)
        if args.as_at is None:
            raise UserError("--as-at missing: give the date the number of homes is as at")
        as_at = parse_date(args.as_at, "--as-at")
    elif args.as_at is not None:
        raise UserError("--as-at without --set: give the number of homes too")
    app = open_app(args.db)
    try:
        ctx = app.context()
        if homes is not None and as_at is not None:
            figure = record_homes(ctx, homes=homes, as_at=as_at, source=args.source)
            print(f"recorded {figure.homes:,} homes as at {figure.as_at.isoformat()}")
            return 0
        figures = homes_history(ctx)
    finally:
        app.close()
    if not figures:
        print("no number of homes recorded: caseworker homes --set N --as-at YYYY-MM-DD")
    for f in figures:
        print(f"{f.as_at.isoformat()}  {f.homes:>9,}  {f.recorded_by}  {f.source}".rstrip())
    return 0


def run_tsm(args: argparse.Namespace) -> int:
    period = period_from(args)
    app = open_app(args.db)
    try:
        figures = tsm(app.context(), period, policy_id=args.policy)
    finally:
        app.close()
    homes = figures.homes
    print(f"Tenant Satisfaction Measures, {period.label}")
    print(
        f"homes owned: {homes.homes:,} as at {homes.as_at.isoformat()}"
        if homes
        else "homes owned: none recorded on or before the year's end (CH01 blank)"
    )
    for stage in STAGES:
        ch01 = figures.ch01(stage)
        ch02 = figures.ch02(stage)
        counted = figures.responses[stage]
        print(
            f"stage {stage}: CH01 {'-' if ch01 is None else f'{ch01:.1f}'} per 1,000 homes "
            f"({figures.received[stage]} received); CH02 "
            f"{'-' if ch02 is None else f'{ch02:.1f}%'} ({counted.on_time} of {counted.sent} "
            f"responses within the Code's timescales, {counted.on_time_by_extension} by an "
            f"agreed extension)"
            + (
                f"; {counted.not_held} responses whose dates are not held"
                if counted.not_held
                else ""
            )
        )
    if figures.responses[1].not_held:
        print(
            "(dates not held: cases imported at stage 2, without their stage 1 history)",
            file=sys.stderr,
        )
    return 0
