"""The shared database set up as docs/team-database.md says: the administrator's role runs the
migrations; an officer's login, with only the documented grants, can open the database, save,
follow changes, check cases out and in, and is the actor of the audit trail, which it cannot
change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError

from caseworker.bootstrap import database_login
from caseworker.domain.enums import Channel, Role, RouteId
from caseworker.services.context import Context
from caseworker.services.permissions import current_officer
from caseworker.services.team.changes import ChangeFeed
from caseworker.services.team.concurrency import begin_edit, save_case_edits
from caseworker.services.team.offline import check_in, check_out
from caseworker.services.uow import UnitOfWork
from caseworker.storage.database import make_engine, session_factory
from caseworker.storage.models import AuditEvent, Case, Issue, Officer
from caseworker.storage.upgrade import upgrade_database
from tests.pgschema import as_role, drop_roles, empty_public_schema

pytestmark = pytest.mark.postgres

ADMIN, GROUP, OFFICER = "cw_test_admin", "cw_test_officers", "ann.test"


def _drop_roles(connection: Any) -> None:
    drop_roles(connection, (OFFICER, GROUP, ADMIN))


@pytest.fixture
def team(pg_url: str) -> Iterator[tuple[Engine, Engine]]:
    root = make_engine(pg_url)
    database = root.url.database
    with root.begin() as connection:
        _drop_roles(connection)
        # Step 1 of the set-up, as docs/team-database.md gives it.
        connection.execute(text(f"CREATE ROLE {ADMIN} LOGIN"))
        connection.execute(text(f"GRANT CREATE, USAGE ON SCHEMA public TO {ADMIN}"))
        connection.execute(text(f"CREATE ROLE {GROUP} NOLOGIN"))
        connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {GROUP}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {GROUP}"))
        connection.execute(
            text(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {ADMIN} IN SCHEMA public "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {GROUP}"
            )
        )
        connection.execute(
            text(
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {ADMIN} IN SCHEMA public "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {GROUP}"
            )
        )
        connection.execute(text(f'CREATE ROLE "{OFFICER}" LOGIN IN ROLE {GROUP}'))
    admin, officer = as_role(pg_url, ADMIN), as_role(pg_url, OFFICER)
    try:
        yield admin, officer
    finally:
        admin.dispose()
        officer.dispose()
        empty_public_schema(root, then=_drop_roles)
        root.dispose()


def test_an_officer_login_works_with_the_documented_grants(
    team: tuple[Engine, Engine], tmp_path: Path
) -> None:
    admin, officer = team
    upgrade_database(admin)  # step 2: the administrator creates the schema
    with admin.begin() as connection:  # step 3: the officer's record carries their login
        connection.execute(
            Officer.__table__.insert().values(
                name="Ann Test",
                email="ann@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste",
                login=OFFICER,
                active=True,
            )
        )

    # The officer opens it (nothing to migrate) and is known by the database login.
    upgrade_database(officer)
    actor = database_login(officer)
    assert actor == OFFICER
    sessions = session_factory(officer)
    with UnitOfWork(sessions, actor) as uow:
        ann = current_officer(uow.session, actor)
        assert ann.name == "Ann Test"
        case = Case(
            reference="CW-2026-00001",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            officer_id=ann.id,
        )  # her case: an officer changes their own cases
        case.issues = [Issue(number=1, summary="Bins")]
        uow.session.add(case)
        uow.commit()
        case_id = case.id
    with ChangeFeed(officer) as feed:
        assert feed.mode == "notify"
        with UnitOfWork(sessions, actor) as uow:
            edit = begin_edit(uow.session, case_id)
            save_case_edits(uow, case_id, edit.version, {"summary": "Saved by Ann"})
        assert feed.wait(10) == {case_id}
    copy = tmp_path / "laptop.sqlite"
    ann_at_work = Context(sessions, actor=actor)
    check_out(ann_at_work, ["CW-2026-00001"], copy)
    assert [c.outcome.value for c in check_in(ann_at_work, copy).cases] == ["unchanged"]

    with UnitOfWork(sessions, actor) as uow:
        actors = set(uow.session.scalars(select(AuditEvent.actor).where(AuditEvent.case_id > 0)))
        # The database writes the trail: the officer's record, added by the administrator with
        # plain SQL, is in it too, with the administrator's login.
        officer_rows = set(
            uow.session.scalars(select(AuditEvent.actor).where(AuditEvent.entity == "officers"))
        )
    assert actors == {OFFICER}
    assert officer_rows == {ADMIN}
    with officer.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("DELETE FROM audit_events"))
    # Schema changes stay with the administrator.
    with officer.connect() as connection, pytest.raises(DatabaseError):
        connection.execute(text("ALTER TABLE cases ADD COLUMN x integer"))


def test_an_officer_login_cannot_make_itself_a_complaints_manager(
    team: tuple[Engine, Engine],
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 15's scenario on the shared database: the acting officer is the database login,
    whatever the command is asked; an investigating officer's login is refused every change to
    the team, and the complaints manager's is not."""
    from caseworker.cli.main import main
    from caseworker.domain import rules

    admin, _ = team
    upgrade_database(admin)
    with admin.begin() as connection:
        for name, email, role, login in (
            ("Ann Test", "ann@council.example", Role.INVESTIGATING_OFFICER, OFFICER),
            ("Cam Test", "cam@council.example", Role.COMPLAINTS_MANAGER, ADMIN),
        ):
            connection.execute(
                Officer.__table__.insert().values(
                    name=name, email=email, role=role, service_area="Waste", login=login
                )
            )

    def officers_table() -> list[tuple]:
        with admin.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    select(Officer.email, Officer.role, Officer.login, Officer.active).order_by(
                        Officer.id
                    )
                )
            ]

    def run_as(role: str, *argv: str) -> tuple[int, str]:
        monkeypatch.setattr("caseworker.bootstrap.make_engine", lambda url: as_role(url, role))
        monkeypatch.setattr(
            "caseworker.bootstrap.current_login", lambda: "someone-else"
        )  # not who the database knows
        code = main(["--db", pg_url, "officers", *argv])
        return code, capsys.readouterr().err

    before = officers_table()
    for argv in (
        [
            "--add",
            "--name",
            "Ann Boss",
            "--email",
            "ann.boss@council.example",
            "--role",
            "complaints-manager",
            "--service",
            "Waste",
            "--login",
            OFFICER,
        ],
        ["--set-login", "cam@council.example", "--login", OFFICER],
        ["--set-role", "ann@council.example", "--role", "complaints-manager"],
        ["--deactivate", "cam@council.example"],
    ):
        code, err = run_as(OFFICER, *argv)
        assert code == 2, argv
        assert err.startswith("caseworker: Refused: Ann Test (an investigating officer) may not ")
        assert err.endswith(f"({rules.TEAM_MANAGED_BY})\n")
    assert officers_table() == before

    code, err = run_as(ADMIN, "--set-role", "ann@council.example", "--role", "line-manager")
    assert code == 0, err
    code, err = run_as(ADMIN, "--set-role", "cam@council.example", "--role", "line-manager")
    assert code == 2 and rules.NOT_ONESELF in err
    with admin.connect() as connection:
        assert (
            connection.execute(
                select(Officer.role).where(Officer.email == "ann@council.example")
            ).scalar_one()
            == Role.LINE_MANAGER
        )
        assert set(
            connection.execute(
                select(AuditEvent.actor).where(AuditEvent.entity == "officers")
            ).scalars()
        ) == {ADMIN}
