"""The council's wording: phrase books found per council, changed without a programmer, and
refused by file, line and why when broken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from caseworker.domain.enums import Finding, Outcome
from caseworker.letters.builder import build_draft
from caseworker.letters.draft import LetterDraft, SectionKey
from caseworker.letters.examples import base_case, bin_issues
from caseworker.letters.phrases import PhraseError, phrase_book, validate_books
from caseworker.letters.render import document_text, render_letter
from caseworker.letters.templates import user_template_dir
from caseworker.policy.loader import get_policy

DATE = dt.date(2026, 3, 27)


def upheld(policy_id: str = "stockport"):  # noqa: ANN201
    case = base_case(policy_id=policy_id, outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    return case


def council_book(policy_id: str, text: str) -> Path:
    folder = user_template_dir() / policy_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "phrases.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_councils_phrase_changed_takes_effect_for_that_council_only() -> None:
    council_book(
        "stockport",
        "# Stockport's own apology\n[apology.upheld]\nWe apologise to {{ you }} for our service,\n"
        "which fell short.\n",
    )
    case = upheld()
    draft = build_draft(case, get_policy("stockport"), date=DATE)
    assert draft.text_of(SectionKey.APOLOGY) == (
        "We apologise to you for our service, which fell short."
    )
    # Every phrase it did not copy still comes from the shared book.
    assert draft.text_of(SectionKey.CLOSING).startswith(
        "Thank you for bringing this to our attention"
    )
    other = build_draft(upheld("warwickshire"), get_policy("warwickshire"), date=DATE)
    assert other.text_of(SectionKey.APOLOGY).startswith("I am sorry that the Council")


def test_a_large_print_footer_that_offers_large_print_again_is_refused() -> None:
    council_book(
        "stockport",
        "[footer.formats.large_print]\nAsk us for large print or Braille.\n",
    )
    with pytest.raises(PhraseError, match="already in large print"):
        phrase_book("stockport")


def test_a_capitalised_field_is_filled_in_with_a_capital() -> None:
    council_book("stockport", "[decision.upheld]\n{{ Complaint }} has been upheld.\n")
    draft = build_draft(upheld(), get_policy("stockport"), date=DATE)
    assert draft.text_of(SectionKey.DECISION).endswith(" Your complaint has been upheld.")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "[apology.upheld]\nI am sorry for the trouble this caused {{ yuo }}.\n",
            "line 1: [apology.upheld]: unknown field {{ yuo }}: did you mean {{ you }}?",
        ),
        (
            "\n[apology.upheld]\nI am sorry, «Name».\n",
            "line 2: [apology.upheld]: «Name» is a Word mail-merge field, which Caseworker "
            "does not fill in: write {{ name }}",
        ),
        (
            "[apology.upheld]\nI am sorry, {you}.\n",
            "line 1: [apology.upheld]: {you} has single brackets: write {{ you }} "
            "(two on each side)",
        ),
        (
            "[apology.upheld]\nThe Council regrets the matter.\n",
            "line 1: [apology.upheld] no longer says what it must: Appendix A: an upheld "
            "letter apologises",
        ),
        (
            "[decision.not-upheld]\nI have looked at {{ complaint }}.\n",
            "line 1: [decision.not-upheld] no longer says what it must: Appendix A: the letter "
            "says plainly that the complaint is not upheld",
        ),
        (
            "[apology.upheld]\n\n",
            "line 1: [apology.upheld] is empty: every letter that uses it needs these words",
        ),
        (
            "[apology.uphold]\nI am sorry.\n",
            "line 1: [apology.uphold] is not a phrase Caseworker uses "
            "(did you mean [apology.upheld]?)",
        ),
        (
            "[next_stage]\nIf you are unhappy, ask for stage {{ number }}.\n",
            "line 1: [next_stage] must keep {{ contact }} (who to contact, e.g. the Corporate "
            "Complaints Manager): the letter is incomplete without it",
        ),
        (
            "[ombudsman.final]\nAsk {{ ombudsman }} to look at it {{ when.\n",
            "line 1: [ombudsman.final]: a field's brackets are not closed ({{ without }})",
        ),
        (
            "[issue.upheld]\nI have looked into this part of {{ complaint }}.\n",
            "line 1: [issue.upheld] no longer says what it must: Appendix A: each issue says "
            "plainly that it is upheld",
        ),
        (
            "[issue.heading]\nPoint\n",
            "line 1: [issue.heading] must keep {{ issue_number }} (the issue's number in the "
            "letter: 1, 2…): the letter is incomplete without it",
        ),
    ],
)
def test_a_broken_phrase_is_refused_by_file_line_and_why(text: str, why: str) -> None:
    path = council_book("stockport", text)
    with pytest.raises(PhraseError) as refused:
        build_draft(upheld(), get_policy("stockport"), date=DATE)
    assert f"{path}, {why}" in str(refused.value)
    assert f"{path}, {why}" in validate_books(["stockport"])
    # Another council's letters are not held up by Stockport's book.
    assert validate_books(["warwickshire"]) == []


def test_a_phrase_given_twice_is_refused() -> None:
    path = council_book(
        "stockport", "[closing.upheld]\nThank you.\n\n[closing.upheld]\nThanks again.\n"
    )
    with pytest.raises(PhraseError, match="line 4: \\[closing.upheld\\] is given twice"):
        phrase_book("stockport")
    assert path.is_file()


def test_the_bundled_books_are_sound() -> None:
    policies = ["stockport", "warwickshire", "southampton", "stoke-on-trent"]
    assert validate_books(policies + ["information-governance", "complaint-handling-code"]) == []


def test_the_readme_lists_every_field_a_phrase_may_use() -> None:
    import re

    from caseworker.letters.phrases import FIELD_HELP
    from caseworker.letters.templates import bundled_template_dir

    readme = (bundled_template_dir() / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("## Your council's own wording") :]
    part = part[: part.index("## Editing a template in Word")]
    assert set(re.findall(r"\{\{ ([a-z_]+) \}\}", part)) >= set(FIELD_HELP)


def test_each_issues_lines_are_the_councils_words_too() -> None:
    council_book(
        "stockport",
        "[issue.heading]\nPoint {{ issue_number }} of {{ complaint }}\n\n"
        "[issue.upheld]\nWe have upheld this point, {{ name }}.\n\n"
        "[issue.put_right]\nPutting it right:\n",
    )
    lines = document_text(render_letter(build_draft(upheld(), get_policy("stockport"), date=DATE)))
    assert "Point 1 of your complaint" in lines and "Point 2 of your complaint" in lines
    assert lines.count("We have upheld this point, Mrs Patel.") == 2
    assert any(line.startswith("Putting it right: Your road was added back") for line in lines)
    assert not any(line.startswith(("ISSUE", "I have upheld this part")) for line in lines)
    # Warwickshire's letters keep the shared book's words.
    other = build_draft(upheld("warwickshire"), get_policy("warwickshire"), date=DATE)
    other_lines = document_text(render_letter(other))
    assert "ISSUE 1" in other_lines
    assert "I have upheld this part of your complaint." in other_lines


def test_a_draft_kept_before_its_wording_was_still_makes_its_letter() -> None:
    draft = build_draft(upheld(), get_policy("stockport"), date=DATE)
    kept = draft.to_dict()
    del kept["wording"]
    lines = document_text(render_letter(LetterDraft.from_dict(kept)))
    assert lines == document_text(render_letter(draft))
