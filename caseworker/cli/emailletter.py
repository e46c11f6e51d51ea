"""`caseworker email-letter`: email a case's saved letter to its addressee, PDF and Word attached.

    caseworker email-letter CW-2026-00042 --draft ~/Desktop      # an .eml to send from Outlook
    caseworker email-letter CW-2026-00042 --kind outcome         # through the council's server

Without --draft the message goes through the mail server named in ``mail.toml`` in the data
folder, and the case records it (see caseworker.services.evidence.outbox).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from caseworker.bootstrap import open_app
from caseworker.domain.enums import LetterKind
from caseworker.services.evidence.outbox import email_letter, last_saved_letter
from caseworker.services.letters import case_with_reference


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "email-letter",
        help="email a case's saved letter (PDF and Word) to its addressee",
        description="Email the most recently saved letter of a case (or of --kind) to the "
        "person it is addressed to, as a draft .eml (--draft) or through the council's mail "
        "server set in mail.toml in the data folder.",
    )
    parser.add_argument("reference", help="the case reference, e.g. CW-2026-00042")
    parser.add_argument("--kind", choices=[k.value for k in LetterKind])
    parser.add_argument(
        "--draft", type=Path, metavar="PATH", help="write a draft .eml (a folder or a file)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    app = open_app(args.db)
    try:
        ctx = app.context()
        case_id = case_with_reference(ctx, args.reference)
        letter_id = last_saved_letter(ctx, case_id, LetterKind(args.kind) if args.kind else None)
        done = email_letter(ctx, letter_id, draft_to=args.draft)
    finally:
        app.close()
    if done.sent:
        print(f"sent '{done.subject}' to {done.to}; recorded on the case")
    else:
        print(f"wrote the draft {done.draft} ('{done.subject}' to {done.to})")
    return 0
