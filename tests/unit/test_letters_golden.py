"""Every kind of letter for every council, compared as text with its reviewed reference.

A difference fails here; if the new wording is right, write the references again with
``python -m caseworker.letters.golden --update`` and review the change in the diff.
"""

from __future__ import annotations

import pytest

from caseworker.domain.enums import LetterKind
from caseworker.letters.builder import build_draft
from caseworker.letters.examples import EXAMPLES
from caseworker.letters.golden import bundled_policy_ids, golden_path, golden_text
from caseworker.policy.loader import get_policy

CASES = [(policy_id, example) for policy_id in bundled_policy_ids() for example in EXAMPLES]


@pytest.mark.parametrize(("policy_id", "example"), CASES, ids=[f"{p}-{e.name}" for p, e in CASES])
def test_letter_matches_its_reviewed_reference(policy_id, example) -> None:  # noqa: ANN001
    path = golden_path(example, policy_id)
    assert path.is_file(), f"no reference {path}: run python -m caseworker.letters.golden --update"
    expected = path.read_text(encoding="utf-8")
    assert golden_text(example, get_policy(policy_id, [])) == expected, (
        f"{path} differs: if the change is right, run "
        "python -m caseworker.letters.golden --update and review the diff"
    )


def test_the_references_hold_every_kind_of_letter() -> None:
    kinds = set()
    for example in EXAMPLES:
        case = example.case()
        policy = get_policy(example.policy_id, [])
        kinds.add(build_draft(case, policy, example.kind, date=example.date).kind)
    assert kinds == set(LetterKind)
