"""The example letters read as a complainant, a councillor or a complaints manager would read them.

Each test here is something found by reading every page of ``docs/letters/``: a sentence that
said "these issues" of one issue, a withdrawal letter whose "We received it on 2 March" seemed to
date the withdrawal, a councillor told that they must finish the complaints procedure, a letter
signed by the Ombudsmen, a Stoke-on-Trent tenant living in Stockport.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from caseworker.domain.enums import ContactMethod, Finding, LetterKind, Outcome, ReferrerRole
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import check_letter
from caseworker.letters.draft import SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.letters.fields import by_when
from caseworker.letters.golden import bundled_policy_ids, golden_path
from caseworker.letters.render import document_text, render_letter
from caseworker.policy.loader import get_policy
from caseworker.storage.models import ContactAttempt, Extension

DATE = dt.date(2026, 3, 27)

READS_BADLY = {
    r"these things to do": "a lead-in in the plural before what may be one action",
    r"bringing these issues": "a closing in the plural for a complaint of one issue",
    r"made these changes": "a lead-in in the plural before what may be one change",
    r"my reasons for each part": "a complaint of one part has no 'each part'",
    r"We received it on": "'it' reads as the withdrawal, not the complaint",
    r"later than we first said": "the reply is later than the extended date too",
    r"relevant (service|team)": "the policy's own words, not the complainant's",
    r"This decision is made by": "reads as the decision to close, not the one to reopen",
    r", they can make a formal complaint": "'they' for a named complainant",
    r"expect you to finish our complaints procedure": "said to a councillor about a constituent",
    r"why you are still unhappy": "'still' after 'If you are unhappy with how we handled'",
}


@pytest.fixture(scope="module")
def golden() -> dict:
    """Every example letter under every council, as its reviewed reference holds it
    (test_letters_golden holds each reference to what the app builds now)."""
    paths = [golden_path(e, policy_id) for policy_id in bundled_policy_ids() for e in EXAMPLES]
    return {path: path.read_text(encoding="utf-8") for path in paths}


@pytest.mark.parametrize(("pattern", "why"), READS_BADLY.items())
def test_no_letter_says_what_read_badly(golden: dict, pattern: str, why: str) -> None:
    found = [str(path) for path, text in golden.items() if re.search(pattern, text)]
    assert found == [], f"{pattern!r} ({why}) in {found[:3]}"


def test_one_issue_and_one_action_read_in_the_singular_or_neutral() -> None:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)
    draft = build_draft(case, get_policy("stockport"), date=DATE)
    assert draft.text_of(SectionKey.ACTIONS).startswith(
        "We will keep you updated on how we are getting on with the following:\n\n• We will"
    )
    assert draft.text_of(SectionKey.CLOSING).startswith("Thank you for bringing this to")


def test_a_withdrawal_dates_the_complaint_not_the_withdrawal() -> None:
    case = base_case(
        policy_id="warwickshire",
        outcome=Outcome.WITHDRAWN,
        withdrawn_on=dt.date(2026, 3, 20),
        withdrawal_method=ContactMethod.PHONE,
    )
    opening = build_draft(case, get_policy("warwickshire"), date=DATE).text_of(SectionKey.OPENING)
    assert opening == (
        "Thank you for letting us know on 20 March 2026 by telephone that you wish to withdraw "
        "your complaint. We received your complaint on 2 March 2026."
    )


def test_a_reply_later_than_its_extension_does_not_say_first() -> None:
    case = base_case(outcome=Outcome.UPHELD, respond_by=dt.date(2026, 3, 25))
    case.issues = bin_issues(Finding.UPHELD)
    case.extensions = [
        Extension(stage=1, new_date=dt.date(2026, 3, 25), reason="We were waiting for records.")
    ]
    opening = build_draft(case, get_policy("stockport"), date=DATE).text_of(SectionKey.OPENING)
    assert "later than we promised. We told you that we needed until 25 March 2026" in opening


def test_warwickshire_discontinuation_names_who_decides_in_plain_words() -> None:
    case = base_case(policy_id="warwickshire", outcome=Outcome.DISCONTINUED)
    case.contact_attempts = [
        ContactAttempt(at=dt.datetime(2026, 3, 5, 10), method=ContactMethod.EMAIL),
        ContactAttempt(at=dt.datetime(2026, 3, 10, 14), method=ContactMethod.PHONE),
        ContactAttempt(at=dt.datetime(2026, 3, 13, 9), method=ContactMethod.LETTER),
    ]
    draft = build_draft(case, get_policy("warwickshire"), date=DATE)
    assert "so a Service Manager in the service concerned has decided to stop" in (
        draft.text_of(SectionKey.DISCONTINUATION)
    )
    assert draft.text_of(SectionKey.CLOSING).endswith(
        "The decision to reopen it would be made by a manager in the service concerned."
    )


def test_a_councillor_reads_of_the_ombudsman_for_their_constituent() -> None:
    case = base_case(
        policy_id="stoke-on-trent",
        outcome=Outcome.UPHELD,
        referrer_name="Councillor Jane Smith",
        referrer_role=ReferrerRole.COUNCILLOR,
        referrer_address="Civic Centre\nStoke-on-Trent\nST4 1HH",
    )
    case.issues = bin_issues(Finding.UPHELD)
    draft = build_draft(case, get_policy("stoke-on-trent"), LetterKind.MEMBER_REPLY, date=DATE)
    assert draft.addressee.salutation == "Councillor Smith"
    ombudsman = draft.text_of(SectionKey.OMBUDSMAN)
    assert ombudsman.startswith("Mrs Patel can contact the Local Government and Social Care")
    assert "expect your constituent's complaint to have been through" in ombudsman
    assert (
        "If Mrs Patel is still unhappy with the Council's service, a formal complaint can be "
        in (draft.text_of(SectionKey.NEXT_STAGE))
    )
    # The complainant, written to, still reads "you".
    own = build_draft(
        base_case(policy_id="stoke-on-trent"),
        get_policy("stoke-on-trent"),
        LetterKind.ACKNOWLEDGEMENT,
        date=dt.date(2026, 3, 3),
    )
    assert own.text_of(SectionKey.OMBUDSMAN).startswith("You can contact the Local Government")


def test_a_letter_under_the_complaint_handling_code_is_unfinished_set_up() -> None:
    """The Code is the Ombudsmen's, not a council's: a letter signed with its name is not sent."""
    case = base_case(policy_id="complaint-handling-code", outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)
    policy = get_policy("complaint-handling-code")
    gaps = [str(gap) for gap in check_letter(build_draft(case, policy, date=DATE), case, policy)]
    assert any(
        gap.startswith("Unfinished set-up: the council's name in policy 'complaint-handling-code'")
        for gap in gaps
    ), gaps


TOWNS = {
    "stockport": "Stockport",
    "stoke-on-trent": "Stoke-on-Trent",
    "southampton": "Southampton",
    "warwickshire": "Warwickshire",
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_each_example_is_one_a_council_could_have(example) -> None:  # noqa: ANN001
    case = example.case()
    draft = build_draft(case, get_policy(example.policy_id), example.kind, date=example.date)
    town = TOWNS.get(example.policy_id)
    if town and draft.addressee.recipient.value == "complainant":
        assert town in draft.addressee.address, "the complainant lives in the council's area"
    if example.policy_id == "warwickshire":  # a county council: the districts collect bins
        assert "bin" not in draft.subject.lower()
    for issue in draft.issues:  # nothing still to do is due on or before the letter's date
        if issue.action.strip() and issue.action_due and issue.action_completed is None:
            assert issue.action_due > example.date, (issue.action, issue.action_due)


def test_the_same_draft_makes_the_same_file() -> None:
    """Every part of the .docx is stamped with the letter's date, not the moment it was saved,
    so docs/letters changes in git only when a letter does."""
    example = EXAMPLES[0]
    draft = build_draft(
        example.case(), get_policy(example.policy_id), example.kind, date=example.date
    )
    data = render_letter(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        stamps = {info.date_time for info in parts.infolist()}
    assert stamps == {(2026, 3, 27, 9, 0, 0)}
    assert render_letter(draft) == data
    assert document_text(data) == document_text(render_letter(draft))


def test_a_date_is_never_split_over_two_lines() -> None:
    """Large print broke "16 March 2026" after the 16: the day, month and year are joined by
    no-break spaces in the document, and read back as ordinary spaces."""
    example = next(e for e in EXAMPLES if e.name == "acknowledgement")
    draft = build_draft(
        example.case(), get_policy(example.policy_id), example.kind, date=example.date
    )
    data = render_letter(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        xml = parts.read("word/document.xml").decode("utf-8")
    assert "16\u00a0March\u00a02026" in xml and "16 March 2026" not in xml
    assert "3\u00a0March\u00a02026" in xml  # the letter's own date, an inline field
    text = "\n".join(document_text(data))
    assert "We aim to send you a full response by 16 March 2026." in text
    assert "\u00a0" not in text


@pytest.mark.parametrize(
    ("action", "due", "reads"),
    [
        ("We will check your bin each week until the end of April.", dt.date(2026, 4, 30), ""),
        ("We will refund you by 10 April.", dt.date(2026, 4, 10), ""),
        ("We will repair your kitchen window", dt.date(2026, 4, 3), " (by 3 April 2026)"),
        # another month named is no date of its own: the due date is still given
        (
            "We will check your bin until the end of April.",
            dt.date(2026, 5, 31),
            " (by 31 May 2026)",
        ),
        ("We will repair your window", None, ""),
    ],
)
def test_an_actions_date_is_not_said_twice(action: str, due: dt.date | None, reads: str) -> None:
    assert by_when(action, due) == reads


def test_a_letter_gives_an_actions_date_once() -> None:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)  # "…each week until the end of April", due 30 April
    actions = build_draft(case, get_policy("stockport"), date=DATE).text_of(SectionKey.ACTIONS)
    assert actions.endswith("• We will check your collections each week until the end of April.")
