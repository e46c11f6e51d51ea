"""Plain-English advice (Stockport 4.5): long sentences and jargon flagged, with a score."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import Finding, Outcome
from caseworker.letters.builder import build_draft
from caseworker.letters.draft import LetterDraft, SectionKey
from caseworker.letters.examples import base_case, bin_issues
from caseworker.letters.plain import flesch, plain_english, sentences, syllables
from caseworker.policy.loader import get_policy


def draft() -> LetterDraft:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)
    return build_draft(case, get_policy("stockport"), date=dt.date(2026, 3, 27))


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("bin", 1),
        ("complaint", 2),
        ("table", 2),
        ("Council", 2),
        ("upheld", 2),
        ("investigation", 5),
        ("readable", 3),
        ("Łódź", 1),
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_flesch_reading_ease_of_known_texts() -> None:
    easy, words, said = flesch("The cat sat on the mat. The dog ran.")
    assert (words, said) == (9, 2) and easy is not None and easy > 100
    hard, _, _ = flesch(
        "Notwithstanding the aforementioned considerations, the organisational "
        "investigation necessitated comprehensive documentation."
    )
    assert hard is not None and hard < 0
    assert flesch("") == (None, 0, 0)


def test_sentences_split_after_full_stops_but_not_inside_numbers() -> None:
    assert sentences("We paid £35.50 on 3 March. It was late! Was it?") == [
        "We paid £35.50 on 3 March.",
        "It was late!",
        "Was it?",
    ]
    assert sentences("• first point\n• second point") == ["first point", "second point"]


def test_the_builders_own_wording_is_plain() -> None:
    report = plain_english(draft())
    assert report.score is not None and report.score >= 60
    assert report.verdict == "easy to read"
    assert report.advice == []


def test_long_sentences_jargon_and_abbreviations_are_flagged() -> None:
    letter = draft()
    letter.issues[0].explanation = (
        "Pursuant to the aforementioned policy, and in accordance with the procedure which was "
        "subsequently adopted by the service prior to the commencement of the new round, the "
        "crew were instructed to utilise the revised schedule. Please contact the LGSCO, e.g. "
        "by phone."
    )
    advice = [str(a) for a in plain_english(letter).advice]
    assert any(a.startswith("Issue 1, explanation: a sentence of 35 words") for a in advice)
    for term in (
        "pursuant to",
        "aforementioned",
        "in accordance with",
        "subsequently",
        "prior to",
        "utilise",
        "e.g.",
    ):
        assert f"Issue 1, explanation: '{term}' is jargon" in " ".join(advice), term
    assert any("'LGSCO' may not be understood" in a for a in advice)


def test_hard_text_lowers_the_score_and_says_so() -> None:
    letter = draft()
    letter.set_text(
        SectionKey.CLOSING,
        " ".join(
            [
                "Notwithstanding organisational considerations, comprehensive investigative "
                "documentation necessitated reconsideration."
            ]
            * 20
        ),
    )
    report = plain_english(letter)
    assert report.score is not None and report.score < plain_english(draft()).score
    letter.issues = []
    letter.remove(SectionKey.DECISION)
    letter.remove(SectionKey.APOLOGY)
    letter.remove(SectionKey.OPENING)
    report = plain_english(letter)
    assert report.verdict == "hard to read"
    assert str(report.advice[0]).startswith("Whole letter: reading ease")


def test_pasted_control_characters_are_mentioned_not_silently_dropped() -> None:
    letter = draft()
    letter.issues[0].explanation = "The crew\x00 missed\x1b your road."
    advice = [str(a) for a in plain_english(letter).advice]
    assert (
        "Issue 1, explanation: 2 invisible control characters (from pasted text) will be left out"
    ) in advice


def test_contact_blocks_are_not_scored_as_prose() -> None:
    letter = draft()
    letter.set_text(
        SectionKey.NEXT_STAGE,
        "Corporate Complaints Manager\nStopford House\nTelephone: 0161 474 3182 " + "word " * 40,
    )
    assert not any("Next stage" in str(a) for a in plain_english(letter).advice)
