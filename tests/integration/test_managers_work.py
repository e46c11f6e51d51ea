"""Managers' work against a real SQLite database: permissions from the login, allocation,
escalation, the lifecycle, contact restrictions, tracked actions and the Ombudsman.

Every refusal is checked by its message, every change by what it left in the audit trail and who
it names as the actor. Dates were counted by hand (no bank holidays fall in October or November
2026 in England).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.domain.caselist import Urgency
from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    ContactMethod,
    Finding,
    LetterKind,
    Outcome,
    ReferrerRole,
    Role,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import EscalationDecision, OmbudsmanBody, Restriction
from caseworker.domain.refusals import (
    BadDate,
    CaseClosed,
    ConflictOfInterest,
    MissingInformation,
    NotAnOfficer,
    NotEnoughContactAttempts,
    NotPermitted,
    PolicyForbids,
    Refused,
    WrongState,
)
from caseworker.policy.deadlines import compute_deadlines
from caseworker.policy.loader import get_policy
from caseworker.services.cases import actions, allocation, escalation, lifecycle, ombudsman
from caseworker.services.cases import restrictions as contact
from caseworker.services.cases.records import refresh_clock
from caseworker.services.context import Context
from caseworker.services.permissions import current_officer, database_login
from caseworker.services.team.concurrency import AllocationConflict
from caseworker.storage.models import (
    Allocation,
    AuditEvent,
    Case,
    CaseSubject,
    Complainant,
    ContactRestriction,
    Issue,
    Letter,
    Officer,
)
from tests.officers import add_team

D = dt.date
RECEIVED = D(2026, 10, 5)  # a Monday
TODAY = D(2026, 11, 23)


@pytest.fixture
def ids(app: Any) -> dict[str, int]:
    """The officers' ids by login."""
    return add_team(app)


def as_(app: Any, login: str) -> Context:
    """What the app gives the services while ``login`` is at the keyboard, on :data:`TODAY`."""
    return app.context(actor=login, today=lambda: TODAY)


def new_case(
    app: Any,
    *,
    policy: str = "stockport",
    route: RouteId = RouteId.CORPORATE,
    area: str = "Waste",
    officer: int | None = None,
    subjects: tuple = (),
    issues: int = 1,
    **values: Any,
) -> int:
    with app.uow() as uow:
        row = Case(
            reference=f"CW-2026-{uow.session.query(Case).count() + 1:05d}",
            policy_id=policy,
            route=route,
            received=values.pop("received", RECEIVED),
            channel=Channel.EMAIL,
            service_area=area,
            officer_id=officer,
            stage=values.pop("stage", 1),
            status=values.pop("status", CaseStatus.OPEN),
            complainant=Complainant(name="Pat Doe", address="1 High Street"),
            **values,
        )
        for subject in subjects:
            row.subjects.append(subject)
        for number in range(1, issues + 1):
            row.issues.append(Issue(number=number, summary=f"Point {number}"))
        refresh_clock(row, get_policy(policy))
        uow.session.add(row)
        uow.commit()
        return row.id


def load(app: Any, case_id: int) -> Case:
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        for relation in (
            row.extensions,
            row.suspensions,
            row.allocations,
            row.letters,
            row.issues,
            row.ombudsman_cases,
            row.contact_attempts,
        ):
            list(relation)
        return row


def audit(app: Any, case_id: int, **where: Any) -> list[AuditEvent]:
    with app.uow() as uow:
        query = select(AuditEvent).where(AuditEvent.case_id == case_id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(uow.session.execute(query.order_by(AuditEvent.id)).scalars())


def _call(app: Any, login: str, service: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``service`` as ``login``: a step takes the context and commits its own work."""
    return service(as_(app, login), *args, **kwargs)


def run(app: Any, login: str, service: Any, *args: Any, **kwargs: Any) -> Any:
    """Take a step as ``login``: what the app does for each action."""
    return _call(app, login, service, *args, **kwargs)


def refused(
    app: Any, login: str, error: type[Exception], service: Any, *args: Any, **kwargs: Any
) -> str:
    """Take a step expecting a refusal; return its message."""
    with pytest.raises(error) as caught:
        _call(app, login, service, *args, **kwargs)
    message = str(caught.value)
    assert message.startswith("Refused: ")
    return message


# -- who is acting ----------------------------------------------------------------------------


def test_the_acting_officer_comes_from_the_login(app: Any, ids: dict[str, int]) -> None:
    with app.uow() as uow:
        assert current_officer(uow.session, "ann").name == "Ann Smith"
        assert database_login(uow.session) is None  # SQLite: the operating-system account
        with pytest.raises(NotAnOfficer) as unknown:
            current_officer(uow.session, "mallory")
        assert str(unknown.value) == (
            "Refused: the login 'mallory' is not linked to any officer record (an officer's "
            "login must be set before they can change cases; a complaints manager links it with "
            "'caseworker officers --set-login <their email> --login mallory')"
        )
        with pytest.raises(NotAnOfficer, match="Ivy Gone's officer record is inactive"):
            current_officer(uow.session, "ivy")


def as_manager(app: Any, login: str) -> Any:
    """What the services are given, acting as ``login`` on :data:`TODAY`."""
    return app.context(actor=login, today=lambda: TODAY)


def allocate(app: Any, login: str, case_id: int, officer_id: int, **kwargs: Any) -> Any:
    """``login`` allocates the case (the service opens, checks and commits its own work)."""
    return allocation.allocate(as_manager(app, login), case_id, officer_id, **kwargs)


def refused_allocation(
    app: Any, login: str, error: type[Exception], case_id: int, officer_id: int, **kwargs: Any
) -> str:
    """``login`` is refused allocating the case, and nothing about its allocation changed."""
    before = load(app, case_id)
    with pytest.raises(error) as caught:
        allocate(app, login, case_id, officer_id, **kwargs)
    message = str(caught.value)
    assert message.startswith("Refused: ")
    after = load(app, case_id)
    assert (after.officer_id, after.version, len(after.allocations)) == (
        before.officer_id,
        before.version,
        len(before.allocations),
    )
    return message


@pytest.mark.no_officer
def test_a_login_with_no_officer_changes_nothing(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app)
    refused_allocation(app, "tester", NotAnOfficer, case_id, ids["ann"])
    assert load(app, case_id).officer_id is None


# -- allocation -------------------------------------------------------------------------------


def test_a_line_manager_allocates_and_the_audit_trail_names_them(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app)
    done = allocate(app, "lee", case_id, ids["ann"])
    assert (done.reference, done.officer, done.reallocated, done.message) == (
        "CW-2026-00001",
        "Ann Smith",
        False,
        "Allocated CW-2026-00001 to Ann Smith",
    )
    row = load(app, case_id)
    assert row.officer_id == ids["ann"]
    assert [(a.officer_id, a.allocated_by_id, a.stage) for a in row.allocations] == [
        (ids["ann"], ids["lee"], 1)
    ]
    assert done.allocation_id == row.allocations[0].id
    change = audit(app, case_id, entity="cases", field="officer_id")
    assert [(e.actor, e.old_value, e.new_value) for e in change] == [("lee", None, str(ids["ann"]))]
    assert audit(app, case_id, entity="allocations", action="create")[0].actor == "lee"


def test_reallocation_needs_a_reason(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    message = refused_allocation(
        app, "lee", MissingInformation, case_id, ids["bob"], expected_officer_id=ids["ann"]
    )
    assert message == (
        "Refused: moving CW-2026-00001 from one officer to another needs a "
        "reason (reallocations are recorded with their reason)"
    )
    done = allocate(
        app, "lee", case_id, ids["bob"], expected_officer_id=ids["ann"], reason="Ann is on leave"
    )
    assert done.message == "Reallocated CW-2026-00001 to Bob Jones"
    moved = load(app, case_id).allocations[-1]
    assert (moved.previous_officer_id, moved.officer_id, moved.reason) == (
        ids["ann"],
        ids["bob"],
        "Ann is on leave",
    )
    assert (
        refused_allocation(
            app,
            "lee",
            MissingInformation,
            case_id,
            ids["bob"],
            expected_officer_id=ids["bob"],
            reason="again",
        )
        == "Refused: CW-2026-00001 is already allocated to Bob Jones"
    )


def test_a_case_moved_meanwhile_is_not_moved_again_unseen(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    with pytest.raises(AllocationConflict) as raised:
        allocate(app, "lee", case_id, ids["bob"], reason="Ann is on leave")  # saw it unallocated
    assert str(raised.value).startswith("CW-2026-00001 was allocated to Ann Smith")
    assert load(app, case_id).officer_id == ids["ann"]
    assert load(app, case_id).allocations == []


def test_nobody_is_given_a_complaint_about_themselves(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, subjects=(CaseSubject(officer_id=ids["ann"], name="Ann Smith"),))
    message = refused_allocation(app, "lee", ConflictOfInterest, case_id, ids["ann"])
    assert message == (
        "Refused: Ann Smith is named in this complaint (Stockport Council's policy: "
        "nobody investigates a complaint about themselves)"
    )
    named = new_case(app, subjects=(CaseSubject(name="bob jones"),))
    assert "Bob Jones is named in this complaint" in refused_allocation(
        app, "cam", ConflictOfInterest, named, ids["bob"]
    )
    assert load(app, case_id).officer_id is None
    # Said before the manager clicks, in the same words.
    assert allocation.conflicts_for(as_manager(app, "lee"), case_id, ids["ann"]) == [
        message.removeprefix("Refused: ")
    ]
    assert allocation.conflicts_for(as_manager(app, "lee"), case_id, ids["bob"]) == []


def test_a_line_manager_stays_in_their_service_area(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app)
    assert refused_allocation(app, "lee", NotPermitted, case_id, ids["hal"]) == (
        "Refused: Lee Line (a line manager for Waste) may not give CW-2026-00001 to Hal Green "
        "of Housing (a line manager works within their service area)"
    )
    assert refused_allocation(app, "lyn", NotPermitted, case_id, ids["hal"]) == (
        "Refused: Lyn Hart (a line manager) may not allocate CW-2026-00001 (a line manager "
        "works within their service area)"
    )
    assert refused_allocation(app, "ann", NotPermitted, case_id, ids["ann"]).endswith(
        "(a manager decides this: a line manager for their service area, or a complaints manager)"
    )
    allocate(app, "cam", case_id, ids["hal"])  # a complaints manager: anyone
    assert load(app, case_id).officer_id == ids["hal"]


def test_an_inactive_officer_is_given_nothing(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app)
    assert "Ivy Gone's officer record is inactive" in refused_allocation(
        app, "lee", ConflictOfInterest, case_id, ids["ivy"]
    )


def test_the_queue_and_each_officers_load(app: Any, ids: dict[str, int]) -> None:
    # Stockport stage 1 answers in 20 working days.
    overdue = new_case(app, officer=ids["ann"], received=D(2026, 10, 1))
    this_week = new_case(app, officer=ids["ann"], received=D(2026, 10, 27))
    new_case(app, officer=ids["ann"], received=D(2026, 11, 20))  # due in December
    new_case(app, officer=ids["ann"], status=CaseStatus.CLOSED, closed_on=D(2026, 11, 1))
    answered = new_case(
        app,
        officer=ids["bob"],
        received=D(2026, 10, 1),
        response_sent=D(2026, 10, 28),
        response_method=SendMethod.EMAIL,
        status=CaseStatus.RESPONDED,
    )
    waiting = new_case(app, received=D(2026, 11, 2))
    housing = new_case(app, area="Housing", received=D(2026, 11, 3))
    assert load(app, overdue).respond_by == D(2026, 10, 29)
    assert load(app, this_week).respond_by == D(2026, 11, 24)

    # A complaints manager sees every waiting case and every active officer.
    cam = as_manager(app, "cam")
    queue = allocation.allocation_queue(cam)
    assert [w.row.id for w in queue] == [waiting, housing]
    assert [(w.days_left, w.days_left_text, w.urgency) for w in queue] == [
        (5, "5 days left", Urgency.ON_TRACK),  # due Monday 30 November, from Monday 23rd
        (6, "6 days left", Urgency.ON_TRACK),
    ]
    loads = {load.name: load for load in allocation.officer_loads(cam)}
    assert (
        loads["Ann Smith"].open_cases,
        loads["Ann Smith"].due_this_week,
        loads["Ann Smith"].overdue,
    ) == (3, 1, 1)
    assert (loads["Bob Jones"].open_cases, loads["Bob Jones"].overdue) == (1, 0)
    assert loads["Cam Chief"].open_cases == 0
    assert "Ivy Gone" not in loads
    # A line manager: their own service area's stage 1 cases and officers.
    lyn = as_manager(app, "lyn")
    assert [w.row.id for w in allocation.allocation_queue(lyn)] == [housing]
    assert {row.name for row in allocation.officer_loads(lyn)} == {"Hal Green", "Lyn Hart"}
    assert allocation.manager(lyn).scope == "Housing, stage 1 (line manager)"
    assert load(app, answered).respond_by < TODAY  # overdue, but answered: not counted


def test_the_officer_loads_are_counted_from_indexes_not_every_open_case(app: Any) -> None:
    """Migration 0030: each officer's figures are counts through an index (the open cases the
    officer index alone, those waiting for a response their own partial index), not a read of
    every case not closed (0.18 s at 250,000 cases on SQLite). The plan SQLite makes with the
    app's fixed statistics (docs/performance.md has the figures at 250,000)."""
    from sqlalchemy import text

    sql = str(
        allocation.officer_loads_query(TODAY).compile(
            app.engine, compile_kwargs={"literal_binds": True}
        )
    )
    with app.engine.connect() as connection:
        plan = [str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    reads = [line for line in plan if " cases " in f" {line} "]
    assert reads == [
        "SEARCH cases USING COVERING INDEX ix_cases_officer_status (officer_id=? AND status=?)",
        "SEARCH cases USING INDEX ix_cases_officer_waiting (officer_id=? AND respond_by>? AND "
        "respond_by<?)",
        "SEARCH cases USING INDEX ix_cases_officer_waiting (officer_id=? AND respond_by<?)",
    ], plan


def test_an_investigating_officer_sees_no_queue_and_no_loads(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    ann = as_manager(app, "ann")
    rule = (
        "Refused: Ann Smith (an investigating officer) may not allocate cases (a manager "
        "decides this: a line manager for their service area, or a complaints manager)"
    )
    for look in (
        allocation.manager,
        allocation.allocation_queue,
        allocation.officer_loads,
        lambda ctx: allocation.allocation_history(ctx, case_id),
        lambda ctx: allocation.case_held(ctx, case_id),
        lambda ctx: allocation.find_case(ctx, "CW-2026-00001"),
        lambda ctx: allocation.conflicts_for(ctx, case_id, ids["bob"]),
    ):
        with pytest.raises(NotPermitted) as refused_look:
            look(ann)
        assert str(refused_look.value) == rule
    assert not allocation.may_allocate(ann)
    assert allocation.may_allocate(as_manager(app, "lee"))


def test_a_line_manager_finds_only_cases_they_may_see(app: Any, ids: dict[str, int]) -> None:
    waste = new_case(app, officer=ids["ann"])
    new_case(app, area="Housing", officer=ids["hal"])
    lee = as_manager(app, "lee")
    held = allocation.find_case(lee, " cw-2026-00001 ")
    assert (held.id, held.officer, held.complainant) == (waste, "Ann Smith", "Pat Doe")
    with pytest.raises(NotPermitted) as refused_find:
        allocation.find_case(lee, "CW-2026-00002")
    assert str(refused_find.value) == (
        "Refused: Lee Line (a line manager) may not see CW-2026-00002 (a line manager works "
        "within their service area)"
    )
    with pytest.raises(Refused, match="there is no case with the reference CW-2026-00099"):
        allocation.find_case(lee, "CW-2026-00099")


# -- escalation -------------------------------------------------------------------------------


def stoke_answered(app: Any, ids: dict[str, int], **values: Any) -> int:
    """A Stoke stage 1 case answered by email on Monday 19 October: deemed received that day,
    so stage 2 may be asked for until the 10th working day after, Monday 2 November."""
    values = {
        "officer": ids["ann"],
        "response_sent": D(2026, 10, 19),
        "response_method": SendMethod.EMAIL,
        "status": CaseStatus.RESPONDED,
        "outcome": Outcome.NOT_UPHELD,
        **values,
    }
    return new_case(app, policy="stoke-on-trent", **values)


def test_an_escalation_request_in_time(app: Any, ids: dict[str, int]) -> None:
    case_id = stoke_answered(app, ids)
    found = run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 11, 2))
    assert (found.deemed_received, found.escalate_by, found.late) == (
        D(2026, 10, 19),
        D(2026, 11, 2),
        False,
    )
    assert (found.reason_required, found.reason_missing, found.flags) == (False, False, [])
    assert found.decide_by == D(2026, 11, 9)  # Stoke: decided within 5 working days
    row = load(app, case_id)
    assert (row.escalation_requested, row.escalation_late, row.escalation_decide_by) == (
        D(2026, 11, 2),
        False,
        D(2026, 11, 9),
    )
    assert row.stage == 1
    assert audit(app, case_id, field="escalation_requested")[0].actor == "ann"
    with app.uow() as uow:
        assert [p.id for p in escalation.escalations_awaiting_decision(uow.session)] == [case_id]
    assert "waiting for a decision" in refused(
        app,
        "ann",
        WrongState,
        escalation.log_escalation_request,
        case_id,
        requested_on=D(2026, 11, 3),
    )


def test_a_late_request_is_flagged_for_the_decision_not_refused(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = stoke_answered(app, ids)
    found = run(
        app,
        "ann",
        escalation.log_escalation_request,
        case_id,
        requested_on=D(2026, 11, 3),
        reason="Nobody answered my point 2",
    )
    assert found.late
    assert found.flags == ["asked for on 2026-11-03, after the window ended on 2026-11-02"]
    row = load(app, case_id)
    assert row.escalation_late and row.escalation_reason == "Nobody answered my point 2"


def test_deemed_receipt_by_second_class_post(app: Any, ids: dict[str, int]) -> None:
    # Warwickshire: second class post is received the third business day after posting
    # (Thursday 15 October -> Tuesday 20 October); the window is 20 days from then.
    case_id = new_case(
        app,
        policy="warwickshire",
        officer=ids["ann"],
        response_sent=D(2026, 10, 15),
        response_method=SendMethod.SECOND_CLASS,
        status=CaseStatus.RESPONDED,
    )
    found = run(
        app,
        "ann",
        escalation.log_escalation_request,
        case_id,
        requested_on=D(2026, 11, 9),
        reason="The response missed my main point",
    )
    assert (found.deemed_received, found.escalate_by, found.late) == (
        D(2026, 10, 20),
        D(2026, 11, 9),
        False,
    )
    assert found.decide_by == D(2026, 11, 23)  # Warwickshire: explained within 10 working days


def test_reasons_are_flagged_only_where_the_policy_demands_them(
    app: Any, ids: dict[str, int]
) -> None:
    warwickshire = new_case(
        app,
        policy="warwickshire",
        officer=ids["ann"],
        response_sent=D(2026, 10, 15),
        response_method=SendMethod.EMAIL,
        status=CaseStatus.RESPONDED,
    )
    found = run(
        app, "ann", escalation.log_escalation_request, warwickshire, requested_on=D(2026, 10, 20)
    )
    assert (found.reason_required, found.reason_missing) == (True, True)
    assert found.flags == ["the policy asks for the reasons and none were given"]
    assert load(app, warwickshire).escalation_reason_missing
    # The Complaint Handling Code (and Stockport): any request will do, no reason asked.
    for policy in ("complaint-handling-code", "stockport"):
        other = new_case(
            app,
            policy=policy,
            officer=ids["ann"],
            response_sent=D(2026, 10, 15),
            response_method=SendMethod.EMAIL,
            status=CaseStatus.RESPONDED,
        )
        found = run(
            app, "ann", escalation.log_escalation_request, other, requested_on=D(2026, 10, 20)
        )
        assert (found.reason_required, found.reason_missing, found.late) == (False, False, False)


def test_a_request_needs_the_stage_answered_first(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, policy="stoke-on-trent", officer=ids["ann"])
    assert refused(
        app,
        "ann",
        WrongState,
        escalation.log_escalation_request,
        case_id,
        requested_on=D(2026, 10, 20),
    ) == (
        "Refused: CW-2026-00001 has no stage 1 response sent yet (Stoke: a complaint can only "
        "be escalated once it has completed the stage before)"
    )
    answered = stoke_answered(app, ids)
    assert "is before the stage 1 response was sent" in refused(
        app,
        "ann",
        BadDate,
        escalation.log_escalation_request,
        answered,
        requested_on=D(2026, 10, 18),
    )
    enquiry = new_case(
        app,
        route=RouteId.MEMBER_ENQUIRY,
        officer=ids["ann"],
        response_sent=D(2026, 10, 15),
        response_method=SendMethod.EMAIL,
    )
    assert "the last stage of the member-enquiry route in policy stockport" in refused(
        app,
        "ann",
        WrongState,
        escalation.log_escalation_request,
        enquiry,
        requested_on=D(2026, 10, 20),
    )


def test_accepting_starts_stage_2_with_a_new_handler(app: Any, ids: dict[str, int]) -> None:
    case_id = stoke_answered(app, ids, status=CaseStatus.CLOSED, closed_on=D(2026, 10, 20))
    run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 10, 30))
    assert "a complaints manager decides requests for the next stage" in refused(
        app, "lee", NotPermitted, escalation.accept_escalation, case_id, decided_on=D(2026, 11, 2)
    )
    run(app, "cam", escalation.accept_escalation, case_id, decided_on=D(2026, 11, 2))
    row = load(app, case_id)
    assert (row.stage, row.status, row.stage1_officer_id, row.officer_id) == (
        2,
        CaseStatus.OPEN,
        ids["ann"],
        None,
    )
    assert (row.escalation_decision, row.escalation_decided_on) == (
        EscalationDecision.ACCEPTED,
        D(2026, 11, 2),
    )
    assert (row.response_sent, row.closed_on, row.outcome) == (None, None, None)
    expected = compute_deadlines(
        get_policy("stoke-on-trent"), route="corporate", stage=2, received=D(2026, 10, 30)
    )
    assert (row.acknowledge_by, row.respond_by) == (expected.acknowledge_by, expected.respond_by)
    assert [e.actor for e in audit(app, case_id, field="stage")] == ["cam"]
    # The stage 1 handler may not take stage 2; someone else may.
    assert refused_allocation(app, "cam", ConflictOfInterest, case_id, ids["ann"]) == (
        "Refused: Ann Smith handled stage 1 of CW-2026-00001 (Stoke-on-Trent City Council's "
        "policy and the Complaint Handling Code: the person handling stage 2 must not be the "
        "one who handled stage 1; policy stoke-on-trent stage 2: handler_must_differ)"
    )
    allocate(app, "cam", case_id, ids["bob"])
    assert load(app, case_id).officer_id == ids["bob"]


def test_accepting_with_a_conflicted_handler_saves_nothing(app: Any, ids: dict[str, int]) -> None:
    case_id = stoke_answered(app, ids)
    run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 10, 30))
    refused(
        app,
        "cam",
        ConflictOfInterest,
        escalation.accept_escalation,
        case_id,
        decided_on=D(2026, 11, 2),
        handler_id=ids["ann"],
    )
    row = load(app, case_id)
    assert (row.stage, row.escalation_decision) == (1, None)
    run(
        app,
        "cam",
        escalation.accept_escalation,
        case_id,
        decided_on=D(2026, 11, 2),
        handler_id=ids["cam"],
    )
    assert load(app, case_id).officer_id == ids["cam"]


def test_refusing_needs_the_reasons(app: Any, ids: dict[str, int]) -> None:
    case_id = stoke_answered(app, ids)
    run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 10, 30))
    assert refused(
        app,
        "cam",
        MissingInformation,
        escalation.refuse_escalation,
        case_id,
        decided_on=D(2026, 11, 2),
        reasons="  ",
    ) == (
        "Refused: refusing to take CW-2026-00001 to the next stage needs the reasons (Stoke: "
        "where a refusal is deemed appropriate, a full explanation will be provided)"
    )
    assert "is before the request" in refused(
        app,
        "cam",
        BadDate,
        escalation.refuse_escalation,
        case_id,
        decided_on=D(2026, 10, 29),
        reasons="No new information",
    )
    run(
        app,
        "cam",
        escalation.refuse_escalation,
        case_id,
        decided_on=D(2026, 11, 2),
        reasons="No new information",
    )
    row = load(app, case_id)
    assert (row.stage, row.escalation_decision, row.escalation_refusal_reasons) == (
        1,
        EscalationDecision.REFUSED,
        "No new information",
    )
    assert audit(app, case_id, field="escalation_refusal_reasons")[0].actor == "cam"
    assert "no request for the next stage waiting" in refused(
        app, "cam", WrongState, escalation.accept_escalation, case_id, decided_on=TODAY
    )


def test_a_case_at_its_last_stage_cannot_go_further(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(
        app,
        stage=2,
        escalation_requested=D(2026, 10, 1),
        officer=ids["cam"],
        response_sent=D(2026, 10, 20),
        response_method=SendMethod.EMAIL,
    )
    assert refused(
        app,
        "cam",
        WrongState,
        escalation.log_escalation_request,
        case_id,
        requested_on=D(2026, 10, 21),
    ) == (
        "Refused: CW-2026-00001 is at stage 2, the last stage of the corporate route in policy "
        "stockport: a complainant still dissatisfied goes to the Ombudsman"
    )
    with app.uow() as uow:  # the date stage 2 began is not a request waiting for a decision
        assert escalation.escalations_awaiting_decision(uow.session) == []


# -- acknowledgement, response, extension ------------------------------------------------------


def test_acknowledging_moves_a_clock_that_runs_from_acknowledgement(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app, policy="complaint-handling-code", officer=ids["ann"])
    run(app, "ann", lifecycle.acknowledge, case_id, on=D(2026, 10, 6))
    row = load(app, case_id)
    assert (row.acknowledged, row.respond_by) == (D(2026, 10, 6), D(2026, 10, 20))
    assert "was already acknowledged on 2026-10-06" in refused(
        app, "ann", WrongState, lifecycle.acknowledge, case_id, on=D(2026, 10, 7)
    )
    other = new_case(app, officer=ids["ann"])
    assert "is before stage 1 of CW-2026-00002 began (2026-10-05)" in refused(
        app, "ann", BadDate, lifecycle.acknowledge, other, on=D(2026, 10, 1)
    )
    assert audit(app, case_id, field="acknowledged")[0].actor == "ann"


def test_an_extension_within_the_policys_limit(app: Any, ids: dict[str, int]) -> None:
    # Stockport stage 1: due Monday 2 November (20 working days), at most 10 more: 16 November.
    case_id = new_case(app, officer=ids["ann"])
    assert load(app, case_id).respond_by == D(2026, 11, 2)
    extend = lifecycle.extend
    told = {"told_on": D(2026, 10, 28), "told_method": ContactMethod.PHONE}
    assert refused(
        app, "ann", MissingInformation, extend, case_id, new_date=D(2026, 11, 9), reason=" ", **told
    ) == (
        "Refused: an extension of CW-2026-00001 needs its reason (an extension needs its reason "
        "and the date the complainant was told (Stockport 2.1, the Complaint Handling Code))"
    )
    assert "needs the date and the way the complainant was told" in refused(
        app,
        "ann",
        MissingInformation,
        extend,
        case_id,
        new_date=D(2026, 11, 9),
        reason="Waiting for the contractor's records",
        told_on=None,
        told_method=None,
    )
    assert refused(
        app,
        "ann",
        PolicyForbids,
        extend,
        case_id,
        new_date=D(2026, 11, 17),
        reason="Waiting",
        **told,
    ) == (
        "Refused: the extended date 2026-11-17 is after the latest policy stockport stage 1 "
        "allows (2026-11-16: 10 working days after 2026-11-02)"
    )
    assert "is not after the response date it replaces (2026-11-02)" in refused(
        app, "ann", BadDate, extend, case_id, new_date=D(2026, 11, 2), reason="Waiting", **told
    )
    run(
        app,
        "ann",
        extend,
        case_id,
        new_date=D(2026, 11, 16),
        reason="Waiting for the contractor's records",
        **told,
    )
    row = load(app, case_id)
    assert row.respond_by == D(2026, 11, 16)
    assert [(e.new_date, e.complainant_told, e.told_method) for e in row.extensions] == [
        (D(2026, 11, 16), D(2026, 10, 28), ContactMethod.PHONE)
    ]
    assert audit(app, case_id, entity="extensions", action="create")[0].actor == "ann"
    assert [(e.actor, e.new_value) for e in audit(app, case_id, field="respond_by")] == [
        ("ann", "2026-11-16")
    ]


def test_an_extension_told_in_writing_where_the_policy_says_so(
    app: Any, ids: dict[str, int]
) -> None:
    # Southampton stage 2: 20 working days, extendable to 30 when told in writing.
    case_id = new_case(
        app, policy="southampton", stage=2, officer=ids["cam"], escalation_requested=D(2026, 10, 5)
    )
    assert refused(
        app,
        "cam",
        PolicyForbids,
        lifecycle.extend,
        case_id,
        new_date=D(2026, 11, 9),
        reason="Complex",
        told_on=D(2026, 10, 20),
        told_method=ContactMethod.PHONE,
    ) == (
        "Refused: policy southampton stage 2 says the complainant is told of an extension in "
        "writing (extension_in_writing; Southampton: extendable where this is notified in "
        "writing): by phone is not in writing"
    )
    run(
        app,
        "cam",
        lifecycle.extend,
        case_id,
        new_date=D(2026, 11, 9),
        reason="Complex",
        told_on=D(2026, 10, 20),
        told_method=ContactMethod.LETTER,
    )
    assert load(app, case_id).respond_by == D(2026, 11, 9)


def test_no_extension_where_the_stage_allows_none(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, route=RouteId.MEMBER_ENQUIRY, officer=ids["ann"])
    assert refused(
        app,
        "ann",
        PolicyForbids,
        lifecycle.extend,
        case_id,
        new_date=D(2026, 10, 30),
        reason="x",
        told_on=D(2026, 10, 6),
        told_method=ContactMethod.EMAIL,
    ) == ("Refused: policy stockport stage 1 allows no extension (extension_days = 0)")


def test_someone_elses_case_is_refused_before_anything_changes(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app, officer=ids["ann"])
    assert refused(app, "bob", NotPermitted, lifecycle.acknowledge, case_id, on=D(2026, 10, 6)) == (
        "Refused: Bob Jones (an investigating officer) may not work on CW-2026-00001 (an "
        "investigating officer works on their own cases)"
    )
    assert load(app, case_id).acknowledged is None


# -- suspension -------------------------------------------------------------------------------


def test_suspension_on_the_policys_grounds_and_resumption(app: Any, ids: dict[str, int]) -> None:
    # Warwickshire corporate stage 1: 10 working days, due Monday 19 October.
    case_id = new_case(app, policy="warwickshire", officer=ids["ann"])
    assert load(app, case_id).respond_by == D(2026, 10, 19)
    assert "(a manager decides this" in refused(
        app,
        "ann",
        NotPermitted,
        lifecycle.suspend,
        case_id,
        start=D(2026, 10, 9),
        ground="Court proceedings",
    )
    message = refused(
        app,
        "lee",
        PolicyForbids,
        lifecycle.suspend,
        case_id,
        start=D(2026, 10, 9),
        ground="Annual leave",
    )
    assert message == (
        "Refused: 'Annual leave' is not a ground for suspension in policy warwickshire; its "
        "grounds are: Child protection; Safeguarding of vulnerable adults; Court proceedings; "
        "Grievance; Disciplinary; Criminal proceedings (Warwickshire section 6: suspended only "
        "for concurrent proceedings the policy lists)"
    )
    run(
        app,
        "lee",
        lifecycle.suspend,
        case_id,
        start=D(2026, 10, 9),
        ground="court proceedings",
        details="County court claim",
    )
    row = load(app, case_id)
    assert (row.status, row.respond_by) == (CaseStatus.SUSPENDED, None)
    assert row.suspensions[0].reason == "Court proceedings: County court claim"
    assert "has been suspended since 2026-10-09" in refused(
        app,
        "lee",
        WrongState,
        lifecycle.suspend,
        case_id,
        start=D(2026, 10, 12),
        ground="Grievance",
    )
    assert "resume it before sending the response" in refused(
        app,
        "ann",
        WrongState,
        lifecycle.record_response_sent,
        case_id,
        sent_on=D(2026, 10, 14),
        method=SendMethod.EMAIL,
    )
    assert "is not after the suspension began (2026-10-09)" in refused(
        app, "lee", BadDate, lifecycle.resume, case_id, resumed_on=D(2026, 10, 9)
    )
    # Suspended Friday 9 October to Sunday 18 October: 6 working days stopped, 3 counted before.
    run(app, "lee", lifecycle.resume, case_id, resumed_on=D(2026, 10, 19))
    row = load(app, case_id)
    assert (row.status, row.respond_by) == (CaseStatus.OPEN, D(2026, 10, 27))
    assert row.suspensions[0].end == D(2026, 10, 18)
    assert [e.actor for e in audit(app, case_id, field="status")] == ["lee", "lee"]
    assert "is not suspended" in refused(
        app, "lee", WrongState, lifecycle.resume, case_id, resumed_on=D(2026, 10, 20)
    )


def test_no_suspension_where_the_policy_has_no_rule(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    assert refused(
        app,
        "lee",
        PolicyForbids,
        lifecycle.suspend,
        case_id,
        start=D(2026, 10, 9),
        ground="Court proceedings",
    ) == (
        "Refused: policy stockport has no suspension rule (rules.suspension): its clock cannot "
        "be stopped (Warwickshire section 6: suspended only for concurrent proceedings the "
        "policy lists)"
    )


# -- contact attempts and discontinuation ------------------------------------------------------


def attempt(
    app: Any, case_id: int, day: int, method: ContactMethod, answered: bool = False
) -> None:
    run(
        app,
        "ann",
        lifecycle.record_contact_attempt,
        case_id,
        at=dt.datetime(2026, 10, day, 10, tzinfo=dt.UTC),
        method=method,
        result="answered" if answered else "no reply",
        answered=answered,
    )


def reachable(
    app: Any, case_id: int, *, email: str = "", phone: str = "", address: str = ""
) -> None:
    """Give the case's complainant exactly these contact details."""
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None and row.complainant is not None
        row.complainant.email, row.complainant.phone = email, phone
        row.complainant.address = address
        uow.commit()


def test_discontinuation_after_three_attempts_by_different_methods(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app, policy="warwickshire", officer=ids["ann"])
    # Email, telephone and post: three alternative contact methods, so three are needed.
    reachable(app, case_id, email="pat@example.com", phone="01632 960001", address="1 High St")
    attempt(app, case_id, 6, ContactMethod.EMAIL)
    attempt(app, case_id, 8, ContactMethod.EMAIL)
    attempt(app, case_id, 9, ContactMethod.EMAIL)
    message = refused(
        app, "lee", NotEnoughContactAttempts, lifecycle.discontinue, case_id, on=D(2026, 10, 16)
    )
    assert message == (
        "Refused: CW-2026-00001 has 3 unanswered contact attempts by 1 different method (email);"
        " policy warwickshire needs at least 3 attempts by different methods before "
        "discontinuing (Warwickshire section 7: only after contact has been attempted at least "
        "3 different times by different methods with no response)"
    )
    attempt(app, case_id, 12, ContactMethod.PHONE)
    attempt(app, case_id, 13, ContactMethod.LETTER, answered=True)
    assert "has 0 unanswered contact attempts" in refused(
        app, "lee", NotEnoughContactAttempts, lifecycle.discontinue, case_id, on=D(2026, 10, 16)
    )
    attempt(app, case_id, 14, ContactMethod.PHONE)
    attempt(app, case_id, 15, ContactMethod.LETTER)
    attempt(app, case_id, 16, ContactMethod.EMAIL)
    assert "(a manager decides this" in refused(
        app, "ann", NotPermitted, lifecycle.discontinue, case_id, on=D(2026, 10, 19)
    )
    run(app, "lee", lifecycle.discontinue, case_id, on=D(2026, 10, 19))
    row = load(app, case_id)
    assert (row.outcome, row.discontinued_on, row.status) == (
        Outcome.DISCONTINUED,
        D(2026, 10, 19),
        CaseStatus.OPEN,
    )
    assert [a.made_by for a in row.contact_attempts][:1] == ["Ann Smith"]
    assert audit(app, case_id, field="discontinued_on")[0].actor == "lee"
    # Warwickshire sends the decision in writing before the case closes.
    assert refused(app, "ann", WrongState, lifecycle.close_case, case_id, on=D(2026, 10, 20)) == (
        "Refused: policy warwickshire sends the decision to discontinue in writing "
        "(rules.discontinuation.in_writing; Warwickshire section 7: the decision to "
        "discontinue is sent in writing) and no discontinuation letter has been sent"
    )
    with app.uow() as uow:
        uow.session.add(
            Letter(
                case_id=case_id,
                kind=LetterKind.DISCONTINUATION,
                stage=1,
                sent_on=D(2026, 10, 20),
                sent_method=SendMethod.FIRST_CLASS,
            )
        )
        uow.commit()
    run(app, "ann", lifecycle.close_case, case_id, on=D(2026, 10, 20))
    assert load(app, case_id).status == CaseStatus.CLOSED


def test_discontinuation_needs_different_methods_only_where_the_case_has_them(
    app: Any, ids: dict[str, int]
) -> None:
    # Warwickshire section 7: "at least three different times by different methods (where we have
    # alternative contact methods, such as email addresses, telephone numbers or postal
    # addresses)". A complainant reachable only by email: three unanswered emails are enough.
    only_email = new_case(app, policy="warwickshire", officer=ids["ann"])
    reachable(app, only_email, email="pat@example.com")
    attempt(app, only_email, 6, ContactMethod.EMAIL)
    attempt(app, only_email, 8, ContactMethod.EMAIL)
    assert refused(
        app, "lee", NotEnoughContactAttempts, lifecycle.discontinue, only_email, on=D(2026, 10, 16)
    ) == (
        "Refused: CW-2026-00001 has 2 unanswered contact attempts by 1 different method (email);"
        " policy warwickshire needs at least 3 attempts (the case has one contact method: email)"
        " before discontinuing (Warwickshire section 7: only after contact has been attempted at "
        "least 3 different times by different methods with no response)"
    )
    attempt(app, only_email, 9, ContactMethod.EMAIL)
    run(app, "lee", lifecycle.discontinue, only_email, on=D(2026, 10, 16))
    assert load(app, only_email).outcome == Outcome.DISCONTINUED

    # A postal address and an email address: two methods, both needed; a call and a text to the
    # same number would be one method.
    two = new_case(app, policy="warwickshire", officer=ids["ann"])
    reachable(app, two, email="sam@example.com", address="2 High Street")
    for day in (6, 8, 9):
        attempt(app, two, day, ContactMethod.EMAIL)
    assert refused(
        app, "lee", NotEnoughContactAttempts, lifecycle.discontinue, two, on=D(2026, 10, 16)
    ) == (
        "Refused: CW-2026-00002 has 3 unanswered contact attempts by 1 different method (email);"
        " policy warwickshire needs at least 3 attempts by 2 different methods (all the case has:"
        " address, email) before discontinuing (Warwickshire section 7: only after contact has "
        "been attempted at least 3 different times by different methods with no response)"
    )
    assert load(app, two).outcome is None
    attempt(app, two, 12, ContactMethod.LETTER)
    run(app, "lee", lifecycle.discontinue, two, on=D(2026, 10, 16))
    assert load(app, two).outcome == Outcome.DISCONTINUED


def test_no_discontinuation_where_the_policy_has_no_rule(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    assert refused(
        app, "lee", PolicyForbids, lifecycle.discontinue, case_id, on=D(2026, 10, 19)
    ) == (
        "Refused: policy stockport has no discontinuation rule (rules.discontinuation): a "
        "complaint cannot be discontinued under it"
    )


# -- withdrawal, closure and re-opening -------------------------------------------------------


def test_a_withdrawal_closes_once_confirmed_in_writing(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, policy="warwickshire", officer=ids["ann"])
    assert (
        run(app, "ann", lifecycle.withdraw, case_id, on=D(2026, 10, 12), method=ContactMethod.PHONE)
        is True
    )
    row = load(app, case_id)
    assert (row.outcome, row.withdrawn_on, row.withdrawal_method) == (
        Outcome.WITHDRAWN,
        D(2026, 10, 12),
        ContactMethod.PHONE,
    )
    assert [(e.actor, e.new_value) for e in audit(app, case_id, field="withdrawn_on")] == [
        ("ann", "2026-10-12")
    ]
    assert refused(app, "ann", WrongState, lifecycle.close_case, case_id, on=D(2026, 10, 13)) == (
        "Refused: policy warwickshire confirms a withdrawal in writing "
        "(rules.withdrawal.confirm_in_writing; Warwickshire section 8: a withdrawal is "
        "confirmed to the complainant in writing) and no withdrawal letter has been sent"
    )
    with app.uow() as uow:
        uow.session.add(
            Letter(
                case_id=case_id,
                kind=LetterKind.WITHDRAWAL,
                stage=1,
                sent_on=D(2026, 10, 13),
                sent_method=SendMethod.EMAIL,
            )
        )
        uow.commit()
    run(app, "ann", lifecycle.close_case, case_id, on=D(2026, 10, 13))
    row = load(app, case_id)
    assert (row.status, row.closed_on, row.outcome) == (
        CaseStatus.CLOSED,
        D(2026, 10, 13),
        Outcome.WITHDRAWN,
    )
    assert [e.actor for e in audit(app, case_id, field="closed_on")] == ["ann"]


def test_closure_needs_an_outcome_a_response_and_every_finding(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app, officer=ids["ann"], issues=2)
    assert refused(app, "ann", WrongState, lifecycle.close_case, case_id, on=D(2026, 10, 30)) == (
        "Refused: closing CW-2026-00001 needs an outcome (a case closes with an outcome and its "
        "response sent, unless withdrawn, discontinued or refused)"
    )
    assert refused(
        app,
        "ann",
        WrongState,
        lifecycle.close_case,
        case_id,
        on=D(2026, 10, 30),
        outcome=Outcome.UPHELD,
    ) == (
        "Refused: CW-2026-00001 has no stage 1 response sent (a case closes with an outcome and "
        "its response sent, unless withdrawn, discontinued or refused)"
    )
    run(
        app,
        "ann",
        lifecycle.record_response_sent,
        case_id,
        sent_on=D(2026, 10, 29),
        method=SendMethod.EMAIL,
        outcome=Outcome.PARTIALLY_UPHELD,
    )
    assert load(app, case_id).status == CaseStatus.RESPONDED
    assert (
        refused(app, "ann", WrongState, lifecycle.close_case, case_id, on=D(2026, 10, 30))
        == "Refused: issues 1, 2 of CW-2026-00001 have no finding"
    )
    with app.uow() as uow:
        for issue in uow.session.get(Case, case_id).issues:
            issue.finding = Finding.UPHELD if issue.number == 1 else Finding.NOT_UPHELD
        uow.commit()
    run(app, "ann", lifecycle.close_case, case_id, on=D(2026, 10, 30))
    assert load(app, case_id).status == CaseStatus.CLOSED
    # A refused complaint closes without a response, once a manager has recorded why it is not
    # taken on (the refusal letter's reasons and where it goes instead).
    other = new_case(app, officer=ids["ann"])
    assert "no reasons recorded for not taking it on" in refused(
        app,
        "ann",
        WrongState,
        lifecycle.close_case,
        other,
        on=D(2026, 10, 6),
        outcome=Outcome.REFUSED,
    )
    run(app, "lee", lifecycle.refuse, other, reasons="A parking fine.", route="Appeal the notice.")
    run(app, "ann", lifecycle.close_case, other, on=D(2026, 10, 6), outcome=Outcome.REFUSED)
    # Closed: read-only.
    assert refused(
        app,
        "ann",
        CaseClosed,
        lifecycle.record_contact_attempt,
        case_id,
        at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        method=ContactMethod.PHONE,
    ) == (
        "Refused: CW-2026-00001 is closed (closed cases are read-only except through "
        "re-opening): re-open it first"
    )
    refused(app, "cam", CaseClosed, lifecycle.suspend, case_id, start=D(2026, 11, 1), ground="x")


def test_closure_waits_for_a_pending_escalation_decision(app: Any, ids: dict[str, int]) -> None:
    case_id = stoke_answered(app, ids, issues=0)
    run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 10, 20))
    assert refused(app, "ann", WrongState, lifecycle.close_case, case_id, on=D(2026, 10, 21)) == (
        "Refused: a request for the next stage from 2026-10-20 awaits a decision"
    )


def test_reopening_by_a_manager_on_the_policys_grounds(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(
        app,
        policy="warwickshire",
        officer=ids["ann"],
        status=CaseStatus.CLOSED,
        closed_on=D(2026, 10, 13),
        outcome=Outcome.WITHDRAWN,
        withdrawn_on=D(2026, 10, 12),
        withdrawal_method=ContactMethod.PHONE,
    )
    assert "(a manager decides this" in refused(
        app,
        "ann",
        NotPermitted,
        lifecycle.reopen,
        case_id,
        on=D(2026, 10, 20),
        reason="She meant the other complaint",
    )
    assert "re-opening CW-2026-00001 needs a reason" in refused(
        app, "lee", MissingInformation, lifecycle.reopen, case_id, on=D(2026, 10, 20), reason=""
    )
    assert refused(
        app,
        "lee",
        PolicyForbids,
        lifecycle.reopen,
        case_id,
        on=D(2026, 10, 20),
        reason="Asked nicely",
        ground="Because",
    ) == (
        "Refused: policy warwickshire re-opens a complaint only on these grounds: We "
        "misunderstood the customer's intention to withdraw the complaint; The complaint was "
        "discontinued for non-response, and the customer explains why and can now engage "
        "('Because' is not one of them) (Warwickshire section 9: a manager authorises "
        "re-opening, on the policy's grounds)"
    )
    ground = get_policy("warwickshire").rules.reopening.grounds[0]
    run(
        app,
        "lee",
        lifecycle.reopen,
        case_id,
        on=D(2026, 10, 20),
        reason="She meant the other complaint",
        ground=ground,
    )
    row = load(app, case_id)
    assert (row.status, row.closed_on, row.outcome, row.withdrawn_on) == (
        CaseStatus.OPEN,
        None,
        None,
        None,
    )
    assert (row.reopened_on, row.reopening_ground) == (D(2026, 10, 20), ground)
    assert [e.actor for e in audit(app, case_id, field="reopened_on")] == ["lee"]
    assert "is not closed, withdrawn or discontinued" in refused(
        app,
        "lee",
        WrongState,
        lifecycle.reopen,
        case_id,
        on=D(2026, 10, 21),
        reason="x",
        ground=ground,
    )


def test_reopening_where_the_policy_lists_no_grounds(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(
        app,
        officer=ids["ann"],
        status=CaseStatus.CLOSED,
        closed_on=D(2026, 10, 13),
        outcome=Outcome.REFUSED,
    )
    assert "is before CW-2026-00001 was closed" in refused(
        app, "cam", BadDate, lifecycle.reopen, case_id, on=D(2026, 10, 12), reason="x"
    )
    run(
        app,
        "cam",
        lifecycle.reopen,
        case_id,
        on=D(2026, 10, 14),
        reason="The exclusion did not apply",
    )
    assert load(app, case_id).status == CaseStatus.OPEN


# -- Member/MP enquiries ----------------------------------------------------------------------


def test_a_member_enquiry_on_stockports_enquiry_route(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"])
    run(
        app,
        "ann",
        lifecycle.record_member_enquiry,
        case_id,
        name="Councillor Jo Bloggs",
        role=ReferrerRole.COUNCILLOR,
        address="Town Hall",
    )
    row = load(app, case_id)
    assert (row.route, row.referrer_name, row.referrer_role) == (
        RouteId.MEMBER_ENQUIRY,
        "Councillor Jo Bloggs",
        ReferrerRole.COUNCILLOR,
    )
    assert row.respond_by == D(2026, 10, 19)  # 10 working days (Stockport 2.8)
    assert get_policy("stockport").route(row.route).reply_to == "referrer"
    assert audit(app, case_id, field="route")[0].actor == "ann"
    # The Member makes it a formal complaint: back to the complaint route and its 20 days.
    run(
        app,
        "ann",
        lifecycle.record_member_enquiry,
        case_id,
        name="Councillor Jo Bloggs",
        role=ReferrerRole.COUNCILLOR,
        enquiry=False,
    )
    row = load(app, case_id)
    assert (row.route, row.respond_by) == (RouteId.CORPORATE, D(2026, 11, 2))


def test_no_enquiry_route_where_the_policy_has_none(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, policy="warwickshire", officer=ids["ann"])
    assert refused(
        app,
        "ann",
        PolicyForbids,
        lifecycle.record_member_enquiry,
        case_id,
        name="Jo Bloggs MP",
        role=ReferrerRole.MP,
    ) == (
        "Refused: policy warwickshire has no Member/MP enquiry route "
        "(member_enquiries.handling = 'complaint'): record it as a complaint"
    )
    run(
        app,
        "ann",
        lifecycle.record_member_enquiry,
        case_id,
        name="Jo Bloggs MP",
        role=ReferrerRole.MP,
        enquiry=False,
    )
    assert load(app, case_id).referrer_role == ReferrerRole.MP


# -- contact restrictions ---------------------------------------------------------------------


def test_contact_restrictions_notified_in_writing_and_reviewed(
    app: Any, ids: dict[str, int]
) -> None:
    case_id = new_case(app, policy="warwickshire", officer=ids["ann"])
    restrict = contact.restrict_contact
    decision = {
        "restrictions": [Restriction.ONE_CONTACT_METHOD],
        "decided_on": D(2026, 11, 20),
        "reason": "Forty abusive calls in a week, warned on 2 November",
    }
    assert "(a manager decides this" in refused(
        app,
        "ann",
        NotPermitted,
        restrict,
        case_id,
        review_on=D(2027, 2, 20),
        details="Email only",
        **decision,
    )
    assert "say who or which way for: one-contact-method" in refused(
        app, "lee", MissingInformation, restrict, case_id, review_on=D(2027, 2, 20), **decision
    )
    assert "needs a review date" in refused(
        app,
        "lee",
        MissingInformation,
        restrict,
        case_id,
        review_on=None,
        details="Email only",
        **decision,
    )
    made = run(
        app, "lee", restrict, case_id, review_on=D(2027, 2, 20), details="Email only", **decision
    )
    # Warwickshire: told in writing within 5 working days of Friday 20 November.
    assert made.notify_by == D(2026, 11, 27)
    assert audit(app, case_id, entity="contact_restrictions")[0].actor == "lee"
    with app.uow() as uow:
        due = contact.restrictions_due(uow.session, today=D(2026, 11, 30))
        assert [(d.what, d.due, d.overdue) for d in due] == [("notify", D(2026, 11, 27), True)]
        complainant = uow.session.get(Case, case_id).complainant_id
        assert len(contact.active_restrictions(uow.session, complainant, today=TODAY)) == 1
    assert refused(
        app,
        "lee",
        PolicyForbids,
        contact.record_restriction_notified,
        made.id,
        on=D(2026, 11, 23),
        method=ContactMethod.PHONE,
    ) == (
        "Refused: restrictions are notified in writing: by phone is not in writing (Warwickshire"
        " section 10: restrictions are notified in writing within 5 working days of the "
        "decision, and reviewed)"
    )
    assert (
        run(
            app,
            "lee",
            contact.record_restriction_notified,
            made.id,
            on=D(2026, 11, 30),
            method=ContactMethod.LETTER,
        )
        is True
    )  # late, and recorded as it happened
    assert "needs the next review date" in refused(
        app,
        "lee",
        MissingInformation,
        contact.review_restriction,
        made.id,
        reviewed_on=D(2027, 2, 20),
    )
    run(
        app,
        "cam",
        contact.review_restriction,
        made.id,
        reviewed_on=D(2027, 2, 20),
        end=True,
        reason="No contact since December",
    )
    with app.uow() as uow:
        row = uow.session.get(ContactRestriction, made.id)
        assert (row.ended_on, row.reviewed_on) == (D(2027, 2, 20), D(2027, 2, 20))
        assert (
            contact.active_restrictions(uow.session, row.complainant_id, today=D(2027, 3, 1)) == []
        )
    assert "the restriction ended on 2027-02-20" in refused(
        app,
        "cam",
        WrongState,
        contact.review_restriction,
        made.id,
        reviewed_on=D(2027, 3, 1),
        end=True,
        reason="x",
    )


def test_restrictions_after_closure_and_not_where_the_policy_has_none(
    app: Any, ids: dict[str, int]
) -> None:
    closed = new_case(
        app,
        policy="warwickshire",
        officer=ids["ann"],
        status=CaseStatus.CLOSED,
        closed_on=D(2026, 10, 30),
        outcome=Outcome.NOT_UPHELD,
    )
    run(
        app,
        "lee",
        contact.restrict_contact,
        closed,
        restrictions=[Restriction.LEGAL_ACTION],
        reason="Persists after the process was exhausted",
        decided_on=D(2026, 11, 20),
        review_on=D(2027, 5, 20),
    )
    other = new_case(app, officer=ids["ann"])
    assert refused(
        app,
        "lee",
        PolicyForbids,
        contact.restrict_contact,
        other,
        restrictions=[Restriction.LEGAL_ACTION],
        reason="x",
        decided_on=D(2026, 11, 20),
        review_on=D(2027, 5, 20),
    ) == (
        "Refused: policy stockport sets no unreasonable-behaviour contact restrictions "
        "(rules.contact_restrictions): they are decided under the council's separate policy"
    )


# -- remedies and lessons-learnt actions ------------------------------------------------------


def test_actions_are_tracked_to_completion_after_the_letter(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"], issues=2)
    first, second = (issue.id for issue in load(app, case_id).issues)
    run(
        app,
        "ann",
        actions.set_action,
        first,
        action="Retrain the crew on assisted collections",
        due=D(2026, 11, 30),
        lesson_learnt="Check the assisted list",
    )
    run(app, "ann", actions.set_action, second, action="Apologise in person")
    with app.uow() as uow:  # nothing is outstanding until the response has gone
        assert actions.outstanding_actions(uow.session, today=TODAY) == []
    run(
        app,
        "ann",
        lifecycle.record_response_sent,
        case_id,
        sent_on=D(2026, 10, 29),
        method=SendMethod.EMAIL,
        outcome=Outcome.UPHELD,
    )
    with app.uow() as uow:
        found = actions.outstanding_actions(uow.session, today=D(2026, 12, 1))
        assert [(a.issue_number, a.due, a.overdue, a.officer) for a in found] == [
            (1, D(2026, 11, 30), True, "Ann Smith"),
            (2, None, False, "Ann Smith"),
        ]
        assert actions.outstanding_actions(uow.session, today=TODAY, service_area="Housing") == []
    with app.uow() as uow:
        for issue in uow.session.get(Case, case_id).issues:
            issue.finding = Finding.UPHELD
        uow.commit()
    run(app, "ann", lifecycle.close_case, case_id, on=D(2026, 10, 30))
    # Closed, yet the promised action is still completed and recorded.
    run(app, "ann", actions.complete_action, first, completed_on=D(2026, 11, 27))
    assert "was completed on 2026-11-27" in refused(
        app, "ann", WrongState, actions.complete_action, first, completed_on=D(2026, 11, 28)
    )
    refused(app, "ann", CaseClosed, actions.set_action, second, action="Something else")
    with app.uow() as uow:
        assert [a.issue_number for a in actions.outstanding_actions(uow.session, today=TODAY)] == [
            2
        ]
    events = [e for e in audit(app, case_id, entity="issues", field="action_completed")]
    assert [(e.actor, e.new_value) for e in events] == [("ann", "2026-11-27")]


def test_a_sent_outcome_letter_also_starts_tracking(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app, officer=ids["ann"], stage=2, escalation_requested=D(2026, 10, 1))
    issue_id = load(app, case_id).issues[0].id
    with app.uow() as uow:
        uow.session.get(Issue, issue_id).action = "Change the rota"
        uow.session.add(
            Letter(
                case_id=case_id,
                kind=LetterKind.OUTCOME,
                stage=1,
                sent_on=D(2026, 9, 30),
                sent_method=SendMethod.EMAIL,
            )
        )
        uow.commit()
    with app.uow() as uow:
        assert len(actions.outstanding_actions(uow.session, today=TODAY)) == 1
    bare = load(app, new_case(app, officer=ids["ann"])).issues[0].id
    assert "has no action to complete" in refused(
        app, "cam", WrongState, actions.complete_action, bare, completed_on=TODAY
    )


# -- the Ombudsman ----------------------------------------------------------------------------


def test_ombudsman_involvement_from_enquiry_to_compliance(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(
        app,
        officer=ids["cam"],
        stage=2,
        escalation_requested=D(2026, 6, 1),
        received=D(2026, 5, 1),
        status=CaseStatus.CLOSED,
        closed_on=D(2026, 7, 1),
        outcome=Outcome.NOT_UPHELD,
    )
    assert "(a complaints manager handles stage 2 and sees everything)" in refused(
        app,
        "lee",
        NotPermitted,
        ombudsman.record_ombudsman_enquiry,
        case_id,
        enquiry_on=D(2026, 9, 1),
    )
    made = run(
        app,
        "cam",
        ombudsman.record_ombudsman_enquiry,
        case_id,
        enquiry_on=D(2026, 9, 1),
        reference="25 012 345",
    )
    assert made.body == OmbudsmanBody.LGSCO  # the route's Ombudsman in the policy
    assert "record what the Ombudsman decided" in refused(
        app,
        "cam",
        MissingInformation,
        ombudsman.record_ombudsman_decision,
        made.id,
        decision="",
        decided_on=D(2026, 10, 1),
    )
    assert "no remedy has been agreed" in refused(
        app,
        "cam",
        WrongState,
        ombudsman.record_remedy_complied,
        made.id,
        complied_on=D(2026, 10, 2),
    )
    run(
        app,
        "cam",
        ombudsman.record_ombudsman_decision,
        made.id,
        decision="Fault causing injustice",
        decided_on=D(2026, 10, 1),
        remedy_agreed="Apologise and pay £150",
        remedy_due=D(2026, 11, 1),
    )
    with app.uow() as uow:
        assert [row.id for row in ombudsman.open_ombudsman_cases(uow.session)] == [made.id]
    assert "is before the decision (2026-10-01)" in refused(
        app, "cam", BadDate, ombudsman.record_remedy_complied, made.id, complied_on=D(2026, 9, 30)
    )
    run(app, "cam", ombudsman.record_remedy_complied, made.id, complied_on=D(2026, 10, 20))
    with app.uow() as uow:
        assert ombudsman.open_ombudsman_cases(uow.session) == []
    assert [(e.actor, e.new_value) for e in audit(app, case_id, field="complied_on")] == [
        ("cam", "2026-10-20")
    ]


def test_the_housing_ombudsman_for_landlord_complaints(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(
        app, policy="stoke-on-trent", route=RouteId.HOUSING, area="Housing", officer=ids["hal"]
    )
    made = run(app, "cam", ombudsman.record_ombudsman_enquiry, case_id, enquiry_on=D(2026, 11, 1))
    assert made.body == OmbudsmanBody.HOUSING_OMBUDSMAN


# -- the allocation rows stay consistent with the case ----------------------------------------


def test_allocation_history_lists_every_move(app: Any, ids: dict[str, int]) -> None:
    case_id = new_case(app)
    allocate(app, "lee", case_id, ids["ann"])
    allocate(app, "lee", case_id, ids["bob"], expected_officer_id=ids["ann"], reason="Workload")
    history = allocation.allocation_history(as_manager(app, "lee"), case_id)
    assert [
        (a.stage, a.officer, a.previous_officer, a.allocated_by, a.reason) for a in history
    ] == [
        (1, "Ann Smith", "", "Lee Line", ""),
        (1, "Bob Jones", "Ann Smith", "Lee Line", "Workload"),
    ]
    assert all(a.at is not None for a in history)
    with app.uow() as uow:  # the rows behind it
        rows = uow.session.scalars(select(Allocation).where(Allocation.case_id == case_id)).all()
        assert [(a.officer_id, a.reason) for a in rows] == [
            (ids["ann"], ""),
            (ids["bob"], "Workload"),
        ]


# -- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_managers_queries_and_a_transition_on_postgresql(pg_url: str) -> None:
    from caseworker.bootstrap import open_app

    app = open_app(pg_url, actor="tester")
    try:
        with app.uow() as uow:
            # On a shared PostgreSQL database the database's own login says who is connected.
            login = database_login(uow.session)
            assert login
            for name, role, officer_login in (
                ("Lee Line", Role.LINE_MANAGER, login),
                ("Ann Smith", Role.INVESTIGATING_OFFICER, "ann"),
            ):
                uow.session.add(
                    Officer(
                        name=name,
                        email=f"{officer_login}@council.example",
                        role=role,
                        service_area="Waste",
                        login=officer_login,
                    )
                )
            uow.commit()
        with app.uow() as uow:
            ann = current_officer(uow.session, "ann").id
        case_id = new_case(app, policy="stoke-on-trent")
        allocate(app, login, case_id, ann)
        run(
            app,
            "ann",
            lifecycle.record_response_sent,
            case_id,
            sent_on=D(2026, 10, 19),
            method=SendMethod.EMAIL,
            outcome=Outcome.NOT_UPHELD,
        )
        run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 11, 3))
        loads = allocation.officer_loads(as_manager(app, login))
        assert {row.name: row.open_cases for row in loads} == {"Ann Smith": 1, "Lee Line": 0}
        assert allocation.allocation_queue(as_manager(app, login)) == []
        with app.uow() as uow:
            pending = escalation.escalations_awaiting_decision(uow.session)
            assert [(p.id, p.late) for p in pending] == [(case_id, True)]
            assert actions.outstanding_actions(uow.session, today=TODAY) == []
        assert audit(app, case_id, field="officer_id")[0].actor == login
    finally:
        app.close()
