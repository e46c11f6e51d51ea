"""`caseworker officers`: recording officers and the login each works under, without SQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.storage.models import AuditEvent, Officer


def test_add_list_and_map_a_login(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
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

    app = open_app(url)
    with app.uow() as uow:
        officer = uow.session.scalar(select(Officer))
        assert (officer.login, officer.service_area) == ("ann.smith", "Waste")
        changes = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "officers")
        ).all()
        assert [(e.action, e.field, e.new_value) for e in changes][-1] == (
            "update",
            "login",
            "ann.smith",
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
