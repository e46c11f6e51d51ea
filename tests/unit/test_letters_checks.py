"""The compliance check catches each thing Appendix A or the policy requires that a draft lacks."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import ContactMethod, Finding, LetterKind, Outcome, RouteId
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import check_letter
from caseworker.letters.draft import LetterDraft, Recipient, SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.letters.plain import plain_english
from caseworker.letters.preconditions import why_not
from caseworker.policy.loader import get_policy
from caseworker.storage.models import CaseSubject, ContactAttempt, Extension

DATE = dt.date(2026, 3, 27)


def draft_for(case, kind: LetterKind | None = None) -> LetterDraft:  # noqa: ANN001
    return build_draft(case, get_policy(case.policy_id), kind, date=DATE)


def gaps(draft: LetterDraft, case) -> list[str]:  # noqa: ANN001
    """The gaps of the letter, leaving out the unfinished set-up of a policy shipped with
    placeholders (test_placeholder_council_name_is_unfinished_set_up)."""
    found = check_letter(draft, case, get_policy(case.policy_id))
    return [str(gap) for gap in found if not gap.code.startswith("setup-")]


def test_placeholder_council_name_is_unfinished_set_up() -> None:
    case = base_case(policy_id="information-governance", outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)
    found = check_letter(draft_for(case), case, get_policy(case.policy_id))
    assert [gap.code for gap in found if gap.code.startswith("setup-")] == ["setup-council"]
    stockport = upheld_case()
    found = check_letter(draft_for(stockport), stockport, get_policy("stockport"))
    assert not [gap for gap in found if gap.code.startswith("setup-")]


def upheld_case(**values):  # noqa: ANN003, ANN201
    case = base_case(outcome=Outcome.UPHELD, **values)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    return case


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_letter_is_complete(example) -> None:  # noqa: ANN001
    case = example.case()
    draft = build_draft(case, get_policy(example.policy_id), example.kind, date=example.date)
    assert gaps(draft, case) == []
    report = plain_english(draft)
    assert report.score is not None and report.score >= 60, report
    assert report.advice == []


def test_upheld_letter_with_no_apology() -> None:
    case = upheld_case()
    draft = draft_for(case)
    draft.set_text(SectionKey.APOLOGY, "  ")
    assert gaps(draft, case) == ["Upheld letter has no apology"]


def test_not_upheld_letter_with_no_apology_for_how_they_feel() -> None:
    case = base_case(outcome=Outcome.NOT_UPHELD)
    case.issues = bin_issues(Finding.NOT_UPHELD)
    draft = draft_for(case)
    draft.remove(SectionKey.APOLOGY)
    assert gaps(draft, case) == ["Not upheld letter has no apology for how the complainant feels"]


def test_issue_with_no_finding_and_issue_with_no_explanation() -> None:
    case = base_case(outcome=Outcome.PARTIALLY_UPHELD)
    case.issues = bin_issues(Finding.UPHELD, None, Finding.NOT_UPHELD)
    case.issues[2].explanation = ""
    assert gaps(draft_for(case), case) == ["Issue 2 has no finding", "Issue 3 has no explanation"]


def test_partially_upheld_letter_with_no_upheld_issue() -> None:
    case = base_case(outcome=Outcome.PARTIALLY_UPHELD)
    case.issues = bin_issues(Finding.NOT_UPHELD, Finding.NOT_UPHELD)
    assert "Partially upheld letter has no upheld issue" in gaps(draft_for(case), case)


def test_outcome_and_findings_that_disagree() -> None:
    case = base_case(outcome=Outcome.NOT_UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.NOT_UPHELD)
    assert "Not upheld letter upholds issue 1" in gaps(draft_for(case), case)
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.NOT_UPHELD)
    assert "Upheld letter has no upheld issue" in gaps(draft_for(case), case)


def test_upheld_issue_must_say_how_it_is_put_right_and_what_changes() -> None:
    case = upheld_case()
    case.issues[1].remedy = ""
    case.issues[1].lesson_learnt = ""
    assert gaps(draft_for(case), case) == [
        "Issue 2 is upheld but does not say how the Council will put it right",
        "Issue 2 is upheld but does not say what has been put in place so it does not happen again",
    ]


def test_the_outcome_statement_must_say_the_outcome() -> None:
    case = upheld_case()
    draft = draft_for(case)
    draft.set_text(SectionKey.DECISION, "I have looked into your complaint.")
    assert gaps(draft, case) == ["The outcome statement does not say the complaint is upheld"]
    draft.remove(SectionKey.DECISION)
    assert gaps(draft, case) == ["No plain statement that the complaint is upheld"]


def test_no_outcome_recorded() -> None:
    case = base_case(outcome=None)
    case.issues = bin_issues(Finding.UPHELD)
    assert gaps(draft_for(case, LetterKind.OUTCOME), case)[0].startswith("No outcome recorded")


def test_no_stage_2_paragraph() -> None:
    case = upheld_case()
    draft = draft_for(case)
    draft.remove(SectionKey.NEXT_STAGE)
    assert gaps(draft, case) == ["No stage 2 paragraph"]


def test_stage_2_paragraph_without_the_policys_contact_details() -> None:
    case = upheld_case()
    draft = draft_for(case)
    draft.set_text(SectionKey.NEXT_STAGE, "If you are unhappy, you can go to stage 2.")
    assert gaps(draft, case) == [
        "The stage 2 paragraph does not give the contact details of Corporate Complaints Manager"
    ]


def test_no_ombudsman_paragraph_in_a_final_response() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage2-decision")
    case = example.case()
    draft = draft_for(case)
    draft.remove(SectionKey.OMBUDSMAN)
    assert gaps(draft, case) == ["No Ombudsman paragraph (this is the final response)"]


def test_the_wrong_ombudsman_for_a_housing_case() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage2-decision-housing")
    case = example.case()
    draft = draft_for(case)
    draft.set_text(
        SectionKey.OMBUDSMAN,
        "You can ask the Local Government and Social Care Ombudsman to look at it: 03000 610614.",
    )
    assert gaps(draft, case) == [
        "The Ombudsman paragraph does not name Housing Ombudsman Service (this is a council "
        "housing (landlord) case)"
    ]


def test_stoke_needs_the_ombudsman_in_an_acknowledgement_and_stockport_does_not() -> None:
    case = base_case(policy_id="stoke-on-trent")
    draft = draft_for(case, LetterKind.ACKNOWLEDGEMENT)
    draft.remove(SectionKey.OMBUDSMAN)
    assert gaps(draft, case) == [
        "No Ombudsman paragraph (Stoke-on-Trent City Council's policy "
        "gives the Ombudsman's details in every letter)"
    ]
    case = base_case(policy_id="stockport")
    assert gaps(draft_for(case, LetterKind.ACKNOWLEDGEMENT), case) == []


def test_extension_ombudsman_where_the_stage_requires_it() -> None:
    case = base_case(
        policy_id="information-governance", stage=2, escalation_requested=dt.date(2026, 3, 20)
    )
    case.extensions = [Extension(stage=2, new_date=dt.date(2026, 5, 1), reason="Waiting.")]
    draft = draft_for(case, LetterKind.EXTENSION)
    assert draft.section(SectionKey.OMBUDSMAN) is not None  # stage 2 extension_gives_ombudsman
    draft.remove(SectionKey.OMBUDSMAN)
    assert gaps(draft, case) == [
        "No Ombudsman paragraph (The council's policy gives the Ombudsman's details with an "
        "extension)"  # the policy's short name, not its descriptive 'council' (issue 19)
    ]


def test_extension_letter_without_the_new_date() -> None:
    case = base_case()
    case.extensions = [Extension(stage=1, new_date=dt.date(2026, 4, 10), reason="")]
    draft = draft_for(case, LetterKind.EXTENSION)
    draft.set_text(SectionKey.EXTENSION, "We need more time.")
    assert gaps(draft, case) == [
        "The extension letter does not give the new date (10 April 2026)",
        "The extension has no reason recorded",
    ]


def test_settlement_with_no_terms() -> None:
    case = base_case(outcome=Outcome.SETTLED, settlement_terms="")
    assert gaps(draft_for(case), case) == ["Settlement has no terms"]


def test_withdrawal_must_ask_about_a_misunderstanding_where_the_policy_says() -> None:
    case = base_case(
        policy_id="warwickshire",
        outcome=Outcome.WITHDRAWN,
        withdrawn_on=dt.date(2026, 3, 20),
        withdrawal_method=ContactMethod.PHONE,
    )
    draft = draft_for(case)
    draft.set_text(SectionKey.WITHDRAWAL, "Your complaint has been withdrawn.")
    assert gaps(draft, case) == [
        "The withdrawal confirmation does not ask to be told at once if we misunderstood "
        "(Warwickshire County Council's policy)"
    ]
    draft.remove(SectionKey.NEXT_STAGE)
    assert "No stage 2 paragraph" in gaps(draft, case)


def test_policy_elements_are_required_information_governance() -> None:
    case = base_case(policy_id="information-governance", outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD)
    assert gaps(draft_for(case), case) == [
        "No list of the information and evidence considered",
        "No account of the steps taken to investigate",
        # The policy file says the team's address is still to be set: the letter cannot go yet.
        "The contact details of Information Governance Team in policy 'information-governance' "
        "are a placeholder ('(the Information Governance Team's address: not given in the "
        "policy text; set it here)'): set them in the policy file",
    ]


def test_decision_letter_elements_are_required_whatever_the_policy() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage2-decision")
    case = example.case()
    draft = draft_for(case)
    for key in (SectionKey.STAGE, SectionKey.UNDERSTANDING, SectionKey.ACTIONS, SectionKey.CHANGES):
        draft.remove(key)
    assert gaps(draft, case) == [
        "No statement of outstanding actions",
        "No statement of changes to policy or process",
        "No statement of the complaint stage",
        "No statement of our understanding of the complaint",
    ]


def test_an_outstanding_action_needs_a_date() -> None:
    case = upheld_case()
    case.issues[0].action_due = None
    assert gaps(draft_for(case), case) == [
        "The outstanding action for issue 1 has no date by which it will be done"
    ]


def test_fault_is_owned_by_the_council_not_a_named_officer() -> None:
    case = upheld_case()
    case.subjects = [CaseSubject(name="Bob Crewman")]
    case.issues[0].explanation += " Bob Crewman did not check the list."
    assert gaps(draft_for(case), case) == [
        "The letter names Bob Crewman, whom the complaint is about: the fault should be owned "
        "by the Council as a whole"
    ]


def test_the_received_date_must_be_given() -> None:
    case = upheld_case()
    draft = draft_for(case)
    draft.set_text(SectionKey.OPENING, "Thank you for your complaint.")
    assert gaps(draft, case) == [
        "The letter does not give the date the complaint was received (2 March 2026)"
    ]


def test_a_councillors_complaint_answered_to_the_complainant_is_caught() -> None:
    case = upheld_case(referrer_name="Councillor Jane Smith", referrer_address="Town Hall")
    draft = draft_for(case)
    assert draft.addressee.recipient == Recipient.REFERRER
    draft.addressee.recipient = Recipient.COMPLAINANT
    assert gaps(draft, case) == [
        "The complaint came through Councillor Jane Smith: Stockport "
        "Council's policy says the reply goes to them"
    ]


def test_discontinuing_needs_the_contact_attempts_the_policy_asks_for() -> None:
    case = base_case(policy_id="warwickshire", outcome=Outcome.DISCONTINUED)
    case.contact_attempts = [
        ContactAttempt(at=dt.datetime(2026, 3, 5, 10), method=ContactMethod.EMAIL),
        ContactAttempt(at=dt.datetime(2026, 3, 9, 10), method=ContactMethod.EMAIL),
    ]
    policy = get_policy("warwickshire")
    with pytest.raises(UserError) as refused:
        draft_for(case)
    assert str(refused.value) == (
        "case CW-2026-00042 records 2 contact attempts; Warwickshire County Council's policy "
        "asks for 3 before a complaint is discontinued"
    )
    case.contact_attempts.append(
        ContactAttempt(at=dt.datetime(2026, 3, 12, 10), method=ContactMethod.EMAIL)
    )
    # An email and a postal address: the policy asks for both to be tried.
    assert why_not(case, policy, LetterKind.DISCONTINUATION) == (
        "the contact attempts on case CW-2026-00042 all use one method; Warwickshire County "
        "Council's policy asks for different methods where we have them"
    )
    case.complainant.address = ""
    assert why_not(case, policy, LetterKind.DISCONTINUATION) == ""
    assert gaps(draft_for(case), case) == []


def test_escalation_refused_without_reasons_is_refused() -> None:
    case = base_case(policy_id="southampton", escalation_refusal_reasons="")
    with pytest.raises(UserError, match="records no reasons for refusing stage 2"):
        draft_for(case, LetterKind.ESCALATION_REFUSED)


def test_escalation_refused_gives_the_ombudsman() -> None:
    case = base_case(policy_id="southampton", escalation_refusal_reasons="It was answered.")
    draft = draft_for(case, LetterKind.ESCALATION_REFUSED)
    draft.remove(SectionKey.OMBUDSMAN)
    assert gaps(draft, case)[0].startswith("No Ombudsman paragraph")


def test_member_reply_needs_an_answer() -> None:
    case = base_case(route=RouteId.MEMBER_ENQUIRY, referrer_name="Councillor Jane Smith")
    case.issues = bin_issues(None)
    case.issues[0].explanation = ""
    assert sorted(gaps(draft_for(case), case)) == [
        "Issue 1 has no explanation",
        "No postal address or email for Councillor Jane Smith",
        "The reply does not answer the enquiry",
    ]


def test_unsigned_letter() -> None:
    case = upheld_case()
    case.officer = None
    assert gaps(draft_for(case), case) == ["The letter is not signed: no officer is named"]
