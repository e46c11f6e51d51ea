"""The case file's Qt models: each passes QAbstractItemModelTester, and shows what it should."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from caseworker.domain.enums import Finding, InterviewMethod, LetterKind, NoteKind
from caseworker.services.cases.casefile import (
    InterviewView,
    IssueView,
    LetterView,
    NoteView,
    TimelineEvent,
)
from caseworker.services.cases.intake import TriageNote
from caseworker_ui.models.checklist import ChecklistModel
from caseworker_ui.models.interviews import InterviewsModel
from caseworker_ui.models.issues import IssuesModel
from caseworker_ui.models.letters import LettersModel
from caseworker_ui.models.notes import NotesModel
from caseworker_ui.models.timeline import TimelineModel
from caseworker_ui.models.triage import TriageModel

AT = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
NOTES = [
    NoteView(1, NoteKind.FACT, "The bay is marked for loading.", "", "jbloggs", AT),
    NoteView(2, NoteKind.HEARSAY, "The warden shouted.", "Neighbour at no. 4", "jbloggs", AT),
    NoteView(3, NoteKind.EVIDENCE, "Handheld log: 10:02.", "Enforcement system", "jbloggs", AT),
]


def under_test(model):
    """The model, watched by Qt's tester for as long as it lives."""
    model.tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Fatal, model
    )
    return model


def test_notes_show_their_tag_in_words_and_colour_and_filter_by_kind(qtbot):
    model = under_test(NotesModel())
    model.set_notes(NOTES)
    assert model.rowCount() == 3
    tag = model.index(1, NotesModel.KIND)
    assert tag.data() == "HEARSAY"
    assert tag.data(Qt.ItemDataRole.BackgroundRole).name() == "#fff3cd"
    assert tag.data(Qt.ItemDataRole.AccessibleTextRole) == "hearsay note"
    assert model.index(1, NotesModel.SOURCE).data() == "Neighbour at no. 4"
    assert model.index(0, NotesModel.SOURCE).data() == "—"
    model.set_kind(NoteKind.HEARSAY)
    assert [model.index(r, NotesModel.TEXT).data() for r in range(model.rowCount())] == [
        "The warden shouted."
    ]
    model.set_kind(NoteKind.FACT)
    assert model.rowCount() == 1 and model.note_at(0).kind is NoteKind.FACT
    model.set_kind(None)
    assert model.rowCount() == 3


def test_issues_are_numbered_with_their_finding(qtbot):
    model = under_test(IssuesModel())
    issue = IssueView(
        7,
        1,
        "The ticket was wrong.",
        Finding.UPHELD,
        "Loading allowed.",
        "",
        "",
        "",
        None,
        None,
        tuple(NOTES),
    )
    model.set_issues([issue])
    text = model.index(0).data()
    assert text.startswith("1. The ticket was wrong.")
    assert "Upheld · 3 notes" in text
    assert model.index(0).data(IssuesModel.ISSUE_ID_ROLE) == 7
    assert model.row_of(7) == 0 and model.row_of(8) == -1


def test_interviews_say_how_many_steps_are_left(qtbot):
    model = under_test(InterviewsModel())
    open_one = InterviewView(
        1,
        "Sam Driver",
        "Warden",
        dt.date(2026, 11, 20),
        InterviewMethod.IN_PERSON,
        "Lee",
        "union representative",
        "Notes.",
        "",
        False,
        False,
        "",
        "jbloggs",
    )
    done = InterviewView(
        2,
        "Pat Lane",
        "",
        dt.date(2026, 11, 21),
        InterviewMethod.PHONE,
        "",
        "",
        "Notes.",
        "Summary.",
        True,
        True,
        "",
        "jbloggs",
    )
    model.set_interviews([open_one, done])
    assert model.index(0, InterviewsModel.STATE).data() == "2 steps to do"
    assert model.index(0, InterviewsModel.ACCOMPANIED).data() == "Lee (union representative)"
    assert model.index(1, InterviewsModel.STATE).data() == "Complete"
    assert model.index(1, InterviewsModel.METHOD).data() == "Phone"


def test_timeline_rows(qtbot):
    model = under_test(TimelineModel())
    model.set_events(
        [
            TimelineEvent(AT, "Case", "Complaint received (email)", "", True),
            TimelineEvent(AT, "Contact", "Phone: no answer", "jbloggs"),
        ]
    )
    assert model.index(0, TimelineModel.WHEN).data() == "20 Nov 2026"
    assert model.index(1, TimelineModel.DETAILS).data() == "Phone: no answer"


def test_triage_lists_what_blocks_first(qtbot):
    model = under_test(TriageModel())
    model.set_notes([TriageNote("route", "Advice.", False), TriageNote("summary", "Fix me.", True)])
    assert model.messages() == ["Fix me.", "Advice."]
    assert model.index(0).data() == "Must fix: Fix me."
    assert model.index(1).data() == "Note: Advice."


@pytest.mark.parametrize("value", [Qt.CheckState.Checked, Qt.CheckState.Checked.value, True])
def test_the_checklist_ticks(qtbot, value):
    model = under_test(ChecklistModel())
    model.set_items([("schools", "Schools"), ("staff-hr", "Staff matters")])
    with qtbot.waitSignal(model.ticked_changed):
        assert model.setData(model.index(1), value, Qt.ItemDataRole.CheckStateRole)
    assert model.ticked() == frozenset({"staff-hr"})
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.set_items([("schools", "Schools")])
    assert model.ticked() == frozenset()


def test_letters_list(qtbot):
    model = under_test(LettersModel())
    model.set_letters(
        [LetterView(4, LetterKind.OUTCOME, 1, None, "a.docx", AT, "jbloggs", None, None)]
    )
    assert model.index(0).data() == "Outcome, stage 1 — made 20 Nov 2026, not sent"
    assert model.index(0).data(LettersModel.LETTER_ID_ROLE) == 4
