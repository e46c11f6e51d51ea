"""Building drafts: who a letter goes to, which letter a case needs, and what each kind says."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import Finding, LetterKind, Outcome, ReferrerRole, RouteId
from caseworker.errors import UserError
from caseworker.letters.builder import (
    about,
    build_draft,
    choose_addressee,
    default_kind,
    issue_responses,
    short_name,
    subject_line,
    the,
)
from caseworker.letters.draft import LetterDraft, Recipient, SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.policy.loader import get_policy
from caseworker.storage.models import Representative

DATE = dt.date(2026, 3, 27)


def draft_for(case, kind: LetterKind | None = None, **kwargs) -> LetterDraft:  # noqa: ANN001
    return build_draft(case, get_policy(case.policy_id), kind, date=DATE, **kwargs)


def text(draft: LetterDraft) -> str:
    return "\n".join(t for _, t in draft.all_text())


# -- who the letter goes to --------------------------------------------------------------


def test_a_letter_goes_to_the_complainant_by_default() -> None:
    addressee, voice = choose_addressee(base_case(), get_policy("stockport"))
    assert addressee.recipient == Recipient.COMPLAINANT
    assert addressee.name == "Mrs Asha Patel"
    assert addressee.salutation == "Mrs Patel"
    assert "12 Acacia Avenue" in addressee.block()
    assert voice.complaint == "your complaint"


def test_a_representative_with_consent_is_written_to() -> None:
    case = base_case()
    case.representative = Representative(
        name="Mr Tom Patel", address="4 Mill Lane", consent_received=dt.date(2026, 3, 3)
    )
    addressee, voice = choose_addressee(case, get_policy("southampton"))
    assert (addressee.recipient, addressee.name, addressee.salutation) == (
        Recipient.REPRESENTATIVE,
        "Mr Tom Patel",
        "Mr Patel",
    )
    assert voice.complaint_first == "the complaint you made on behalf of Mrs Patel"


def test_a_representative_without_consent_is_not_written_to() -> None:
    case = base_case()
    case.representative = Representative(
        name="Mr Tom Patel", address="4 Mill Lane", consent_received=None
    )
    addressee, _ = choose_addressee(case, get_policy("southampton"))
    assert addressee.recipient == Recipient.COMPLAINANT


def test_stockport_replies_to_the_councillor_who_raised_a_complaint() -> None:
    """Appendix A: the response goes to the Councillor or MP, not the complainant."""
    case = base_case(
        referrer_name="Councillor Jane Smith",
        referrer_role=ReferrerRole.COUNCILLOR,
        referrer_address="Town Hall\nStockport",
    )
    case.representative = Representative(name="Mr Tom Patel", consent_received=DATE)
    addressee, voice = choose_addressee(case, get_policy("stockport"))
    assert addressee.recipient == Recipient.REFERRER
    assert addressee.salutation == "Councillor Smith"
    assert voice.complaint_first == "your constituent Mrs Patel's complaint"
    assert voice.complaint == "your constituent's complaint"


def test_an_mp_is_addressed_as_an_mp() -> None:
    case = base_case(referrer_name="Jane Smith", referrer_role=ReferrerRole.MP)
    addressee, _ = choose_addressee(case, get_policy("stockport"))
    assert addressee.salutation == "Jane Smith MP"


def test_stoke_writes_to_the_complainant_even_when_a_councillor_raised_it() -> None:
    case = base_case(
        policy_id="stoke-on-trent",
        referrer_name="Councillor Jane Smith",
        referrer_role=ReferrerRole.COUNCILLOR,
    )
    addressee, _ = choose_addressee(case, get_policy("stoke-on-trent"))
    assert addressee.recipient == Recipient.COMPLAINANT


def test_a_member_reply_always_goes_to_the_member() -> None:
    case = base_case(
        policy_id="stoke-on-trent", referrer_name="Jane Smith MP", referrer_role=ReferrerRole.MP
    )
    draft = draft_for(case, LetterKind.MEMBER_REPLY)
    assert draft.addressee.recipient == Recipient.REFERRER


def test_no_complainant_no_letter() -> None:
    case = base_case()
    case.complainant = None
    with pytest.raises(UserError, match="no named complainant"):
        draft_for(case)


# -- wording helpers ---------------------------------------------------------------------


def test_names_and_articles() -> None:
    assert short_name("Mrs Asha Patel") == "Mrs Patel"
    assert short_name("Dr. Ann Lee") == "Dr Lee"
    assert short_name("Asha Patel") == "Asha Patel"
    assert the("Corporate Complaints Manager") == "the Corporate Complaints Manager"
    assert the("The Local Government and Social Care Ombudsman") == (
        "the Local Government and Social Care Ombudsman"
    )
    assert the("Customer Feedback") == "Customer Feedback"
    assert about("Missed bin collections") == "missed bin collections"
    assert about("Council Tax bill") == "Council Tax bill"
    assert about("CCTV in the car park") == "CCTV in the car park"


def test_the_subject_line_is_the_subject_never_the_case_list_note() -> None:
    long = "the " + "very " * 30 + "long delay in repairing your roof"
    case = base_case(summary="Note: KD chasing, ring back Tues", complaint_subject=long)
    line = subject_line(case)
    assert line == f"Your complaint about {long}"  # whole, never cut with "…"
    assert "KD" not in line
    no_subject = base_case(summary="Planning", complaint_subject="", service_area="Planning")
    assert subject_line(no_subject) == "Your complaint about the Planning service"


def test_no_complaint_about_your_complaint_about() -> None:
    """Issue 18: "your complaint about your complaint about Planning"."""
    for subject in ("", "Your complaint about planning decisions", "Re: complaint about fees."):
        case = base_case(outcome=Outcome.UPHELD, service_area="Planning", complaint_subject=subject)
        case.issues = bin_issues(Finding.UPHELD)
        draft = build_draft(case, get_policy("stockport"), date=DATE)
        text = "\n".join(t for _, t in draft.all_text())
        assert "complaint about your complaint" not in text.lower()
        assert "complaint about complaint" not in text.lower()
    assert subject_line(case) == "Your complaint about fees"


# -- which letter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (dict(outcome=Outcome.UPHELD), LetterKind.OUTCOME),
        (dict(outcome=Outcome.WITHDRAWN), LetterKind.WITHDRAWAL),
        (dict(outcome=Outcome.DISCONTINUED), LetterKind.DISCONTINUATION),
        (dict(stage=2, outcome=Outcome.NOT_UPHELD), LetterKind.DECISION),
        (dict(route=RouteId.MEMBER_ENQUIRY), LetterKind.MEMBER_REPLY),
    ],
)
def test_the_letter_a_case_needs_now(values: dict, kind: LetterKind) -> None:
    case = base_case(**values)
    assert default_kind(case, get_policy("stockport")) == kind


def test_a_decision_letter_is_for_a_later_stage() -> None:
    with pytest.raises(UserError, match="outcome letter"):
        draft_for(base_case(), LetterKind.DECISION)


def test_a_stage_the_route_does_not_have_is_refused() -> None:
    with pytest.raises(UserError, match="has 1 stage: there is no stage 2"):
        draft_for(base_case(route=RouteId.MEMBER_ENQUIRY), LetterKind.ESCALATION_ACCEPTED)


def test_extension_and_meeting_letters_need_their_records() -> None:
    with pytest.raises(UserError, match="no extension recorded"):
        draft_for(base_case(), LetterKind.EXTENSION)
    with pytest.raises(UserError, match="no meeting recorded"):
        draft_for(base_case(), LetterKind.MEETING)


# -- what each letter says ---------------------------------------------------------------


def test_upheld_letter_follows_appendix_a_and_b() -> None:
    case = base_case(outcome=Outcome.UPHELD)
    case.issues = bin_issues(Finding.UPHELD, Finding.UPHELD)
    draft = draft_for(case)
    keys = [section.key for section in draft.sections]
    assert keys == [
        SectionKey.OPENING,
        SectionKey.APOLOGY,
        SectionKey.UNDERSTANDING,
        SectionKey.DECISION,
        SectionKey.ISSUES,
        SectionKey.ACTIONS,
        SectionKey.CLOSING,
        SectionKey.NEXT_STAGE,
    ]
    assert draft.text_of(SectionKey.OPENING) == (
        "Thank you for your complaint, which we received on 2 March 2026."
    )
    assert "the Council did not provide the service it should have" in draft.text_of(
        SectionKey.APOLOGY
    )
    assert draft.text_of(SectionKey.DECISION).endswith(
        "I am writing to let you know that your complaint has been upheld."
    )
    assert "missed bin collections at 12 Acacia Avenue" in draft.text_of(SectionKey.DECISION)
    next_stage = draft.text_of(SectionKey.NEXT_STAGE)
    assert "stage 2" in next_stage and "0161 474 3182" in next_stage
    assert "Stage2.complaints@stockport.gov.uk" in next_stage
    assert draft.section(SectionKey.OMBUDSMAN) is None  # Stockport: only the final response
    assert [issue.number for issue in draft.issues] == [1, 2]


def test_not_upheld_letter_apologises_for_how_they_feel() -> None:
    case = base_case(outcome=Outcome.NOT_UPHELD)
    case.issues = bin_issues(Finding.NOT_UPHELD)
    draft = draft_for(case)
    assert "I am sorry that you feel let down" in draft.text_of(SectionKey.APOLOGY)
    assert "I have not upheld your complaint" in draft.text_of(SectionKey.DECISION)


def test_settled_letter_confirms_the_terms_and_still_gives_stage_2() -> None:
    case = base_case(outcome=Outcome.SETTLED, settlement_terms="A refund of £35.")
    draft = draft_for(case)
    assert draft.text_of(SectionKey.SETTLEMENT) == "A refund of £35."
    assert "Corporate Complaints Manager" in draft.text_of(SectionKey.NEXT_STAGE)
    assert draft.section(SectionKey.ISSUES) is None


def test_warwickshire_withdrawal_asks_to_be_told_of_a_misunderstanding() -> None:
    case = base_case(
        policy_id="warwickshire", outcome=Outcome.WITHDRAWN, withdrawn_on=dt.date(2026, 3, 20)
    )
    draft = draft_for(case)
    assert draft.kind == LetterKind.WITHDRAWAL and draft.outcome == Outcome.WITHDRAWN
    assert "misunderstood" in draft.text_of(SectionKey.WITHDRAWAL)
    assert "stage 2" in draft.text_of(SectionKey.NEXT_STAGE)
    stockport = draft_for(base_case(outcome=Outcome.WITHDRAWN))
    assert "misunderstood" not in stockport.text_of(SectionKey.WITHDRAWAL)
    assert "Stage2.complaints@stockport.gov.uk" in stockport.text_of(SectionKey.NEXT_STAGE)


def test_decision_letter_holds_every_element_the_seeds_list() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage2-decision")
    draft = draft_for(example.case())
    for key in (
        SectionKey.STAGE,
        SectionKey.UNDERSTANDING,
        SectionKey.STEPS,
        SectionKey.EVIDENCE,
        SectionKey.DECISION,
        SectionKey.ISSUES,
        SectionKey.ACTIONS,
        SectionKey.CHANGES,
        SectionKey.OMBUDSMAN,
    ):
        assert draft.section(key) is not None, key
    assert draft.section(SectionKey.NEXT_STAGE) is None
    assert draft.final
    assert "final stage" in draft.text_of(SectionKey.STAGE)
    assert "Local Government and Social Care Ombudsman" in draft.text_of(SectionKey.OMBUDSMAN)
    assert "until the end of June." in draft.text_of(SectionKey.ACTIONS)  # when, said once
    assert draft.received == dt.date(2026, 4, 14)  # the stage 2 request


def test_housing_decision_names_the_housing_ombudsman() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage2-decision-housing")
    ombudsman = draft_for(example.case()).text_of(SectionKey.OMBUDSMAN)
    assert "Housing Ombudsman Service" in ombudsman and "0300 111 3000" in ombudsman
    assert "Local Government" not in ombudsman


def test_stoke_gives_the_ombudsman_in_every_letter() -> None:
    draft = draft_for(base_case(policy_id="stoke-on-trent"), LetterKind.ACKNOWLEDGEMENT)
    assert "Local Government and Social Care Ombudsman" in draft.text_of(SectionKey.OMBUDSMAN)
    assert "usually expect your complaint to have been through our complaints procedure" in (
        draft.text_of(SectionKey.OMBUDSMAN)
    )


def test_information_governance_letters_give_steps_evidence_and_changes() -> None:
    case = base_case(
        policy_id="information-governance",
        outcome=Outcome.UPHELD,
        steps_taken="I read the file.",
        evidence_considered="The crew sheets.",
    )
    case.issues = bin_issues(Finding.UPHELD)
    draft = draft_for(case)
    assert draft.text_of(SectionKey.STEPS) == "I read the file."
    assert draft.text_of(SectionKey.EVIDENCE) == "The crew sheets."
    assert "Every new route is now checked" in draft.text_of(SectionKey.CHANGES)
    assert "within 1 month of receiving this letter" in draft.text_of(SectionKey.NEXT_STAGE)
    assert "Please tell us why you are unhappy" in draft.text_of(SectionKey.NEXT_STAGE)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_builds_and_round_trips_through_json(example) -> None:  # noqa: ANN001
    draft = draft_for(example.case(), example.kind)
    again = LetterDraft.from_dict(draft.to_dict())
    assert again == draft


def test_the_officers_edit_is_what_the_draft_holds() -> None:
    draft = draft_for(base_case(outcome=Outcome.UPHELD))
    draft.set_text(SectionKey.APOLOGY, "I am very sorry.")
    draft.remove(SectionKey.CLOSING)
    assert draft.text_of(SectionKey.APOLOGY) == "I am very sorry."
    assert draft.section(SectionKey.CLOSING) is None


def test_parts_the_officer_has_written_are_given_even_where_the_policy_does_not_ask() -> None:
    case = base_case(
        outcome=Outcome.UPHELD,
        understanding="You are unhappy about the bins.",
        steps_taken="I read the crew sheets.",
    )
    case.issues = bin_issues(Finding.UPHELD)
    draft = draft_for(case)  # Stockport stage 1 asks for neither
    assert "You are unhappy about the bins." in draft.text_of(SectionKey.UNDERSTANDING)
    assert draft.text_of(SectionKey.STEPS) == "I read the crew sheets."
    assert draft.section(SectionKey.EVIDENCE) is None


def test_the_decision_letter_answers_with_the_stage_2_findings_alone() -> None:
    """The stage 2 example's points were not upheld at stage 1 and are reviewed at stage 2: the
    decision letter gives stage 2's finding, reason and remedy on each, and the outcome they add
    up to when none is recorded."""
    from caseworker.letters.examples import CASES
    from caseworker.letters.render import document_text, render_letter

    case = CASES["stage2-decision"]()
    assert {issue.finding for issue in case.issues} == {Finding.NOT_UPHELD}
    case.outcome = None
    draft = build_draft(case, get_policy("stockport"), date=dt.date(2026, 5, 12))
    assert draft.outcome == Outcome.PARTIALLY_UPHELD
    assert [issue.finding for issue in draft.issues] == [
        Finding.UPHELD,
        Finding.UPHELD,
        Finding.NOT_UPHELD,
    ]
    assert [issue.explanation for issue in draft.issues] == [
        issue.stage2_explanation for issue in case.issues
    ]
    text = "\n".join(document_text(render_letter(draft)))
    assert "At stage 1 we found no fault" not in text
    assert case.issues[0].stage2_remedy in text
    # At stage 1 the same points are answered with stage 1's findings.
    assert [i.finding for i in issue_responses(case, 1)] == [Finding.NOT_UPHELD] * 3
