"""`caseworker annual-report`: the Complaint Handling Code's annual complaints performance and
service improvement report, in Word.

    caseworker annual-report --period 2026/27 --out annual-2026-27.docx
    caseworker annual-report --period 2026/27 --policy stoke-on-trent --out stoke.docx

The self-assessment against the Code, the year's figures (with the complaints not taken on and
why), the service improvements and lessons learnt, the Ombudsmen's decisions, and a page for the
governing body's response. For managers who may see the figures; refused otherwise, with the
rule's words, before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caseworker.bootstrap import open_app
from caseworker.cli.report import period_from
from caseworker.errors import UserError
from caseworker.reports.figures import installed_policies
from caseworker.reports.period import parse_date
from caseworker.reports.service import write_code_annual_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "annual-report",
        help="write the Code's annual complaints performance and service improvement report",
        description="Write the Complaint Handling Code's annual complaints performance and "
        "service improvement report (Word): the self-assessment, the year's figures, the "
        "complaints refused and why, service improvements and lessons learnt, the Ombudsmen's "
        "decisions and a page for the governing body's response.",
    )
    parser.add_argument("--period", metavar="PERIOD", help="a financial year (2026/27), a year")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    parser.add_argument("--policy", metavar="ID", help="only this council's cases")
    parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.docx")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    period = period_from(args)
    if args.out.suffix.lower() != ".docx":
        raise UserError(f"--out: {args.out.name}: the annual report is a Word document (.docx)")
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else None
    if args.policy is not None and args.policy not in installed_policies():
        raise UserError(f"--policy: unknown policy '{args.policy}'")
    app = open_app(args.db)
    try:
        written = write_code_annual_report(
            app.context(), period, args.out, policy_id=args.policy, as_of=as_of
        )
    finally:
        app.close()
    print(
        f"wrote {written}: {period.label}. Lessons and Ombudsman decisions are in officers' "
        "and Ombudsmen's words: read them before publishing.",
        file=sys.stderr,
    )
    return 0
