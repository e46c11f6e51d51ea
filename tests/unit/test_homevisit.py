"""Home visits: the risk assessment, a manager's sign-off, and booking only on it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.domain.enums import RiskDecision, Role
from caseworker.domain.refusals import (
    BadDate,
    MissingInformation,
    NotAnOfficer,
    NotPermitted,
    WrongState,
)
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.investigation import homevisit as hv
from caseworker.storage.models import Case, Officer, RiskAssessment

pytestmark = pytest.mark.no_officer  # the case here has its own officers, "tester" among them

TODAY = dt.date(2026, 11, 25)

COMPLETE = dict(
    address="1 High Street\nQQ1 1AA",
    answers={
        "previous_contact": "No earlier complaints; no markers.",
        "location": "Terraced house, parking outside, good signal.",
        "lone_working": "Team diary; call the office by 12:00.",
    },
    known_risks="None known",
    colleague_attending="Ravi Patel",
    means_of_contact="Work mobile 07700 900123",
    call_if_concerned="Team leader, 0161 496 0000",
    decision=RiskDecision.PROCEED_WITH_COLLEAGUE,
)


@pytest.fixture
def case_id(app) -> int:
    with app.uow() as uow:
        uow.session.add_all(
            [
                Officer(
                    name="Mo Manager",
                    email="mo@x.example",
                    role=Role.LINE_MANAGER,
                    service_area="Housing",
                    login="mmanager",
                ),
                Officer(
                    name="Tess Tester",
                    email="t@x.example",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Housing",
                    login="tester",
                ),
            ]
        )
        uow.commit()
    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 11, 2),
        service_area="Housing",
        summary="Repairs not done.",
        first_aware=dt.date(2026, 10, 1),
        complainant=PersonIn(name="Ann Example", address="1 High Street", postcode="QQ1 1AA"),
    )
    created = create_case(on(app), new).id
    with app.uow() as uow:  # allocated to Tess, who assesses the visit on her own case
        case = uow.session.get(Case, created)
        case.officer_id = uow.session.scalar(select(Officer.id).where(Officer.login == "tester"))
        uow.commit()
    return created


@pytest.fixture
def manager(app, tmp_path):
    opened = open_app(app.url, actor="mmanager", upgrade=False)
    yield opened
    opened.close()


def on(opened):  # noqa: ANN001, ANN201
    """What the services are given, acting as ``opened``'s login on the pinned day."""
    return opened.context(today=lambda: TODAY)


def book(app, case_id, on_day=dt.date(2026, 12, 1)):
    return hv.book_visit(on(app), case_id, on_day)


def test_a_login_without_an_officer_record_cannot_sign_off(app, case_id):
    stranger = open_app(app.url, actor="visitor", upgrade=False)
    try:
        assessment_id = hv.start_assessment(on(app), case_id)
        hv.update_assessment(on(app), assessment_id, **COMPLETE)
        with pytest.raises(NotAnOfficer, match="'visitor'"):
            hv.approve_assessment(on(stranger), assessment_id)
    finally:
        stranger.close()
    with app.uow() as uow:  # nothing signed off
        assert uow.session.get(RiskAssessment, assessment_id).approved_by == ""


def test_no_assessment_no_visit(app, case_id):
    with pytest.raises(WrongState) as refused:
        book(app, case_id)
    assert "There is no risk assessment for this case" in str(refused.value)
    assert "Stockport Council: a risk assessment before any home visit" in str(refused.value)


def test_the_full_path_assess_sign_off_book(app, manager, case_id):
    assessment_id = hv.start_assessment(on(app), case_id)
    with app.uow() as uow:
        row = uow.session.get(RiskAssessment, assessment_id)
        assert row.address == "1 High Street\nQQ1 1AA" and row.assessed_by == "tester"
        assert len(hv.gaps_of(row)) == 7  # three questions, risks, contact, who to call, decision
    with pytest.raises(WrongState, match="not complete"):
        book(app, case_id)

    assert hv.update_assessment(on(app), assessment_id, **COMPLETE) is False
    with pytest.raises(WrongState, match="not been signed off by a manager"):
        book(app, case_id)
    with pytest.raises(NotPermitted, match="Tess Tester is not a manager"):
        hv.approve_assessment(on(app), assessment_id)
    assert hv.approve_assessment(on(manager), assessment_id) == "Mo Manager"
    assert book(app, case_id) == assessment_id
    with app.uow() as uow:
        assert uow.session.get(RiskAssessment, assessment_id).visit_on == dt.date(2026, 12, 1)


def test_changing_a_signed_off_assessment_withdraws_sign_off_and_booking(app, manager, case_id):
    assessment_id = hv.start_assessment(on(app), case_id)
    hv.update_assessment(on(app), assessment_id, **COMPLETE)
    hv.approve_assessment(on(manager), assessment_id)
    book(app, case_id)
    assert hv.update_assessment(on(app), assessment_id, known_risks="None known") is False
    assert hv.update_assessment(on(app), assessment_id, known_risks="A dog.") is True
    with app.uow() as uow:
        row = uow.session.get(RiskAssessment, assessment_id)
        assert (row.approved_by, row.approved_at, row.visit_on) == ("", None, None)


def test_sign_off_needs_every_answer_a_manager_and_not_the_assessor(app, manager, case_id):
    assessment_id = hv.start_assessment(on(app), case_id)
    with pytest.raises(MissingInformation, match="Known risks"):
        hv.approve_assessment(on(manager), assessment_id)
    hv.update_assessment(on(app), assessment_id, **COMPLETE)
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Tess",
                email="t2@x.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Housing",
                login="tess",
            )
        )
        uow.commit()
    investigator = open_app(app.url, actor="tess", upgrade=False)
    try:
        with pytest.raises(NotPermitted, match="not a manager"):
            hv.approve_assessment(on(investigator), assessment_id)
    finally:
        investigator.close()
    own = hv.start_assessment(on(manager), case_id)
    hv.update_assessment(on(manager), own, **COMPLETE)
    with pytest.raises(NotPermitted, match="wrote this risk assessment"):
        hv.approve_assessment(on(manager), own)
    with app.uow() as uow:  # neither was signed off
        assert [uow.session.get(RiskAssessment, i).approved_by for i in (assessment_id, own)] == [
            "",
            "",
        ]


def test_the_decision_can_rule_out_a_visit(app, manager, case_id):
    assessment_id = hv.start_assessment(on(app), case_id)
    hv.update_assessment(
        on(app), assessment_id, **{**COMPLETE, "decision": RiskDecision.MEET_ELSEWHERE}
    )
    hv.approve_assessment(on(manager), assessment_id)
    with pytest.raises(WrongState, match="public meeting room"):
        book(app, case_id)
    hv.update_assessment(on(app), assessment_id, decision=RiskDecision.PROCEED)
    hv.approve_assessment(on(manager), assessment_id)
    with pytest.raises(BadDate, match="in the past"):
        book(app, case_id, on_day=dt.date(2026, 11, 24))


def test_a_colleague_is_named_when_the_decision_needs_one():
    gaps = hv.assessment_gaps(**{**COMPLETE, "colleague_attending": ""})
    assert gaps == ["Name the colleague who is coming on the visit."]
