"""Building a 10-issue outcome letter against writing the same paragraphs with bare python-docx:
within 1.5 times.

    python benchmarks/letter.py [--db URL] [--runs 15]

The case is made once (an upheld, closed demo case given 10 issues with findings, see
``common.case_with``) and loaded with everything the letter reads. "App" is
``build_draft(case, policy, LetterKind.OUTCOME)`` then ``render_letter(draft)`` (the policy's
template filled in, the .docx bytes); "bare" is ``docx.Document()`` with the rendered letter's
paragraphs added one by one with ``add_paragraph`` and saved to bytes. Both are run alternately.
"""

from __future__ import annotations

import argparse
import io
import sys

import common
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseworker.bootstrap import open_app
from caseworker.domain.enums import LetterKind
from caseworker.letters.builder import build_draft
from caseworker.letters.render import document_text, render_letter
from caseworker.policy.loader import get_policy
from caseworker.storage.models import Case, Issue


def measure(url: str, runs: int) -> dict[str, float]:
    case_id = common.case_with(url, common.LETTER_ISSUES, 0, closed=True)
    app = open_app(url, actor="benchmark")
    try:
        with app.sessions() as session:
            case = session.execute(
                select(Case)
                .where(Case.id == case_id)
                .options(
                    selectinload(Case.complainant),
                    selectinload(Case.representative),
                    selectinload(Case.officer),
                    selectinload(Case.interviews),
                    selectinload(Case.issues).selectinload(Issue.notes),
                )
            ).scalar_one()
            policy = get_policy(case.policy_id)

            def app_letter() -> bytes:
                return render_letter(build_draft(case, policy, LetterKind.OUTCOME))

            data = app_letter()
            paragraphs = [p for p in document_text(data) if p.strip()]

            def bare_letter() -> bytes:
                document = Document()
                for text in paragraphs:
                    document.add_paragraph(text)
                out = io.BytesIO()
                document.save(out)
                return out.getvalue()

            bare_letter()
            app_times, bare_times = [], []
            for _ in range(runs):
                bare_times += common.measure(bare_letter, 1, warmup=0)
                app_times += common.measure(app_letter, 1, warmup=0)
            issues = len(case.issues)
    finally:
        app.close()
    return {
        "app": common.median(app_times),
        "bare": common.median(bare_times),
        "paragraphs": len(paragraphs),
        "issues": issues,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_db_arguments(parser)
    parser.set_defaults(runs=15)
    args = parser.parse_args()
    url = common.database(args.db, args.cases)
    r = measure(url, args.runs)
    print(
        f"outcome letter, {r['issues']} issues, {r['paragraphs']} paragraphs, "
        f"median of {args.runs} runs:"
    )
    print(f"  bare python-docx:             {common.ms(r['bare'])}")
    print(f"  build_draft + render_letter:  {common.ms(r['app'])}")
    ratio = r["app"] / r["bare"]
    print(f"  ratio {ratio:.2f}x (target: within 1.5x) {common.verdict(ratio <= 1.5)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
