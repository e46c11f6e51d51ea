"""The report's rules that need no database: periods, remedy kinds and what a purge keeps of them,
and the Complaint Handling Code self-assessment of every policy file."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from caseworker.errors import UserError
from caseworker.policy.loader import load_policies
from caseworker.reports.period import Period, parse_date
from caseworker.reports.remedies import KINDS, RETAINED, kinds_of, retained_text
from caseworker.reports.selfassessment import DEPARTS, NOT_COMPARED, policy_checks

D = dt.date


# -- periods ---------------------------------------------------------------------------------


def test_quarters_years_and_financial_years() -> None:
    assert (Period.quarter(2026, 1).start, Period.quarter(2026, 1).end) == (
        D(2026, 1, 1),
        D(2026, 3, 31),
    )
    assert Period.quarter(2024, 1).months() == [(2024, 1), (2024, 2), (2024, 3)]
    assert Period.quarter(2026, 4).end == D(2026, 12, 31)
    assert Period.year(2026).label.startswith("2026")
    financial = Period.parse("2026/27")
    assert (financial.start, financial.end) == (D(2026, 4, 1), D(2027, 3, 31))
    assert len(financial.months()) == 12
    assert Period.parse("2026Q3") == Period.quarter(2026, 3)
    assert Period.parse("2026-q2") == Period.quarter(2026, 2)
    assert Period.parse("2028") == Period.year(2028)


@pytest.mark.parametrize("text", ["2026Q5", "26", "2026/28", "last year", ""])
def test_a_bad_period_is_refused_with_the_forms_allowed(text: str) -> None:
    with pytest.raises(UserError, match="use 2026, 2026Q3 or 2026/27"):
        Period.parse(text)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(UserError, match=r"ends \(2026-01-31\) before it starts \(2026-02-01\)"):
        Period(D(2026, 2, 1), D(2026, 1, 31))
    assert Period(D(2026, 2, 1), D(2026, 2, 1)).contains(D(2026, 2, 1))


@pytest.mark.parametrize("text", ["2026-02-30", "01/02/2026", "2026-1-5", "tomorrow"])
def test_dates_must_be_iso(text: str) -> None:
    with pytest.raises(UserError, match=f"--from: '{text}' is not a date"):
        parse_date(text, "--from")


# -- remedy kinds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remedy", "kinds"),
    [
        ("An apology and a compensation payment of £50.", ["apology", "financial"]),
        ("We are sorry; the bin was delivered the next day.", ["apology", "put-right"]),
        ("An explanation of how the rounds work.", ["explanation"]),
        ("Staff have been reminded of the procedure.", ["procedure"]),
        ("A refund of the contribution.", ["financial"]),
        ("Signs put up at the play area.", []),
    ],
)
def test_remedy_kinds_are_read_from_the_words(remedy: str, kinds: list[str]) -> None:
    assert kinds_of(remedy) == kinds


def test_what_a_purge_keeps_of_a_remedy_reads_as_the_same_kinds() -> None:
    """Every combination of kinds survives the purge, so remedy counts do not change."""
    keys = [kind.key for kind in KINDS]
    for size in range(len(keys) + 1):
        for chosen in itertools.combinations(keys, size):
            words = " and ".join(kind.words[0] for kind in KINDS if kind.key in chosen)
            original = f"Remedy: {words}." if words else "Signs put up."
            kept = retained_text(original)
            assert kinds_of(kept) == list(chosen), kept
            assert kept.startswith(RETAINED[:-1])
    assert retained_text("") == ""
    assert retained_text("  ") == ""


def test_the_kept_text_holds_none_of_the_original_words() -> None:
    kept = retained_text("An apology to Mrs Quillthorpe of 12 Larkspur Road and £50.")
    assert "Quillthorpe" not in kept and "Larkspur" not in kept and "50" not in kept
    assert kept == ("Removed under the retention policy; it was an apology and a financial remedy.")


# -- the Complaint Handling Code -------------------------------------------------------------


@pytest.fixture(scope="module")
def policies() -> dict:
    return load_policies()


def _departures(policies: dict, policy_id: str) -> set[tuple[str, str, str]]:
    code = policies["complaint-handling-code"]
    return {
        (c.route, c.stage, c.requirement)
        for c in policy_checks(policies[policy_id], code)
        if c.result == DEPARTS
    }


def test_stockport_departs_on_its_20_day_stage_1(policies: dict) -> None:
    checks = policy_checks(policies["stockport"], policies["complaint-handling-code"])
    response = next(
        c
        for c in checks
        if (c.route, c.stage, c.requirement) == ("Corporate", "Stage 1", "Response")
    )
    assert response.result == DEPARTS
    assert response.policy_says == "20 working days from receipt"
    assert response.code_says == ("10 working days from acknowledgement (at most 15 from receipt)")
    # Stage 2: 20 from receipt is within the Code's 5 + 20.
    assert ("Corporate", "Stage 2", "Response") not in _departures(policies, "stockport")
    # Member/MP enquiries are not complaints: not compared.
    enquiry = [c for c in checks if c.route == "Member/MP enquiry"]
    assert [c.result for c in enquiry] == [NOT_COMPARED]


@pytest.mark.parametrize("policy_id", ["southampton", "warwickshire", "information-governance"])
def test_a_reason_demanded_for_escalating_departs(policies: dict, policy_id: str) -> None:
    assert ("Corporate", "Stage 2", "Reasons demanded for escalating") in _departures(
        policies, policy_id
    )


@pytest.mark.parametrize("policy_id", ["stockport", "stoke-on-trent"])
def test_no_reason_demanded_meets_the_code(policies: dict, policy_id: str) -> None:
    assert ("Corporate", "Stage 2", "Reasons demanded for escalating") not in _departures(
        policies, policy_id
    )


def test_warwickshire_stage_2_of_30_days_and_its_long_extension_depart(policies: dict) -> None:
    found = _departures(policies, "warwickshire")
    assert ("Corporate", "Stage 2", "Response") in found
    assert ("Corporate", "Stage 1", "Longest extension") in found  # 20 against 10
    assert ("Corporate", "Stage 1", "Acknowledgement") in found  # no target set
    checks = policy_checks(policies["warwickshire"], policies["complaint-handling-code"])
    statutory = {c.route for c in checks if c.result == NOT_COMPARED}
    assert statutory == {"Adult social care", "Children's services"}


def test_stoke_meets_the_code_on_response_times(policies: dict) -> None:
    found = _departures(policies, "stoke-on-trent")
    assert not any(requirement == "Response" for _, _, requirement in found)


def test_the_code_meets_itself(policies: dict) -> None:
    code = policies["complaint-handling-code"]
    assert [c for c in policy_checks(code, code) if c.result == DEPARTS] == []
