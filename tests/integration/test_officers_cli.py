"""`caseworker officers`: recording officers and the login each works under, without SQL; only a
complaints manager changes the team, and nobody changes their own record (issue 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.domain import rules
from caseworker.domain.enums import CaseStatus, Outcome, Role
from caseworker.domain.refusals import NotPermitted
from caseworker.services import officers
from caseworker.storage.models import AuditEvent, Case, Officer
from tests.integration.test_managers_work import new_case
from tests.officers import add_team


def test_add_list_and_map_a_login(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an empty database the person adding the first colleague is first recorded as its
    complaints manager (the first-run rule, as when the app opens it)."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "maker")
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    assert (
        main(
            [
                "--db",
                url,
                "officers",
                "--add",
                "--name",
                "Ann Smith",
                "--email",
                "ann.smith@council.example",
                "--role",
                "line-manager",
                "--service",
                "Waste",
            ]
        )
        == 0
    )
    assert "recorded as its first complaints manager" in capsys.readouterr().err
    assert (
        main(
            [
                "--db",
                url,
                "officers",
                "--set-login",
                "ANN.SMITH@council.example",
                "--login",
                "ann.smith",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--db", url, "officers"]) == 0
    listing = capsys.readouterr().out
    assert "Ann Smith" in listing and "line-manager" in listing and "ann.smith" in listing
    assert "complaints-manager" in listing and "maker" in listing

    app = open_app(url)
    with app.uow() as uow:
        officer = uow.session.scalar(select(Officer).where(Officer.name == "Ann Smith"))
        assert (officer.login, officer.service_area) == ("ann.smith", "Waste")
        first = uow.session.scalar(select(Officer).where(Officer.login == "maker"))
        assert first.role == Role.COMPLAINTS_MANAGER
        changes = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "officers")
        ).all()
        assert [(e.action, e.field, e.new_value, e.actor) for e in changes][-1] == (
            "update",
            "login",
            "ann.smith",
            "maker",
        )
    app.close()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--email", "ann@x.example", "--role", "line-manager", "--service", "Waste"],
            "--add needs --name",
        ),
        (
            [
                "--name",
                "Ann",
                "--email",
                "not-an-email",
                "--role",
                "line-manager",
                "--service",
                "Waste",
            ],
            "'not-an-email' is not an email address",
        ),
    ],
)
def test_mistakes_are_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    assert main(["--db", url, "officers", "--add", *extra]) == 2
    assert message in capsys.readouterr().err


def test_an_email_or_login_is_recorded_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    base = [
        "--db",
        url,
        "officers",
        "--add",
        "--role",
        "investigating-officer",
        "--service",
        "Highways",
    ]
    assert main([*base, "--name", "Bo", "--email", "bo@x.example", "--login", "bo"]) == 0
    assert main([*base, "--name", "Bo 2", "--email", "BO@x.example"]) == 2
    assert "already recorded" in capsys.readouterr().err
    assert main([*base, "--name", "Cy", "--email", "cy@x.example", "--login", "bo"]) == 2
    assert "already belongs to another officer" in capsys.readouterr().err


# ---- who may change the team ------------------------------------------------------------------


def team_state(app: Any) -> tuple[list[tuple], int]:
    """Every officer record as stored, and how many audit events there are."""
    with app.uow() as uow:
        rows = uow.session.execute(
            select(
                Officer.id,
                Officer.name,
                Officer.email,
                Officer.role,
                Officer.service_area,
                Officer.login,
                Officer.active,
            ).order_by(Officer.id)
        ).all()
        events = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    return [tuple(row) for row in rows], events


def command(
    app: Any, login: str, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """``caseworker --db <app> officers ...`` run by the operating-system account ``login``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("caseworker.bootstrap.current_login", lambda: login)
        code = main(["--db", app.url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


CHANGES = {
    "add": [
        "officers",
        "--add",
        "--name",
        "Ann Again",
        "--email",
        "ann.again@council.example",
        "--role",
        "complaints-manager",
        "--service",
        "Waste",
    ],
    "set-login": ["officers", "--set-login", "cam@council.example", "--login", "{login}"],
    "set-role": ["officers", "--set-role", "{login}@council.example", "--role", "line-manager"],
    "deactivate": ["officers", "--deactivate", "bob@council.example"],
    "activate": ["officers", "--activate", "ivy@council.example"],
}


@pytest.mark.parametrize("login", ["ann", "lee"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_only_a_complaints_manager_changes_the_team(
    app: Any, capsys: pytest.CaptureFixture[str], login: str, change: str
) -> None:
    add_team(app)
    before = team_state(app)
    argv = [arg.replace("{login}", login) for arg in CHANGES[change]]
    code, out, err = command(app, login, capsys, *argv)
    name, role = {
        "ann": ("Ann Smith", "an investigating officer"),
        "lee": ("Lee Line", "a line manager"),
    }[login]
    assert (code, out) == (2, "")
    assert err.startswith(f"caseworker: Refused: {name} ({role}) may not ")
    assert err.endswith(f"({rules.TEAM_MANAGED_BY})\n")
    assert err.count("\n") == 1
    assert team_state(app) == before


def test_an_unlinked_login_changes_nothing(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    add_team(app)
    before = team_state(app)
    code, _, err = command(app, "visitor", capsys, *CHANGES["add"])
    assert code == 2
    assert "the login 'visitor' is not linked to any officer record" in err
    assert team_state(app) == before


def test_a_complaints_manager_changes_the_team_but_not_their_own_record(
    app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    add_team(app)
    for argv in (
        ["officers", "--set-role", "cam@council.example", "--role", "line-manager"],
        ["officers", "--set-login", "cam@council.example", "--login", "cam2"],
        ["officers", "--deactivate", "cam@council.example"],
    ):
        before = team_state(app)
        code, _, err = command(app, "cam", capsys, *argv)
        assert code == 2
        assert err.startswith("caseworker: Refused: Cam Chief may not change their own ")
        assert err.endswith(f"({rules.NOT_ONESELF})\n")
        assert team_state(app) == before

    assert command(app, "cam", capsys, *CHANGES["add"])[0] == 0
    assert command(app, "cam", capsys, "officers", "--set-role", "ann@council.example",
                   "--role", "line-manager")[0] == 0  # fmt: skip
    assert command(app, "cam", capsys, "officers", "--set-login", "ann.again@council.example",
                   "--login", "ann2")[0] == 0  # fmt: skip
    assert command(app, "cam", capsys, "officers", "--deactivate", "bob@council.example")[0] == 0
    code, out, _ = command(app, "cam", capsys, "officers", "--activate", "ivy@council.example")
    assert (code, out) == (0, "Ivy Gone's record is active\n")
    with app.uow() as uow:
        by_email = {o.email: o for o in uow.session.scalars(select(Officer))}
        assert by_email["ann@council.example"].role == Role.LINE_MANAGER
        assert by_email["ann.again@council.example"].role == Role.COMPLAINTS_MANAGER
        assert by_email["ann.again@council.example"].login == "ann2"
        assert not by_email["bob@council.example"].active
        assert by_email["ivy@council.example"].active
        actors = set(
            uow.session.scalars(
                select(AuditEvent.actor).where(
                    AuditEvent.entity == "officers", AuditEvent.action != "create"
                )
            )
        )
    assert actors == {"cam"}


def test_an_investigating_officer_cannot_promote_herself_and_purge(
    app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's scenario: Ann adds a complaints manager under her own login, links Cam's
    record to it, gives herself the role, then purges a case. Every step is refused."""
    ids = add_team(app)
    case_id = new_case(
        app,
        officer=ids["ann"],
        status=CaseStatus.CLOSED,
        outcome=Outcome.NOT_UPHELD,
        closed_on=dt.date(2020, 1, 6),
        response_sent=dt.date(2020, 1, 6),
    )
    before = team_state(app)
    attempts = [
        [
            "officers",
            "--add",
            "--name",
            "Ann Smith",
            "--email",
            "ann.cm@council.example",
            "--role",
            "complaints-manager",
            "--service",
            "Waste",
            "--login",
            "ann",
        ],
        ["officers", "--set-login", "cam@council.example", "--login", "ann"],
        ["officers", "--set-login", "ann@council.example", "--login", ""],
        ["officers", "--set-role", "ann@council.example", "--role", "complaints-manager"],
        ["officers", "--deactivate", "cam@council.example"],
    ]
    for argv in attempts:
        code, _, err = command(app, "ann", capsys, *argv)
        assert code == 2, argv
        assert "Ann Smith (an investigating officer) may not " in err
        assert rules.TEAM_MANAGED_BY in err
    assert team_state(app) == before
    with app.uow() as uow:
        reference = uow.session.get(Case, case_id).reference
    code, _, err = command(app, "ann", capsys, "retention", "--purge", "--confirm", reference)
    assert code == 2 and "complaints manager" in err
    code, _, err = command(
        app, "ann", capsys, "retention", "--purge", "--confirm", reference, "--today", "2099-12-31"
    )
    assert code == 2 and "no case is purged before its retention date" in err
    with app.uow() as uow:
        assert uow.session.get(Case, case_id).purged_on is None


def test_the_services_refuse_as_the_command_does(app: Any) -> None:
    add_team(app)
    before = team_state(app)
    ann = app.context(actor="ann")
    for attempt in (
        lambda: officers.add_officer(
            ann, name="X", email="x@council.example", role="line-manager", service_area="Waste"
        ),
        lambda: officers.set_login(ann, "cam@council.example", "ann"),
        lambda: officers.set_role(ann, "ann@council.example", Role.COMPLAINTS_MANAGER),
        lambda: officers.set_active(ann, "bob@council.example", False),
    ):
        with pytest.raises(NotPermitted, match="Ann Smith \\(an investigating officer\\)"):
            attempt()
    assert team_state(app) == before


# ---- the demonstration's link -----------------------------------------------------------------


@pytest.mark.no_officer
def test_the_demo_links_a_login_only_on_a_database_nobody_has_signed_in_to(
    app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    add_team(app)
    before = team_state(app)
    with app.uow() as uow:
        cases = uow.session.scalar(select(func.count()).select_from(Case))
    for login, words in (
        ("visitor", "the login 'visitor' is not linked to an officer record"),
        ("ann", "Ann Smith (an investigating officer) may not add synthetic cases"),
    ):
        code, _, err = command(app, login, capsys, "demo", "--cases", "3", "--quiet")
        assert code == 2
        assert words in err and rules.DEMO_RULE in err
        with pytest.raises(NotPermitted, match="already work under their logins"):
            officers.link_to_complaints_manager(app.context(actor="visitor"))
    assert team_state(app) == before
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == cases
    # A complaints manager may add synthetic cases (and is linked already).
    assert command(app, "cam", capsys, "demo", "--cases", "2", "--quiet")[0] == 0


def test_a_complaints_manager_corrects_an_officers_details(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--edit`: the same core function as the app's Officers window (officers.set_details)."""
    monkeypatch.setattr("caseworker.bootstrap.current_login", lambda: "maker")
    url = f"sqlite:///{tmp_path / 'team.sqlite'}"
    add = ["--name", "Ann Smith", "--email", "ann@council.example"]
    add += ["--role", "investigating-officer", "--service", "Waste"]
    assert main(["--db", url, "officers", "--add", *add]) == 0
    assert main(["--db", url, "officers", "--edit", "ann@council.example"]) == 2
    assert "--edit needs --name, --service or --new-email" in capsys.readouterr().err
    edit = ["--edit", "ann@council.example", "--name", "Ann Jones", "--service", "Housing"]
    assert main(["--db", url, "officers", *edit]) == 0
    assert "Ann Jones <ann@council.example>, Housing" in capsys.readouterr().out
    app = open_app(url)
    with app.uow() as uow:
        officer = uow.session.scalar(select(Officer).where(Officer.email == "ann@council.example"))
        assert (officer.name, officer.service_area) == ("Ann Jones", "Housing")
        fields = {
            e.field
            for e in uow.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity == "officers", AuditEvent.actor == "maker"
                )
            )
        }
        assert {"name", "service_area"} <= fields
    app.close()
