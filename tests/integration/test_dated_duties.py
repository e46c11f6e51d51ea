"""Every dated duty a policy sets appears in the case file and on Today (issue 21, item 4): the
decision on a request for the next stage (Stoke-on-Trent 5 working days, Warwickshire 10), and
Warwickshire's children's stage 3 milestones (panel 30, report 5 after, reply 15 after that).
Dates worked by hand from the seed text; the counts are in tests/unit/test_deadlines.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseworker.domain.enums import CaseStatus, Channel, Outcome, RouteId, SendMethod
from caseworker.policy.loader import get_policy
from caseworker.services.cases import escalation
from caseworker.services.cases.casefile import load_case_file
from caseworker.services.cases.records import refresh_clock
from caseworker.services.lists.today import today_list
from caseworker.storage.models import Case, Complainant, Issue
from tests.officers import add_team

D = dt.date


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    return add_team(app)


def new_case(app: Any, policy: str, officer: int, **values: Any) -> int:
    with app.uow() as uow:
        row = Case(
            reference=f"CW-2027-{uow.session.query(Case).count() + 1:05d}",
            policy_id=policy,
            route=values.pop("route", RouteId.CORPORATE),
            received=values.pop("received", D(2027, 1, 4)),
            channel=Channel.EMAIL,
            service_area="Waste",
            officer_id=officer,
            stage=values.pop("stage", 1),
            status=values.pop("status", CaseStatus.OPEN),
            complainant=Complainant(name="Pat Doe", address="1 High Street"),
            **values,
        )
        row.issues.append(Issue(number=1, summary="Point 1"))
        refresh_clock(row, get_policy(policy))
        uow.session.add(row)
        uow.commit()
        return row.id


def case_file(app: Any, case_id: int, today: dt.date):  # noqa: ANN201
    return load_case_file(app.context(today=lambda: today), case_id)


def todays(app: Any, login: str, today: dt.date) -> dict[tuple[int, str], Any]:
    """The officer's Today on ``today``, as the app shows it to them, by case and section."""
    lines = today_list(app.context(actor=login, today=lambda: today)).lines
    return {(line.case_id, line.section): line for line in lines}


def test_the_stoke_escalation_decision_is_on_the_case_file_and_today(
    app: Any, ids: dict[str, int]
) -> None:
    # Stoke "Stage 2": "we will contact you within 5 working days of the complaint being received
    # to advise you on whether your complaint will be escalated". Stage 1 answered by email on
    # Mon 15 Mar 2027; stage 2 asked for on Thu 25 Mar 2027. [Fri 26 Good Friday, Sat, Sun,
    # Mon 29 Easter Monday], Tue 30 (1), Wed 31 (2), Thu 1 Apr (3), Fri 2 (4), Mon 5 (5).
    case_id = new_case(
        app,
        "stoke-on-trent",
        ids["ann"],
        received=D(2027, 3, 1),
        response_sent=D(2027, 3, 15),
        response_method=SendMethod.EMAIL,
        status=CaseStatus.RESPONDED,
        outcome=Outcome.NOT_UPHELD,
    )
    ann = app.context(actor="ann", today=lambda: D(2027, 3, 25))
    found = escalation.log_escalation_request(ann, case_id, requested_on=D(2027, 3, 25))
    assert found.decide_by == D(2027, 4, 5)

    duties = case_file(app, case_id, D(2027, 3, 31)).clock.duties
    assert [(d.key, d.text, d.due) for d in duties] == [
        ("escalation-decision", "Decide the request for stage 2", D(2027, 4, 5))
    ]
    # Today, Wed 31 Mar: due in 3 working days, beyond the 2-day look-ahead; on Thu 1 Apr it shows.
    assert (case_id, "escalation") not in todays(app, "ann", D(2027, 3, 31))
    line = todays(app, "ann", D(2027, 4, 1))[(case_id, "escalation")]
    assert (line.kind, line.due, line.text, line.overdue) == (
        "escalation decision due",
        D(2027, 4, 5),
        "Decide the request for stage 2 by Mon 5 Apr 2027",
        False,
    )
    assert todays(app, "ann", D(2027, 4, 6))[(case_id, "escalation")].overdue

    # Decided: no longer due anywhere.
    lee = app.context(actor="cam", today=lambda: D(2027, 4, 1))
    escalation.refuse_escalation(lee, case_id, decided_on=D(2027, 4, 1), reasons="Answered.")
    assert case_file(app, case_id, D(2027, 4, 1)).clock.duties == ()
    assert (case_id, "escalation") not in todays(app, "ann", D(2027, 4, 1))


def test_warwickshire_stage_3_milestones_are_on_the_case_file_and_today(
    app: Any, ids: dict[str, int]
) -> None:
    # Appendix 3, children's stage 3 "30+5+15", asked for on Mon 22 Mar 2027 (the stage's start):
    # the panel by Thu 6 May, the report by Thu 13 May, the reply by Fri 4 Jun 2027.
    case_id = new_case(
        app,
        "warwickshire",
        ids["ann"],
        route=RouteId.CHILDRENS_SERVICES,
        stage=3,
        received=D(2026, 10, 1),
        stage_started=D(2027, 3, 22),
    )
    clock = case_file(app, case_id, D(2027, 5, 4)).clock
    assert [(d.key, d.due) for d in clock.duties] == [
        ("panel", D(2027, 5, 6)),
        ("report", D(2027, 5, 13)),
        ("reply", D(2027, 6, 4)),
    ]
    assert clock.duties[0].text == "Hold the review panel"
    assert (clock.respond_by, clock.respond_by_latest_source) == (D(2027, 6, 4), None)

    # Tue 4 May: the panel is due in 2 working days (look-ahead), the report is not yet.
    lines = todays(app, "ann", D(2027, 5, 4))
    line = lines[(case_id, "milestones")]
    assert (line.kind, line.due, line.text) == (
        "milestone due",
        D(2027, 5, 6),
        "Hold the review panel by Thu 6 May 2027",
    )
    # Tue 11 May: the panel is past (no record of it being held is kept, so it is not carried
    # forward); the report, Thu 13 May, is due.
    later = today_list(app.context(actor="ann", today=lambda: D(2027, 5, 11))).lines
    assert [(i.due, i.text) for i in later if i.section == "milestones"] == [
        (
            D(2027, 5, 13),
            "Present the panel's report to the Assistant Director of Children's Services by "
            "Thu 13 May 2027",
        )
    ]


def test_a_borrowed_extension_limit_says_so_on_the_case_file(app: Any, ids: dict[str, int]) -> None:
    # Stockport 2.1 sets no limit to an extension; the file borrows the Code's 10 working days.
    stockport = new_case(app, "stockport", ids["ann"], received=D(2026, 11, 23))
    clock = case_file(app, stockport, D(2026, 11, 25)).clock
    assert clock.respond_by_latest == D(2027, 1, 7)
    assert clock.respond_by_latest_source == (
        "the Complaint Handling Code, borrowed: the council's policy sets no limit"
    )
    # Warwickshire's stage 1 "10-30" is its own.
    warks = new_case(app, "warwickshire", ids["ann"], received=D(2026, 11, 23))
    assert case_file(app, warks, D(2026, 11, 25)).clock.respond_by_latest_source == (
        "the council's policy"
    )
