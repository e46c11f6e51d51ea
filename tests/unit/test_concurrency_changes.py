"""The case list's change feed on SQLite: cheap polling reports exactly the cases colleagues
created, changed or deleted since the last poll."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from caseworker.bootstrap import open_app
from caseworker.domain.enums import Channel, NoteKind, RouteId
from caseworker.services.team import changes
from caseworker.services.team.changes import ChangeFeed
from caseworker.storage.models import Case, Issue, Note


def add_case(app: Any, reference: str) -> int:
    with app.uow() as uow:
        case = Case(
            reference=reference,
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
        )
        case.issues = [Issue(number=1, summary="Bins")]
        uow.session.add(case)
        uow.commit()
        return case.id


def test_polling_reports_each_change_once(app: Any, tmp_path: Any) -> None:
    first = add_case(app, "CW-2026-00001")
    # A colleague: another process on the same file.
    colleague = open_app(app.url, actor="bob")
    with ChangeFeed(app.engine) as feed:
        assert feed.mode == "poll" and feed.fileno() is None
        assert feed.poll() == set()  # what was there before is not news
        second = add_case(colleague, "CW-2026-00002")
        assert feed.poll() == {second}
        assert feed.poll() == set()
        with colleague.uow() as uow:  # a note counts as a change to its case
            issue = uow.session.get(Case, first).issues[0]
            issue.notes.append(Note(kind=NoteKind.FACT, text="Crew sheet", author="bob"))
            uow.commit()
        assert feed.poll() == {first}
        with colleague.engine.begin() as connection:  # written without the audit trail
            connection.execute(
                update(Case)
                .where(Case.id == second)
                .values(stage=2, updated_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
            )
        assert feed.poll() == {second}
        with colleague.uow() as uow:
            uow.session.delete(uow.session.get(Case, first))
            uow.commit()
        assert feed.poll() == {first}
        assert feed.poll() == set()
    colleague.close()


class FakeClock:
    """``time`` for :mod:`caseworker.services.team.changes`: sleeping moves the clock on at once,
    and what is due by then happens (a colleague's save), so waiting is tested without waiting
    and without measuring a busy machine's time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self.due: list[tuple[float, Callable[[], None]]] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        for when, action in [item for item in self.due if item[0] <= self.now]:
            self.due.remove((when, action))
            action()


def test_wait_waits_its_timeout_polling_at_the_interval(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(changes, "time", clock)
    with ChangeFeed(app.engine) as feed:
        assert feed.wait(0.3, interval=0.05) == set()
    assert clock.now - 1000.0 == pytest.approx(0.3)
    assert len(clock.slept) >= 6 and max(clock.slept) == pytest.approx(0.05)


def test_wait_returns_at_the_first_poll_after_a_change(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(changes, "time", clock)
    made: dict[float, int] = {}

    def colleague_saves() -> None:
        made[clock.now] = add_case(app, "CW-2026-00009")

    clock.due.append((1000.2, colleague_saves))
    with ChangeFeed(app.engine) as feed:
        changed = feed.wait(10, interval=0.05)
    assert changed == set(made.values())
    assert list(made) == [clock.now]  # it returned at the poll right after, not at the timeout
