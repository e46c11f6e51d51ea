"""Golden letters: every kind for every council, as text, compared with reviewed references.

    python -m caseworker.letters.golden            # compare; exit 1 and show the differences
    python -m caseworker.letters.golden --update   # write the references again (review the diff)

Each example case of :mod:`caseworker.letters.examples` (invented people, dates pinned) is put
under every bundled policy and its letter built with the bundled templates and phrase books; the
reference is the text of the Word document, then its checks. A letter the case cannot have under
that council is kept as the refusal, so a refusal that changes is seen as surely as a sentence.
The references live in ``tests/golden/letters/<policy-id>/<example>.txt`` and change only through
``--update``, so every change of wording is reviewed in the diff.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from caseworker.domain.enums import RouteId
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft, default_kind
from caseworker.letters.checks import check_letter
from caseworker.letters.examples import EXAMPLES, Example
from caseworker.letters.render import document_text, render_letter
from caseworker.policy.loader import get_policy, load_policies
from caseworker.policy.schema import Policy

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "tests" / "golden" / "letters"


def bundled_policy_ids() -> list[str]:
    return sorted(load_policies([]))


def golden_text(example: Example, policy: Policy) -> str:
    """The letter ``example`` gets under ``policy``, as the reference holds it."""
    case = example.case()
    # The kind the example is about (under its own council), whatever this council's routes.
    kind = example.kind or default_kind(case, get_policy(example.policy_id, []))
    case.policy_id = policy.id
    head = f"# {example.title}, under {policy.id}\n"
    if case.route not in {route.id for route in policy.routes}:
        head += f"# (policy {policy.id} has no {case.route.value} route: the corporate one)\n"
        case.route = RouteId.CORPORATE
    head += "\n"
    try:
        draft = build_draft(case, policy, kind, date=example.date)
    except UserError as error:
        return head + f"REFUSED: {error}\n"
    lines = [line.rstrip() for line in document_text(render_letter(draft))]
    body = "\n".join(line for line in lines if line.strip())
    gaps = [f"- {gap}" for gap in check_letter(draft, case, policy)]
    checks = "\n".join(gaps) if gaps else "complete"
    return f"{head}{body}\n\n## checks\n{checks}\n"


def golden_path(example: Example, policy_id: str, folder: Path = GOLDEN_DIR) -> Path:
    return folder / policy_id / f"{example.name}.txt"


def all_golden() -> dict[Path, str]:
    texts: dict[Path, str] = {}
    for policy_id in bundled_policy_ids():
        policy = get_policy(policy_id, [])
        for example in EXAMPLES:
            texts[golden_path(example, policy_id)] = golden_text(example, policy)
    return texts


def differences(texts: dict[Path, str]) -> list[str]:
    """A unified diff per letter that differs from its reference (or has none)."""
    found = []
    for path, text in texts.items():
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if old != text:
            diff = difflib.unified_diff(
                old.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{path} (reference)",
                f"{path} (now)",
            )
            found.append("".join(diff))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the references again")
    args = parser.parse_args(argv)
    texts = all_golden()
    if args.update:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"wrote {len(texts)} references in {GOLDEN_DIR}: review them with git diff")
        return 0
    found = differences(texts)
    for diff in found:
        print(diff)
    print(f"{len(found)} of {len(texts)} letters differ from their references")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
