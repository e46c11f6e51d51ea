"""Correcting, re-tagging and withdrawing investigation notes (issue 19): through the core, with
the audit trail keeping the old version and a withdrawn note kept on the case file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from caseworker.domain.enums import NoteKind
from caseworker.domain.refusals import MissingInformation, WrongState
from caseworker.services.cases.casefile import load_case_file, timeline
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.context import Context
from caseworker.services.investigation import issues as inv
from caseworker.storage.models import AuditEvent, Case, Issue, Note

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def ctx(app) -> Context:
    return app.context(today=lambda: TODAY)


@pytest.fixture
def issue_id(app, ctx) -> int:
    new = NewCase(
        policy_id="stockport",
        received=dt.date(2026, 11, 2),
        service_area="Parking",
        summary="A ticket issued while I was loading.",
        first_aware=dt.date(2026, 10, 30),
        complainant=PersonIn(name="Priya Shah", email="p@example.com"),
        issues=("The ticket was wrong.",),
    )
    case_id = create_case(ctx, new).id
    with app.uow() as uow:
        return uow.session.scalars(select(Issue.id).where(Issue.case_id == case_id)).one()


def state(app, note_id: int) -> tuple:
    """The note's stored values, the number of audit rows and the case's version."""
    with app.uow() as uow:
        note = uow.session.get(Note, note_id)
        rows = uow.session.scalar(select(func.count()).select_from(AuditEvent))
        version = uow.session.get(Case, note.issue.case_id).version
        return (
            note.kind,
            note.text,
            note.source,
            note.withdrawn_at,
            note.withdrawn_reason,
            rows,
            version,
        )


def test_a_note_needs_its_kind_chosen(app, ctx, issue_id):
    with app.uow() as uow:
        before = uow.session.scalar(select(func.count()).select_from(Note))
    for kind in (None, ""):
        with pytest.raises(MissingInformation, match="choose what the note is"):
            inv.add_note(ctx, issue_id, kind, "The bay is marked for loading.")
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Note)) == before
    assert inv.note_missing(None, "text", "") == inv.NOTE_KIND_CHOICE
    assert inv.note_missing(NoteKind.FACT, "text", "") is None


def test_hearsay_recorded_as_evidence_is_retagged_and_the_trail_keeps_the_old_kind(
    app, ctx, issue_id
):
    note_id = inv.add_note(ctx, issue_id, "evidence", "The warden shouted.", "Neighbour at no. 4")
    inv.correct_note(ctx, note_id, kind=NoteKind.HEARSAY, text="  The warden shouted at me. ")
    kind, text, source, *_ = state(app, note_id)
    assert (kind, text, source) == (
        NoteKind.HEARSAY,
        "The warden shouted at me.",
        "Neighbour at no. 4",
    )
    with app.uow() as uow:
        changes = {
            event.field: (event.old_value, event.new_value, event.actor)
            for event in uow.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity == "notes",
                    AuditEvent.entity_id == note_id,
                    AuditEvent.action == "update",
                )
            )
        }
    actor = ctx.actor
    assert changes == {
        "kind": ("evidence", "hearsay", actor),
        "text": ("The warden shouted.", "The warden shouted at me.", actor),
    }


def test_a_correction_that_breaks_the_rule_changes_nothing(app, ctx, issue_id):
    note_id = inv.add_note(ctx, issue_id, "fact", "The bay is marked for loading.")
    before = state(app, note_id)
    with pytest.raises(MissingInformation, match="hearsay must say who said it"):
        inv.correct_note(ctx, note_id, kind="hearsay")
    with pytest.raises(MissingInformation, match="a note needs its text"):
        inv.correct_note(ctx, note_id, text="   ")
    assert state(app, note_id) == before


def test_a_withdrawn_note_stays_on_the_file_marked_and_leaves_the_list(app, ctx, issue_id):
    kept = inv.add_note(ctx, issue_id, "fact", "The bay is marked for loading.")
    wrong = inv.add_note(ctx, issue_id, "hearsay", "The warden shouted.", "Neighbour at no. 4")
    before = state(app, wrong)
    with pytest.raises(MissingInformation, match="say why the note is withdrawn"):
        inv.withdraw_note(ctx, wrong, "  ")
    assert state(app, wrong) == before

    inv.withdraw_note(ctx, wrong, "Recorded on the wrong case")
    with app.uow() as uow:
        note = uow.session.get(Note, wrong)
        assert note.text == "The warden shouted."  # nothing is erased
        assert (note.withdrawn_by, note.withdrawn_reason) == (
            ctx.actor,
            "Recorded on the wrong case",
        )
        assert note.withdrawn_at is not None
        case_id = note.issue.case_id
    case = load_case_file(ctx, case_id)
    assert [n.id for n in case.issues[0].notes] == [kept]
    events = [e.summary for e in timeline(ctx, case_id) if e.category == "Note"]
    assert any(
        "withdrawn (Recorded on the wrong case): The warden shouted." in e for e in events
    ), events

    # A withdrawn note is kept as it was withdrawn.
    after = state(app, wrong)
    for attempt in (
        lambda: inv.correct_note(ctx, wrong, text="Changed."),
        lambda: inv.withdraw_note(ctx, wrong, "Again"),
    ):
        with pytest.raises(WrongState, match="withdrawn"):
            attempt()
    assert state(app, wrong) == after
