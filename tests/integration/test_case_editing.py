"""Two people editing one case through the case file's editor: every save starts from the
version that person saw, a clash is refused with both versions, a save of other fields merges,
and each person's own saves move their starting point on (never a re-read that could hide a
colleague's change). Also: checked-out cases marked in the list and worded in the timeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from caseworker.domain.enums import Channel, Finding, Role, RouteId
from caseworker.domain.refusals import MissingInformation
from caseworker.services.cases import casefile
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.services.lists.caselist import CaseFilter, CaseList, CaseSort
from caseworker.services.team.concurrency import EditConflict
from caseworker.services.team.editing import CaseEditor
from caseworker.services.team.offline import check_in, check_out
from caseworker.storage.models import AuditEvent, Case, Complainant, Issue, Officer


def add_person(app: Any, name: str, login: str) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name=name,
                email=f"{login}@council.example",
                role=Role.COMPLAINTS_MANAGER,
                service_area="Complaints",
                login=login,
                active=True,
            )
        )
        uow.commit()


@pytest.fixture
def case_id(app: Any, signed_in: int) -> int:
    add_person(app, "Jo Bloggs", "jbloggs")
    with app.uow() as uow:
        case = Case(
            reference="CW-2026-00001",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            received=dt.date(2026, 11, 2),
            channel=Channel.EMAIL,
            service_area="Waste",
            summary="Bins",
            complainant=Complainant(name="Ann"),
        )
        case.issues = [Issue(number=1, summary="Bins missed"), Issue(number=2, summary="Rude")]
        uow.session.add(case)
        uow.commit()
        return case.id


@pytest.fixture
def me(app: Any) -> Context:
    return Context(app.sessions, actor="tester")


@pytest.fixture
def jo(app: Any) -> Context:
    return Context(app.sessions, actor="jbloggs")


def issue(app: Any, case_id: int, number: int) -> Issue:
    with app.sessions() as session:
        return session.scalars(
            select(Issue).where(Issue.case_id == case_id, Issue.number == number)
        ).one()


def test_a_clash_is_refused_with_both_versions_and_writes_nothing(app, case_id, me, jo):
    mine, theirs = CaseEditor(me, case_id), CaseEditor(jo, case_id)
    theirs.change_issue(1, "remedy", "Collect the bins on Friday")
    theirs.save()
    mine.change_issue(1, "remedy", "Apologise and collect today")
    mine.change_case("steps_taken", "I read the crew sheets")

    with pytest.raises(EditConflict) as caught:
        mine.save()

    conflict = caught.value
    remedy = next(f for f in conflict.fields if f.field == "remedy")
    assert (remedy.where, remedy.started_from, remedy.theirs, remedy.mine) == (
        "issue 1",
        "",
        "Collect the bins on Friday",
        "Apologise and collect today",
    )
    assert [f.field for f in conflict.clashes] == ["remedy"]
    assert conflict.changed_by == "jbloggs"
    assert issue(app, case_id, 1).remedy == "Collect the bins on Friday"
    with app.sessions() as session:
        assert session.get(Case, case_id).steps_taken == ""  # nothing of the save was written
    assert mine.has_changes  # still waiting: nothing typed is lost


def test_keep_mine_after_seeing_theirs_saves_mine_and_the_audit_keeps_both(app, case_id, me, jo):
    mine, theirs = CaseEditor(me, case_id), CaseEditor(jo, case_id)
    theirs.change_issue(1, "remedy", "Theirs")
    theirs.save()
    mine.change_issue(1, "remedy", "Mine")
    with pytest.raises(EditConflict) as caught:
        mine.save()

    mine.keep_mine(caught.value)

    assert issue(app, case_id, 1).remedy == "Mine"
    assert not mine.has_changes
    with app.sessions() as session:
        trail = session.execute(
            select(AuditEvent.actor, AuditEvent.old_value, AuditEvent.new_value)
            .where(AuditEvent.field == "remedy")
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in trail] == [
        ("jbloggs", "", "Theirs"),
        ("tester", "Theirs", "Mine"),
    ]
    # And Jo, who has not seen mine, cannot now overwrite it unseen either.
    theirs.change_issue(1, "remedy", "Theirs again")
    with pytest.raises(EditConflict):
        theirs.save()


def test_reload_takes_theirs_and_hands_back_what_was_typed(app, case_id, me, jo):
    mine, theirs = CaseEditor(me, case_id), CaseEditor(jo, case_id)
    theirs.change_case("understanding", "Theirs")
    theirs.save()
    mine.change_case("understanding", "Mine")
    with pytest.raises(EditConflict):
        mine.save()

    case_changes, _issues = mine.reload()

    assert case_changes == {"understanding": "Mine"}
    assert mine.base.case["understanding"] == "Theirs"
    assert not mine.has_changes
    mine.change_case("understanding", "Theirs, and mine")
    mine.save()
    with app.sessions() as session:
        assert session.get(Case, case_id).understanding == "Theirs, and mine"


def test_a_save_of_other_fields_merges_without_losing_either(app, case_id, me, jo):
    mine, theirs = CaseEditor(me, case_id), CaseEditor(jo, case_id)
    theirs.change_issue(2, "finding", Finding.NOT_UPHELD)
    theirs.save()
    mine.change_issue(1, "explanation", "The sheets show a missed round")

    mine.save()

    assert issue(app, case_id, 1).explanation == "The sheets show a missed round"
    assert issue(app, case_id, 2).finding is Finding.NOT_UPHELD
    assert [c.changed_by for c in mine.merged] == ["jbloggs"]


def test_own_saves_move_the_starting_point_on_without_hiding_a_colleagues_change(
    app, case_id, me, jo
):
    mine = CaseEditor(me, case_id)
    mine.change_issue(1, "remedy", "First")
    first = mine.save()
    mine.change_issue(1, "remedy", "Second")
    assert mine.save() == first + 1  # my own earlier save is no conflict
    theirs = CaseEditor(jo, case_id)
    theirs.change_issue(1, "explanation", "Jo's reasons")
    theirs.save()
    # I never saw Jo's explanation: typing over it is a clash, not an overwrite.
    mine.change_issue(1, "explanation", "My reasons")
    with pytest.raises(EditConflict) as caught:
        mine.save()
    assert [(f.started_from, f.theirs) for f in caught.value.clashes] == [("", "Jo's reasons")]


def test_a_blank_point_is_refused_before_anything_is_written(case_id, me):
    mine = CaseEditor(me, case_id)
    mine.change_issue(1, "summary", "  ")
    with pytest.raises(MissingInformation, match="issue 1 needs the complainant's point"):
        mine.save()


def test_only_the_case_file_fields_can_be_staged(case_id, me):
    mine = CaseEditor(me, case_id)
    with pytest.raises(ValueError):
        mine.change_case("officer_id", 3)
    with pytest.raises(ValueError):
        mine.change_issue(1, "case_id", 3)


def test_who_changed_a_case_last_is_named(case_id, me, jo):
    theirs = CaseEditor(jo, case_id)
    theirs.change_case("understanding", "x")
    theirs.save()
    change = casefile.last_change(me, case_id)
    assert (change.login, change.who) == ("jbloggs", "Jo Bloggs")


def test_a_checked_out_case_is_marked_in_the_list_and_worded_in_the_timeline(
    app, case_id, me, tmp_path: Path
):
    cases = CaseList(app.context())
    assert cases.page(CaseFilter(), CaseSort())[0].checkout is None
    jo_at_work = app.context(actor="jbloggs")
    check_out(jo_at_work, ["CW-2026-00001"], tmp_path / "laptop.sqlite", machine="LAPTOP-7")

    row = cases.page(CaseFilter(), CaseSort())[0]
    assert row.checkout is not None and row.checkout.by == "Jo Bloggs"
    assert row.checkout.describe().startswith("Checked out to Jo Bloggs's laptop (LAPTOP-7) since")
    assert cases.rows(CaseFilter(), CaseSort(), [case_id])[0].checkout == row.checkout
    assert casefile.checkout_mark(me, case_id) == row.checkout
    events = [e.summary for e in casefile.timeline(me, case_id) if e.category == "Case"]
    assert "Checked out to LAPTOP-7 for offline work" in events

    check_in(jo_at_work, tmp_path / "laptop.sqlite")
    assert casefile.checkout_mark(me, case_id) is None
    words = [e.summary for e in casefile.timeline(me, case_id)]
    assert "Checked in from offline work: nothing had changed offline" in words
    assert not any("checkouts" in w or "check-in" in w for w in words)


def test_the_list_reads_back_just_the_changed_cases_that_still_match(app, case_id):
    cases = CaseList(app.context())
    assert [r.summary.id for r in cases.rows(CaseFilter(), CaseSort(), [case_id, 999])] == [case_id]
    assert cases.rows(CaseFilter(text="no such thing"), CaseSort(), [case_id]) == []


def test_two_people_typing_into_one_interview_cannot_overwrite_each_other(app, case_id, me, jo):
    from caseworker.services.investigation.issues import InterviewIn
    from caseworker.services.team.editing import FieldEditConflict

    interview = investigation.record_interview(
        me, case_id, InterviewIn("Sam Crew", dt.date(2026, 11, 20))
    )
    mine, theirs = CaseEditor(me, case_id), CaseEditor(jo, case_id)
    for editor in (mine, theirs):
        editor.saw_interview(interview, "notes", "")
    theirs.save_interview(interview, "notes", "Jo's notes")
    theirs.save_interview(interview, "notes", "Jo's notes, more")  # her own save: no conflict

    with pytest.raises(FieldEditConflict) as caught:
        mine.save_interview(interview, "notes", "My notes")

    field = caught.value.fields[0]
    assert (field.where, field.started_from, field.theirs, field.mine) == (
        "interview with Sam Crew",
        "",
        "Jo's notes, more",
        "My notes",
    )
    assert caught.value.changed_by == "jbloggs"
    mine.keep_mine_interview(caught.value)
    assert casefile.load_case_file(me, case_id).interviews[0].notes == "My notes"
    mine.save_interview(interview, "notes", "My notes, more")  # from mine now: no conflict
    assert casefile.load_case_file(me, case_id).interviews[0].notes == "My notes, more"
