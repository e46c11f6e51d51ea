"""The stage 1 refusal letter (a complaint not taken on): the reasons, where it goes instead,
the Ombudsman where the policy gives it, and never an offer of stage 2; read back from the
Word document. The outcome letter a refused complaint used to get is refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from caseworker.domain.enums import LetterKind, Outcome
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import check_letter
from caseworker.letters.draft import SectionKey
from caseworker.letters.examples import CASES
from caseworker.letters.golden import bundled_policy_ids
from caseworker.letters.render import document_text, render_letter
from caseworker.policy.loader import get_policy

DATE = dt.date(2026, 3, 6)


def refused_case(policy_id: str):  # noqa: ANN201
    case = CASES["stage1-refused"]()
    case.policy_id = policy_id
    return case


def letter_text(case, kind: LetterKind | None = None) -> str:  # noqa: ANN001
    draft = build_draft(case, get_policy(case.policy_id), kind, date=DATE)
    document = Document(io.BytesIO(render_letter(draft)))
    assert document  # a real .docx
    return "\n".join(document_text(render_letter(draft)))


@pytest.mark.parametrize("policy_id", bundled_policy_ids())
def test_every_council_refuses_with_reasons_and_never_offers_stage_2(policy_id: str) -> None:
    case = refused_case(policy_id)
    policy = get_policy(policy_id)
    draft = build_draft(case, policy, date=DATE)
    assert draft.kind == LetterKind.REFUSAL  # the letter a refused complaint needs
    assert draft.section(SectionKey.NEXT_STAGE) is None
    text = letter_text(case)
    assert "Parking fines have their own appeal process" in text
    assert "Traffic Penalty Tribunal" in text
    assert "stage 2" not in text.lower()
    ombudsman = policy.contacts[policy.route(case.route).ombudsman].name
    gives = policy.rules.refusal_gives_ombudsman or policy.rules.ombudsman_details_in_every_letter
    assert (ombudsman in text) == gives, policy_id
    gaps = [g for g in check_letter(draft, case, policy) if not g.code.startswith("setup-")]
    assert gaps == []


def test_stoke_gives_the_ombudsman_with_a_refusal_and_stockport_the_other_route() -> None:
    stoke = letter_text(refused_case("stoke-on-trent"))
    assert "unhappy with this decision, you can ask the Local Government" in stoke
    stockport = letter_text(refused_case("stockport"))
    assert "Ombudsman" not in stockport
    assert "What you can do instead:" in stockport


@pytest.mark.parametrize("kind", [LetterKind.OUTCOME, LetterKind.DECISION])
def test_a_refused_complaint_gets_no_outcome_letter(kind: LetterKind) -> None:
    case = refused_case("stoke-on-trent")
    with pytest.raises(UserError, match="not taken on|stage 1 use the outcome"):
        build_draft(case, get_policy("stoke-on-trent"), kind, date=DATE)


def test_a_refusal_letter_edited_to_offer_stage_2_or_drop_the_reasons_fails_its_check() -> None:
    case = refused_case("stoke-on-trent")
    policy = get_policy("stoke-on-trent")
    draft = build_draft(case, policy, date=DATE)
    draft.set_text(SectionKey.NEXT_STAGE, "You can ask for stage 2 by writing to us.")
    draft.set_text(SectionKey.REFUSAL, "We cannot deal with your complaint.")
    codes = {gap.code for gap in check_letter(draft, case, policy)}
    assert {"refusal-next-stage", "refusal-reasons"} <= codes


def test_a_refusal_with_no_reasons_recorded_is_no_letter() -> None:
    case = refused_case("stoke-on-trent")
    case.refusal_reasons = ""
    with pytest.raises(UserError, match="records no reasons for not taking the complaint on"):
        build_draft(case, get_policy("stoke-on-trent"), LetterKind.REFUSAL, date=DATE)
    case.outcome = Outcome.NOT_UPHELD
    with pytest.raises(UserError, match="records no refusal"):
        build_draft(case, get_policy("stoke-on-trent"), LetterKind.REFUSAL, date=DATE)
