"""The case list's change feed on SQLite: cheap polling reports exactly the cases colleagues
created, changed or deleted since the last poll."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from sqlalchemy import update

from caseworker.bootstrap import open_app
from caseworker.domain.enums import Channel, NoteKind, RouteId
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


def test_wait_returns_when_something_changes(app: Any) -> None:
    with ChangeFeed(app.engine) as feed:
        started = time.monotonic()
        assert feed.wait(0.3, interval=0.05) == set()
        assert 0.25 < time.monotonic() - started < 2
        made: list[int] = []
        later = threading.Timer(0.2, lambda: made.append(add_case(app, "CW-2026-00009")))
        later.start()
        started = time.monotonic()
        changed = feed.wait(10, interval=0.05)
        later.join()
        assert changed == set(made)
        assert time.monotonic() - started < 5
