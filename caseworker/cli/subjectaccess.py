"""`caseworker subject-access`: record a subject access request, see the open ones with their
dates, extend one, find and export everything held about the person, record the answer.

    caseworker subject-access --record --requester "Pat Doe" --name "Pat Doe" \\
        --email pat@example.org --postcode "ST4 1AA" --received 2026-11-02
    caseworker subject-access                       # the requests, with their dates
    caseworker subject-access --find 3              # what is held, item by item
    caseworker subject-access --export 3 --out sar-3.zip
    caseworker subject-access --extend 3 --reason "12 cases over 6 years" --told 2026-11-20
    caseworker subject-access --complete 3 --on 2026-12-01

A complaints manager's (the search reaches every case); every search and export is audited.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.bootstrap import open_app
from caseworker.errors import UserError
from caseworker.reports.period import parse_date
from caseworker.services.records import subjectaccess as sar


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "subject-access",
        help="subject access requests: record, find and export a person's data, the clock",
        description="Subject access requests (a complaints manager's, audited). With no "
        "option, lists the requests and when each is due.",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--record", action="store_true", help="record a new request")
    action.add_argument("--find", type=int, metavar="ID", help="list what is held")
    action.add_argument("--export", type=int, metavar="ID", help="write the disclosure zip")
    action.add_argument("--extend", type=int, metavar="ID", help="extend by two months")
    action.add_argument("--complete", type=int, metavar="ID", help="record the answer")
    parser.add_argument("--requester", default="", help="who made the request")
    for name in ("name", "email", "phone", "address", "postcode"):
        parser.add_argument(f"--{name}", default="", help=f"the person's {name} to look for")
    parser.add_argument("--received", metavar="YYYY-MM-DD", help="when the request came")
    parser.add_argument("--reason", default="", help="why the request is complex")
    parser.add_argument("--told", metavar="YYYY-MM-DD", help="when the requester was told")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="when the answer was sent")
    parser.add_argument("--out", type=Path, metavar="FILE.zip")
    parser.set_defaults(handler=run)


def _show(request: sar.RequestView) -> str:
    state = f"answered {request.completed_on}" if request.completed_on else "open"
    extended = f", extended to {request.extended_to}" if request.extended_to else ""
    return (
        f"{request.label}  {request.requester}  received {request.received}, due {request.due}"
        f"{extended}  ({state})"
    )


def run(args: argparse.Namespace) -> int:
    if args.record and not args.received:
        raise UserError("--received missing: give the day the request came (YYYY-MM-DD)")
    if args.export is not None and args.out is None:
        raise UserError("--out missing: give the zip file to write")
    if args.complete is not None and not args.on:
        raise UserError("--on missing: give the day the answer was sent")
    app = open_app(args.db)
    try:
        ctx = app.context()
        if args.record:
            request = sar.record_request(
                ctx,
                sar.SubjectAccessIn(
                    requester=args.requester,
                    received=parse_date(args.received, "--received"),
                    name=args.name,
                    email=args.email,
                    phone=args.phone,
                    address=args.address,
                    postcode=args.postcode,
                ),
            )
            print(f"recorded {_show(request)}")
        elif args.find is not None:
            findings = sar.find_subject(ctx, args.find)
            for number, item in enumerate(findings.items, start=1):
                review = f"  REVIEW: names {', '.join(item.third_parties)}" if item.review else ""
                print(
                    f"{number:>4}  {item.reference or '-':<14} {item.record}  "
                    f"(matched on {item.matched_on}){review}"
                )
            print(f"{len(findings.items)} items on {len(findings.cases)} cases")
        elif args.export is not None:
            written = sar.export_subject_access(ctx, args.export, args.out)
            print(f"wrote {written}")
        elif args.extend is not None:
            told = parse_date(args.told, "--told") if args.told else None
            extended = sar.extend_request(ctx, args.extend, reason=args.reason, told_on=told)
            print(f"extended {_show(extended)}")
        elif args.complete is not None:
            done = sar.complete_request(ctx, args.complete, on=parse_date(args.on, "--on"))
            print(f"answered {_show(done)}")
        else:
            requests = sar.list_requests(ctx)
            if not requests:
                print("no subject access requests recorded")
            for request in requests:
                print(_show(request))
    finally:
        app.close()
    return 0
