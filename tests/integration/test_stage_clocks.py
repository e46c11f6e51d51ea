"""Each stage's clock runs from that stage's own request, never from a later request for the
stage after (Warwickshire's children's services go through three stages).

Dates counted by hand: England and Wales bank holidays in the period are Friday 25 December
2026, Monday 28 December 2026 (Boxing Day substitute) and Friday 1 January 2027.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from caseworker.domain.enums import CaseStatus, Channel, Outcome, Role, RouteId, SendMethod
from caseworker.policy.loader import get_policy
from caseworker.services.cases import escalation, lifecycle
from caseworker.services.cases.records import refresh_clock, stage_received
from caseworker.storage.models import Case, Complainant, Issue, Officer

D = dt.date


def _officers(app: Any) -> dict[str, int]:
    with app.uow() as uow:
        for login, name, role in (
            ("ann", "Ann Smith", Role.INVESTIGATING_OFFICER),
            ("cam", "Cam Chief", Role.COMPLAINTS_MANAGER),
        ):
            uow.session.add(
                Officer(
                    name=name,
                    email=f"{login}@council.example",
                    role=role,
                    service_area="Children's Services",
                    login=login,
                )
            )
        uow.commit()
        return {o.login: o.id for o in uow.session.query(Officer)}


def _childrens_case(app: Any, officer: int) -> int:
    with app.uow() as uow:
        row = Case(
            reference="CW-2026-00001",
            policy_id="warwickshire",
            route=RouteId.CHILDRENS_SERVICES,
            received=D(2026, 10, 5),
            stage=1,
            channel=Channel.EMAIL,
            service_area="Children's Services",
            officer_id=officer,
            complainant=Complainant(name="Pat Doe", address="1 High Street"),
        )
        row.issues.append(Issue(number=1, summary="The plan was not followed"))
        refresh_clock(row, get_policy("warwickshire"))
        uow.session.add(row)
        uow.commit()
        return row.id


def _run(app: Any, login: str, service: Any, *args: Any, **kwargs: Any) -> None:
    """Take a step as ``login`` (it commits its own work)."""
    service(app.context(actor=login), *args, **kwargs)


def _row(app: Any, case_id: int) -> Case:
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        list(row.suspensions), list(row.extensions)
        return row


def test_a_stage_3_request_leaves_the_stage_2_clock_and_starts_stage_3_from_itself(
    app: Any,
) -> None:
    ids = _officers(app)
    case_id = _childrens_case(app, ids["ann"])
    _run(
        app,
        "ann",
        lifecycle.record_response_sent,
        case_id,
        sent_on=D(2026, 10, 12),
        method=SendMethod.EMAIL,
        outcome=Outcome.NOT_UPHELD,
    )
    _run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 10, 14))
    _run(
        app,
        "cam",
        escalation.accept_escalation,
        case_id,
        decided_on=D(2026, 10, 15),
        handler_id=ids["cam"],
    )
    row = _row(app, case_id)
    # Stage 2: 25 working days from Wednesday 14 October is Wednesday 18 November.
    assert (row.stage, row.stage_started, row.respond_by) == (2, D(2026, 10, 14), D(2026, 11, 18))

    _run(
        app,
        "cam",
        lifecycle.record_response_sent,
        case_id,
        sent_on=D(2026, 11, 16),
        method=SendMethod.EMAIL,
        outcome=Outcome.NOT_UPHELD,
    )
    _run(app, "cam", escalation.log_escalation_request, case_id, requested_on=D(2026, 11, 17))
    row = _row(app, case_id)
    assert row.escalation_requested == D(2026, 11, 17)
    # The request for stage 3 does not move stage 2's start or its clock.
    assert stage_received(row) == D(2026, 10, 14)
    refresh_clock(row, get_policy("warwickshire"))
    assert row.respond_by == D(2026, 11, 18)

    _run(app, "cam", escalation.accept_escalation, case_id, decided_on=D(2026, 11, 18))
    row = _row(app, case_id)
    # Stage 3: 50 working days from Tuesday 17 November, skipping 25 and 28 December and
    # 1 January, is Friday 29 January 2027.
    assert (row.stage, row.stage_started, row.status) == (3, D(2026, 11, 17), CaseStatus.OPEN)
    assert (stage_received(row), row.respond_by) == (D(2026, 11, 17), D(2027, 1, 29))


def test_a_refused_stage_3_request_keeps_stage_2_running_from_its_own_request(
    app: Any,
) -> None:
    ids = _officers(app)
    case_id = _childrens_case(app, ids["ann"])
    with app.uow() as uow:  # a stage 2 case written without stage_started (as an import does)
        row = uow.session.get(Case, case_id)
        assert row is not None
        row.stage, row.escalation_requested = 2, D(2026, 10, 14)
        row.response_sent, row.response_method = D(2026, 11, 16), SendMethod.EMAIL
        refresh_clock(row, get_policy("warwickshire"))
        uow.commit()
    _run(app, "ann", escalation.log_escalation_request, case_id, requested_on=D(2026, 11, 17))
    _run(
        app,
        "cam",
        escalation.refuse_escalation,
        case_id,
        decided_on=D(2026, 11, 18),
        reasons="The panel would not add to the stage 2 investigation",
    )
    row = _row(app, case_id)
    assert (row.stage, row.stage_started, row.escalation_requested) == (
        2,
        D(2026, 10, 14),
        D(2026, 11, 17),
    )
    refresh_clock(row, get_policy("warwickshire"))
    assert row.respond_by == D(2026, 11, 18)


def test_the_migration_recovers_a_stage_start_from_the_audit_trail(app: Any) -> None:
    """A stage 2 case whose start was overwritten by a stage 3 request before 0008 existed."""
    _recovers_the_start(app)


@pytest.mark.postgres
def test_the_migration_recovers_a_stage_start_on_postgresql(pg_url: str) -> None:
    from caseworker.bootstrap import open_app

    app = open_app(pg_url, actor="tester")
    try:
        _recovers_the_start(app)
    finally:
        app.close()


def _recovers_the_start(app: Any) -> None:
    from alembic import command

    from caseworker.storage.database import alembic_config, migrate

    ids = _officers(app)
    case_id = _childrens_case(app, ids["ann"])
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert row is not None
        row.stage, row.escalation_requested = 2, D(2026, 10, 14)
        uow.commit()
    with app.uow() as uow:  # the old code overwrote the start with the stage 3 request
        row = uow.session.get(Case, case_id)
        assert row is not None
        row.response_sent, row.response_method = D(2026, 11, 16), SendMethod.EMAIL
        row.escalation_requested = D(2026, 11, 17)
        uow.commit()
    config = alembic_config(app.engine)
    with app.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    migrate(app.engine)
    with app.engine.connect() as connection:
        started = connection.execute(
            text("SELECT stage_started FROM cases WHERE id = :id"), {"id": case_id}
        ).scalar_one()
    assert str(started) == "2026-10-14"
