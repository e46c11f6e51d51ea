"""No silent overwrites, on SQLite: two sessions (and two threads) starting from the same
version of a case; the second save is refused with both versions field by field, and can keep
its changes after seeing theirs. Allocation races the same way."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.domain.enums import Channel, Finding, Role, RouteId
from caseworker.domain.refusals import Refused
from caseworker.services.cases import allocation
from caseworker.services.team.concurrency import (
    UNKNOWN,
    AllocationConflict,
    EditConflict,
    begin_edit,
    keep_mine,
    reload,
    save_case_edits,
)
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import AuditEvent, Case, Issue, Officer
from tests.officers import complaints_managers


def new_case(app: Any, reference: str = "CW-2026-00001") -> int:
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
        case.issues = [
            Issue(number=1, summary="Missed three weeks running"),
            Issue(number=2, summary="Rude crew"),
        ]
        uow.session.add(case)
        uow.commit()
        return case.id


def as_(app: Any, actor: str) -> UnitOfWork:
    complaints_managers(app, actor)  # saves check who is acting
    return UnitOfWork(app.sessions, actor)


def current(app: Any, case_id: int) -> Case:
    with app.uow() as uow:
        case = uow.session.get(Case, case_id)
        assert case is not None
        _ = case.issues
        return case


def test_the_second_save_from_the_same_version_is_refused_with_both_versions(app: Any) -> None:
    case_id = new_case(app)
    with as_(app, "ann") as ann, as_(app, "bob") as bob:
        ann_edit = begin_edit(ann.session, case_id)
        bob_edit = begin_edit(bob.session, case_id)
        assert ann_edit.version == bob_edit.version == 1
        assert (
            save_case_edits(
                ann, case_id, ann_edit.version, {"summary": "Ann's summary"}, started_from=ann_edit
            )
            == 2
        )
        with pytest.raises(EditConflict) as raised:
            save_case_edits(
                bob,
                case_id,
                bob_edit.version,
                {"summary": "Bob's summary", "understanding": "Bob's reading"},
                started_from=bob_edit,
            )
    conflict = raised.value
    assert (conflict.base_version, conflict.current_version) == (1, 2)
    assert conflict.changed_by == "ann"
    by_field = {f.field: f for f in conflict.fields}
    summary = by_field["summary"]
    assert (summary.started_from, summary.theirs, summary.mine) == (
        "Bins missed",
        "Ann's summary",
        "Bob's summary",
    )
    assert summary.clash and summary.they_changed
    understanding = by_field["understanding"]
    assert (understanding.theirs, understanding.mine, understanding.clash) == (
        "",
        "Bob's reading",
        False,
    )
    assert [f.field for f in conflict.clashes] == ["summary"]
    assert "CW-2026-00001 was changed by ann" in str(conflict)
    assert "both of you changed summary" in str(conflict)
    # Nothing of Bob's save was written, and nothing he typed is lost.
    assert current(app, case_id).summary == "Ann's summary"
    assert current(app, case_id).understanding == ""
    assert conflict.case_changes == {"summary": "Bob's summary", "understanding": "Bob's reading"}

    # Bob keeps his after seeing Ann's: saved from version 2, recorded as replacing hers.
    with as_(app, "bob") as bob:
        assert keep_mine(bob, conflict) == 3
    saved = current(app, case_id)
    assert (saved.summary, saved.understanding, saved.version) == (
        "Bob's summary",
        "Bob's reading",
        3,
    )
    with app.uow() as uow:
        trail = uow.session.execute(
            select(AuditEvent.actor, AuditEvent.old_value, AuditEvent.new_value)
            .where(AuditEvent.field == "summary")
            .order_by(AuditEvent.id)
        ).all()
    assert trail == [
        ("ann", "Bins missed", "Ann's summary"),
        ("bob", "Ann's summary", "Bob's summary"),
    ]


def test_reload_gives_theirs_and_keeping_mine_can_conflict_again(app: Any) -> None:
    case_id = new_case(app)
    with as_(app, "bob") as bob:
        bob_edit = begin_edit(bob.session, case_id)
    with as_(app, "ann") as ann:
        save_case_edits(ann, case_id, 1, {"steps_taken": "Rang the crew"})
    with as_(app, "bob") as bob, pytest.raises(EditConflict) as raised:
        save_case_edits(bob, case_id, bob_edit.version, {"summary": "Bob's"}, started_from=bob_edit)
    conflict = raised.value
    assert conflict.clashes == ()  # they changed something else...
    assert [(f.field, f.started_from, f.theirs) for f in conflict.their_other_changes] == [
        ("steps_taken", "", "Rang the crew")
    ]  # ...which keeping mine leaves as it is
    with as_(app, "bob") as bob:
        again = reload(bob, case_id)
    assert again.version == 2 and again.case["steps_taken"] == "Rang the crew"
    with as_(app, "cat") as cat:
        save_case_edits(cat, case_id, 2, {"evidence_considered": "Crew sheets"})
    with as_(app, "bob") as bob, pytest.raises(EditConflict) as second:
        keep_mine(bob, conflict)
    assert second.value.changed_by == "cat"
    with as_(app, "bob") as bob:
        keep_mine(bob, second.value)
    saved = current(app, case_id)
    assert (saved.summary, saved.steps_taken, saved.evidence_considered) == (
        "Bob's",
        "Rang the crew",
        "Crew sheets",
    )


def test_issue_edits_are_checked_too(app: Any) -> None:
    case_id = new_case(app)
    with as_(app, "ann") as ann, as_(app, "bob") as bob:
        ann_edit = begin_edit(ann.session, case_id)
        bob_edit = begin_edit(bob.session, case_id)
        # An issue-only save moves the case's version as well.
        assert (
            save_case_edits(
                ann,
                case_id,
                ann_edit.version,
                issues={1: {"finding": "upheld", "explanation": "The crew sheet shows it"}},
            )
            == 2
        )
        with pytest.raises(EditConflict) as raised:
            save_case_edits(
                bob,
                case_id,
                bob_edit.version,
                issues={1: {"explanation": "Not proven"}},
                started_from=bob_edit,
            )
    (clash,) = raised.value.fields
    assert (clash.where, clash.field, clash.started_from, clash.theirs, clash.mine) == (
        "issue 1",
        "explanation",
        "",
        "The crew sheet shows it",
        "Not proven",
    )
    assert [(f.where, f.field) for f in raised.value.their_other_changes] == [
        ("issue 1", "finding")
    ]
    saved = current(app, case_id)
    assert saved.issues[0].finding == Finding.UPHELD


def test_without_a_starting_point_the_conflict_says_it_is_unknown(app: Any) -> None:
    case_id = new_case(app)
    with as_(app, "ann") as ann:
        save_case_edits(ann, case_id, 1, {"summary": "Ann's"})
    with as_(app, "bob") as bob, pytest.raises(EditConflict) as raised:
        save_case_edits(bob, case_id, 1, {"summary": "Bob's"})
    (field,) = raised.value.fields
    assert field.started_from is UNKNOWN and field.clash


def test_bad_fields_and_values_are_refused(app: Any) -> None:
    case_id = new_case(app)
    with app.uow() as uow:
        with pytest.raises(ValueError, match="no editable field version"):
            save_case_edits(uow, case_id, 1, {"version": 7})
        with pytest.raises(ValueError, match="no editable field number"):
            save_case_edits(uow, case_id, 1, issues={1: {"number": 3}})
        with pytest.raises(Exception, match="has no issue 9"):
            save_case_edits(uow, case_id, 1, issues={9: {"remedy": "x"}})
        with pytest.raises(Exception, match="'nonsense' is not one of"):
            save_case_edits(uow, case_id, 1, issues={1: {"finding": "nonsense"}})
    assert current(app, case_id).version == 1


def test_two_threads_racing_on_sqlite_one_wins(app: Any) -> None:
    case_id = new_case(app)
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def save(who: str) -> None:
        with as_(app, who) as uow:
            edit = begin_edit(uow.session, case_id)
            barrier.wait()
            try:
                results[who] = save_case_edits(
                    uow, case_id, edit.version, {"summary": f"{who}'s"}, started_from=edit
                )
            except EditConflict as conflict:
                results[who] = conflict

    threads = [threading.Thread(target=save, args=(who,)) for who in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [who for who, result in results.items() if result == 2]
    lost = [result for result in results.values() if isinstance(result, EditConflict)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].changed_by == won[0]
    assert current(app, case_id).summary == f"{won[0]}'s"


def managers(app: Any) -> dict[str, int]:
    with app.uow() as uow:
        people = {
            "cam": Officer(
                name="Cam Manager",
                email="cam@x.example",
                login="cam",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
            ),
            "dee": Officer(
                name="Dee Manager",
                email="dee@x.example",
                login="dee",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
            ),
            "ann": Officer(
                name="Ann Smith",
                email="ann@x.example",
                login="ann",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste",
            ),
            "eve": Officer(
                name="Eve Jones",
                email="eve@x.example",
                login="eve",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Waste",
            ),
        }
        uow.session.add_all(people.values())
        uow.commit()
        return {login: officer.id for login, officer in people.items()}


def test_a_manager_allocating_a_case_someone_just_allocated_is_told_who(app: Any) -> None:
    case_id = new_case(app)
    ids = managers(app)
    cam, dee = app.context(actor="cam"), app.context(actor="dee")
    # Both saw it unallocated (expected_officer_id=None); Cam allocates first.
    allocation.allocate(cam, case_id, ids["ann"], expected_officer_id=None)
    with pytest.raises(AllocationConflict) as raised:
        allocation.allocate(dee, case_id, ids["eve"], expected_officer_id=None)
    assert str(raised.value).startswith(
        "CW-2026-00001 was allocated to Ann Smith by Cam Manager at "
    )
    assert raised.value.officer == "Ann Smith"
    with app.uow() as uow:  # nothing of Dee's was written
        case = uow.session.get(Case, case_id)
        assert [a.officer_id for a in case.allocations] == [ids["ann"]]
    # Told first, Dee can still move it on purpose, naming who has it now.
    allocation.allocate(
        dee, case_id, ids["eve"], expected_officer_id=ids["ann"], reason="Ann is on leave"
    )
    assert current(app, case_id).officer_id == ids["eve"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "closed"), ("officer_id", None), ("stage", 2), ("received", dt.date(2026, 1, 5))],
)
def test_a_save_of_typed_text_cannot_change_what_a_step_decides(
    app: Any, field: str, value: Any
) -> None:
    case_id = new_case(app)
    before = current(app, case_id)
    was = (getattr(before, field), before.version)
    with as_(app, "ann") as ann:
        edit = begin_edit(ann.session, case_id)
        with pytest.raises(Refused, match=f"{field} is not typed into the case file"):
            save_case_edits(ann, case_id, edit.version, {field: value, "summary": "Also this"})
    after = current(app, case_id)
    assert (getattr(after, field), after.version) == was
    assert after.summary == "Bins missed"
