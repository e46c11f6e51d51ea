"""`caseworker demo`: synthetic cases over every policy and outcome, the same for the same seed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.demo import generate_demo
from caseworker.domain.enums import CaseStatus, NoteKind, Outcome, ReferrerRole, Role
from caseworker.interchange.casejson import (
    case_to_dict,
    load_cases,
    parse_case_file,
)
from caseworker.policy.loader import get_policy, load_policies
from caseworker.services.cases.records import next_reference, refresh_clock
from caseworker.services.lists.today import today_list
from caseworker.services.officers import sign_in
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import (
    AuditEvent,
    Case,
    CaseSubject,
    ContactAttempt,
    Interview,
    Issue,
    Note,
    Officer,
    Representative,
)

TODAY = dt.date(2026, 11, 23)


def scalar(app: Any, query: Any) -> Any:
    with app.uow() as uow:
        return uow.session.execute(query).scalar()


def column(app: Any, query: Any) -> list[Any]:
    with app.uow() as uow:
        return list(uow.session.execute(query).scalars())


def all_cases(app: Any) -> list[dict[str, Any]]:
    with app.uow() as uow:
        references = list(uow.session.scalars(select(Case.reference).order_by(Case.reference)))
        return [case_to_dict(case) for case in load_cases(uow.session, references)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One demo database of 300 cases, shared by the read-only checks below."""
    folder = tmp_path_factory.mktemp("demo")
    app = open_app(f"sqlite:///{folder / 'demo.sqlite'}", actor="tester")
    result = generate_demo(app.engine, 300, seed=11, today=TODAY)
    yield app, result
    app.close()


def test_it_makes_the_cases_asked_for(demo: Any) -> None:
    app, result = demo
    assert result.cases == 300
    assert scalar(app, select(func.count()).select_from(Case)) == 300
    assert len(set(column(app, select(Case.reference)))) == 300


def test_every_route_of_every_policy(demo: Any) -> None:
    app, _ = demo
    with app.uow() as uow:
        used = set(uow.session.execute(select(Case.policy_id, Case.route)).all())
    expected = {
        (policy.id, route.id) for policy in load_policies().values() for route in policy.routes
    }
    assert {
        "stockport",
        "stoke-on-trent",
        "information-governance",
        "warwickshire",
        "southampton",
        "complaint-handling-code",
    } <= {policy for policy, _ in expected}
    assert used == expected


def test_every_outcome_and_open_cases(demo: Any) -> None:
    app, _ = demo
    outcomes = set(column(app, select(Case.outcome).distinct()))
    assert outcomes == set(Outcome) | {None}
    open_without_outcome = scalar(
        app, select(func.count()).where(Case.status == CaseStatus.OPEN, Case.outcome.is_(None))
    )
    overdue = scalar(
        app, select(func.count()).where(Case.status == CaseStatus.OPEN, Case.respond_by < TODAY)
    )
    on_time = scalar(
        app, select(func.count()).where(Case.status == CaseStatus.OPEN, Case.respond_by >= TODAY)
    )
    assert open_without_outcome > 10 and overdue > 3 and on_time > 3
    assert set(column(app, select(Case.status).distinct())) == set(CaseStatus)


def test_stages_members_representatives_and_staff(demo: Any) -> None:
    app, _ = demo
    assert scalar(app, select(func.count()).where(Case.stage == 2)) > 5
    assert (
        scalar(app, select(func.count()).where(Case.stage > 1, Case.escalation_requested.is_(None)))
        == 0
    )
    roles = set(column(app, select(Case.referrer_role).distinct()))
    assert {ReferrerRole.COUNCILLOR, ReferrerRole.MP} <= roles
    assert scalar(app, select(func.count()).select_from(Representative)) > 5
    assert scalar(app, select(func.count()).select_from(CaseSubject)) > 2
    assert (
        scalar(
            app,
            select(func.count()).where(
                Case.route == "member-enquiry", Case.referrer_role.is_(None)
            ),
        )
        == 0
    )


def test_officers_in_each_role_and_service_area(demo: Any) -> None:
    app, _ = demo
    assert set(column(app, select(Officer.role).distinct())) == set(Role)
    areas = set(column(app, select(Case.service_area).distinct()))
    with app.uow() as uow:
        staffed = {
            area
            for (area,) in uow.session.execute(
                select(Officer.service_area).where(Officer.role == Role.INVESTIGATING_OFFICER)
            )
        }
        managed = {
            area
            for (area,) in uow.session.execute(
                select(Officer.service_area).where(Officer.role == Role.LINE_MANAGER)
            )
        }
    assert areas <= staffed and areas <= managed


def test_investigation_records(demo: Any) -> None:
    app, _ = demo
    assert set(column(app, select(Note.kind).distinct())) == set(NoteKind)
    assert scalar(app, select(func.count()).select_from(Interview)) > 5
    assert scalar(app, select(func.count()).select_from(ContactAttempt)) > 5
    # Every finding comes with its explanation.
    assert (
        scalar(app, select(func.count()).where(Issue.finding.is_not(None), Issue.explanation == ""))
        == 0
    )
    # Discontinued cases show the attempts to make contact, by different methods.
    with app.uow() as uow:
        for case_id in uow.session.scalars(
            select(Case.id).where(Case.outcome == Outcome.DISCONTINUED)
        ):
            methods = list(
                uow.session.scalars(
                    select(ContactAttempt.method).where(ContactAttempt.case_id == case_id)
                )
            )
            assert len(methods) >= 3 and len(set(methods)) == 3


def test_nobody_real(demo: Any) -> None:
    app, _ = demo
    with app.uow() as uow:
        cases = uow.session.scalars(select(Case).limit(100)).all()
        for case in cases:
            c = case.complainant
            assert c.postcode.startswith("Q")  # no postcode area begins with Q
            assert c.postcode[-1] in "CIKMOV"
            assert not c.email or c.email.rsplit(".", 1)[0].endswith("@example")
            assert not c.phone or c.phone.startswith(("01632 960", "07700 900"))
        assert all(
            email.endswith("@council.example")
            for email in uow.session.scalars(select(Officer.email))
        )


def test_due_dates_are_the_policy_clock(demo: Any) -> None:
    """The bulk path stores what refresh_clock computes for a case saved through the app."""
    app, _ = demo
    with app.uow() as uow:
        for case in uow.session.scalars(select(Case).order_by(Case.id).limit(150)):
            stored = (case.acknowledge_by, case.respond_by, case.respond_by_latest)
            refresh_clock(case, get_policy(case.policy_id))
            assert (case.acknowledge_by, case.respond_by, case.respond_by_latest) == stored, (
                case.reference
            )
        uow.rollback()


def test_demo_cases_are_valid_case_files(demo: Any) -> None:
    """Every demo case, exported, passes the checks an imported file must pass."""
    app, _ = demo
    data = {"cases": all_cases(app)}  # as export writes them (the format, not who may export)
    case_file = parse_case_file(json.dumps(data), "demo.json", today=TODAY)
    assert len(case_file.cases) == 300


def test_one_audit_event_for_the_run(demo: Any) -> None:
    app, _ = demo
    events = column(app, select(AuditEvent))
    assert len(events) == 1
    assert events[0].new_value.startswith("demo data generated: 300 cases")
    assert events[0].actor == "demo"


def test_same_seed_same_cases_other_seed_other_cases(tmp_path: Path) -> None:
    made = []
    for name, seed in (("a", 4), ("b", 4), ("c", 5)):
        app = open_app(f"sqlite:///{tmp_path / name}.sqlite", actor="tester")
        try:
            generate_demo(app.engine, 60, seed=seed, today=TODAY)
            made.append(all_cases(app))
        finally:
            app.close()
    assert made[0] == made[1]
    assert made[0] != made[2]


@pytest.mark.no_officer
def test_a_second_run_adds_to_the_first(app: Any) -> None:
    generate_demo(app.engine, 40, seed=1, today=TODAY)
    officers = scalar(app, select(func.count()).select_from(Officer))
    generate_demo(app.engine, 40, seed=2, today=TODAY)
    assert scalar(app, select(func.count()).select_from(Case)) == 80
    assert scalar(app, select(func.count()).select_from(Officer)) == officers
    assert len(set(column(app, select(Case.reference)))) == 80
    # The app's own numbering carries on after the demo's.
    with app.uow() as uow:
        new = next_reference(uow.session, 2026)
        assert new not in set(column(app, select(Case.reference)))
        uow.rollback()  # only looking: the counter is not moved
    assert len(column(app, select(AuditEvent))) == 2


def test_no_cases(app: Any) -> None:
    result = generate_demo(app.engine, 0, seed=1, today=TODAY)
    assert result.cases == 0
    assert scalar(app, select(func.count()).select_from(Case)) == 0


def test_the_command(
    app: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "caseworker.bootstrap.current_login", lambda: "tester"
    )  # the database's complaints manager runs it
    code = main(["--db", app.url, "demo", "--cases", "25", "--seed", "3", "--today", "2026-11-23"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "added 25 cases" in err and "cases/s" in err
    assert scalar(app, select(func.count()).select_from(Case)) == 25
    code = main(["--db", app.url, "cases", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 25


@pytest.mark.no_officer
def test_the_command_links_the_login_to_a_complaints_manager(
    app: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the operating-system account running the command
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "maker")
    assert main(["--db", app.url, "demo", "--cases", "3", "--today", "2026-11-23"]) == 0
    with app.sessions() as session:
        linked = session.scalars(select(Officer).where(Officer.login == "maker")).one()
    assert linked.role == Role.COMPLAINTS_MANAGER
    assert (
        f"demo: your login 'maker' is {linked.name}, a complaints manager"
        in capsys.readouterr().err
    )
    assert main(["--db", app.url, "demo", "--cases", "1", "--today", "2026-11-23"]) == 0
    assert "your login" not in capsys.readouterr().err  # linked already: nothing changes


def todays_work(app: Any, login: str) -> tuple[str, list[tuple[str, str]]]:
    """The name of the officer with this login, and their Today on TODAY."""
    today = today_list(app.context(actor=login, today=lambda: TODAY))
    assert today.officer is not None, today.problem
    return today.officer, [(line.reference, line.kind) for line in today.lines]


@pytest.mark.no_officer
def test_whoever_opened_the_app_before_the_demo_has_the_same_work_as_one_who_did_not(
    app: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start records the person as the database's first complaints manager; the demo
    then gives them the cases of the demo complaints manager it would otherwise have linked
    their login to, so that Today is the same either way, and not empty."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "maker")
    with UnitOfWork(app.sessions, "maker") as uow:
        assert sign_in(uow).first_run  # what the app does when it first opens
    demo = ["demo", "--cases", "300", "--today", TODAY.isoformat()]
    assert main(["--db", app.url, *demo]) == 0
    err = capsys.readouterr().err
    name, work = todays_work(app, "maker")
    assert name == "maker"  # their own record, not a demo officer's
    assert work
    theirs = scalar(
        app,
        select(func.count())
        .select_from(Case)
        .join(Officer, Case.officer_id == Officer.id)
        .where(Officer.login == "maker"),
    )
    assert f"demo: {theirs} of the cases are yours (maker, login 'maker')" in err

    other = open_app(f"sqlite:///{tmp_path / 'demo-first.sqlite'}")
    try:
        assert main(["--db", other.url, *demo]) == 0
        assert "demo: your login 'maker' is" in capsys.readouterr().err
        linked, same = todays_work(other, "maker")
        assert linked != "maker"
        assert same == work
    finally:
        other.close()


def test_the_command_refuses_a_bad_date(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", app.url, "demo", "--cases", "5", "--today", "23/11/2026"])
    assert code == 2
    assert "--today: '23/11/2026' is not a date" in capsys.readouterr().err


@pytest.mark.slow
def test_a_run_of_several_batches_reports_each(app: Any) -> None:
    """Cases go in batch by batch in one transaction; progress is told after each batch. (How
    fast is measured by benchmarks/demo.py, not here: a busy machine is no fault of the code.)"""
    reports: list[tuple[int, int]] = []
    result = generate_demo(
        app.engine,
        2500,
        seed=1,
        today=TODAY,
        batch=1000,
        progress=lambda done, total, seconds: reports.append((done, total)),
    )
    assert result.cases == 2500 and result.rate > 0
    assert reports == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert scalar(app, select(func.count()).select_from(Case)) == 2500
    assert len(set(column(app, select(Case.reference)))) == 2500
    assert (result.first_reference, result.last_reference) == tuple(
        column(app, select(Case.reference).order_by(Case.id))[i] for i in (0, -1)
    )


@pytest.mark.postgres
def test_on_postgresql_the_app_can_add_cases_after_a_demo(pg_url: str) -> None:
    """The demo gives rows explicit ids, so it must move PostgreSQL's id sequences past them."""
    from caseworker.interchange.casejson import import_cases
    from caseworker.services.officers import link_to_complaints_manager

    app = open_app(pg_url, actor="tester")
    try:
        generate_demo(app.engine, 200, seed=1, today=TODAY)
        text = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "cases.json").read_text(
            encoding="utf-8"
        )
        link_to_complaints_manager(app.context())  # cases are recorded by an officer
        references = import_cases(app.context(), parse_case_file(text, "cases.json", today=TODAY))
        assert len(references) == 4
        assert scalar(app, select(func.count()).select_from(Case)) == 204
        # The import was audited row by row; the demo by its one event.
        assert scalar(app, select(func.count()).select_from(AuditEvent)) >= 1 + 4 * 3
    finally:
        app.close()
