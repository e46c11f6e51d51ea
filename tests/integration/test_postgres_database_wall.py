"""Issue 17 on the real server: the team database set up by `caseworker team setup` (no SQL typed
by hand) enforces the permission rules itself. Each officer connects with their own login and
plain SQL (psycopg, not the app) and is refused what the app would refuse them; a line manager
sees only their service; the app still lists, counts and records cases for each role."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from caseworker.cli.main import main
from caseworker.domain.caselist import CaseFilter, CaseSort, QuickView
from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    InterviewMethod,
    NoteKind,
    Outcome,
    Role,
    RouteId,
)
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.context import Context
from caseworker.services.lists.caselist import case_page, count_cases, quick_view_counts
from caseworker.services.records.retention import purge
from caseworker.storage.audit import PURGED_VALUE
from caseworker.storage.database import make_engine, session_factory
from caseworker.storage.models import (
    CASE_WORDS_TABLE,
    KEPT_WORDS_TABLES,
    RECORD_WORDS_TABLES,
    AuditEvent,
    Case,
    Complainant,
    Interview,
    Issue,
    Note,
    Officer,
)
from tests.pgschema import as_role, drop_roles, empty_public_schema

pytestmark = pytest.mark.postgres

ADMIN, GROUP = "cwwall_admin", "cwwall_officers"
CAM, LYN, ANN, BOB = "cwwall_cam", "cwwall_lyn", "cwwall_ann", "cwwall_bob"
LOGINS = (CAM, LYN, ANN, BOB)
DAN = "cwwall_dan"
"""A login linked to a new officer in a test (created by one of them, dropped with the rest)."""


def _drop_roles(connection: Any) -> None:
    drop_roles(connection, (*LOGINS, DAN, GROUP, ADMIN))


@pytest.fixture
def wall(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The database owner sets the team up with the commands alone; four officers and three
    cases: Waste (Ann's), Waste (Bob's), Housing (Bob's now, Ann's at stage 1)."""
    root = make_engine(pg_url)
    database = root.url.database
    with root.begin() as connection:
        owner = connection.execute(
            text("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :d"),
            {"d": database},
        ).scalar_one()
        _drop_roles(connection)
        # What the DBA does before Caseworker is involved: a database and its owner.
        connection.execute(text(f"CREATE ROLE {ADMIN} LOGIN CREATEROLE"))
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO {ADMIN}'))
        connection.execute(text(f"ALTER SCHEMA public OWNER TO {ADMIN}"))
    admin = as_role(pg_url, ADMIN)
    monkeypatch.setattr("caseworker.cli.team.make_engine", lambda url: as_role(url, ADMIN))
    try:
        assert main(["--db", pg_url, "team", "setup", "--group", GROUP]) == 0
        for login in LOGINS:
            assert main(["--db", pg_url, "team", "login", login, "--group", GROUP]) == 0
        with session_factory(admin)() as session:
            people = {}
            for login, name, role, area in (
                (CAM, "Cam", Role.COMPLAINTS_MANAGER, "Corporate"),
                (LYN, "Lyn", Role.LINE_MANAGER, "Waste"),
                (ANN, "Ann", Role.INVESTIGATING_OFFICER, "Waste"),
                (BOB, "Bob", Role.INVESTIGATING_OFFICER, "Housing"),
            ):
                people[login] = Officer(
                    name=name,
                    email=f"{login}@council.example",
                    role=role,
                    service_area=area,
                    login=login,
                    active=True,
                )
                session.add(people[login])
            session.flush()
            session.info["actor"] = ADMIN
            for number, (area, officer, stage1) in enumerate(
                (("Waste", ANN, None), ("waste ", BOB, None), ("Housing", BOB, ANN)), start=1
            ):
                case = Case(
                    reference=f"CW-2026-0000{number}",
                    policy_id="stockport",
                    route=RouteId.CORPORATE,
                    received=dt.date(2026, 11, 2),
                    channel=Channel.EMAIL,
                    service_area=area,
                    summary=f"Case {number}",
                    stage=2 if stage1 else 1,
                    officer_id=people[officer].id,
                    stage1_officer_id=people[stage1].id if stage1 else None,
                    complainant=Complainant(name=f"Complainant {number}"),
                )
                case.issues = [Issue(number=1, summary=f"Point of case {number}")]
                session.add(case)
            session.commit()
        yield {"url": pg_url, "admin": admin}
    finally:
        admin.dispose()
        # The owner is given back on its own, so that no failure of the drop after it can
        # leave the test database owned by a role the next test drops.
        with root.begin() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO "{owner}"'))
        empty_public_schema(root, then=_drop_roles)
        root.dispose()


def _psql(url: str, login: str) -> psycopg.Connection:
    """A plain psycopg connection as ``login``, as someone at psql would have."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = psycopg.connect(conninfo, autocommit=True)
    connection.execute(f'SET SESSION AUTHORIZATION "{login}"')
    return connection


def _refs(connection: psycopg.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT reference FROM cases ORDER BY reference")]


def _admin_value(wall: dict[str, Any], sql: str) -> Any:
    with wall["admin"].connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_each_role_sees_only_the_cases_its_rules_allow(wall: dict[str, Any]) -> None:
    seen = {}
    for login in LOGINS:
        with _psql(wall["url"], login) as connection:
            seen[login] = (
                _refs(connection),
                [r[0] for r in connection.execute("SELECT name FROM complainants ORDER BY name")],
                [r[0] for r in connection.execute("SELECT summary FROM issues ORDER BY summary")],
            )
    assert seen[CAM][0] == ["CW-2026-00001", "CW-2026-00002", "CW-2026-00003"]
    # Lyn manages Waste (spacing and case ignored, as rules.same_area does): not Housing.
    assert seen[LYN] == (
        ["CW-2026-00001", "CW-2026-00002"],
        ["Complainant 1", "Complainant 2"],
        ["Point of case 1", "Point of case 2"],
    )
    # Ann: her own case, and the Housing case she handled at stage 1; not Bob's Waste case.
    assert seen[ANN] == (
        ["CW-2026-00001", "CW-2026-00003"],
        ["Complainant 1", "Complainant 3"],
        ["Point of case 1", "Point of case 3"],
    )
    assert seen[BOB][0] == ["CW-2026-00002", "CW-2026-00003"]


def test_an_officer_at_psql_is_refused_what_the_app_refuses(wall: dict[str, Any]) -> None:
    with _psql(wall["url"], ANN) as ann:
        # Another's case: not there to read, change or delete.
        assert ann.execute("SELECT * FROM cases WHERE reference = 'CW-2026-00002'").fetchall() == []
        assert ann.execute("UPDATE cases SET summary = 'x' WHERE id > 0").rowcount == 1  # her own
        assert ann.execute("DELETE FROM cases").rowcount == 0
        assert ann.execute("DELETE FROM issues WHERE summary = 'Point of case 2'").rowcount == 0
        # Making herself a complaints manager.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(f"UPDATE officers SET role = 'complaints-manager' WHERE login = '{ANN}'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(
                "INSERT INTO officers (name, email, role, service_area, login, active) "
                "VALUES ('Boss', 'boss@council.example', 'complaints-manager', 'Waste', "
                "'someone', true)"
            )
        # Allocating a case away, or recording one at stage 2.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(
                f"UPDATE cases SET officer_id = (SELECT id FROM officers WHERE login = '{BOB}') "
                "WHERE reference = 'CW-2026-00001'"
            )
        # Forging the trail: an event in a colleague's name, changing or deleting events.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            ann.execute(
                "INSERT INTO audit_events (at, actor, case_id, entity, entity_id, action, field, "
                f"origin) VALUES (now(), '{CAM}', 1, 'cases', 1, 'update', 'summary', '')"
            )
        for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ann.execute(statement)
        # The search's index holds every case's words (0026) and every issue's, note's and
        # interview's (0028): not hers to read or change.
        for kept in KEPT_WORDS_TABLES:
            for statement in (f"SELECT * FROM {kept}", f"DELETE FROM {kept}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                    ann.execute(statement)
        # Schema changes and the migrations' own table stay the owner's.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ann.execute("ALTER TABLE cases DISABLE ROW LEVEL SECURITY")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ann.execute("UPDATE alembic_version SET version_num = '0001'")
    assert _admin_value(wall, "SELECT count(*) FROM cases") == 3
    # Her edit of her own case's summary reached its words all the same (kept as the owner).
    kept = f"SELECT count(*) FROM {CASE_WORDS_TABLE} WHERE words @@ 'x'::tsquery"
    assert _admin_value(wall, kept) == 1
    assert _admin_value(wall, f"SELECT role FROM officers WHERE login = '{ANN}'") == (
        "investigating-officer"
    )
    assert _admin_value(wall, "SELECT count(*) FROM officers") == 4
    assert _admin_value(wall, "SELECT summary FROM cases WHERE id = 2") == "Case 2"
    assert _admin_value(wall, f"SELECT count(*) FROM audit_events WHERE actor = '{CAM}'") == 0


def test_a_line_manager_changes_only_their_service_and_a_complaints_manager_the_team(
    wall: dict[str, Any],
) -> None:
    with _psql(wall["url"], LYN) as lyn:
        assert lyn.execute("UPDATE cases SET summary = 'Lyn' ").rowcount == 2
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            lyn.execute(f"UPDATE officers SET active = false WHERE login = '{BOB}'")
    assert _admin_value(wall, "SELECT summary FROM cases WHERE id = 3") == "Case 3"
    with _psql(wall["url"], CAM) as cam:
        assert (
            cam.execute(f"UPDATE officers SET active = false WHERE login = '{BOB}'").rowcount == 1
        )
    with _psql(wall["url"], BOB) as bob:
        assert _refs(bob) == []  # an inactive officer reaches nothing


def test_the_app_lists_counts_and_records_for_each_role(wall: dict[str, Any]) -> None:
    url = wall["url"]
    counts = {}
    for login in LOGINS:
        engine = as_role(url, login)
        try:
            ctx = Context(session_factory(engine), actor=login, today=lambda: dt.date(2026, 11, 20))
            with ctx.unit() as uow:
                counts[login] = count_cases(uow.session, CaseFilter(), today=ctx.today())
                rows = case_page(uow.session, CaseFilter(), CaseSort(), today=ctx.today())
                views = quick_view_counts(uow.session, today=ctx.today(), login=login)
                assert len(rows) == counts[login] == views[QuickView.ALL]
                assert all(row.summary.complainant.startswith("Complainant") for row in rows)
            if login == ANN:  # every officer records a new complaint, which she sees until
                # it is allocated (issue 19: she took the call), then not unless it is hers
                created = create_case(
                    ctx,
                    NewCase(
                        policy_id="stockport",
                        received=dt.date(2026, 11, 19),
                        first_aware=dt.date(2026, 11, 1),
                        service_area="Housing",
                        summary="Damp",
                        complainant=PersonIn(name="Dee New", email="dee@example.org"),
                        issues=("Damp in the bedroom",),
                    ),
                )
                with ctx.unit() as uow:
                    seen = uow.session.get(Case, created.id)
                    assert seen is not None and seen.complainant.name == "Dee New"
                    assert [i.summary for i in seen.issues] == ["Damp in the bedroom"]
                with _psql(url, ANN) as ann:  # the database's own wall, in plain SQL
                    assert "Damp" in [r[0] for r in ann.execute("SELECT summary FROM cases")]
                with wall["admin"].begin() as connection:  # given to Bob
                    connection.execute(
                        text(
                            "UPDATE cases SET officer_id = (SELECT id FROM officers WHERE "
                            f"login = '{BOB}') WHERE summary = 'Damp'"
                        )
                    )
                with _psql(url, ANN) as ann:
                    assert "Damp" not in [r[0] for r in ann.execute("SELECT summary FROM cases")]
                    assert ann.execute("SELECT count(*) FROM issues").fetchone()[0] == 2
                with wall["admin"].begin() as connection:  # back in the queue, for what follows
                    connection.execute(
                        text("UPDATE cases SET officer_id = NULL WHERE summary = 'Damp'")
                    )
        finally:
            engine.dispose()
    assert counts == {CAM: 3, LYN: 2, ANN: 2, BOB: 2}
    with session_factory(wall["admin"])() as session:
        case = session.execute(select(Case).where(Case.summary == "Damp")).scalar_one()
        assert case.complainant.name == "Dee New" and case.officer_id is None
        assert [i.summary for i in case.issues] == ["Damp in the bedroom"]
        assert set(
            session.scalars(select(AuditEvent.actor).where(AuditEvent.case_id == case.id))
        ) == {ANN, ADMIN}  # recorded by Ann; given to Bob and back by the owner, in the trail


def test_a_complaints_manager_adds_an_officer_and_is_told_the_login_statement(
    wall: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cam may change the team but not create database logins: the officer is recorded (through
    the row-level security, as Cam) and the exact statement for the DBA is printed."""
    monkeypatch.setattr("caseworker.bootstrap.make_engine", lambda url: as_role(url, CAM))
    capsys.readouterr()
    code = main(
        [
            "--db",
            wall["url"],
            "officers",
            "--add",
            "--name",
            "Dan",
            "--email",
            "dan@council.example",
            "--role",
            "investigating-officer",
            "--service",
            "Waste",
            "--login",
            "cwwall_dan",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert (
        'database login: ask the DBA to run:  CREATE ROLE "cwwall_dan" LOGIN IN ROLE '
        '"caseworker_officers";'
    ) in out
    assert _admin_value(wall, "SELECT login FROM officers WHERE name = 'Dan'") == "cwwall_dan"
    assert _admin_value(wall, "SELECT count(*) FROM pg_roles WHERE rolname = 'cwwall_dan'") == 0


def test_the_officers_window_gives_a_linked_login_its_place_as_team_login_does(
    wall: dict[str, Any], qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: linking a login in the app is `caseworker team login` too. The database owner,
    recorded as a complaints manager, adds Dan with his login: the role is created in the group;
    Cam, who may not create roles, is told the statement for the DBA instead."""
    from PySide6.QtCore import Qt

    from caseworker_ui.managers.officers import OfficersWindow

    monkeypatch.setattr("caseworker.storage.teamdb.GROUP", GROUP)  # this team's group role
    with session_factory(wall["admin"])() as session:
        session.info["actor"] = ADMIN
        session.add(
            Officer(
                name="Ada Admin",
                email="ada@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Corporate",
                login=ADMIN,
                active=True,
            )
        )
        session.commit()

    def add_dan(engine: Engine, actor: str, email: str) -> str:
        shown = OfficersWindow(Context(session_factory(engine), actor=actor))
        qtbot.addWidget(shown)
        shown.start_new()
        qtbot.keyClicks(shown.name_edit, "Dan")
        qtbot.keyClicks(shown.email_edit, email)
        qtbot.keyClicks(shown.area_edit, "Waste")
        qtbot.keyClicks(shown.login_edit, DAN)
        qtbot.keyClick(shown.login_edit, Qt.Key.Key_Return)  # Enter saves
        said = shown.message.text()
        shown.close()
        return said

    cam = as_role(wall["url"], CAM)
    try:
        said = add_dan(cam, CAM, "dan@council.example")
    finally:
        cam.dispose()
    assert said == (
        f'Saved: Dan. Database login: ask the DBA to run:  CREATE ROLE "{DAN}" LOGIN IN '
        f'ROLE "{GROUP}";'
    )
    assert _admin_value(wall, f"SELECT count(*) FROM pg_roles WHERE rolname = '{DAN}'") == 0

    # The owner links it again (the record first unlinked): now the role is made, in the group.
    with wall["admin"].begin() as connection:
        connection.execute(text("UPDATE officers SET login = NULL WHERE name = 'Dan'"))
    said = add_dan(wall["admin"], ADMIN, "dan2@council.example")
    assert said.startswith("Saved: Dan. Database login: ran CREATE ROLE"), said
    member = (
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
        f"JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = '{DAN}' AND g.rolname = '{GROUP}'"
    )
    assert _admin_value(wall, member) == 1


def test_only_the_first_officer_of_an_empty_team_records_themselves(wall: dict[str, Any]) -> None:
    with wall["admin"].begin() as connection:
        connection.execute(text("UPDATE cases SET officer_id = NULL, stage1_officer_id = NULL"))
        connection.execute(text("DELETE FROM officers"))
    insert = (
        "INSERT INTO officers (name, email, role, service_area, login, active) VALUES "
        "(%s, %s, 'complaints-manager', 'Corporate', %s, true)"
    )
    with _psql(wall["url"], ANN) as ann:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute(insert, ("Someone", "someone@council.example", BOB))
        ann.execute(insert, ("Ann", "ann@council.example", ANN))
    with _psql(wall["url"], BOB) as bob:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            bob.execute(insert, ("Bob", "bob@council.example", BOB))
    assert _admin_value(wall, "SELECT string_agg(login, ',') FROM officers") == ANN


def _trail(wall: dict[str, Any], where: str) -> list[tuple[Any, ...]]:
    with wall["admin"].connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT actor, case_id, entity, action, field, old_value, new_value "
                    f"FROM audit_events WHERE {where} ORDER BY id"
                )
            )
        ]


def test_the_database_records_what_an_officer_changes_at_psql_in_their_own_name(
    wall: dict[str, Any],
) -> None:
    case_id = _admin_value(wall, "SELECT id FROM cases WHERE reference = 'CW-2026-00001'")
    with _psql(wall["url"], ANN) as ann:
        # Naming a colleague, claiming a purge or an offline event: none changes the record.
        ann.execute(f"SET caseworker.actor = '{CAM}'")
        ann.execute("SET caseworker.purge = 'on'")
        ann.execute("""SET caseworker.event = '{"action": "purge", "by_case": {}}'""")
        # Nor backdating it as a change made offline (no checkout of the case is open).
        ann.execute("SET caseworker.at = '2020-01-01T09:00:00+00:00'")
        ann.execute("SET caseworker.origin = 'offline copy nowhere'")
        assert (
            ann.execute(
                "UPDATE cases SET summary = 'Rewritten' WHERE reference = 'CW-2026-00001'"
            ).rowcount
            == 1
        )
        ann.execute(
            "INSERT INTO issues (case_id, number, summary, explanation, remedy, lesson_learnt, "
            "action) VALUES (%s, 2, 'A second point', '', '', '', '')",
            (case_id,),
        )
        ann.execute(
            "INSERT INTO notes (issue_id, kind, text, source, author, created_at) SELECT id, "
            "'fact', 'A note', '', 'Ann', now() FROM issues WHERE case_id = %s AND number = 2",
            (case_id,),
        )
        # The issue goes, and its note with it (the database's cascade).
        ann.execute("DELETE FROM issues WHERE case_id = %s AND number = 2", (case_id,))
        # Nor may she take values out of the trail: that is the purge's, a complaints manager's.
        with pytest.raises(psycopg.errors.RaiseException, match="complaints manager"):
            ann.execute("SELECT caseworker_scrub_audit(ARRAY[%s], ARRAY[]::integer[])", (case_id,))
    rows = _trail(wall, f"actor = '{ANN}'")
    assert [row[:6] for row in rows] == [
        (ANN, case_id, "cases", "update", "summary", "Case 1"),
        (ANN, case_id, "issues", "create", "", None),
        (ANN, case_id, "notes", "create", "", None),
        (ANN, case_id, "issues", "delete", "", rows[1][6]),
        (ANN, case_id, "notes", "delete", "", rows[2][6]),
    ]
    assert rows[0][6] == "Rewritten"
    created = json.loads(rows[1][6])
    assert (created["summary"], created["number"], created["case_id"], created["finding"]) == (
        "A second point",
        "2",
        str(case_id),
        None,
    )
    assert rows[3][6] is None and "A note" in rows[4][5]
    assert _trail(wall, f"actor = '{CAM}'") == []
    assert _admin_value(
        wall,
        f"SELECT count(*) FROM audit_events WHERE actor = '{ANN}' "
        "AND at > now() - interval '1 hour' AND origin = ''",
    ) == len(rows)


def test_an_audit_row_cannot_be_written_changed_or_deleted_by_any_officer(
    wall: dict[str, Any],
) -> None:
    before = _admin_value(wall, "SELECT count(*) FROM audit_events")
    assert before > 0
    for login in LOGINS:
        with _psql(wall["url"], login) as connection:
            connection.execute("SET caseworker.purge = 'on'")
            connection.execute("SET caseworker.scrubbing = 'on'")
            for statement in (
                "INSERT INTO audit_events (at, actor, case_id, entity, entity_id, action, field, "
                f"origin) VALUES (now(), '{login}', 1, 'cases', 1, 'update', 'summary', '')",
                "UPDATE audit_events SET new_value = '(removed by the retention purge)'",
                "DELETE FROM audit_events",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                    connection.execute(statement)
    assert _admin_value(wall, "SELECT count(*) FROM audit_events") == before
    # Not the owner either, except through the purge's scrub.
    with wall["admin"].connect() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("UPDATE audit_events SET actor = 'someone'"))


def test_a_purge_leaves_no_trace_in_the_live_tables_audit_rows_included(
    wall: dict[str, Any],
) -> None:
    url, name = wall["url"], "Perpetua Gallowglass"
    traces = (name, "Gallowglass", "perpetua@example.org", "01632 960 777", "Thistle Lane")
    with session_factory(wall["admin"])() as session:
        session.info["actor"] = ADMIN
        ann_id = session.scalar(select(Officer.id).where(Officer.login == ANN))
        case = Case(
            reference="CW-2022-00009",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2022, 5, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins missed at 4 Thistle Lane, says Mrs Gallowglass",
            status=CaseStatus.CLOSED,
            closed_on=dt.date(2022, 6, 1),
            outcome=Outcome.UPHELD,
            officer_id=ann_id,
            complainant=Complainant(
                name=name,
                address="4 Thistle Lane",
                email="perpetua@example.org",
                phone="01632 960 000",
            ),
        )
        case.issues = [
            Issue(
                number=1,
                summary="Mrs Gallowglass's bin missed",
                notes=[Note(kind=NoteKind.FACT, text="Gallowglass rang", author="Ann")],
            )
        ]
        session.add(case)
        session.commit()
        case_id, person_id = case.id, case.complainant_id
    with _psql(url, ANN) as ann:  # an update: old and new values in the trail, by Ann
        ann.execute("UPDATE complainants SET phone = '01632 960 777' WHERE id = %s", (person_id,))
    assert any("01632 960 777" in str(row) for row in _trail(wall, f"actor = '{ANN}'"))

    cam = as_role(url, CAM)
    try:
        purge(
            Context(session_factory(cam), actor=CAM, today=lambda: dt.date(2026, 11, 20)),
            ["CW-2022-00009"],
        )
    finally:
        cam.dispose()

    with wall["admin"].connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        for table in list(tables):
            rows = connection.execute(text(f'SELECT t::text FROM "{table}" t')).scalars().all()
            for trace in traces:
                found = [row for row in rows if trace.lower() in row.lower()]
                assert not found, (table, trace, found)
    # Who, when and which field stay; the purge itself is one event, by the complaints manager.
    ann_rows = _trail(wall, f"actor = '{ANN}' AND entity = 'complainants'")
    assert [row[2:] for row in ann_rows] == [
        ("complainants", "update", "phone", PURGED_VALUE, PURGED_VALUE)
    ]
    assert [row[:5] for row in _trail(wall, f"case_id = {case_id} AND action = 'purge'")] == [
        (CAM, case_id, "cases", "purge", "retention")
    ]
    assert _trail(wall, f"case_id = {case_id} AND action = 'create' AND entity = 'cases'")[0][
        :4
    ] == (ADMIN, case_id, "cases", "create")
    # What reports count stays.
    assert _admin_value(wall, f"SELECT outcome FROM cases WHERE id = {case_id}") == "upheld"


def test_team_setup_puts_back_an_audit_trigger_that_was_dropped(wall: dict[str, Any]) -> None:
    with wall["admin"].begin() as connection:
        connection.execute(text("DROP TRIGGER caseworker_audit ON cases"))
    update = "UPDATE cases SET summary = %s WHERE reference = 'CW-2026-00001'"
    with _psql(wall["url"], ANN) as ann:
        ann.execute(update, ("Unrecorded",))
    assert _trail(wall, f"actor = '{ANN}'") == []
    assert main(["--db", wall["url"], "team", "setup", "--group", GROUP]) == 0
    with _psql(wall["url"], ANN) as ann:
        ann.execute(update, ("Recorded again",))
    assert [row[3:] for row in _trail(wall, f"actor = '{ANN}'")] == [
        ("update", "summary", "Unrecorded", "Recorded again")
    ]


def test_tables_added_after_the_trail_are_recorded_and_walled(wall: dict[str, Any]) -> None:
    # Subject access requests (a later migration than the trail's) name a person: a complaints
    # manager's alone; the number of homes is everyone's to read and a complaints manager's to
    # record. Both are in the database's trail from the migration on, with no `team setup`.
    insert = (
        "INSERT INTO subject_access_requests (requester, name, email, phone, address, postcode,"
        " received, due, extension_reason, recorded_by, recorded_at) VALUES ('Mx Requester',"
        " 'Mx Requester', '', '', '', '', '2026-11-02', '2026-12-02', '', %s, now())"
    )
    with _psql(wall["url"], CAM) as cam:
        cam.execute(insert, (CAM,))
        cam.execute(
            "INSERT INTO homes_owned (homes, as_at, source, recorded_by, recorded_at) "
            "VALUES (12000, '2026-04-01', 'stock return', %s, now())",
            (CAM,),
        )
    for login in (LYN, ANN):
        with _psql(wall["url"], login) as connection:
            assert connection.execute("SELECT name FROM subject_access_requests").fetchall() == []
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(insert, (login,))
            assert connection.execute("SELECT homes FROM homes_owned").fetchall() == [(12000,)]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(
                    "INSERT INTO homes_owned (homes, as_at, source, recorded_by, recorded_at) "
                    "VALUES (1, '2026-04-01', '', %s, now())",
                    (login,),
                )
            changed = connection.execute("UPDATE homes_owned SET homes = 1")
            assert changed.rowcount == 0
    assert _admin_value(wall, "SELECT count(*) FROM subject_access_requests") == 1
    assert _admin_value(wall, "SELECT homes FROM homes_owned") == 12000
    with wall["admin"].connect() as connection:
        recorded = set(
            connection.execute(
                text("SELECT entity FROM audit_events WHERE actor = :cam"), {"cam": CAM}
            ).scalars()
        )
    assert {"subject_access_requests", "homes_owned"} <= recorded


SEARCHED = {
    # table: (a word its rows of the three cases hold, the indexed text as migration 0006 has it)
    "cases": ("case", "reference || ' ' || summary || ' ' || referrer_name || ' ' || service_area"),
    "complainants": ("complainant", "name || ' ' || address || ' ' || postcode || ' ' || email"),
    "issues": ("point", "summary || ' ' || explanation || ' ' || remedy || ' ' || action"),
}
KEPT_SEARCHED = {
    # the tables whose words are kept with their case's columns (0028), as SEARCHED
    "issues": SEARCHED["issues"],
    "notes": ("checked", "text"),
    "interviews": (
        "asked",
        "interviewee || ' ' || notes || ' ' || summary || ' ' || further_information",
    ),
}


def _search_ids_are_the_readable_matches(
    wall: dict[str, Any], searched: dict[str, tuple[str, str]]
) -> dict[str, dict[str, set[int]]]:
    """For each login and table, caseworker_search_ids' ids are exactly the matching rows the
    login reads with plain SQL; the ids, by login and table."""
    given_all: dict[str, dict[str, set[int]]] = {}
    for login in LOGINS:
        with _psql(wall["url"], login) as connection:
            for table, (word, indexed) in searched.items():
                query = f"to_tsquery('english', '{word}:*')"
                given = {
                    row[0]
                    for row in connection.execute(
                        f"SELECT caseworker_search_ids('{table}', {query})"
                    )
                }
                readable = {
                    row[0]
                    for row in connection.execute(
                        f"SELECT id FROM {table} WHERE to_tsvector('english', {indexed}) @@ {query}"
                    )
                }
                assert given == readable, (login, table)
                given_all.setdefault(login, {})[table] = given
    return given_all


def test_search_ids_are_exactly_the_matches_the_policies_let_each_login_read(
    wall: dict[str, Any],
) -> None:
    # caseworker_search_ids reads past the policies (it must, to use the full-text indexes), so
    # it keeps them itself: for each login, the ids it gives are the matching rows that login
    # reads with plain SQL, no more (and no fewer). Bob took a fourth case by phone and it is
    # not allocated yet: he sees it as its recorder (migration 0024), so his search finds it.
    with session_factory(wall["admin"])() as session:
        session.info["actor"] = ADMIN
        bob = session.execute(select(Officer).where(Officer.login == BOB)).scalar_one()
        case = Case(
            reference="CW-2026-00004",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 3),
            channel=Channel.PHONE,
            service_area="Waste",
            summary="Case 4",
            recorded_by_id=bob.id,
            complainant=Complainant(name="Complainant 4"),
        )
        case.issues = [Issue(number=1, summary="Point of case 4")]
        session.add(case)
        session.commit()
    with _psql(wall["url"], BOB) as connection:
        assert "CW-2026-00004" in _refs(connection)
    given = _search_ids_are_the_readable_matches(wall, SEARCHED)
    assert all(ids for tables in given.values() for ids in tables.values()), given
    with _psql(wall["url"], BOB) as bob:  # Ann's Waste case holds "Point of case 1"
        one = "to_tsquery('english', '1')"
        assert bob.execute(f"SELECT caseworker_search_ids('issues', {one})").fetchall() == []
        assert bob.execute(f"SELECT caseworker_search_ids('nothing', {one})").fetchall() == []


def test_kept_words_follow_their_case_to_whoever_sees_it(wall: dict[str, Any]) -> None:
    """The words of issues, notes and interviews are kept with their case's columns that decide
    who sees it (migration 0028), and caseworker_search_ids finds an officer's matches there: so
    they must follow the case. After each change (a case allocated to another officer, moved to
    another service, an issue moved to another case, a case deleted) every login's search ids
    are still exactly the matches it reads with plain SQL."""
    with session_factory(wall["admin"])() as session:
        session.info["actor"] = ADMIN
        for issue in session.execute(select(Issue)).scalars():
            issue.notes.append(
                Note(kind=NoteKind.FACT, text=f"Checked {issue.summary}", author="Cam")
            )
            session.add(
                Interview(
                    case_id=issue.case_id,
                    interviewee="Crew",
                    held_on=dt.date(2026, 11, 5),
                    method=InterviewMethod.PHONE,
                    notes=f"Asked about {issue.summary}",
                )
            )
        session.commit()
    before = _search_ids_are_the_readable_matches(wall, KEPT_SEARCHED)
    assert all(len(before[ANN][t]) == 2 and len(before[BOB][t]) == 2 for t in KEPT_SEARCHED)
    with wall["admin"].begin() as connection:
        # Bob's Waste case (2) allocated to Ann; the Housing case (3) moved to Waste.
        connection.execute(
            text(
                "UPDATE cases SET officer_id = (SELECT id FROM officers WHERE login = :a) "
                "WHERE reference = 'CW-2026-00002'"
            ),
            {"a": ANN},
        )
        connection.execute(
            text("UPDATE cases SET service_area = 'Waste' WHERE reference = 'CW-2026-00003'")
        )
    after = _search_ids_are_the_readable_matches(wall, KEPT_SEARCHED)
    assert all(len(after[ANN][t]) == 3 and len(after[BOB][t]) == 1 for t in KEPT_SEARCHED)
    assert all(len(after[LYN][t]) == 3 for t in KEPT_SEARCHED)  # Waste's, all three now
    with wall["admin"].begin() as connection:
        # Case 1's issue (and its note) moved to Bob's case 3; then case 2 deleted.
        connection.execute(
            text(
                "UPDATE issues SET case_id = (SELECT id FROM cases WHERE reference = "
                "'CW-2026-00003'), number = 2 WHERE summary = 'Point of case 1'"
            )
        )
        connection.execute(text("DELETE FROM cases WHERE reference = 'CW-2026-00002'"))
    last = _search_ids_are_the_readable_matches(wall, KEPT_SEARCHED)
    assert len(last[BOB]["notes"]) == 2 and len(last[CAM]["issues"]) == 2
    for table, kept in RECORD_WORDS_TABLES.items():
        assert _admin_value(wall, f"SELECT count(*) FROM {kept}") == _admin_value(
            wall, f"SELECT count(*) FROM {table}"
        )


def test_two_saves_adding_to_one_case_take_turns_rather_than_deadlock(
    wall: dict[str, Any],
) -> None:
    """A record's trigger (migration 0028) locks its case as an update of it would: two people
    who each add an issue to the same case and then save the case take turns. With a shared
    lock each would wait for the other's to save the case, and PostgreSQL would end one of the
    two saves as a deadlock."""
    add = text(
        "INSERT INTO issues (case_id, number, summary, explanation, remedy, lesson_learnt, "
        "action) SELECT id, :number, :summary, '', '', '', '' FROM cases "
        "WHERE reference = 'CW-2026-00001'"
    )
    save = text("UPDATE cases SET summary = summary || '.' WHERE reference = 'CW-2026-00001'")
    failures: list[BaseException] = []
    with wall["admin"].connect() as first, wall["admin"].connect() as second:
        second_pid = second.execute(text("SELECT pg_backend_pid()")).scalar_one()
        second.commit()
        first.execute(add, {"number": 7, "summary": "Bin missed again"})

        def other_person() -> None:
            try:
                second.execute(add, {"number": 8, "summary": "Crew left the gate open"})
                second.execute(save)
                second.commit()
            except DatabaseError as error:
                failures.append(error)
                second.rollback()

        thread = threading.Thread(target=other_person)
        thread.start()
        # The second save is waiting for a lock the first holds (where, is the point), as the
        # server's superuser sees it (the owner is not shown the other sessions' waits).
        server = make_engine(wall["url"])
        with server.connect() as watcher:
            for _ in range(3000):
                waiting = watcher.execute(
                    text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": second_pid},
                ).scalar()
                watcher.rollback()
                if waiting == "Lock":
                    break
                time.sleep(0.01)
            else:
                pytest.fail("the second save never waited for the first")
        server.dispose()
        first.execute(save)
        first.commit()
        thread.join(60)
        assert not thread.is_alive()
    assert failures == []
    rows = _admin_value(
        wall,
        "SELECT count(*) FROM search_fts_issues w JOIN issues i ON i.id = w.id "
        "JOIN cases c ON c.id = i.case_id WHERE i.number IN (7, 8) "
        "AND w.officer_id = c.officer_id AND c.summary LIKE '%..'",
    )
    assert rows == 2


def test_an_officer_searches_through_the_full_text_indexes_under_row_security(
    wall: dict[str, Any],
) -> None:
    """A query's own conditions run after the policies' unless they are leakproof, and a
    full-text match is not: an officer's search as their own login read every row the policies
    let through and parsed its text, the index unusable (4.4 s at 250,000 cases, against 0.37 s
    for the owner). Now each table's matches come through its GIN index inside
    caseworker_search_ids (whose own statements auto_explain shows), and the rows are read as the
    login. Scans are turned off, as in test_search.py, to ask whether the indexes can serve three
    cases' rows; they could not at all before (a disabled scan was still the plan)."""
    from caseworker.services.search.fulltext import PG_SEEN_BY, PG_TEXT, search

    with session_factory(wall["admin"])() as session:  # a note to search through its index
        session.info["actor"] = ADMIN
        issue = session.execute(
            select(Issue).where(Issue.summary == "Point of case 1")
        ).scalar_one()
        issue.notes.append(Note(kind=NoteKind.FACT, text="Ann checked the point", author="Ann"))
        session.commit()
    plans: list[str] = []
    engine = make_engine(wall["url"])

    @event.listens_for(engine, "connect")
    def explained(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.add_notice_handler(lambda notice: plans.append(notice.message_primary))
        with dbapi_connection.cursor() as cursor:
            cursor.execute("LOAD 'auto_explain'")
            cursor.execute("SET auto_explain.log_min_duration = 0")
            cursor.execute("SET auto_explain.log_nested_statements = on")
            cursor.execute("SET client_min_messages = log")
            cursor.execute("SET enable_seqscan = off")  # the test's, not the app's
            cursor.execute(f'SET SESSION AUTHORIZATION "{ANN}"')
        dbapi_connection.commit()

    try:
        ctx = Context(session_factory(engine), actor=ANN, today=lambda: dt.date(2026, 11, 20))
        plans.clear()
        found = search(ctx, "point")
    finally:
        engine.dispose()
    assert sorted(hit.reference for hit in found) == ["CW-2026-00001", "CW-2026-00003"]
    text_plans = [plan for plan in plans if "plan:" in plan]
    searched = [plan for plan in text_plans if "ts_headline" in plan.split("plan:", 1)[1]]
    assert len(searched) == 1, text_plans
    inner = {
        table: [
            plan
            for plan in text_plans
            if f"FROM {table} t WHERE to_tsvector" in plan
            or f"FROM {PG_SEEN_BY.get(table)} w WHERE w.words" in plan
        ]
        for table in PG_TEXT
    }
    for table in PG_TEXT:
        # The statement as the login reads each table's rows by their ids, never by a scan
        # (before: "Seq Scan on issues m", the match tested on every row the policy let by)...
        assert not re.search(rf"Seq Scan on {table} [tm](_\d+)? ", searched[0]), searched[0]
        # ...and the function finds them by an index: the full-text one, or the officer's own
        # cases by theirs (each table's statement runs only where it has rows).
        for plan in inner[table]:
            assert f"Seq Scan on {table} t" not in plan and "Index Cond" in plan, plan
            assert f"Seq Scan on {PG_SEEN_BY.get(table)} w" not in plan, plan
    assert inner["cases"], text_plans  # an officer's cases: through the cases' own indexes
    # Issues, notes and interviews: their kept words (0028), by the officer's columns' indexes
    # (with the words' at 250,000 cases, a bitmap of both), never the records' own table
    # (there are no interviews here to read)
    assert inner["issues"] and inner["notes"], text_plans
    for table, kept in PG_SEEN_BY.items():
        for plan in inner[table]:
            assert f"FROM {table} t" not in plan, plan
            assert f"Index Scan on ix_{kept}_officer_id" in plan, plan
    assert any("ix_complainants_fulltext" in plan for plan in inner["complainants"])
