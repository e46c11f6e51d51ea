"""`caseworker report`: the complaint figures for a period, written to Excel, CSV or Word.

    caseworker report --from 2026-04-01 --to 2027-03-31 --out annual.docx
    caseworker report --period 2026Q3 --policy stockport --out q3.xlsx
    caseworker report --period 2026 --out 2026.csv       # one long CSV, a line per figure
    caseworker report --period 2026/27 --out 2026-27.zip # one CSV per table

The format follows the extension (.xlsx, .csv, .zip, .docx: see caseworker.reports.export). The
report holds counts only, never personal data. Bad dates, a period that ends before it starts, an
unknown policy or extension are refused with a message and exit status 2, before anything is
written; so is a login that may not see the figures (complaints managers and line managers may:
caseworker.services.permissions.figures_refusal).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from caseworker.bootstrap import open_app
from caseworker.errors import UserError
from caseworker.reports.export import FORMATS, check_format
from caseworker.reports.figures import installed_policies
from caseworker.reports.period import Period, parse_date
from caseworker.reports.service import export_report, report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the complaint figures for a period to Excel, CSV or Word",
        description="Count the complaints of a period (both dates included) and write the "
        "report: received and closed by stage, route, service and channel; outcomes; "
        "timeliness; extensions; escalation; the Ombudsman; remedies; lessons learnt; "
        "reasonable adjustments; the Complaint Handling Code self-assessment. Counts only: no "
        "personal data. The format follows the file's extension: "
        + "; ".join(f"{ext} {what}" for ext, what in FORMATS.items())
        + ".",
    )
    parser.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help="the first day of the period"
    )
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="the last day of the period")
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        help="instead of --from and --to: a year (2026), a quarter (2026Q3) or a "
        "financial year (2026/27)",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        type=Path,
        help="the file to write: FILE.xlsx, FILE.csv, FILE.zip or FILE.docx",
    )
    parser.add_argument(
        "--policy",
        metavar="ID",
        help="only the cases of this policy (council); default: every policy",
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="YYYY-MM-DD",
        help="the date open actions and remedies are counted at (default: today)",
    )
    parser.set_defaults(handler=run)


def period_from(args: argparse.Namespace) -> Period:
    if args.period is not None:
        if args.start is not None or args.end is not None:
            raise UserError("give either --period or --from and --to, not both")
        return Period.parse(args.period)
    if args.start is None or args.end is None:
        missing = " and ".join(
            name for name, value in (("--from", args.start), ("--to", args.end)) if value is None
        )
        raise UserError(f"{missing} missing: give --from and --to (YYYY-MM-DD), or --period")
    return Period(parse_date(args.start, "--from"), parse_date(args.end, "--to"))


def run(args: argparse.Namespace) -> int:
    period = period_from(args)
    check_format(args.out)
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else None
    policies = installed_policies()
    if args.policy is not None and args.policy not in policies:
        raise UserError(
            f"--policy: unknown policy '{args.policy}'; known policies: "
            + ", ".join(sorted(policies))
        )
    app = open_app(args.db)
    try:
        ctx = app.context()
        counted = report(ctx, period, policy_id=args.policy, as_of=as_of)
        written = export_report(ctx, counted, args.out)
    finally:
        app.close()
    received = counted.headline("Complaints received").value or 0
    closed = counted.headline("Cases closed").value or 0
    print(
        f"wrote {written}: {period.label}, {counted.scope}: {received:,} complaints received, "
        f"{closed:,} cases closed (counted in {counted.seconds:.1f}s)",
        file=sys.stderr,
    )
    return 0
