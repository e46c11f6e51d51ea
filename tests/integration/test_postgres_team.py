"""A team on one real PostgreSQL database: the same app and commands as on SQLite; two
connections racing to save one case and to allocate one case; colleagues' changes notified to
the case list. Skipped (with the reason) unless CASEWORKER_TEST_PG is set, as .ci/run does."""

from __future__ import annotations

import datetime as dt
import json
import select as select_module
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from caseworker.bootstrap import open_app
from caseworker.cli.main import main
from caseworker.demo import generate_demo
from caseworker.domain.enums import Channel, Role, RouteId
from caseworker.services.cases import allocation
from caseworker.services.team.changes import ChangeFeed
from caseworker.services.team.concurrency import (
    AllocationConflict,
    EditConflict,
    begin_edit,
    keep_mine,
    save_case_edits,
)
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import AuditEvent, Case, Issue, Officer
from tests.officers import complaints_managers

pytestmark = pytest.mark.postgres

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def add_case(app: Any, reference: str = "CW-2026-00001") -> int:
    with app.uow() as uow:
        case = Case(
            reference=reference,
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins missed",
        )
        case.issues = [Issue(number=1, summary="Missed three weeks running")]
        uow.session.add(case)
        uow.commit()
        return case.id


def test_the_same_commands_run_on_postgresql(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from caseworker.services.officers import sign_in

    first = open_app(pg_url)  # the first to open the empty database: its complaints manager
    with first.uow() as uow:
        assert sign_in(uow).first_run
    first.close()
    assert main(["--db", pg_url, "import", str(EXAMPLES / "cases.json")]) == 0
    imported = capsys.readouterr().out.split()
    assert imported
    assert main(["--db", pg_url, "demo", "--cases", "30", "--seed", "2", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "cases", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(imported) + 30
    assert set(imported) <= {row["reference"] for row in listed}
    assert main(["--db", pg_url, "export", imported[0]]) == 0
    assert json.loads(capsys.readouterr().out)["reference"] == imported[0]

    app = open_app(pg_url)
    try:
        # On a shared database the database login is who the app acts as.
        with app.engine.connect() as connection:
            assert app.actor == connection.execute(text("SELECT current_user")).scalar_one()
    finally:
        app.close()


def race_to_save(app: Any, case_id: int, round_: int) -> dict[str, Any]:
    """Ann and Bob read the same version, then both save: what each got."""
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def save(who: str) -> None:
        with UnitOfWork(app.sessions, who) as uow:
            edit = begin_edit(uow.session, case_id)
            barrier.wait()  # both have read the same version before either saves
            try:
                results[who] = save_case_edits(
                    uow,
                    case_id,
                    edit.version,
                    {"summary": f"{who}'s summary {round_}"},
                    issues={1: {"explanation": f"{who}'s explanation"}},
                    started_from=edit,
                )
            except EditConflict as conflict:
                results[who] = conflict

    threads = [threading.Thread(target=save, args=(who,)) for who in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_connections_racing_to_save_one_case(pg_url: str) -> None:
    app = open_app(pg_url, actor="setup")
    complaints_managers(app, "ann", "bob")
    try:
        case_id = add_case(app)
        for round_ in range(4):
            results = race_to_save(app, case_id, round_)
            winners = [who for who, r in results.items() if isinstance(r, int)]
            losers = [r for r in results.values() if isinstance(r, EditConflict)]
            assert len(winners) == 1 and len(losers) == 1, results
            (winner,), (conflict,) = winners, losers
            assert conflict.changed_by == winner
            assert conflict.current_version == results[winner]
            summary = next(f for f in conflict.fields if f.field == "summary")
            assert summary.theirs == f"{winner}'s summary {round_}" and summary.clash
            with app.uow() as uow:
                saved = uow.session.get(Case, case_id)
                assert saved.summary == f"{winner}'s summary {round_}"
                assert saved.issues[0].explanation == f"{winner}'s explanation"
        # The loser of the last round keeps theirs after seeing the winner's.
        loser = conflict.case_changes["summary"].split("'")[0]
        with UnitOfWork(app.sessions, loser) as uow:
            keep_mine(uow, conflict)
        with app.uow() as uow:
            assert uow.session.get(Case, case_id).summary == conflict.case_changes["summary"]
            actors = uow.session.scalars(
                select(AuditEvent.actor)
                .where(AuditEvent.field == "summary")
                .order_by(AuditEvent.id)
            ).all()
            assert len(actors) == 5  # four winners and the kept one: nothing silent
    finally:
        app.close()


def test_two_managers_racing_to_allocate_one_case(pg_url: str) -> None:
    app = open_app(pg_url, actor="setup")
    try:
        case_id = add_case(app)
        with app.uow() as uow:
            people = [
                Officer(
                    name="Cam Manager",
                    email="cam@x.example",
                    login="cam",
                    role=Role.COMPLAINTS_MANAGER,
                    service_area="Complaints",
                ),
                Officer(
                    name="Dee Manager",
                    email="dee@x.example",
                    login="dee",
                    role=Role.COMPLAINTS_MANAGER,
                    service_area="Complaints",
                ),
                Officer(
                    name="Ann Smith",
                    email="ann@x.example",
                    login="ann",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Waste",
                ),
                Officer(
                    name="Eve Jones",
                    email="eve@x.example",
                    login="eve",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Waste",
                ),
            ]
            uow.session.add_all(people)
            uow.commit()
            ids = {o.login: o.id for o in people}
        barrier = threading.Barrier(2)
        loads = iter(range(2))
        results: dict[str, Any] = {}

        def both_read_first(_case: Case, _context: Any) -> None:
            if next(loads, None) is not None:  # each manager's first read of the case
                barrier.wait(timeout=30)  # both see it unallocated before either allocates

        def allocate(manager: str, officer: str) -> None:
            try:
                results[manager] = allocation.allocate(
                    app.context(actor=manager), case_id, ids[officer]
                ).allocation_id
            except AllocationConflict as conflict:
                results[manager] = conflict

        threads = [
            threading.Thread(target=allocate, args=pair)
            for pair in (("cam", "ann"), ("dee", "eve"))
        ]
        event.listen(Case, "load", both_read_first)
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            event.remove(Case, "load", both_read_first)
        winners = [m for m, r in results.items() if isinstance(r, int)]
        losers = [r for r in results.values() if isinstance(r, AllocationConflict)]
        assert len(winners) == 1 and len(losers) == 1, results
        names = {"cam": ("Cam Manager", "Ann Smith"), "dee": ("Dee Manager", "Eve Jones")}
        manager, officer = names[winners[0]]
        assert str(losers[0]).startswith(
            f"CW-2026-00001 was allocated to {officer} by {manager} at "
        )
        with app.uow() as uow:
            case = uow.session.get(Case, case_id)
            assert case.officer.name == officer
            assert len(case.allocations) == 1
    finally:
        app.close()


def test_colleagues_changes_are_notified(pg_url: str) -> None:
    mine = open_app(pg_url, actor="ann")
    colleague = open_app(pg_url, actor="bob")  # another engine: other connections
    complaints_managers(colleague, "bob")
    try:
        first = add_case(colleague, "CW-2026-00001")
        with ChangeFeed(mine.engine) as feed:
            assert feed.mode == "notify" and feed.fileno() is not None
            assert feed.poll() == set()
            second = add_case(colleague, "CW-2026-00002")
            # The commit arrives as a notification on the listening connection (waited for
            # up to 10 s), not by polling once the wait times out.
            readable, _, _ = select_module.select([feed.fileno()], [], [], 10)
            assert readable == [feed.fileno()]
            assert feed.wait(10) == {second}
            with colleague.uow() as uow:
                save_case_edits(uow, first, 1, {"summary": "Changed by Bob"})
            assert feed.wait(10) == {first}
            assert feed.poll() == set()
            # Hundreds of cases in one statement come as one notification to look up.
            generate_demo(colleague.engine, 250, seed=1, today=dt.date(2026, 11, 23), actor="bob")
            changed = feed.wait(10)
            with mine.engine.connect() as connection:
                everything = set(connection.execute(select(Case.id)).scalars())
            assert changed == everything - {first, second}
    finally:
        mine.close()
        colleague.close()


def test_polling_on_postgresql_misses_nothing_committed_out_of_order(pg_url: str) -> None:
    mine = open_app(pg_url, actor="ann")
    slow = open_app(pg_url, actor="slow")
    try:
        early = add_case(mine, "CW-2026-00001")
        late = add_case(mine, "CW-2026-00002")
        with ChangeFeed(mine.engine, listen=False) as feed:
            assert feed.mode == "poll"
            with slow.uow() as uow:  # takes an audit id first but commits last
                uow.session.get(Case, early).summary = "Slow save"
                uow.session.flush()
                with mine.uow() as quick:
                    quick.session.get(Case, late).summary = "Quick save"
                    quick.commit()
                assert feed.poll() == {late}
                uow.commit()
            assert feed.poll() == {early}
            assert feed.poll() == set()
    finally:
        mine.close()
        slow.close()
