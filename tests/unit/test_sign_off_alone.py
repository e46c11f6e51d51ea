"""A risk assessment needs a second person to sign it off (Stockport Appendix A): on a database
with one person, the refusal says what to do instead of leaving them at a dead end (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import RiskDecision, Role
from caseworker.domain.refusals import NotPermitted
from caseworker.services import officers
from caseworker.services.cases import intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.investigation import homevisit as hv
from caseworker.storage.models import AuditEvent, RiskAssessment

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


def test_one_person_is_told_to_add_a_colleague_who_can_sign_off(app, desk):
    case_id = intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Housing",
            summary="Damp in the bedroom.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name="Priya Shah", address="1 High Street"),
            issues=("The damp was not treated.",),
        ),
    ).id
    assessment = hv.start_assessment(desk, case_id)
    hv.update_assessment(desk, assessment, **COMPLETE)
    with app.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(NotPermitted) as refused:
        hv.approve_assessment(desk, assessment)
    message = str(refused.value)
    assert "nobody else on this database can sign it off" in message
    assert "Add a colleague who can (a line manager for Housing or a complaints manager)" in message
    with app.uow() as uow:
        assert uow.session.get(RiskAssessment, assessment).approved_by == ""
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)) == before

    # Once there is a colleague who can, the refusal names them, and they sign it off.
    officers.add_officer(
        desk,
        name="Lyn Hart",
        email="lyn@council.example",
        role=Role.LINE_MANAGER,
        service_area="Housing",
        login="lyn",
    )
    with pytest.raises(NotPermitted, match=r"another manager signs it off \(who can: Lyn Hart\)"):
        hv.approve_assessment(desk, assessment)
    assert hv.approve_assessment(desk.acting_as("lyn"), assessment) == "Lyn Hart"
