"""The officer's desk checks who is acting (issue 5, "Permissions"), and who that is on a fresh
database: no Qt, a real SQLite file, each refusal checked by the rule it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.domain.enums import CaseStatus, ContactMethod, Outcome, Role
from caseworker.domain.refusals import (
    BadDate,
    CaseClosed,
    MissingInformation,
    NotAnOfficer,
    NotPermitted,
)
from caseworker.policy.loader import get_policy
from caseworker.services import officers
from caseworker.services.cases import lifecycle
from caseworker.services.cases.managerdesk import ManagerDesk
from caseworker.services.desk import CaseDesk
from caseworker.services.investigation.issues import InterviewIn
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import AuditEvent, Issue, Officer
from tests.integration.test_managers_work import new_case
from tests.officers import add_team

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    """The officers' ids by login."""
    return add_team(app)


def desk(app: Any, login: str) -> CaseDesk:
    return CaseDesk(app.sessions, actor=login, today=lambda: TODAY)


def issue_of(app: Any, case_id: int) -> Issue:
    with app.uow() as uow:
        return uow.session.scalars(select(Issue).where(Issue.case_id == case_id)).one()


def test_an_officer_works_on_their_own_case_and_not_a_colleagues(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])  # Ann's, in Waste
    issue = issue_of(app, case_id)
    desk(app, "ann").update_issue(issue.id, explanation="The crew missed the road.")
    with pytest.raises(NotPermitted) as refused:
        desk(app, "bob").update_issue(issue.id, explanation="Bob was here")
    assert str(refused.value) == (
        "Refused: Bob Jones (an investigating officer) may not work on CW-2026-00001 (an "
        "investigating officer works on their own cases)"
    )
    for attempt in (
        lambda d: d.add_issue(case_id, "Another point"),
        lambda d: d.add_note(issue.id, "fact", "A fact"),
        lambda d: d.update_case_text(case_id, understanding="Bob's view"),
        lambda d: d.record_interview(case_id, InterviewIn("Sam", dt.date(2026, 10, 20))),
        lambda d: d.start_assessment(case_id),
        lambda d: d.record_adjustments(case_id, "Large print", None),
        lambda d: d.save_letter(case_id),
    ):
        with pytest.raises(NotPermitted, match="works on their own cases"):
            attempt(desk(app, "bob"))
    assert issue_of(app, case_id).explanation == "The crew missed the road."


def test_a_line_manager_works_within_their_service_a_complaints_manager_anywhere(
    app: Any, ids: dict
) -> None:
    waste = new_case(app, officer=ids["ann"])
    issue = issue_of(app, waste)
    desk(app, "lee").update_issue(issue.id, remedy="Collect the bin")  # Waste's line manager
    desk(app, "cam").update_issue(issue.id, lesson_learnt="Check the round")  # complaints manager
    with pytest.raises(NotPermitted) as refused:
        desk(app, "lyn").update_issue(issue.id, remedy="Lyn's remedy")  # Housing's line manager
    assert "Lyn Hart (a line manager) may not work on" in str(refused.value)
    assert "(a line manager works within their service area)" in str(refused.value)
    row = issue_of(app, waste)
    assert (row.remedy, row.lesson_learnt) == ("Collect the bin", "Check the round")


def test_a_closed_case_is_read_only_until_re_opened(app: Any, ids: dict) -> None:
    case_id = new_case(
        app,
        policy="warwickshire",
        officer=ids["ann"],
        status=CaseStatus.CLOSED,
        closed_on=dt.date(2026, 10, 13),
        outcome=Outcome.WITHDRAWN,
        withdrawn_on=dt.date(2026, 10, 12),
        withdrawal_method=ContactMethod.PHONE,
    )
    issue = issue_of(app, case_id)
    for login in ("ann", "cam"):  # nobody, not even the complaints manager
        with pytest.raises(CaseClosed) as refused:
            desk(app, login).update_issue(issue.id, explanation="Too late")
        assert str(refused.value) == (
            "Refused: CW-2026-00001 is closed (closed cases are read-only except through "
            "re-opening): re-open it first"
        )
    # It can still be read: the case file opens.
    assert desk(app, "ann").case_file(case_id).reference == "CW-2026-00001"
    ground = get_policy("warwickshire").rules.reopening.grounds[0]
    with UnitOfWork(app.sessions, "lee") as uow:
        lifecycle.reopen(
            uow, case_id, on=dt.date(2026, 10, 20), reason="Meant the other one", ground=ground
        )
        uow.commit()
    desk(app, "ann").update_issue(issue.id, explanation="Looked at again")
    assert issue_of(app, case_id).explanation == "Looked at again"


def test_the_action_on_an_issue_follows_the_tracked_action_rules(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])
    issue = issue_of(app, case_id)
    ann = desk(app, "ann")
    with pytest.raises(MissingInformation, match="say what the action is"):
        ann.update_issue(issue.id, action_due=dt.date(2026, 12, 1))
    with pytest.raises(BadDate, match="before CW-2026-00001 was received"):
        ann.update_issue(issue.id, action="Retrain the crew", action_due=dt.date(2026, 1, 1))
    ann.update_issue(issue.id, action="Retrain the crew")
    ann.update_issue(issue.id, action_due=dt.date(2026, 12, 1))
    ann.update_issue(issue.id, action_completed=dt.date(2026, 11, 20))
    row = issue_of(app, case_id)
    assert (row.action, row.action_due, row.action_completed) == (
        "Retrain the crew",
        dt.date(2026, 12, 1),
        dt.date(2026, 11, 20),
    )
    ann.update_issue(issue.id, action="")  # the text deleted: no action after all
    row = issue_of(app, case_id)
    assert (row.action, row.action_due, row.action_completed) == ("", None, None)
    with pytest.raises(NotPermitted):
        desk(app, "bob").update_issue(issue.id, action="Bob's action")


@pytest.mark.no_officer
def test_the_first_person_on_an_empty_database_becomes_its_complaints_manager(app: Any) -> None:
    with app.uow() as uow:
        signed = officers.sign_in(uow)
    assert signed.first_run and signed.may_change_cases
    assert signed.role == Role.COMPLAINTS_MANAGER and signed.login == "tester"
    assert "recorded as its first complaints manager" in signed.notice
    with app.uow() as uow:
        officer = uow.session.scalars(select(Officer)).one()
        assert (officer.login, officer.role, officer.active) == (
            "tester",
            Role.COMPLAINTS_MANAGER,
            True,
        )
        created = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "officers", AuditEvent.action == "create")
        ).all()
        assert [event.actor for event in created] == ["tester"]
    # Next time nothing new is recorded, and the person may work.
    with app.uow() as uow:
        again = officers.sign_in(uow)
    assert (again.first_run, again.notice, again.officer_id) == (False, "", signed.officer_id)
    assert ManagerDesk(app.sessions, actor="tester").may_allocate()


@pytest.mark.no_officer
def test_an_unlinked_login_reads_but_changes_nothing_and_is_told_how_to_link(
    app: Any, ids: dict
) -> None:
    case_id = new_case(app, officer=ids["ann"])
    with UnitOfWork(app.sessions, "visitor") as uow:
        signed = officers.sign_in(uow)
    assert not signed.may_change_cases and not signed.first_run
    assert signed.notice == (
        "Your login 'visitor' is not linked to an officer record, so no case is shown to you and "
        "you cannot change any. A complaints manager links it to your officer record with: "
        "caseworker officers --set-login <your email> --login visitor"
    )
    with app.uow() as uow:
        assert uow.session.scalar(select(Officer).where(Officer.login == "visitor")) is None
    visitor = desk(app, "visitor")
    assert visitor.case_file(case_id).reference == "CW-2026-00001"
    with pytest.raises(NotAnOfficer, match="--login visitor"):
        visitor.update_issue(issue_of(app, case_id).id, explanation="x")
    with UnitOfWork(app.sessions, "ivy") as uow:
        assert "inactive" in officers.sign_in(uow).notice


@pytest.mark.no_officer
def test_the_demo_links_the_login_to_a_complaints_manager_once(app: Any) -> None:
    from caseworker.demo import generate_demo

    generate_demo(app.engine, 3, seed=1, today=TODAY)
    with app.uow() as uow:
        linked = officers.link_to_complaints_manager(uow, "tester")
        assert linked is not None and linked.role == Role.COMPLAINTS_MANAGER
        name = linked.name
    with app.uow() as uow:
        assert officers.link_to_complaints_manager(uow, "tester") is None  # already linked
        assert officers.sign_in(uow).name == name


def test_the_case_windows_versioned_saves_check_who_is_acting_and_the_action_rule(
    app: Any, ids: dict
) -> None:
    """The case file window saves case texts and issue fields through the editor (the version
    check): those saves are refused by the same rules as the desk's other changes."""
    case_id = new_case(app, officer=ids["ann"])
    number = issue_of(app, case_id).number

    bobs = desk(app, "bob").editor(case_id)  # a colleague's case
    bobs.change_issue(number, "explanation", "Bob was here")
    with pytest.raises(NotPermitted, match="works on their own cases"):
        bobs.save()

    anns = desk(app, "ann").editor(case_id)
    anns.change_issue(number, "action_due", dt.date(2020, 1, 1))
    with pytest.raises(MissingInformation, match="say what the action is"):
        anns.save()
    anns.change_issue(number, "action", "Apologise to the resident")
    with pytest.raises(BadDate, match="before CW-2026-00001 was received"):
        anns.save()
    anns.change_issue(number, "action_due", TODAY + dt.timedelta(days=7))
    anns.save()
    saved = issue_of(app, case_id)
    assert (saved.action, saved.action_due, saved.explanation) == (
        "Apologise to the resident",
        TODAY + dt.timedelta(days=7),
        "",
    )

    with app.uow() as uow:
        uow.session.get(Issue, saved.id).case.status = CaseStatus.CLOSED
        uow.commit()
    closed = desk(app, "cam").editor(case_id)  # even a complaints manager: re-open first
    closed.change_case("understanding", "A late thought")
    with pytest.raises(CaseClosed, match="re-open it first"):
        closed.save()


@pytest.mark.no_officer
def test_why_a_case_is_read_only_comes_from_the_refusing_rule(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])
    assert desk(app, "ann").why_read_only(case_id) is None  # her own case
    assert desk(app, "cam").why_read_only(case_id) is None  # a complaints manager
    assert desk(app, "bob").why_read_only(case_id) == (
        "Bob Jones (an investigating officer) may not work on CW-2026-00001 (an investigating "
        "officer works on their own cases)"
    )
    assert "is not linked to any officer record" in desk(app, "nobody").why_read_only(case_id)
    with app.uow() as uow:
        uow.session.get(Issue, issue_of(app, case_id).id).case.status = CaseStatus.CLOSED
        uow.commit()
    assert desk(app, "cam").why_read_only(case_id).startswith("CW-2026-00001 is closed")
    assert desk(app, "cam").why_read_only(case_id).endswith("re-open it first")
