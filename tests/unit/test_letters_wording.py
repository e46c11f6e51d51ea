"""Small pieces of letter wording: the subject after "your complaint about", and the address."""

from __future__ import annotations

import pytest

from caseworker.letters.builder import about, with_postcode


@pytest.mark.parametrize(
    ("subject", "reads"),
    [
        ("A report shared at a meeting was wrong.", "a report shared at a meeting was wrong"),
        ("An officer was rude to me", "an officer was rude to me"),
        ("Missed bin collections", "missed bin collections"),
        ("I was not called back", "I was not called back"),
        ("NHS referral was late", "NHS referral was late"),
        ("Mrs Patel's care plan", "Mrs Patel's care plan"),
    ],
)
def test_a_subject_reads_mid_sentence(subject: str, reads: str) -> None:
    assert about(subject) == reads


def test_the_postcode_is_added_once() -> None:
    assert with_postcode("12 Acacia Avenue\nStockport", "SK4 2AB") == (
        "12 Acacia Avenue\nStockport\nSK4 2AB"
    )
    assert with_postcode("12 Acacia Avenue\nStockport SK4 2AB", "sk42ab") == (
        "12 Acacia Avenue\nStockport SK4 2AB"
    )
    assert with_postcode("12 Acacia Avenue", "") == "12 Acacia Avenue"
    assert with_postcode("", "SK4 2AB") == "SK4 2AB"
