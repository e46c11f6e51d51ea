"""The right letter or none: each kind a case cannot have is refused with the reason, and the
dates a letter gives are true on the day it is dated."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from caseworker.domain.enums import ContactMethod, Finding, LetterKind, Outcome
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft
from caseworker.letters.draft import SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.letters.preconditions import why_not
from caseworker.letters.render import render_letter
from caseworker.policy.loader import get_policy
from caseworker.storage.models import ContactAttempt, Extension

DATE = dt.date(2026, 3, 27)


def upheld(**values):  # noqa: ANN003, ANN201
    case = base_case(outcome=Outcome.UPHELD, **values)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    return case


def refused(case, kind: LetterKind, policy_id: str = "stockport") -> str:  # noqa: ANN001
    reason = why_not(case, get_policy(policy_id), kind)
    with pytest.raises(UserError) as error:
        build_draft(case, get_policy(policy_id), kind, date=DATE)
    assert str(error.value) == reason  # the builder refuses with the very same words
    return reason


def test_discontinuing_an_upheld_case_is_refused() -> None:
    assert refused(upheld(), LetterKind.DISCONTINUATION) == (
        "case CW-2026-00042 is upheld: a decided complaint is not discontinued"
    )


def test_discontinuing_without_the_policys_contact_attempts_is_refused() -> None:
    case = base_case(policy_id="warwickshire")
    assert refused(case, LetterKind.DISCONTINUATION, "warwickshire") == (
        "case CW-2026-00042 records 0 contact attempts; Warwickshire County Council's policy "
        "asks for 3 before a complaint is discontinued"
    )
    case.contact_attempts = [
        ContactAttempt(at=dt.datetime(2026, 3, day, 10), method=method)
        for day, method in (
            (5, ContactMethod.EMAIL),
            (9, ContactMethod.LETTER),
            (12, ContactMethod.PHONE),
        )
    ]
    assert why_not(case, get_policy("warwickshire"), LetterKind.DISCONTINUATION) == ""


def test_withdrawal_letter_on_a_settled_case_is_refused() -> None:
    case = base_case(outcome=Outcome.SETTLED, settlement_terms="A refund of £35.")
    assert refused(case, LetterKind.WITHDRAWAL) == (
        "case CW-2026-00042 records no withdrawal (its outcome is settled): record the "
        "withdrawal first"
    )


def test_outcome_letter_for_a_refused_complaint_is_refused() -> None:
    case = upheld()
    case.outcome = Outcome.REFUSED
    assert refused(case, LetterKind.OUTCOME) == (
        "case CW-2026-00042 was not taken on (refused): an outcome letter would offer the next "
        "stage; send the refusal letter, which gives the reasons and the way to challenge it"
    )
    # and the letter it needs by default is the refusal, never the outcome letter
    case.refusal_reasons = "Parking fines have their own appeal."
    case.refusal_route = "Appeal to the Traffic Penalty Tribunal."
    assert build_draft(case, get_policy("stockport"), date=DATE).kind == LetterKind.REFUSAL


def test_refusal_letter_needs_the_refusal_its_reasons_and_where_it_goes() -> None:
    case = upheld()
    assert refused(case, LetterKind.REFUSAL) == (
        "case CW-2026-00042 records no refusal (its outcome is upheld): record the refusal and "
        "its reasons first"
    )
    case.outcome = Outcome.REFUSED
    assert refused(case, LetterKind.REFUSAL, "stoke-on-trent").startswith(
        "case CW-2026-00042 records no reasons for not taking the complaint on"
    )
    case.refusal_reasons = "Parking fines have their own appeal."
    # Stoke gives the Ombudsman with a refusal: the reasons are enough
    assert why_not(case, get_policy("stoke-on-trent"), LetterKind.REFUSAL) == ""
    # Stockport does not: the complainant is told which procedure deals with it instead
    assert refused(case, LetterKind.REFUSAL) == (
        "case CW-2026-00042 records nowhere for the complaint to go instead: Stockport "
        "Council's policy tells the complainant which procedure or body deals with it (it does "
        "not give the Ombudsman with a refusal)"
    )
    case.stage = 2
    assert refused(case, LetterKind.REFUSAL).startswith(
        "a refusal letter answers a complaint at stage 1"
    )


def test_refusing_the_next_stage_needs_the_reasons() -> None:
    case = upheld(escalation_refusal_reasons="")
    assert refused(case, LetterKind.ESCALATION_REFUSED, "southampton").startswith(
        "case CW-2026-00042 records no reasons for refusing stage 2"
    )


def test_extension_letter_needs_an_extension_and_an_open_response() -> None:
    case = base_case()
    assert refused(case, LetterKind.EXTENSION).startswith(
        "case CW-2026-00042 has no extension recorded at stage 1"
    )
    case = upheld()
    case.extensions = [Extension(stage=1, new_date=dt.date(2026, 4, 10), reason="Waiting.")]
    assert refused(case, LetterKind.EXTENSION) == (
        "case CW-2026-00042 is already upheld: there is no response left to extend"
    )


def test_meeting_and_member_reply_need_their_records() -> None:
    assert refused(base_case(), LetterKind.MEETING).startswith(
        "case CW-2026-00042 has no meeting recorded"
    )
    assert refused(upheld(), LetterKind.MEMBER_REPLY).startswith(
        "case CW-2026-00042 records no councillor or MP"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_may_have_its_letter(example) -> None:  # noqa: ANN001
    case = example.case()
    kind = example.kind or build_draft(case, get_policy(example.policy_id), date=example.date).kind
    assert why_not(case, get_policy(example.policy_id), kind) == ""


# -- dates true on the day of the letter ------------------------------------------------------


def test_an_acknowledgement_never_promises_a_date_already_past() -> None:
    case = base_case(respond_by=dt.date(2026, 3, 16))
    on_time = build_draft(
        case, get_policy("stockport"), LetterKind.ACKNOWLEDGEMENT, date=DATE.replace(day=3)
    )
    assert "We aim to send you a full response by 16 March 2026." in on_time.text_of(
        SectionKey.NEXT_STEPS
    )
    late = build_draft(case, get_policy("stockport"), LetterKind.ACKNOWLEDGEMENT, date=DATE)
    text = late.text_of(SectionKey.NEXT_STEPS)
    assert "We aim to send you a full response by" not in text
    assert "We should have sent you our full response by 16 March 2026" in text


def test_an_acknowledgement_after_an_extension_gives_the_new_date() -> None:
    case = base_case(respond_by=dt.date(2026, 3, 16))
    case.extensions = [Extension(stage=1, new_date=dt.date(2026, 4, 10), reason="Waiting.")]
    draft = build_draft(case, get_policy("stockport"), LetterKind.ACKNOWLEDGEMENT, date=DATE)
    assert "We aim to send you a full response by 10 April 2026." in draft.text_of(
        SectionKey.NEXT_STEPS
    )


def test_a_late_outcome_letter_says_so_with_the_new_date_and_the_reason() -> None:
    case = upheld(respond_by=dt.date(2026, 3, 25))
    case.extensions = [
        Extension(stage=1, new_date=dt.date(2026, 3, 25), reason="We were waiting for records.")
    ]
    opening = build_draft(case, get_policy("stockport"), date=DATE).text_of(SectionKey.OPENING)
    assert opening.endswith(
        "I am sorry that this letter is later than we promised. We told you that we needed until "
        "25 March 2026 because we were waiting for records."
    )
    on_time = build_draft(case, get_policy("stockport"), date=dt.date(2026, 3, 25))
    assert "later" not in on_time.text_of(SectionKey.OPENING)
    case.extensions = []
    opening = build_draft(case, get_policy("stockport"), date=DATE).text_of(SectionKey.OPENING)
    assert opening.endswith("later than the date we gave you, 25 March 2026.")


def test_a_stage_2_extension_names_the_request_not_the_complaint() -> None:
    case = upheld(stage=2, escalation_requested=dt.date(2026, 4, 2))
    case.outcome = None
    case.extensions = [Extension(stage=2, new_date=dt.date(2026, 5, 20), reason="Waiting.")]
    draft = build_draft(
        case, get_policy("stockport"), LetterKind.EXTENSION, date=dt.date(2026, 4, 20)
    )
    assert draft.text_of(SectionKey.OPENING) == (
        "I am writing about your request of 2 April 2026 for your complaint to be looked at "
        "again at stage 2 of our complaints procedure."
    )


def test_no_section_says_there_is_nothing_left_to_do() -> None:
    case = upheld()
    for issue in case.issues:
        issue.action, issue.action_public, issue.action_due = "", "", None
    draft = build_draft(case, get_policy("stockport"), date=DATE)
    assert draft.section(SectionKey.ACTIONS) is None


# -- large print ---------------------------------------------------------------------------


def _sizes(data: bytes) -> tuple[set[float], set[float]]:
    document = Document(io.BytesIO(data))
    body, headings = set(), set()
    parts = [document.paragraphs]
    for section in document.sections:
        parts += [section.header.paragraphs, section.footer.paragraphs]
    for table in document.tables:
        parts += [cell.paragraphs for row in table.rows for cell in row.cells]
    for paragraphs in parts:
        for paragraph in paragraphs:
            for run in paragraph.runs:
                if not run.text.strip():
                    continue
                size = run.font.size.pt if run.font.size else _style_size(document, paragraph.style)
                (headings if paragraph.style.name == "Letter Heading" else body).add(size)
    return body, headings


def _style_size(document, style) -> float:  # noqa: ANN001
    """The size a style gives, through the styles it is based on, else the document default."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    size = default.find(qn("w:rPr")).find(qn("w:sz"))
    return int(size.get(qn("w:val"))) / 2


def test_large_print_is_16pt_throughout_with_larger_headings() -> None:
    case = upheld()
    case.complainant.reasonable_adjustments = "Letters in large print (16pt), please."
    draft = build_draft(case, get_policy("stockport"), date=DATE)
    assert draft.large_print
    body, headings = _sizes(render_letter(draft))
    assert body and min(body) >= 16
    assert headings and min(headings) >= 18 and min(headings) > min(body)


def test_an_ordinary_letter_is_not_large_print_and_braille_is_noted() -> None:
    case = upheld()
    case.complainant.reasonable_adjustments = "Please send letters in Braille."
    draft = build_draft(case, get_policy("stockport"), date=DATE)
    assert not draft.large_print and draft.formats == ["Braille"]
    body, _ = _sizes(render_letter(draft))
    assert min(body) < 16  # the letter text itself stays at the template's size


def _footer(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return " ".join(p.text for s in document.sections for p in s.footer.paragraphs)


def test_the_footer_offers_large_print_only_on_a_letter_not_already_in_it() -> None:
    case = upheld()
    ordinary = _footer(render_letter(build_draft(case, get_policy("stockport"), date=DATE)))
    assert "in large print, Braille, audio or another language" in ordinary
    case.complainant.reasonable_adjustments = "Letters in large print (16pt), please."
    large = _footer(render_letter(build_draft(case, get_policy("stockport"), date=DATE)))
    assert "large print" not in large
    assert "in Braille, audio or another language, please contact us" in large


def test_adjustments_with_no_wording_for_the_complainant_are_a_gap() -> None:
    from caseworker.letters.checks import check_letter

    case = base_case(policy_id="stoke-on-trent")
    case.complainant.reasonable_adjustments = "Dyslexic; carer answers the phone before 11."
    policy = get_policy("stoke-on-trent")
    draft = build_draft(case, policy, LetterKind.ACKNOWLEDGEMENT, date=DATE)
    assert "Dyslexic" not in render_text(draft)  # the officers' note is never printed
    codes = [gap.code for gap in check_letter(draft, case, policy)]
    assert "adjustments-public" in codes
    case.complainant.adjustments_public = "We will phone you only after 11am."
    draft = build_draft(case, policy, LetterKind.ACKNOWLEDGEMENT, date=DATE)
    assert "adjustments-public" not in [g.code for g in check_letter(draft, case, policy)]
    assert "We will phone you only after 11am." in render_text(draft)


def render_text(draft) -> str:  # noqa: ANN001
    from caseworker.letters.render import document_text

    return "\n".join(document_text(render_letter(draft)))


def test_an_action_promised_for_a_day_already_past_is_a_gap() -> None:
    from caseworker.letters.checks import check_letter

    case = upheld()
    late = dt.date(2026, 5, 4)  # the check of collections was due by 30 April
    draft = build_draft(case, get_policy("stockport"), date=late)
    gaps = [str(gap) for gap in check_letter(draft, case, get_policy("stockport"))]
    assert (
        "The outstanding action for issue 1 was due by 30 April 2026, before the date of the "
        "letter: record a new date or that it is done"
    ) in gaps
    on_time = build_draft(case, get_policy("stockport"), date=DATE)
    assert not [
        g
        for g in check_letter(on_time, case, get_policy("stockport"))
        if g.code == "action-date-past"
    ]
