"""The case file's "why not" answers: one function each, the same words for the control the app
disables and for the refusal the service raises (no rule written twice)."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain.enums import CaseStatus, Outcome
from caseworker.policy.loader import get_policy
from caseworker.services.cases import intake
from caseworker.services.investigation import issues as inv
from caseworker.services.investigation.issues import InterviewIn

HELD = dt.date(2026, 11, 20)


def test_what_an_interview_lacks_is_what_recording_it_refuses() -> None:
    assert inv.interview_missing(InterviewIn(" ", HELD)) == "who was interviewed?"
    assert inv.interview_missing(InterviewIn("Sam", HELD, accompanied_as="colleague")) == (
        "who was the colleague accompanying the interviewee?"
    )
    assert inv.interview_missing(InterviewIn("Sam", HELD, accompanied_by="Lee")) == (
        "was Lee a colleague or a union representative?"
    )
    assert inv.interview_missing(InterviewIn("Sam", HELD)) is None


def test_step_2_waits_for_the_summary_read_back() -> None:
    assert inv.invitation_blocked(True) is None
    assert inv.invitation_blocked(False) == (
        "read the summary back first: the interviewee adds information to the summary they "
        "have heard"
    )


@pytest.mark.parametrize(
    ("status", "outcome", "words"),
    [
        (CaseStatus.OPEN, None, None),
        (CaseStatus.OPEN, Outcome.UPHELD, None),
        (CaseStatus.CLOSED, Outcome.UPHELD, "CW-1 is closed: its outcome is kept as it was sent"),
        (
            CaseStatus.OPEN,
            Outcome.WITHDRAWN,
            "CW-1 is withdrawn: that outcome is changed by re-opening the case, not here",
        ),
    ],
)
def test_when_the_outcome_is_fixed(status, outcome, words) -> None:  # noqa: ANN001
    assert inv.outcome_fixed(status, "CW-1", outcome) == words


def test_an_anonymous_complaint_has_nobody_to_make_adjustments_for() -> None:
    assert intake.adjustments_blocked(True) is None
    assert intake.adjustments_blocked(False) == (
        "an anonymous complaint has no complainant to record adjustments for"
    )


def test_the_form_states_the_policys_rules_triage_applies() -> None:
    southampton = intake.form_rules(get_policy("southampton"))
    assert southampton.asks_safeguarding
    assert southampton.anonymous == "Anonymous complaints are accepted only about safeguarding."
    assert southampton.takes_member_consent
    stockport = intake.form_rules(get_policy("stockport"))
    assert not stockport.asks_safeguarding and not stockport.takes_member_consent
    assert stockport.time_limit.startswith("A complaint should be made within 12 months")
