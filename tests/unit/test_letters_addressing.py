"""Letters that name people properly, say what the complaint is about, and print only what the
complainant is meant to read (issue 18, items 2 to 4)."""

from __future__ import annotations

import datetime as dt

from caseworker.domain.enums import Finding, LetterKind, Outcome, ReferrerRole, RouteId
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import check_letter
from caseworker.letters.draft import LetterDraft, SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.policy.loader import get_policy
from caseworker.storage.models import Representative

DATE = dt.date(2026, 3, 27)


def draft_for(case, kind=None) -> LetterDraft:  # noqa: ANN001
    return build_draft(case, get_policy(case.policy_id), kind, date=DATE)


def text(draft: LetterDraft) -> str:
    return "\n".join(t for _, t in draft.all_text())


def codes(draft: LetterDraft, case) -> list[str]:  # noqa: ANN001
    return [gap.code for gap in check_letter(draft, case, get_policy(case.policy_id))]


def upheld(**values: object):  # noqa: ANN201
    case = base_case(outcome=Outcome.UPHELD, **values)
    case.issues = bin_issues(Finding.UPHELD)
    return case


def test_complainant_greeted_with_title_and_whole_surname() -> None:
    case = upheld()
    assert case.complainant is not None
    case.complainant.name = "anna van der berg"
    case.complainant.title = "mrs"
    draft = draft_for(case)
    assert draft.addressee.salutation == "Mrs van der Berg"
    assert draft.addressee.name == "Mrs Anna van der Berg"
    assert "salutation" not in codes(draft, case)


def test_placeholder_name_is_sir_or_madam_and_the_check_says_why() -> None:
    case = upheld()
    assert case.complainant is not None
    case.complainant.name = "Firstname Surname"
    draft = draft_for(case)
    assert draft.addressee.salutation == "Sir or Madam"
    assert "Firstname" not in text(draft) and "Firstname" not in draft.addressee.block()
    assert "salutation" in codes(draft, case)


def test_how_they_like_to_be_addressed() -> None:
    case = upheld()
    assert case.complainant is not None
    case.complainant.name = "Paddy Ashdown"
    case.complainant.title = "Sir"
    assert draft_for(case).addressee.salutation == "Sir Paddy"
    case.complainant.addressed_as = "Paddy"
    assert draft_for(case).addressee.salutation == "Paddy"


def test_representative_and_body_name_keep_the_whole_surname() -> None:
    case = upheld()
    assert case.complainant is not None
    case.complainant.name = "Seán Ó Ceallaigh"
    case.complainant.title = "Mr"
    case.representative = Representative(
        name="Mary Bríain", title="Dame", consent_received=dt.date(2026, 3, 3)
    )
    draft = draft_for(case)
    assert draft.addressee.salutation == "Dame Mary"
    assert "Mr Ó Ceallaigh" in draft.text_of(SectionKey.OPENING)
    assert "Mr Ceallaigh" not in text(draft)


def member_case(outcome: Outcome = Outcome.UPHELD):  # noqa: ANN201
    case = base_case(
        route=RouteId.MEMBER_ENQUIRY,
        outcome=outcome,
        referrer_name="Cllr Pieter van der Berg",
        referrer_role=ReferrerRole.COUNCILLOR,
        referrer_address="Town Hall\nStockport",
    )
    case.issues = bin_issues(Finding.UPHELD)
    return case


def test_member_reply_speaks_of_their_constituent_never_your_complaint() -> None:
    case = member_case()
    draft = draft_for(case, LetterKind.MEMBER_REPLY)
    body = text(draft)
    assert draft.addressee.salutation == "Councillor van der Berg"
    assert "your constituent Mrs Patel" in draft.text_of(SectionKey.OPENING)
    assert "your constituent's complaint has been upheld" in draft.text_of(SectionKey.DECISION)
    assert "your complaint" not in body.lower()


def test_upheld_member_reply_apologises_and_says_what_changed() -> None:
    case = member_case()
    draft = draft_for(case, LetterKind.MEMBER_REPLY)
    assert "sorry" in draft.text_of(SectionKey.APOLOGY)
    assert "Every new route is now checked" in draft.text_of(SectionKey.CHANGES)
    assert {"apology", "policy-changes"}.isdisjoint(codes(draft, case))
    draft.remove(SectionKey.APOLOGY)
    draft.remove(SectionKey.CHANGES)
    for issue in draft.issues:
        issue.lesson = ""
    assert {"apology", "policy-changes"} <= set(codes(draft, case))


def test_missing_subject_falls_back_to_the_service_and_the_check_warns() -> None:
    case = upheld(complaint_subject="", service_area="Planning")
    draft = draft_for(case)
    assert draft.subject == "Your complaint about the Planning service"
    assert "complaint about the Planning service" in draft.text_of(SectionKey.DECISION)
    assert "complaint-subject" in codes(draft, case)
    case.complaint_subject = "The delay in deciding your planning application"
    draft = draft_for(case)
    assert "complaint about the delay in deciding" in draft.text_of(SectionKey.DECISION)
    assert "complaint-subject" not in codes(draft, case)


def test_only_the_public_wording_of_adjustments_is_printed() -> None:
    example = next(e for e in EXAMPLES if e.name == "acknowledgement")
    case = example.case()
    body = text(draft_for(case, LetterKind.ACKNOWLEDGEMENT))
    assert "Dyslexic" not in body and "carer" not in body
    assert "We will send all letters" in body
    assert case.complainant is not None
    case.complainant.adjustments_public = ""
    draft = draft_for(case, LetterKind.ACKNOWLEDGEMENT)
    assert draft.section(SectionKey.ADJUSTMENTS) is None


def test_only_actions_with_public_wording_are_printed() -> None:
    case = upheld()
    issue = case.issues[0]
    body = text(draft_for(case))
    assert "depot" not in body and "We will check your collections" in body
    issue.action_public = ""
    draft = draft_for(case)
    assert "depot" not in text(draft) and "check your collections" not in text(draft)
    assert "action-public" in codes(draft, case)


def test_outcome_letter_to_the_councillor_speaks_of_their_constituent() -> None:
    """Stockport replies to the councillor a complaint came through (Appendix A)."""
    case = upheld(
        referrer_name="Councillor Jane Smith",
        referrer_role=ReferrerRole.COUNCILLOR,
        referrer_address="Town Hall\nStockport",
        steps_taken="I read the round sheets.",
    )
    draft = draft_for(case, LetterKind.OUTCOME)
    assert draft.addressee.salutation == "Councillor Smith"
    assert "your complaint" not in text(draft).lower()
    assert draft.subject.startswith("Complaint about missed bin collections")
