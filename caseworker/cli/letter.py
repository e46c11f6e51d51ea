"""`caseworker letter`: build a stored case's letter as a Word document, and check it.

    caseworker letter CW-2026-00042 --out letter.docx            # the letter the case needs now
    caseworker letter CW-2026-00042 --kind extension --out x.docx
    caseworker letter CW-2026-00042 --check                      # what is missing; exit 1 if any
    caseworker letter CW-2026-00042 --out letter.docx --pdf      # also letter.pdf (LibreOffice)
    caseworker letter --check-templates                          # every template a council uses

By default the letter is the stage 1 outcome letter at stage 1 and the decision letter at later
stages (the withdrawal or discontinuation letter for a case with that outcome, the reply to the
Member/MP on a member-enquiry route). ``--record`` keeps the document on the case as evidence.

Who may do what is the app's rule: building or checking a letter needs leave to see the case,
and ``--record`` keeps it through the same service as the case file's "Save as Word document"
(leave to work on the case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from caseworker.domain.enums import LetterKind
from caseworker.errors import UserError

KINDS = [kind.value for kind in LetterKind]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "letter",
        help="build a case's letter as a Word document, and check what it lacks",
        description="Build the letter for a stored case from its recorded findings, following "
        "the case's policy, and check it against Appendix A and the policy's required elements.",
    )
    parser.add_argument("reference", nargs="?", metavar="REF", help="the case reference")
    parser.add_argument(
        "--out", metavar="FILE.docx", type=Path, help="write the letter to this Word file"
    )
    parser.add_argument(
        "--kind", choices=KINDS, help="which letter (default: the one the case needs now)"
    )
    parser.add_argument(
        "--stage",
        type=int,
        metavar="N",
        help="the stage the letter is for (default: the case's stage)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", type=_date, help="the date on the letter (default: today)"
    )
    parser.add_argument(
        "--template",
        metavar="FILE.docx",
        type=Path,
        help="use this Word template instead of the council's",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="list what the letter lacks; exit status 1 if anything is missing",
    )
    parser.add_argument(
        "--pdf", action="store_true", help="also write a PDF beside --out (needs LibreOffice)"
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help="keep the document on the case as evidence (needs --out)",
    )
    parser.add_argument(
        "--despite",
        metavar="REASON",
        default="",
        help="with --record: keep a letter whose checks fail, for this reason (kept and audited)",
    )
    parser.add_argument(
        "--check-templates",
        action="store_true",
        help="check every letter template the councils would use, and exit",
    )
    parser.set_defaults(handler=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-03-27") from None


def run(args: argparse.Namespace) -> int:
    if args.check_templates:
        return _check_templates()
    if not args.reference:
        raise UserError(
            "give a case reference, e.g. caseworker letter CW-2026-00042 --out letter.docx"
        )
    if args.out is None and not args.check:
        raise UserError("give --out FILE.docx to write the letter, --check to check it, or both")
    if args.despite and not args.record:
        raise UserError("--despite gives the reason for keeping a letter: use it with --record")
    if (args.pdf or args.record) and args.out is None:
        raise UserError("--pdf and --record need --out FILE.docx")
    if args.out is not None and args.out.suffix.lower() != ".docx":
        raise UserError(f"--out must name a .docx file, not '{args.out}'")

    from caseworker.bootstrap import open_app
    from caseworker.services import letters

    kind = LetterKind(args.kind) if args.kind else None
    app = open_app(args.db)
    try:
        ctx = app.context()
        case_id = letters.case_with_reference(ctx, args.reference)
        letter: letters.LetterPreview | None
        if args.record:  # kept through the same service as the app's Save
            letter = letters.save_letter(
                ctx,
                case_id,
                kind,
                stage=args.stage,
                date=args.date,
                template=args.template,
                despite=args.despite,
            ).letter
        else:
            letter = letters.preview_letter(
                ctx, case_id, kind, stage=args.stage, date=args.date, template=args.template
            )
    finally:
        app.close()

    assert letter is not None
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(letter.content)
        print(
            f"wrote {args.out} ({letter.kind.value} letter, stage {letter.stage}, "
            f"to {letter.addressee})"
        )
        if args.record:
            print(f"recorded on case {letter.reference}")

    if args.pdf:
        from caseworker.letters.pdf import convert_to_pdf

        print(f"wrote {convert_to_pdf(args.out)}")

    stream = sys.stdout if args.check else sys.stderr
    for note in letter.notes:
        print(f"note: {note}", file=stream)
    for gap in letter.gaps:
        print(f"missing: {gap}", file=stream)
    if args.check:
        score = f"{letter.score:.0f}" if letter.score is not None else "-"
        print(f"reading ease: {score} ({letter.verdict})")
        for advice in letter.advice:
            print(f"advice: {advice}")
        if not letter.gaps:
            print("complete: nothing the policy or Appendix A requires is missing")
    return 1 if args.check and letter.gaps else 0


def _check_templates() -> int:
    from caseworker.letters.phrases import validate_books
    from caseworker.letters.templates import search_dirs, validate_all
    from caseworker.policy.loader import get_policy, load_policies, user_policy_dir

    policies = sorted(load_policies([user_policy_dir()]))
    problems = validate_all(policies) + validate_books(policies)
    for policy_id in policies:  # not a fault of the templates, but no letter is right without
        for key, value in get_policy(policy_id, [user_policy_dir()]).placeholder_values():
            print(
                f"unfinished set-up: policy '{policy_id}' still has a placeholder {key} "
                f"('{value}'): set it in the policy file"
            )
    for problem in problems:
        print(problem)
    if not problems:
        print(
            "OK: every letter template can be used, and every phrase book "
            f"({len(policies)} policies)."
        )
        print("Templates are looked for in these folders, first found wins:")
        for folder in search_dirs("<policy-id>"):
            print(f"  {folder}")
    return 1 if problems else 0
