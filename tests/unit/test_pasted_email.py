"""Pasted email tidied before it becomes the complainant's points (issue 18, item 4)."""

from __future__ import annotations

from caseworker.services.cases.pasted import tidy_pasted

EMAIL = """My bin was missed three weeks running.
Nobody called me back when I rang.
> On Monday you said the crew would come back
> the same day.

Kind regards,
Siân O'Brien
07700 900123

Sent from my iPhone
"""


def test_quotes_signature_and_sent_from_are_taken_out() -> None:
    tidied = tidy_pasted(EMAIL)
    assert tidied.text == (
        "My bin was missed three weeks running.\nNobody called me back when I rang."
    )
    assert "> On Monday you said the crew would come back" in tidied.removed
    assert "Sent from my iPhone" in tidied.removed
    assert "07700 900123" in tidied.removed
    assert "quoted email" in tidied.summary() and "signature" in tidied.summary()


def test_sent_from_my_iphone_alone_and_quoted() -> None:
    tidied = tidy_pasted("The road was not gritted.\n> Sent from my iPhone\nSent from my iPad")
    assert tidied.text == "The road was not gritted."
    assert len(tidied.removed) == 2


def test_earlier_message_is_cut_off() -> None:
    text = (
        "The gate is still broken.\n\nOn 3 May 2026, at 09:12, Housing <h@example.gov.uk> "
        "wrote:\nWe will fix the gate.\n"
    )
    assert tidy_pasted(text).text == "The gate is still broken."
    outlook = "Still no reply.\nFrom: Housing Team\nSent: 3 May 2026\nTo: me\nSubject: gate\nOld"
    assert tidy_pasted(outlook).text == "Still no reply."
    original = "Point one.\n-----Original Message-----\nold text"
    assert tidy_pasted(original).text == "Point one."


def test_plain_points_are_left_alone() -> None:
    text = "The bin was missed.\nThanks to the crew the second time, but it took a month."
    tidied = tidy_pasted(text)
    assert tidied.text == text and not tidied.changed and tidied.summary() == ""


def test_a_sign_off_followed_by_more_complaint_is_kept() -> None:
    text = "Thanks\n" + "\n".join(
        f"Point {n} about the long delay in the repair." for n in range(8)
    )
    assert tidy_pasted(text).text == text
