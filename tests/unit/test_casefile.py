"""The JSON case file format: what is accepted, what is tidied, and how refusals are worded."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from caseworker.domain.enums import ContactMethod, Finding, RouteId
from caseworker.interchange.casejson import (
    CaseFileError,
    clean_line,
    clean_text,
    fields_at,
    format_path,
    parse_case_file,
    read_case_file,
)

TODAY = dt.date(2026, 11, 23)
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def minimal(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "policy": "stockport",
        "route": "corporate",
        "stage": 1,
        "received": "2026-03-02",
        "channel": "email",
        "service_area": "Highways",
        "complainant": {
            "name": "Ambrose Thistlewick",
            "address": "7 Larkspur Row",
            "email": "ambrose@example.com",
        },
        "issues": [{"summary": "The pothole outside number 7 has not been repaired."}],
    }
    case.update(changes)
    return case


def parse(data: Any, **kwargs: Any):  # noqa: ANN201
    text = data if isinstance(data, str) else json.dumps(data)
    return parse_case_file(text, "complaints.json", today=TODAY, **kwargs)


def refusal(data: Any) -> str:
    with pytest.raises(CaseFileError) as caught:
        parse(data)
    message = str(caught.value)
    if len(caught.value.problems) == 1:  # one problem: one line
        assert "\n" not in message
        assert message.startswith("complaints.json: ")
        assert message.endswith("; nothing was imported")
    else:
        assert message.endswith("\ncomplaints.json: nothing was imported")
    return message


# ---- text pasted from email --------------------------------------------------------------


def test_clean_text_removes_control_characters_but_keeps_newlines_and_tabs() -> None:
    pasted = "  Dear Sir,\r\nThe bin\x07 was missed\x00.\r\n\tAgain.\x1b[0m\x7f\x85Thanks  "
    assert clean_text(pasted) == "Dear Sir,\nThe bin was missed.\n\tAgain.[0m\nThanks"


def test_clean_line_makes_one_line() -> None:
    assert clean_line(" Ambrose\r\n\tThistle\x00wick ") == "Ambrose Thistlewick"


def test_control_characters_in_a_file_are_cleaned_not_refused() -> None:
    case = minimal(summary="Forwarded:\r\n> bins\x0b missed\x00")
    case["complainant"]["name"] = "\x00Ambrose\u0007 Thistlewick\r\n"
    case["issues"][0]["summary"] = "Missed\x08 three times.\r\nPlease help."
    parsed = parse(case).cases[0]
    assert parsed.complainant.name == "Ambrose Thistlewick"
    assert parsed.summary == "Forwarded:\n> bins\n missed"
    assert parsed.issues[0].summary == "Missed three times.\nPlease help."


# ---- good files --------------------------------------------------------------------------


def test_a_single_case_object() -> None:
    case_file = parse(minimal())
    assert not case_file.listed
    assert case_file.cases[0].route is RouteId.CORPORATE
    assert case_file.cases[0].received == dt.date(2026, 3, 2)
    assert case_file.cases[0].reference is None
    assert case_file.policies["stockport"].id == "stockport"


def test_a_list_of_cases() -> None:
    case_file = parse(
        {"cases": [minimal(), minimal(policy="warwickshire", route="childrens-services", stage=1)]}
    )
    assert case_file.listed
    assert [c.policy for c in case_file.cases] == ["stockport", "warwickshire"]


@pytest.mark.parametrize("name", ["case.json", "cases.json"])
def test_the_documented_examples_are_valid(name: str) -> None:
    case_file = read_case_file(EXAMPLES / name, today=TODAY)
    assert case_file.cases


def test_the_full_example_uses_every_field() -> None:
    """docs/examples/case.json shows every field but the withdrawal, settlement and refusal
    ones, which docs/examples/cases.json shows, and the officer, which would stop it importing
    into a database without that officer (the import tests add it)."""
    full = json.loads((EXAMPLES / "case.json").read_text(encoding="utf-8"))
    listed = json.loads((EXAMPLES / "cases.json").read_text(encoding="utf-8"))["cases"]
    used = set(full) | {key for case in listed for key in case}
    missing = set(fields_at([])) - used - {"anonymous", "escalation_refusal_reasons", "officer"}
    assert not missing
    for loc, sample in (
        (["complainant"], full["complainant"]),
        (["via"], full["via"]),
        (["representative"], full["representative"]),
        (["issues", 0], {k for issue in full["issues"] for k in issue}),
        (["issues", 0, "notes", 0], {k for n in full["issues"][0]["notes"] for k in n}),
        (["extensions", 0], full["extensions"][0]),
        (["suspensions", 0], full["suspensions"][0]),
        (["interviews", 0], full["interviews"][0]),
        (["contact_attempts", 0], full["contact_attempts"][0]),
    ):
        assert set(fields_at(loc)) == set(sample), loc


def test_optional_values_may_be_null() -> None:
    parsed = parse(minimal(outcome=None, via=None, acknowledged=None)).cases[0]
    assert parsed.outcome is None and parsed.via is None


# ---- refusals, each naming the file and the field ---------------------------------------


def test_bad_finding_in_a_list_names_the_case_and_issue() -> None:
    cases = [minimal(), minimal(), minimal()]
    cases[2]["issues"][0].update(finding="upheldd", explanation="x")
    assert (
        "complaints.json: cases[2].issues[0].finding: 'upheldd' is not one of upheld, "
        "partially-upheld, not-upheld"
    ) in refusal({"cases": cases})


def test_unknown_field_suggests_the_right_one() -> None:
    case = minimal()
    case["complainant"]["phone_number"] = "01632 960 000"
    message = refusal(case)
    assert (
        "complaints.json: complainant.phone_number: unknown field; did you mean 'phone'?" in message
    )


def test_unknown_field_at_the_top() -> None:
    assert "cases[0].colour: unknown field" in refusal({"cases": [minimal(colour="red")]})


def test_unknown_top_level_key_beside_cases() -> None:
    assert "version: unknown field" in refusal({"cases": [minimal()], "version": 2})


@pytest.mark.parametrize(
    "value, words",
    [
        ("2026-3-2", "'2026-3-2' is not a date in the form YYYY-MM-DD"),
        ("02/03/2026", "'02/03/2026' is not a date in the form YYYY-MM-DD"),
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("2026-03-02T10:00:00", "'2026-03-02T10:00:00' is not a date in the form YYYY-MM-DD"),
        (20260302, "20260302 is not a date in the form YYYY-MM-DD"),
    ],
)
def test_bad_dates(value: Any, words: str) -> None:
    assert f"received: {words}" in refusal(minimal(received=value))


def test_received_in_the_future() -> None:
    assert "received: 2026-11-24 is in the future (today is 2026-11-23)" in refusal(
        minimal(received="2026-11-24")
    )


def test_unknown_policy() -> None:
    message = refusal(minimal(policy="stokeontrent"))
    assert "policy: unknown policy 'stokeontrent'" in message
    assert "stoke-on-trent" in message


def test_route_not_in_policy() -> None:
    assert (
        "route: 'housing' is not a route of policy stockport; its routes are corporate, "
        "member-enquiry"
    ) in refusal(minimal(route="housing"))


def test_route_that_is_no_route_at_all() -> None:
    assert "route: 'corporat' is not one of corporate," in refusal(minimal(route="corporat"))


def test_stage_not_in_route() -> None:
    assert (
        "stage: route adult-social-care of policy warwickshire has no stage 2; it has 1"
        in refusal(
            minimal(
                policy="warwickshire",
                route="adult-social-care",
                stage=2,
                escalation_requested="2026-03-09",
            )
        )
    )


def test_stage_must_be_a_number_not_text() -> None:
    assert "stage: expected a whole number, got text '2'" in refusal(minimal(stage="2"))


def test_missing_complainant_name() -> None:
    case = minimal()
    del case["complainant"]["name"]
    assert "complaints.json: complainant.name: required, but missing" in refusal(case)


@pytest.mark.parametrize("name", ["", "   ", "\x00", "\x00\x00\r\n\x07"])
def test_empty_or_control_only_names_are_refused(name: str) -> None:
    case = minimal()
    case["complainant"]["name"] = name
    assert "complainant.name: a name is needed" in refusal(case)


def test_missing_issues() -> None:
    assert "issues: needs at least one entry" in refusal(minimal(issues=[]))


def test_malformed_json_gives_line_and_column() -> None:
    text = '{\n  "policy": "stockport",\n  "route": "corporate"\n  "stage": 1\n}'
    assert (
        "complaints.json: not valid JSON at line 4, column 3: Expecting ',' delimiter"
        in refusal(text)
    )


def test_a_bare_list_is_refused() -> None:
    assert 'expected a case object {...} or {"cases": [...]}, got a list' in refusal([minimal()])


def test_a_key_given_twice_is_refused() -> None:
    text = json.dumps(minimal())[:-1] + ', "stage": 2}'
    assert "the key 'stage' appears twice" in refusal(text)


def test_wrong_kind_of_value_for_an_object() -> None:
    assert "complainant: expected an object {...}, got text 'Ambrose'" in refusal(
        minimal(complainant="Ambrose")
    )


def test_every_problem_is_listed() -> None:
    bad = minimal(received="yesterday", channel="fax")
    bad["issues"][0]["finding"] = "maybe"
    message = refusal({"cases": [minimal(), bad]})
    assert "cases[1].received:" in message
    assert "cases[1].channel: 'fax' is not one of online," in message
    assert "cases[1].issues[0].finding: 'maybe'" in message


def test_duplicate_reference_within_a_file() -> None:
    message = refusal({"cases": [minimal(reference="A1"), minimal(reference="A1")]})
    assert "cases[1].reference: 'A1' is also the reference of cases[0]" in message


def test_caseworker_references_must_have_caseworker_shape() -> None:
    assert "references starting CW- are Caseworker's own" in refusal(minimal(reference="CW-7"))


def test_finding_needs_an_explanation() -> None:
    case = minimal()
    case["issues"][0]["finding"] = "not-upheld"
    assert "issues[0].explanation: the finding 'not-upheld' needs an explanation" in refusal(case)


def test_stage_two_needs_the_escalation_date() -> None:
    assert "escalation_requested: a case at stage 2 needs the date" in refusal(minimal(stage=2))


def test_response_needs_its_method_and_the_reverse() -> None:
    assert "response_method: needed with response_sent" in refusal(
        minimal(response_sent="2026-03-20")
    )
    assert "response_method: given without response_sent" in refusal(
        minimal(response_method="email")
    )


def test_dates_before_receipt_are_refused() -> None:
    assert "acknowledged: 2026-03-01 is before the complaint was received (2026-03-02)" in refusal(
        minimal(acknowledged="2026-03-01")
    )


def test_closed_status_needs_closed_on() -> None:
    assert "closed_on: a closed case needs the date it was closed" in refusal(
        minimal(status="closed")
    )
    assert "status: 'open' but the case has closed_on" in refusal(
        minimal(status="open", closed_on="2026-03-20")
    )


def test_a_member_enquiry_needs_the_member() -> None:
    assert "via: a member enquiry needs the councillor or MP" in refusal(
        minimal(route="member-enquiry")
    )


def test_times_need_a_zone() -> None:
    case = minimal(contact_attempts=[{"at": "2026-03-03T10:00:00", "method": "phone"}])
    assert "contact_attempts[0].at: '2026-03-03T10:00:00' needs its time zone" in refusal(case)


def test_times_are_kept_in_utc() -> None:
    case = minimal(contact_attempts=[{"at": "2026-03-03T10:00:00+01:00", "method": "phone"}])
    attempt = parse(case).cases[0].contact_attempts[0]
    assert attempt.at == dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
    assert attempt.method is ContactMethod.PHONE


def test_enums_are_given_by_value() -> None:
    case = minimal()
    case["issues"][0].update(finding="partially-upheld", explanation="Part of it happened.")
    assert parse(case).cases[0].issues[0].finding is Finding.PARTIALLY_UPHELD
    case["issues"][0]["finding"] = "PARTIALLY_UPHELD"
    assert "'PARTIALLY_UPHELD' is not one of" in refusal(case)


def test_booleans_must_be_booleans() -> None:
    assert "anonymous: expected true or false, got text 'yes'" in refusal(minimal(anonymous="yes"))


def test_a_way_to_reply_is_needed() -> None:
    case = minimal()
    case["complainant"].update(address="", email="")
    assert "complainant: needs an address, an email or a phone number" in refusal(case)


def test_email_addresses_are_checked() -> None:
    case = minimal()
    case["complainant"]["email"] = "ambrose at example.com"
    assert "is not an email address" in refusal(case)


def test_format_path() -> None:
    assert format_path(("cases", 2, "issues", 0, "finding")) == "cases[2].issues[0].finding"
    assert format_path(("finding",), "cases[1]") == "cases[1].finding"
    assert format_path((), "cases[1]") == "cases[1]"


def test_parsing_does_not_change_its_input() -> None:
    case = minimal()
    before = copy.deepcopy(case)
    parse(case)
    assert case == before
