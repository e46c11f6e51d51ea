"""A case changed by two ways in at once (issue 15, "Silent overwrites remain"): the case file
window starts an edit from the case's version, meanwhile the same issue is changed through
``update_issue`` (or its action through the actions service), and the window's version-checked
save of the same field from the older version is a conflict — nothing is overwritten.

Every change under a case moves the case's version (the audit flush does), so the window's save
sees it. On SQLite and, when CASEWORKER_TEST_PG is set, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.bootstrap import App, open_app
from caseworker.domain.enums import Channel, RouteId
from caseworker.services.cases import actions
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.services.team.concurrency import EditConflict
from caseworker.services.team.editing import CaseEditor
from caseworker.storage.models import AuditEvent, Case, Issue, Officer
from tests.officers import add_team

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[App]:
    """A migrated database with the Waste team on it (Ann's case, Lee her line manager)."""
    url = (
        f"sqlite:///{tmp_path / 'mixed.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    opened = open_app(url, actor="setup")
    try:
        add_team(opened)
        yield opened
    finally:
        opened.close()


def as_(db: App, login: str) -> Context:
    return db.context(actor=login, today=lambda: TODAY)


@pytest.fixture
def case_id(db: App) -> int:
    """Ann's open Waste case with one point."""
    with db.uow() as uow:
        ann = uow.session.scalar(select(Officer.id).where(Officer.login == "ann"))
        case = Case(
            reference="CW-2026-00001",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins missed",
            officer_id=ann,
        )
        case.issues = [Issue(number=1, summary="Missed three weeks running")]
        uow.session.add(case)
        uow.commit()
        return case.id


def the_issue(db: App, case_id: int) -> Issue:
    with db.uow() as uow:
        return uow.session.scalars(select(Issue).where(Issue.case_id == case_id)).one()


def version(db: App, case_id: int) -> int:
    with db.uow() as uow:
        return uow.session.get(Case, case_id).version


def written_by(db: App, login: str, field: str) -> list[Any]:
    with db.uow() as uow:
        return list(
            uow.session.scalars(
                select(AuditEvent.new_value).where(
                    AuditEvent.actor == login,
                    AuditEvent.entity == "issues",
                    AuditEvent.field == field,
                )
            )
        )


def set_action_through_the_actions_service(ctx: Context, issue_id: int, action: str) -> None:
    """What the Progress tab and ``caseworker`` do to set an issue's action: the actions
    service's rule, in its own unit of work, committed."""
    actions.set_action(ctx, issue_id, action=action)


@pytest.mark.parametrize(
    ("field", "theirs", "mine"),
    [
        ("remedy", "Collect the bins on Friday", "Apologise and collect today"),
        ("explanation", "The crew skipped the road", "The lorry broke down"),
        ("action", "Retrain the crew", "Change the round"),
    ],
)
def test_update_issue_meanwhile_makes_the_windows_save_a_conflict(
    db: App, case_id: int, field: str, theirs: str, mine: str
) -> None:
    window = CaseEditor(as_(db, "ann"), case_id)  # Ann's case file window shows the case
    started = version(db, case_id)

    investigation.update_issue(as_(db, "lee"), the_issue(db, case_id).id, **{field: theirs})
    assert version(db, case_id) > started  # the issue's change moved the case's version

    window.change_issue(1, field, mine)
    with pytest.raises(EditConflict) as conflict:
        window.save()
    clash = next(f for f in conflict.value.clashes if f.field == field)
    assert (clash.where, clash.theirs, clash.mine) == ("issue 1", theirs, mine)
    assert conflict.value.changed_by == "lee"
    assert getattr(the_issue(db, case_id), field) == theirs  # nothing overwritten
    assert written_by(db, "ann", field) == []


def test_an_action_set_through_the_actions_service_makes_the_windows_save_a_conflict(
    db: App, case_id: int
) -> None:
    window = CaseEditor(as_(db, "ann"), case_id)
    started = version(db, case_id)

    set_action_through_the_actions_service(
        as_(db, "lee"), the_issue(db, case_id).id, "Retrain the crew"
    )
    assert version(db, case_id) > started

    window.change_issue(1, "action", "Change the round")
    with pytest.raises(EditConflict) as conflict:
        window.save()
    assert [(f.field, f.theirs, f.mine) for f in conflict.value.clashes] == [
        ("action", "Retrain the crew", "Change the round")
    ]
    assert the_issue(db, case_id).action == "Retrain the crew"
    assert written_by(db, "ann", "action") == []
    # Having seen Lee's action, Ann may keep hers: both are in the trail.
    window.keep_mine(conflict.value)
    assert the_issue(db, case_id).action == "Change the round"
    assert written_by(db, "lee", "action") and written_by(db, "ann", "action")


def test_a_window_saving_another_field_is_not_held_up(db: App, case_id: int) -> None:
    """The version moved, but nothing the window typed clashes: the save merges, keeping both."""
    window = CaseEditor(as_(db, "ann"), case_id)
    investigation.update_issue(as_(db, "lee"), the_issue(db, case_id).id, remedy="Lee's remedy")
    window.change_issue(1, "explanation", "Ann's explanation")
    window.save()
    saved = the_issue(db, case_id)
    assert (saved.remedy, saved.explanation) == ("Lee's remedy", "Ann's explanation")
    assert window.merged and window.merged[0].changed_by == "lee"
