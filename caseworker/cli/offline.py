"""`caseworker offline`: take cases away on a laptop and bring them back.

    caseworker offline checkout CW-2026-00041 CW-2026-00042 --to ~/visits.sqlite
    caseworker --db sqlite:///$HOME/visits.sqlite            # work on them with no network
    caseworker offline checkin ~/visits.sqlite               # back into the central database
    caseworker offline checkin ~/visits.sqlite --keep mine CW-2026-00042
    caseworker offline list                                  # what is checked out, by whom

    caseworker offline take [REF…]      # into your private data folder (none: your open cases)
    caseworker offline status           # your copy: which cases, since when, the council's limit
    caseworker offline bring-back [--keep mine|theirs REF]   # check it in; removed once all back

``take``, ``status`` and ``bring-back`` work on the copy the app keeps for the officer (the app's
File menu does the same through the same services, :mod:`caseworker.services.team.offline_copy`).

The central database is the one ``--db`` / ``CASEWORKER_DB`` names; the officer is the login at
the keyboard. Only cases they may work on are checked out, and only they check them in. Check-in
applies what changed only in the copy (recorded field by field, by them, at the time each change
was made offline), keeps what changed only centrally, and stops at cases changed on both sides,
listing the differences field by field; ``--keep mine REF`` or ``--keep theirs REF`` decides
one case. A case they may no longer change is refused, with nothing of it applied. Exit status 1
while any case is left undecided or refused. See :mod:`caseworker.services.team.offline`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.bootstrap import open_app
from caseworker.errors import UserError
from caseworker.services.team.offline import (
    CheckinReport,
    Outcome,
    check_in,
    check_out,
    list_checkouts,
)
from caseworker.services.team.offline_copy import age_warning, bring_back, find_copy, take_offline


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "offline",
        help="check cases out to a SQLite file for work offline, and back in",
        description="Check cases out to a local SQLite copy (with their records, letters and "
        "audit trail), work on it with --db sqlite:///FILE, and check it back in; cases "
        "changed on both sides are listed field by field and left for you to decide.",
    )
    actions = parser.add_subparsers(dest="offline_command", metavar="ACTION", required=True)

    out = actions.add_parser(
        "checkout",
        help="copy cases into a new SQLite file",
        description="Copy the cases into a new SQLite database FILE and "
        "mark them checked out (by you, on this machine) centrally.",
    )
    out.add_argument("references", metavar="REF", nargs="+", help="case reference")
    out.add_argument(
        "--to", metavar="FILE", type=Path, required=True, help="the new SQLite file to make"
    )
    out.set_defaults(handler=run_checkout)

    back = actions.add_parser(
        "checkin",
        help="bring an offline copy's cases back",
        description="Compare each case in the copy with the central "
        "database and apply, keep or report it (see `caseworker offline "
        "--help`).",
    )
    back.add_argument("file", metavar="FILE", type=Path, help="the offline copy")
    back.add_argument(
        "--keep",
        nargs=2,
        action="append",
        default=[],
        metavar=("mine|theirs", "REF"),
        help="decide a case changed on both sides: mine (the copy's changes "
        "over the central ones) or theirs (the central version, the copy's changes set "
        "aside; also for a case refused because you may no longer change it); repeatable",
    )
    back.set_defaults(handler=run_checkin)

    lister = actions.add_parser(
        "list",
        help="the cases checked out now",
        description="The cases checked out to offline copies now: "
        "who has each, on which machine, since when.",
    )
    lister.set_defaults(handler=run_list)

    take = actions.add_parser(
        "take",
        help="take cases offline into your private data folder (what the app's File menu does)",
        description="Check the cases (by default your open cases) out into your offline copy "
        "in your private data folder, with the council's policy files and letter templates; "
        "the app opens it when the team database cannot be reached.",
    )
    take.add_argument("references", metavar="REF", nargs="*", help="case reference")
    take.set_defaults(handler=run_take)

    status = actions.add_parser(
        "status",
        help="your offline copy: which cases, since when",
        description="Say what "
        "your offline copy holds, since when, and whether it has been out longer than your "
        "council allows.",
    )
    status.set_defaults(handler=run_status)

    bring = actions.add_parser(
        "bring-back",
        help="bring your offline copy back (removed once everything is back)",
        description="Check your offline copy in to the team database; cases changed on both "
        "sides are listed field by field, to decide with --keep; the copy is removed once "
        "every case is back.",
    )
    bring.add_argument(
        "--keep",
        nargs=2,
        action="append",
        default=[],
        metavar=("mine|theirs", "REF"),
        help="decide a case changed on both sides (as for checkin); repeatable",
    )
    bring.set_defaults(handler=run_bring_back)


def run_checkout(args: argparse.Namespace) -> int:
    app = open_app(args.db)
    try:
        done = check_out(app.context(), args.references, args.to)
    finally:
        app.close()
    print(f"checked out {', '.join(done.references)} to {done.path}")
    print(f"work on it with: caseworker --db sqlite:///{done.path}")
    return 0


def _keep(args: argparse.Namespace) -> dict[str, str]:
    keep: dict[str, str] = {}
    for choice, reference in args.keep:
        if choice not in ("mine", "theirs"):
            raise UserError(f"--keep {choice} {reference}: say mine or theirs")
        keep[reference] = choice
    return keep


def run_checkin(args: argparse.Namespace) -> int:
    keep = _keep(args)
    app = open_app(args.db)
    try:
        report = check_in(app.context(), args.file, keep=keep)
    finally:
        app.close()
    return _print_report(report, f"caseworker offline checkin {args.file}")


def _print_report(report: CheckinReport, again: str) -> int:
    for case in report.cases:
        print(case.message)
        for difference in case.differences:
            print(f"    {difference.describe()}")
        if case.outcome == Outcome.CONFLICT:
            print(
                f"    decide with: {again} --keep mine "
                f"{case.reference}   (or --keep theirs {case.reference})"
            )
    for reference in report.not_carried:
        print(
            f"{reference}: created in the copy, not carried: export it from the copy and "
            "import it (caseworker export / import)"
        )
    waiting = [
        c
        for c in report.cases
        if c.outcome in (Outcome.CONFLICT, Outcome.TRY_AGAIN, Outcome.REFUSED)
    ]
    return 1 if waiting else 0


def run_list(args: argparse.Namespace) -> int:
    app = open_app(args.db)
    try:
        found = list_checkouts(app.context())
    finally:
        app.close()
    if not found:
        print("no cases are checked out")
    for info in found:
        print(f"{info.describe()} ({info.file})")
    return 0


def run_take(args: argparse.Namespace) -> int:
    app = open_app(args.db)
    try:
        done = take_offline(app.context(), list(args.references) or None)
    finally:
        app.close()
    print(f"took {', '.join(done.references)} offline into {done.path.parent}")
    print("the app opens them there when the team database cannot be reached")
    return 0


def run_status(args: argparse.Namespace) -> int:
    import datetime as dt

    copy = find_copy()
    if copy is None:
        print("there is no offline copy on this machine")
        return 0
    print(
        f"offline copy in {copy.folder}: {', '.join(copy.references) or 'every case back'}"
        f" (taken by {copy.taken_by} on {copy.taken_at:%d %B %Y})"
    )
    warning = age_warning(copy, dt.date.today())
    if warning:
        print(warning)
        return 1
    return 0


def run_bring_back(args: argparse.Namespace) -> int:
    keep = _keep(args)
    app = open_app(args.db)
    try:
        report = bring_back(app.context(), keep=keep)
    finally:
        app.close()
    status = _print_report(report, "caseworker offline bring-back")
    print(
        "everything is back: the offline copy has been removed"
        if find_copy() is None
        else "the offline copy stays until every case is back"
    )
    return status
