"""The case file's services check who is acting (issue 5, "Permissions"; issue 15: reads too),
and who that is on a fresh database: no Qt, a real SQLite file, each refusal checked by the rule
it names. (Every service's refusals, one by one: test_casefile_permissions.py.)"""

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
from caseworker.services import letters as letter_service
from caseworker.services import officers
from caseworker.services.cases import allocation, casefile, intake, lifecycle
from caseworker.services.context import Context
from caseworker.services.investigation import homevisit
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import InterviewIn
from caseworker.services.team.editing import CaseEditor
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import AuditEvent, Issue, Officer
from tests.integration.test_managers_work import new_case
from tests.officers import add_team

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    """The officers' ids by login."""
    return add_team(app)


def acting(app: Any, login: str) -> Context:
    """What the services are given when ``login`` is at the keyboard."""
    return Context(app.sessions, actor=login, today=lambda: TODAY)


def issue_of(app: Any, case_id: int) -> Issue:
    with app.uow() as uow:
        return uow.session.scalars(select(Issue).where(Issue.case_id == case_id)).one()


def test_an_officer_works_on_their_own_case_and_not_a_colleagues(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])  # Ann's, in Waste
    issue = issue_of(app, case_id)
    investigation.update_issue(
        acting(app, "ann"), issue.id, explanation="The crew missed the road."
    )
    with pytest.raises(NotPermitted) as refused:
        investigation.update_issue(acting(app, "bob"), issue.id, explanation="Bob was here")
    assert str(refused.value) == (
        "Refused: Bob Jones (an investigating officer) may not work on CW-2026-00001 (an "
        "investigating officer works on their own cases)"
    )
    for attempt in (
        lambda d: investigation.add_issue(d, case_id, "Another point"),
        lambda d: investigation.add_note(d, issue.id, "fact", "A fact"),
        lambda d: investigation.update_case_text(d, case_id, understanding="Bob's view"),
        lambda d: investigation.record_interview(
            d, case_id, InterviewIn("Sam", dt.date(2026, 10, 20))
        ),
        lambda d: homevisit.start_assessment(d, case_id),
        lambda d: intake.record_adjustments(d, case_id, "Large print", None),
        lambda d: letter_service.save_letter(d, case_id),
    ):
        with pytest.raises(NotPermitted, match="works on their own cases"):
            attempt(acting(app, "bob"))
    assert issue_of(app, case_id).explanation == "The crew missed the road."


def test_a_line_manager_works_within_their_service_a_complaints_manager_anywhere(
    app: Any, ids: dict
) -> None:
    waste = new_case(app, officer=ids["ann"])
    issue = issue_of(app, waste)
    lee, cam, lyn = acting(app, "lee"), acting(app, "cam"), acting(app, "lyn")
    investigation.update_issue(lee, issue.id, remedy="Collect the bin")  # Waste's line manager
    investigation.update_issue(cam, issue.id, lesson_learnt="Check the round")  # complaints mgr
    with pytest.raises(NotPermitted) as refused:
        investigation.update_issue(lyn, issue.id, remedy="Lyn's remedy")  # Housing's line manager
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
            investigation.update_issue(acting(app, login), issue.id, explanation="Too late")
        assert str(refused.value) == (
            "Refused: CW-2026-00001 is closed (closed cases are read-only except through "
            "re-opening): re-open it first"
        )
    # It can still be read: the case file opens.
    assert casefile.load_case_file(acting(app, "ann"), case_id).reference == "CW-2026-00001"
    ground = get_policy("warwickshire").rules.reopening.grounds[0]
    lifecycle.reopen(
        app.context(actor="lee"),
        case_id,
        on=dt.date(2026, 10, 20),
        reason="Meant the other one",
        ground=ground,
    )
    investigation.update_issue(acting(app, "ann"), issue.id, explanation="Looked at again")
    assert issue_of(app, case_id).explanation == "Looked at again"


def test_the_action_on_an_issue_follows_the_tracked_action_rules(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])
    issue = issue_of(app, case_id)
    ann = acting(app, "ann")
    with pytest.raises(MissingInformation, match="say what the action is"):
        investigation.update_issue(ann, issue.id, action_due=dt.date(2026, 12, 1))
    with pytest.raises(BadDate, match="before CW-2026-00001 was received"):
        investigation.update_issue(
            ann, issue.id, action="Retrain the crew", action_due=dt.date(2026, 1, 1)
        )
    investigation.update_issue(ann, issue.id, action="Retrain the crew")
    investigation.update_issue(ann, issue.id, action_due=dt.date(2026, 12, 1))
    investigation.update_issue(ann, issue.id, action_completed=dt.date(2026, 11, 20))
    row = issue_of(app, case_id)
    assert (row.action, row.action_due, row.action_completed) == (
        "Retrain the crew",
        dt.date(2026, 12, 1),
        dt.date(2026, 11, 20),
    )
    investigation.update_issue(ann, issue.id, action="")  # the text deleted: no action after all
    row = issue_of(app, case_id)
    assert (row.action, row.action_due, row.action_completed) == ("", None, None)
    with pytest.raises(NotPermitted):
        investigation.update_issue(acting(app, "bob"), issue.id, action="Bob's action")


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
    assert allocation.may_allocate(app.context())


@pytest.mark.no_officer
def test_an_unlinked_login_changes_nothing_sees_no_case_and_is_told_how_to_link(
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
    visitor = acting(app, "visitor")
    # Reading is authorised like changing (issue 15): a login that is no officer's sees no case.
    with pytest.raises(NotAnOfficer, match="--login visitor"):
        casefile.load_case_file(visitor, case_id)
    with pytest.raises(NotAnOfficer, match="--login visitor"):
        investigation.update_issue(visitor, issue_of(app, case_id).id, explanation="x")
    assert issue_of(app, case_id).explanation == ""
    with UnitOfWork(app.sessions, "ivy") as uow:
        assert "inactive" in officers.sign_in(uow).notice


@pytest.mark.no_officer
def test_the_demo_links_the_login_to_a_complaints_manager_once(app: Any) -> None:
    from caseworker.demo import generate_demo

    generate_demo(app.engine, 3, seed=1, today=TODAY)
    linked = officers.link_to_complaints_manager(app.context())
    assert linked is not None and linked.role == Role.COMPLAINTS_MANAGER
    assert officers.link_to_complaints_manager(app.context()) is None  # already linked
    with app.uow() as uow:
        assert officers.sign_in(uow).name == linked.name


def test_the_case_windows_versioned_saves_check_who_is_acting_and_the_action_rule(
    app: Any, ids: dict
) -> None:
    """The case file window saves case texts and issue fields through the editor (the version
    check): those saves are refused by the same rules as the desk's other changes."""
    # Ann's now; Bob handled it before, so he may read it but not change it.
    case_id = new_case(app, officer=ids["ann"], stage1_officer_id=ids["bob"])
    number = issue_of(app, case_id).number

    bobs = CaseEditor(acting(app, "bob"), case_id)
    bobs.change_issue(number, "explanation", "Bob was here")
    with pytest.raises(NotPermitted, match="works on their own cases"):
        bobs.save()
    # An officer who may not even see the case does not get as far as a window.
    with pytest.raises(NotPermitted) as refused:
        CaseEditor(acting(app, "hal"), case_id)
    assert str(refused.value) == (
        "Refused: Hal Green (an investigating officer) may not see CW-2026-00001 (an "
        "investigating officer works on their own cases)"
    )

    anns = CaseEditor(acting(app, "ann"), case_id)
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
    closed = CaseEditor(acting(app, "cam"), case_id)  # even a complaints manager: re-open first
    closed.change_case("understanding", "A late thought")
    with pytest.raises(CaseClosed, match="re-open it first"):
        closed.save()


@pytest.mark.no_officer
def test_why_a_case_is_read_only_comes_from_the_refusing_rule(app: Any, ids: dict) -> None:
    case_id = new_case(app, officer=ids["ann"])
    assert casefile.why_read_only(acting(app, "ann"), case_id) is None  # her own case
    assert casefile.why_read_only(acting(app, "cam"), case_id) is None  # a complaints manager
    assert casefile.why_read_only(acting(app, "bob"), case_id) == (
        "Bob Jones (an investigating officer) may not work on CW-2026-00001 (an investigating "
        "officer works on their own cases)"
    )
    assert "is not linked to any officer record" in casefile.why_read_only(
        acting(app, "nobody"), case_id
    )
    with app.uow() as uow:
        uow.session.get(Issue, issue_of(app, case_id).id).case.status = CaseStatus.CLOSED
        uow.commit()
    assert casefile.why_read_only(acting(app, "cam"), case_id).startswith("CW-2026-00001 is closed")
    assert casefile.why_read_only(acting(app, "cam"), case_id).endswith("re-open it first")
