"""Managers' rules without a database: who may do what to a case, conflicts of interest, and when
enough attempts have been made to reach a complainant."""

from __future__ import annotations

import datetime as dt

import pytest

from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Channel, ContactMethod, Role, RouteId
from caseworker.domain.refusals import CaseClosed, NotPermitted, Refused, WrongState
from caseworker.policy.loader import get_policy
from caseworker.services.cases.allocation import conflicts, end_of_week
from caseworker.services.cases.steps import PERMISSION, Step, refuse_if, steps_not_open, why_not
from caseworker.services.permissions import Action, check, permitted
from caseworker.storage.models import Allocation, Case, CaseSubject, Officer


def officer(id_: int, name: str, role: Role, area: str = "Waste", active: bool = True) -> Officer:
    return Officer(
        id=id_,
        name=name,
        email=f"{id_}@council.example",
        role=role,
        service_area=area,
        login=name.split()[0].lower(),
        active=active,
    )


ANN = officer(1, "Ann Smith", Role.INVESTIGATING_OFFICER)
BOB = officer(2, "Bob Jones", Role.INVESTIGATING_OFFICER)
LEE = officer(3, "Lee Line", Role.LINE_MANAGER)
LYN = officer(4, "Lyn Hart", Role.LINE_MANAGER, "Housing")
CAM = officer(5, "Cam Chief", Role.COMPLAINTS_MANAGER, "Customer Feedback")
IVY = officer(6, "Ivy Gone", Role.COMPLAINTS_MANAGER, active=False)


def case(
    stage: int = 1,
    status: CaseStatus = CaseStatus.OPEN,
    officer_id: int | None = 1,
    **values: object,
) -> Case:
    values = {"policy_id": "stockport", **values}
    return Case(
        id=10,
        reference="CW-2026-00010",
        route=RouteId.CORPORATE,
        stage=stage,
        status=status,
        received=dt.date(2026, 10, 5),
        channel=Channel.EMAIL,
        service_area="Waste",
        officer_id=officer_id,
        **values,
    )


# -- permissions ------------------------------------------------------------------------------


def test_an_investigating_officer_works_on_their_own_cases_only() -> None:
    check(ANN, Action.WORK, case())
    with pytest.raises(NotPermitted) as refused:
        check(BOB, Action.WORK, case())
    assert str(refused.value) == (
        "Refused: Bob Jones (an investigating officer) may not work on CW-2026-00010 "
        "(an investigating officer works on their own cases)"
    )
    assert not permitted(BOB, Action.VIEW, case())


def test_an_investigating_officer_may_read_the_case_they_handled_at_stage_1() -> None:
    moved_on = case(stage=2, officer_id=2, stage1_officer_id=1)
    assert permitted(ANN, Action.VIEW, moved_on)
    assert not permitted(ANN, Action.WORK, moved_on)


@pytest.mark.parametrize(
    "action",
    [Action.ALLOCATE, Action.MANAGE, Action.REOPEN, Action.REVIEW_FILE, Action.RESTRICT_CONTACT],
)
def test_managers_decisions_are_not_an_investigating_officers(action: Action) -> None:
    with pytest.raises(NotPermitted, match=r"a manager decides this"):
        check(
            ANN,
            action,
            case(status=CaseStatus.CLOSED if action == Action.REOPEN else CaseStatus.OPEN),
        )


def test_a_line_manager_works_within_their_service_area() -> None:
    for action in (Action.VIEW, Action.WORK, Action.ALLOCATE, Action.MANAGE, Action.REVIEW_FILE):
        check(LEE, action, case())
    with pytest.raises(NotPermitted) as refused:
        check(LYN, Action.ALLOCATE, case())
    assert str(refused.value) == (
        "Refused: Lyn Hart (a line manager) may not allocate CW-2026-00010 "
        "(a line manager works within their service area)"
    )
    assert not permitted(LYN, Action.VIEW, case())


def test_stage_2_is_the_complaints_managers() -> None:
    stage_2 = case(stage=2, officer_id=None)
    with pytest.raises(NotPermitted, match=r"a complaints manager handles stage 2"):
        check(LEE, Action.ALLOCATE, stage_2)
    check(CAM, Action.ALLOCATE, stage_2)
    check(LEE, Action.MANAGE, stage_2)  # suspension etc. stay with the service's manager


def test_only_a_complaints_manager_decides_escalations_and_records_the_ombudsman() -> None:
    with pytest.raises(NotPermitted) as refused:
        check(LEE, Action.DECIDE_ESCALATION, case())
    assert "(a complaints manager decides requests for the next stage)" in str(refused.value)
    with pytest.raises(NotPermitted):
        check(ANN, Action.OMBUDSMAN, case())
    check(CAM, Action.DECIDE_ESCALATION, case(officer_id=None))
    check(CAM, Action.OMBUDSMAN, case(officer_id=None))


def test_a_complaints_manager_sees_everything() -> None:
    for action in Action:
        if action != Action.REOPEN:
            check(CAM, action, case(officer_id=None))


def test_closed_cases_are_read_only_except_through_reopening() -> None:
    closed = case(status=CaseStatus.CLOSED)
    with pytest.raises(CaseClosed) as refused:
        check(ANN, Action.WORK, closed)
    assert str(refused.value) == (
        "Refused: CW-2026-00010 is closed (closed cases are read-only except through "
        "re-opening): re-open it first"
    )
    for action in (Action.WORK, Action.ALLOCATE, Action.MANAGE):
        assert not permitted(CAM, action, closed)
    for action in (
        Action.VIEW,
        Action.REOPEN,
        Action.OMBUDSMAN,
        Action.LOG_ESCALATION,
        Action.DECIDE_ESCALATION,
        Action.TRACK_ACTIONS,
        Action.REVIEW_FILE,
    ):
        assert permitted(CAM, action, closed)
    assert permitted(LEE, Action.REOPEN, closed)
    assert permitted(ANN, Action.TRACK_ACTIONS, closed)


def test_an_inactive_officer_may_do_nothing() -> None:
    with pytest.raises(NotPermitted, match="inactive"):
        check(IVY, Action.VIEW, case())


def test_every_refusal_is_a_user_error_starting_refused() -> None:
    error = NotPermitted("x")
    assert isinstance(error, Refused) and str(error) == "Refused: x"


# -- conflicts of interest --------------------------------------------------------------------


def test_nobody_investigates_a_complaint_about_themselves() -> None:
    policy = get_policy("stockport")
    by_record = case(officer_id=None, subjects=[CaseSubject(officer_id=1, name="A. Smith")])
    assert conflicts(by_record, ANN, policy) == [
        "Ann Smith is named in this complaint (Stockport Council's policy: nobody investigates a "
        "complaint about themselves)"
    ]
    by_name = case(officer_id=None, subjects=[CaseSubject(name="  mrs ANN   smith ")])
    assert conflicts(by_name, ANN, policy)
    assert conflicts(by_name, BOB, policy) == []


def test_the_stage_2_handler_is_not_anyone_who_held_stage_1() -> None:
    policy = get_policy("southampton")
    stage_2 = case(
        stage=2,
        officer_id=None,
        policy_id="southampton",
        stage1_officer_id=1,
        allocations=[Allocation(stage=1, officer_id=2)],
    )
    found = conflicts(stage_2, ANN, policy)
    assert found == [
        "Ann Smith handled stage 1 of CW-2026-00010 (Southampton City Council's policy and the "
        "Complaint Handling Code: the person handling stage 2 must not be the one who handled "
        "stage 1; policy southampton stage 2: handler_must_differ)"
    ]
    assert conflicts(stage_2, BOB, policy)  # held it at stage 1 before it was moved to Ann
    assert conflicts(stage_2, CAM, policy) == []
    assert conflicts(case(officer_id=None), ANN, policy) == []  # stage 1: no earlier handler


# -- contact attempts -------------------------------------------------------------------------


def attempt(day: int, method: ContactMethod, answered: bool = False) -> rules.Attempt:
    return rules.Attempt(dt.datetime(2026, 10, day, 10, tzinfo=dt.UTC), method, answered)


def test_discontinuation_needs_three_unanswered_attempts_by_different_methods() -> None:
    def short(*attempts: rules.Attempt) -> str | None:
        return rules.discontinuation_shortfall(attempts, minimum=3, distinct_methods=True)

    email, phone, letter = ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.LETTER
    assert short() == "0 unanswered contact attempts by 0 different methods"
    assert short(attempt(1, email), attempt(2, email), attempt(3, email)) == (
        "3 unanswered contact attempts by 1 different method (email)"
    )
    assert short(attempt(1, email), attempt(2, phone)) == (
        "2 unanswered contact attempts by 2 different methods (email, phone)"
    )
    assert short(attempt(1, email), attempt(2, phone), attempt(3, letter)) is None
    # An answer starts the count again.
    assert (
        short(
            attempt(1, email),
            attempt(2, phone, answered=True),
            attempt(3, letter),
            attempt(4, email),
        )
        is not None
    )
    # Attempts at the same moment count once.
    assert short(attempt(1, email), attempt(1, phone), attempt(1, letter)) is not None
    # Without distinct methods, three of one kind will do.
    assert (
        rules.discontinuation_shortfall(
            [attempt(1, email), attempt(2, email), attempt(3, email)],
            minimum=3,
            distinct_methods=False,
        )
        is None
    )
    # Only attempts since re-opening count.
    assert (
        rules.discontinuation_shortfall(
            [attempt(1, email), attempt(2, phone), attempt(3, letter)],
            minimum=3,
            distinct_methods=True,
            since=dt.date(2026, 10, 2),
        )
        is not None
    )


def test_different_methods_only_as_far_as_the_case_has_them() -> None:
    # Warwickshire section 7: "by different methods (where we have alternative contact methods,
    # such as email addresses, telephone numbers or postal addresses)".
    email, phone, text = ContactMethod.EMAIL, ContactMethod.PHONE, ContactMethod.TEXT
    letter, visit = ContactMethod.LETTER, ContactMethod.IN_PERSON

    def short(*attempts: rules.Attempt, reachable_by: list[str]) -> str | None:
        return rules.discontinuation_shortfall(
            attempts, minimum=3, distinct_methods=True, reachable_by=reachable_by
        )

    three_emails = (attempt(1, email), attempt(2, email), attempt(3, email))
    assert short(*three_emails, reachable_by=["email"]) is None
    assert short(*three_emails[:2], reachable_by=["email"]) == (
        "2 unanswered contact attempts by 1 different method (email)"
    )
    assert short(*three_emails, reachable_by=["address", "email"]) is not None
    assert (
        short(
            attempt(1, email),
            attempt(2, email),
            attempt(3, letter),
            reachable_by=["address", "email"],
        )
        is None
    )
    # A call and a text reach the same number; a letter and a visit the same address.
    assert (
        short(
            attempt(1, phone),
            attempt(2, text),
            attempt(3, email),
            reachable_by=["email", "phone", "address"],
        )
        == "3 unanswered contact attempts by 2 different methods (email, phone)"
    )
    assert (
        short(
            attempt(1, letter),
            attempt(2, visit),
            attempt(3, phone),
            reachable_by=["address", "phone"],
        )
        is None
    )
    assert rules.methods_needed(3, True, []) == 1
    assert rules.methods_needed(3, True, None) == 3
    assert rules.methods_needed(3, False, ["email"]) == 0


def test_names_compare_without_case_spacing_or_title() -> None:
    assert rules.same_name("Dr  Ann Smith", "ann smith")
    assert not rules.same_name("", "")
    assert not rules.same_name("Ann Smith", "Anne Smith")


def test_the_week_ends_on_sunday() -> None:
    assert end_of_week(dt.date(2026, 11, 23)) == dt.date(2026, 11, 29)
    assert end_of_week(dt.date(2026, 11, 29)) == dt.date(2026, 11, 29)


# -- each step's one "why not" ----------------------------------------------------------------


def test_every_step_names_the_right_it_needs() -> None:
    assert set(PERMISSION) == set(Step)


def test_why_not_gives_the_officers_right_before_the_cases_state() -> None:
    answered = case(response_sent=dt.date(2026, 10, 16), status=CaseStatus.RESPONDED)
    policy = get_policy("stockport")
    assert str(why_not(Step.EXTEND, BOB, answered, policy)) == (
        "Refused: Bob Jones (an investigating officer) may not work on CW-2026-00010 "
        "(an investigating officer works on their own cases)"
    )
    refusal = why_not(Step.EXTEND, ANN, answered, policy)
    assert isinstance(refusal, WrongState)
    assert str(refusal) == (
        "Refused: the stage 1 response to CW-2026-00010 was sent on 2026-10-16: nothing to extend"
    )
    with pytest.raises(WrongState) as raised:
        refuse_if(refusal)
    assert raised.value is refusal
    refuse_if(why_not(Step.CONTACT_ATTEMPT, ANN, answered, policy))  # nothing against it


def test_the_steps_not_open_are_the_refusals_in_words() -> None:
    policy = get_policy("stockport")
    found = steps_not_open(LEE, case(), policy)
    assert found[Step.SUSPEND] == (
        "policy stockport has no suspension rule (rules.suspension): its clock cannot be "
        f"stopped ({rules.SUSPENSION_RULE})"
    )
    assert found[Step.OMBUDSMAN] == (
        "Lee Line (a line manager) may not record Ombudsman involvement on CW-2026-00010 "
        f"({rules.COMPLAINTS_MANAGER_STAGE_2})"
    )
    assert Step.ACKNOWLEDGE not in found and Step.EXPORT_FILE not in found
