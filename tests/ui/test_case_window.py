"""The case file window, driven as an officer would: open it from the list, add points and
notes, record an interview, complete a risk assessment and book a visit, build a letter, and
never lose typed text when a save fails."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from sqlalchemy import select

from caseworker.domain.enums import InterviewMethod, LetterKind, NoteKind, RiskDecision, Role
from caseworker.errors import UserError
from caseworker.services import letters
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.allocation import allocate
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.investigation import homevisit
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import InterviewIn
from caseworker.storage.models import AuditEvent, Letter, Officer
from caseworker_ui import case_window as case_window_module
from caseworker_ui.case_tabs import letters as letters_tab
from caseworker_ui.case_window import DISCARD, KEEP_OPEN, CaseWindow
from caseworker_ui.models.notes import NotesModel
from tests.ui.keys import show_tab

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def desk(app) -> Context:
    return Context(app.sessions, actor="jbloggs", today=lambda: TODAY)


@pytest.fixture
def case_id(app, desk) -> int:
    with app.uow() as uow:
        uow.session.add_all(
            [
                Officer(
                    name="Jo Bloggs",
                    email="jo@council.example",
                    role=Role.INVESTIGATING_OFFICER,
                    service_area="Parking",
                    login="jbloggs",
                ),
                Officer(
                    name="Mo Manager",
                    email="mo@council.example",
                    role=Role.LINE_MANAGER,
                    service_area="Parking",
                    login="mmanager",
                ),
            ]
        )
        uow.commit()
    created = intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(
                name="Priya Shah",
                address="4 Mill Lane",
                postcode="QQ1 2AB",
                email="priya@example.com",
            ),
            issues=("The ticket was wrong.",),
        ),
    )
    # Mo, Parking's line manager, gives the case to Jo: Jo works on their own case.
    with app.uow() as uow:
        jo = uow.session.scalar(select(Officer.id).where(Officer.login == "jbloggs"))
    allocate(app.context(actor="mmanager"), created.id, jo)
    return created.id


@pytest.fixture
def window(qtbot, desk, case_id):
    opened = CaseWindow(desk, case_id)
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    yield opened
    # A test that leaves a failing save behind forgets it itself: pytest-qt closes the window
    # before this line runs, and closing asks what to do with unsaved text.
    opened.close()


def saved(window) -> bool:
    return not window.saver.has_pending


def test_the_overview_shows_who_and_the_clock(window):
    o = window.overview
    assert window.windowTitle() == "CW-2026-00001 — Priya Shah — Caseworker"
    assert o.value("reference") == "CW-2026-00001"
    assert o.value("policy") == "Stockport Council"
    assert o.value("stage") == "Stage 1 – investigation by the service"
    assert o.value("respondBy") == "30 Nov 2026"
    assert o.value("daysLeft") == "3 days left"
    assert o.value("name") == "Priya Shah"
    assert o.value("address") == "4 Mill Lane\nQQ1 2AB"
    assert o.value("repName") == "Nobody"
    assert (
        o.value("consent")
        == "Nobody needs it yet (written consent needed if someone acts for them)"
    )


def test_a_tab_is_made_and_shows_the_case_when_the_officer_first_goes_to_it(
    window, qtbot, desk, case_id
):
    """Opening the window makes and fills the Overview only. Every other tab is made when first
    shown (here by its access key) and shows the case as it is then; what is typed in it is
    saved when the window closes, as anywhere else."""
    assert window.overview.built and window.overview.value("name") == "Priya Shah"
    for tab in window.all_tabs[1:]:
        assert not tab.built and tab.findChildren(QWidget) == [], type(tab).__name__
    investigation.add_issue(desk, case_id, "The warden was rude.")
    window.reload()  # read again before the Issues tab was ever shown
    assert not window.issues.built

    show_tab(qtbot, window, window.issues)  # Alt+I
    issues = window.issues
    assert issues.built and issues.text_edits["summary"].isVisible()
    assert issues.issues_model.rowCount() == 2
    assert issues.heading.text() == "Issue 1"
    assert issues.text_edits["summary"].toPlainText() == "The ticket was wrong."

    show_tab(qtbot, window, window.letters)  # Alt+L: the kinds the case may have, worked out now
    kinds = window.letters.kind_combo
    assert not kinds.model().item(kinds.findData(LetterKind.DISCONTINUATION)).isEnabled()
    assert kinds.model().item(kinds.findData(LetterKind.ACKNOWLEDGEMENT)).isEnabled()

    show_tab(qtbot, window, window.timeline)  # Alt+T
    model = window.timeline.model
    details = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert "Case recorded: CW-2026-00001" in details
    assert not window.timeline.error_bar.isVisible()  # made hidden, kept hidden

    show_tab(qtbot, window, window.letters)
    subject = window.letters.text_edits["complaint_subject"]
    subject.setFocus()
    qtbot.keyClicks(subject, "the parking ticket")
    show_tab(qtbot, window, window.overview)  # Alt+O
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert casefile.load_case_file(desk, case_id).complaint_subject == "the parking ticket"
    assert not window.interviews.built  # never shown, never made


def test_adjustments_are_saved_as_typed_with_a_review_date(window, qtbot, desk, case_id):
    o = window.overview
    qtbot.keyClicks(o.adjustments_edit, "Large print letters")
    o.review_edit.setDate(o.review_edit.date().fromString("2027-05-01", "yyyy-MM-dd"))
    qtbot.waitUntil(lambda: saved(window))
    person = casefile.load_case_file(desk, case_id).complainant
    assert person.reasonable_adjustments == "Large print letters"
    assert person.adjustments_review_on == dt.date(2027, 5, 1)
    assert window.save_state.text() == "All changes saved"


def test_adjustments_in_the_complainants_words_go_in_letters_the_note_does_not(
    window, qtbot, desk, case_id
):
    o = window.overview
    qtbot.keyClicks(o.adjustments_edit, "Dyslexic; phone before 11")
    qtbot.keyClicks(o.adjustments_public_edit, "We will send all letters in large print.")
    qtbot.waitUntil(lambda: saved(window))
    person = casefile.load_case_file(desk, case_id).complainant
    assert person.reasonable_adjustments == "Dyslexic; phone before 11"
    assert person.adjustments_public == "We will send all letters in large print."
    preview = letters.preview_letter(desk, case_id, LetterKind.ACKNOWLEDGEMENT)
    assert "We will send all letters in large print." in preview.text
    assert "Dyslexic" not in preview.text


def test_how_letters_address_the_complainant_is_edited_on_the_overview(
    window, qtbot, desk, case_id
):
    title, called, says = window.overview.addressing["complainant"]
    assert title.isEnabled() and called.isEnabled()
    rep_title, _, rep_says = window.overview.addressing["representative"]
    assert not rep_title.isEnabled() and "nobody acts" in rep_says.text().lower()
    title.setFocus()
    title.lineEdit().selectAll()
    qtbot.keyClicks(title, "Dr")
    qtbot.waitUntil(lambda: saved(window))
    person = casefile.load_case_file(desk, case_id).complainant
    assert (person.title, person.salutation) == ("Dr", "Dr Shah")
    assert says.text() == "Letters say “Dear Dr Shah”"
    qtbot.keyClicks(called, "Priya")
    qtbot.waitUntil(lambda: saved(window))
    assert casefile.load_case_file(desk, case_id).complainant.salutation == "Priya"
    preview = letters.preview_letter(desk, case_id, LetterKind.ACKNOWLEDGEMENT)
    assert "Dear Priya" in preview.text


def test_an_actions_public_wording_is_what_the_letter_prints(window, qtbot, desk, case_id):
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.text_edits["action"], "Ask fleet for CCTV of 20 Nov round")
    qtbot.keyClicks(tab.text_edits["action_public"], "We will review the camera footage.")
    qtbot.waitUntil(lambda: saved(window))
    (issue,) = casefile.load_case_file(desk, case_id).issues
    assert issue.action == "Ask fleet for CCTV of 20 Nov round"
    assert issue.action_public == "We will review the camera footage."


def test_points_and_notes_with_tags_and_a_filter(window, qtbot, desk, case_id):
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    assert tab.heading.text() == "Issue 1"
    qtbot.keyClicks(tab.new_issue_edit, "The warden was rude.")
    qtbot.mouseClick(tab.add_issue_button, Qt.MouseButton.LeftButton)
    assert tab.issues_model.rowCount() == 2
    assert tab.heading.text() == "Issue 2"

    # Hearsay without its source is refused, and the typed note is kept.
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(NoteKind.HEARSAY))
    qtbot.keyClicks(tab.note_edit, "A neighbour says the warden shouted.")
    qtbot.mouseClick(tab.add_note_button, Qt.MouseButton.LeftButton)
    assert "hearsay must say who said it" in tab.note_error.label.text()
    assert tab.note_edit.toPlainText() == "A neighbour says the warden shouted."
    qtbot.keyClicks(tab.source_edit, "Neighbour at no. 4")
    qtbot.mouseClick(tab.add_note_button, Qt.MouseButton.LeftButton)
    assert tab.note_edit.toPlainText() == ""
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(NoteKind.FACT))
    qtbot.keyClicks(tab.note_edit, "The CCTV shows no raised voices.")
    qtbot.mouseClick(tab.add_note_button, Qt.MouseButton.LeftButton)

    model = tab.notes_model
    assert [model.index(r, NotesModel.KIND).data() for r in range(2)] == ["HEARSAY", "FACT"]
    tab.filter_combo.setCurrentIndex(tab.filter_combo.findData(NoteKind.HEARSAY))
    assert model.rowCount() == 1
    assert model.index(0, NotesModel.TEXT).data() == "A neighbour says the warden shouted."
    tab.filter_combo.setCurrentIndex(tab.filter_combo.findData(NoteKind.FACT))
    assert model.index(0, NotesModel.TEXT).data() == "The CCTV shows no raised voices."
    issue = casefile.load_case_file(desk, case_id).issues[1]
    assert [(n.kind, n.source, n.author) for n in issue.notes] == [
        (NoteKind.HEARSAY, "Neighbour at no. 4", "jbloggs"),
        (NoteKind.FACT, "", "jbloggs"),
    ]


def test_the_finding_is_saved_as_typed(window, qtbot, desk, case_id):
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    tab.finding_combo.setCurrentIndex(tab.finding_combo.findText("Upheld"))
    assert "write the explanation" in tab.gaps_label.text()
    qtbot.keyClicks(tab.text_edits["explanation"], "The bay allows loading.")
    qtbot.keyClicks(tab.text_edits["remedy"], "Ticket cancelled.")
    qtbot.keyClicks(tab.text_edits["lesson_learnt"], "Wardens briefed on loading bays.")
    assert tab.gaps_label.text() == "This point has everything the letter needs."
    qtbot.waitUntil(lambda: saved(window))
    issue = casefile.load_case_file(desk, case_id).issues[0]
    assert (issue.finding.value, issue.explanation, issue.remedy) == (
        "upheld",
        "The bay allows loading.",
        "Ticket cancelled.",
    )


def test_a_failed_save_says_why_keeps_the_text_and_keeps_the_window_open(
    window, qtbot, desk, case_id, monkeypatch
):
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    real = window.editor.save

    def locked(*args, **kwargs):
        raise UserError("the database is locked by another program")

    monkeypatch.setattr(window.editor, "save", locked)
    qtbot.keyClicks(tab.text_edits["explanation"], "Typed before the failure.")
    qtbot.waitUntil(lambda: window.message_bar.kind == "error")
    assert "Not saved: the database is locked by another program" in window.message_bar.text()
    assert "Ctrl+S" in window.save_state.text()
    assert tab.text_edits["explanation"].toPlainText() == "Typed before the failure."

    asked = []
    monkeypatch.setattr(window, "ask_unsaved", lambda why: asked.append(why) or KEEP_OPEN)
    window.close()
    assert asked == ["the database is locked by another program"]
    assert window.isVisible()
    assert tab.text_edits["explanation"].toPlainText() == "Typed before the failure."

    monkeypatch.setattr(window.editor, "save", real)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved(window)
    assert (
        casefile.load_case_file(desk, case_id).issues[0].explanation == "Typed before the failure."
    )
    assert window.message_bar.kind != "error"
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_discarding_is_a_choice_the_officer_makes(window, qtbot, desk, monkeypatch):
    monkeypatch.setattr(
        window.editor, "save", lambda *a, **k: (_ for _ in ()).throw(OSError("disk I/O error"))
    )
    show_tab(qtbot, window, window.issues)
    qtbot.keyClicks(window.issues.text_edits["remedy"], "Lost on purpose.")
    monkeypatch.setattr(window, "ask_unsaved", lambda why: DISCARD)
    window.close()
    assert not window.isVisible()


def test_switching_points_waits_for_the_save(window, qtbot, desk, monkeypatch):
    tab = window.issues
    show_tab(qtbot, window, tab)
    tab.new_issue_edit.setText("Second point.")
    tab.add_issue()
    tab.select_issue(window.case.issues[0].id)
    monkeypatch.setattr(
        window.editor, "save", lambda *a, **k: (_ for _ in ()).throw(OSError("disk I/O error"))
    )
    qtbot.keyClicks(tab.text_edits["action"], "Refund the fee.")
    tab.select_issue(window.case.issues[1].id)
    assert tab.heading.text() == "Issue 1"
    assert tab.text_edits["action"].toPlainText() == "Refund the fee."
    assert "Staying on this point" in window.message_bar.text()
    window.saver.forget(lambda _key: True)  # so the window closes without asking


def test_an_interview_with_its_end_steps_in_order(window, qtbot, desk, case_id):
    tab = window.interviews
    window.tabs.setCurrentWidget(tab)
    assert tab.detail_stack.currentIndex() == 0
    tab.record_interview(
        InterviewIn(
            interviewee="Sam Driver",
            interviewee_role="Civil enforcement officer",
            held_on=dt.date(2026, 11, 20),
            method=InterviewMethod.IN_PERSON,
            accompanied_by="Lee Union",
            accompanied_as="union representative",
        )
    )
    assert tab.model.rowCount() == 1
    assert "accompanied by Lee Union (union representative)" in tab.heading.text()
    assert tab.model.index(0, 5).data() == "3 steps to do"
    assert not tab.invited_check.isEnabled()
    assert tab.invited_check.toolTip() == (  # why, in the words the service refuses with
        "Read the summary back first: the interviewee adds information to the summary they "
        "have heard."
    )

    qtbot.mouseClick(
        tab.read_back_check,
        Qt.MouseButton.LeftButton,
        pos=QPoint(6, tab.read_back_check.height() // 2),
    )
    assert "write the formal notes" in tab.error_bar.label.text()
    assert not tab.read_back_check.isChecked()

    qtbot.keyClicks(tab.notes_edit, "Says the van was loading; ticket issued at 10:02.")
    qtbot.keyClicks(tab.summary_edit, "Van loading; ticket at 10:02.")
    qtbot.mouseClick(
        tab.read_back_check,
        Qt.MouseButton.LeftButton,
        pos=QPoint(6, tab.read_back_check.height() // 2),
    )
    assert tab.read_back_check.isChecked() and tab.invited_check.isEnabled()
    qtbot.mouseClick(
        tab.invited_check, Qt.MouseButton.LeftButton, pos=QPoint(6, tab.invited_check.height() // 2)
    )
    qtbot.keyClicks(tab.further_edit, "Will send the photos.")
    qtbot.waitUntil(lambda: saved(window))
    assert tab.model.index(0, 5).data() == "Complete"
    assert tab.state_bar.kind == "ok"
    interview = casefile.load_case_file(desk, case_id).interviews[0]
    assert interview.complete and interview.further_information == "Will send the photos."


def test_the_interview_dialog(qtbot):
    from caseworker_ui.dialogs.interview import InterviewDialog

    dialog = InterviewDialog(TODAY)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.ok_button.toolTip() == "Who was interviewed?"  # the core's words
    qtbot.keyClicks(dialog.who_edit, "Sam Driver")
    dialog.accompanied_combo.setCurrentIndex(dialog.accompanied_combo.findData("colleague"))
    assert not dialog.ok_button.isEnabled()  # who came along?
    assert dialog.ok_button.toolTip() == "Who was the colleague accompanying the interviewee?"
    qtbot.keyClicks(dialog.companion_edit, "Ravi Patel")
    assert dialog.ok_button.isEnabled() and dialog.ok_button.toolTip() == ""
    value = dialog.value()
    assert (value.interviewee, value.accompanied_by, value.accompanied_as, value.held_on) == (
        "Sam Driver",
        "Ravi Patel",
        "colleague",
        TODAY,
    )


def fill_assessment(tab, qtbot) -> None:
    for key, edit in tab.question_edits.items():
        qtbot.keyClicks(edit, f"Checked: {key}.")
    qtbot.keyClicks(tab.risks_edit, "None known")
    qtbot.keyClicks(tab.line_edits["colleague_attending"], "Ravi Patel")
    qtbot.keyClicks(tab.line_edits["means_of_contact"], "Work mobile 07700 900123")
    qtbot.keyClicks(tab.line_edits["call_if_concerned"], "Team leader, 0161 496 0000")
    tab.decision_combo.setCurrentIndex(
        tab.decision_combo.findData(RiskDecision.PROCEED_WITH_COLLEAGUE)
    )


def test_a_visit_is_booked_only_on_a_signed_off_assessment(window, qtbot, app, case_id):
    tab = window.home_visit
    window.tabs.setCurrentWidget(tab)
    assert "There is no risk assessment for this case" in tab.booking_bar.text()
    qtbot.mouseClick(tab.book_button, Qt.MouseButton.LeftButton)
    assert "There is no risk assessment for this case" in tab.error_bar.label.text()
    assert (
        "Stockport Council: a risk assessment before any home visit" in tab.error_bar.label.text()
    )

    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.address_edit.toPlainText() == "4 Mill Lane\nQQ1 2AB"
    assert "Known risks" in tab.gaps_label.text()
    assert "Known risks" in tab.booking_bar.text()  # the core's "still needs", on loading
    fill_assessment(tab, qtbot)
    assert tab.gaps_label.text() == "Every question is answered."
    qtbot.waitUntil(lambda: saved(window))
    # What booking waits for follows the saved answers, without a reload (issue 19).
    qtbot.waitUntil(lambda: "not been signed off by a manager" in tab.booking_bar.text())
    assert "Known risks" not in tab.booking_bar.text()
    window.reload()
    assert "not been signed off by a manager" in tab.booking_bar.text()
    qtbot.mouseClick(tab.book_button, Qt.MouseButton.LeftButton)
    assert "not been signed off by a manager" in tab.error_bar.label.text()
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert "Jo Bloggs is not a manager" in tab.error_bar.label.text()

    # The manager signs it off on their own machine; the officer's window shows it on reload.
    manager = Context(app.sessions, actor="mmanager", today=lambda: TODAY)
    homevisit.approve_assessment(manager, window.case.assessment.id)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    window.reload()
    assert tab.sign_off_label.text().startswith("Signed off by Mo Manager")
    assert tab.booking_bar.text() == "Ready to book: choose the date."
    tab.visit_date.setDate(tab.visit_date.date().addDays(6))
    qtbot.mouseClick(tab.book_button, Qt.MouseButton.LeftButton)
    assert tab.booking_bar.text() == "Visit booked for 1 Dec 2026."
    assert window.case.assessment.visit_on == dt.date(2026, 12, 1)

    # Changing it afterwards withdraws the sign-off and the booking.
    qtbot.keyClicks(tab.risks_edit, "; a dog")
    qtbot.waitUntil(lambda: "withdrawn" in window.message_bar.text())
    assert window.case.assessment.approved_by == ""
    assert "not been signed off" in tab.booking_bar.text()


def test_a_letter_is_previewed_checked_saved_and_opened(window, qtbot, desk, case_id, monkeypatch):
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    assert tab.preview_edit.toPlainText().startswith("Priya Shah")
    assert "Our reference: CW-2026-00001" in tab.preview_edit.toPlainText()
    assert tab.preview_title.text() == "Preview: outcome letter, stage 1"
    assert tab.gaps_model.rowCount() > 0  # no finding yet
    assert "Reading ease" in tab.plain_label.text()

    qtbot.keyClicks(tab.text_edits["understanding"], "You are unhappy about a parking ticket.")
    qtbot.waitUntil(lambda: "unhappy about a parking ticket" in tab.preview_edit.toPlainText())

    tab.kind_combo.setCurrentIndex(tab.kind_combo.findText("Acknowledgement"))
    assert tab.previewing  # built on a worker thread; what was shown stays meanwhile
    assert tab.preview_title.text() == "Preview: outcome letter, stage 1"
    qtbot.waitUntil(lambda: not tab.previewing)
    assert tab.preview_title.text() == "Preview: acknowledgement letter, stage 1", (
        tab.compliance_bar.text()
    )
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.letters_model.rowCount() == 1
    assert tab.error_bar.kind == "ok"

    opened = []
    monkeypatch.setattr(letters_tab, "open_file", lambda url: opened.append(url) or True)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    path = Path(opened[0].toLocalFile())
    assert path.exists() and path.suffix == ".docx"
    assert path.read_bytes()[:2] == b"PK"
    assert casefile.load_case_file(desk, case_id).letters[0].kind.value == "acknowledgement"


def test_a_case_window_closed_as_its_letter_is_previewed_waits_for_the_preview(
    window, qtbot, monkeypatch
):
    """The preview is built on a worker thread; closing the window waits for it, so that no
    read runs on as the app closes the database, and its answer is not shown."""
    started, release = threading.Event(), threading.Event()
    build = letters.preview_letter

    def slow(*args, **kwargs):
        started.set()
        assert release.wait(10)
        return build(*args, **kwargs)

    monkeypatch.setattr(letters, "preview_letter", slow)
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    assert tab.previewing and started.wait(10)
    assert tab.preview_title.text() == "Preview: making the letter…"
    assert window.isVisible()  # the window answered meanwhile
    threading.Timer(0.2, release.set).start()
    window.close()
    assert not tab.previewing and tab.preview is None
    qtbot.wait(50)
    assert tab.preview is None  # the answer came after the close: not shown


def test_the_outcome_is_recorded_for_the_letter(window, qtbot, desk, case_id):
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    assert any("No outcome recorded" in gap for gap in tab.preview.gaps)
    investigation.update_issue(
        desk, window.case.issues[0].id, finding="upheld", explanation="The bay allows loading."
    )
    window.reload()
    assert tab.outcome_hint.text() == "The points' findings add up to: upheld."
    tab.outcome_combo.setCurrentIndex(tab.outcome_combo.findText("Upheld"))
    assert casefile.load_case_file(desk, case_id).outcome.value == "upheld"
    assert tab.outcome_hint.text() == "Matches the points' findings (upheld)."
    qtbot.waitUntil(lambda: not tab.previewing)
    assert not any("No outcome recorded" in gap for gap in tab.preview.gaps)
    assert "your complaint has been upheld" in tab.preview_edit.toPlainText()


def test_the_timeline_lists_what_happened(window, qtbot, desk):
    investigation.add_note(
        desk, window.case.issues[0].id, NoteKind.FACT, "The bay is marked for loading."
    )
    window.reload()
    window.tabs.setCurrentWidget(window.timeline)
    model = window.timeline.model
    details = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert details[0] == "Complaint received (email)"
    assert "Case recorded: CW-2026-00001" in details
    assert "Fact on issue 1: The bay is marked for loading." in details


def jos_list(app):  # noqa: ANN001, ANN201
    """The list as Jo (an investigating officer) sees it: her own case."""
    from caseworker.services.lists.caselist import CaseList

    return CaseList(app.context(actor="jbloggs", today=lambda: TODAY))


def test_opening_a_case_from_the_list_and_again_raises_the_same_window(app, qtbot, desk, case_id):
    from caseworker_ui.main_window import MainWindow

    main = MainWindow(jos_list(app), database="test.sqlite", desk=desk)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.table.setFocus()
    main.table.setCurrentIndex(main.model.index(0, 0))
    qtbot.keyClick(main.table, Qt.Key.Key_Return)
    assert list(main.case_windows) == [case_id]
    first = main.case_windows[case_id]
    qtbot.keyClick(main.table, Qt.Key.Key_Return)
    assert main.case_windows[case_id] is first
    assert len(main.case_windows) == 1

    # Closing the app closes the case windows, which save first.
    show_tab(qtbot, first, first.issues)
    first.issues.text_edits["remedy"].setPlainText("Typed just before quitting.")
    main.close()
    assert not first.isVisible() and not main.isVisible()
    assert casefile.load_case_file(desk, case_id).issues[0].remedy == "Typed just before quitting."


def test_the_app_stays_open_while_a_case_window_cannot_save(app, qtbot, desk, case_id, monkeypatch):
    from caseworker_ui.main_window import MainWindow

    main = MainWindow(jos_list(app), database="test.sqlite", desk=desk)
    qtbot.addWidget(main)
    main.show()
    case = main.open_case(case_id)
    monkeypatch.setattr(
        case.editor, "save", lambda *a, **k: (_ for _ in ()).throw(OSError("disk I/O error"))
    )
    monkeypatch.setattr(case, "ask_unsaved", lambda why: KEEP_OPEN)
    show_tab(qtbot, case, case.issues)
    case.issues.text_edits["remedy"].setPlainText("Not lost.")
    main.close()
    assert main.isVisible() and case.isVisible()
    monkeypatch.setattr(case, "ask_unsaved", lambda why: DISCARD)
    main.close()


def test_shortcuts_tab_order_and_accessible_names(window, qtbot):
    shortcuts = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["&Save now"] == "Ctrl+S"
    assert shortcuts["&Close"] == "Ctrl+W"
    assert shortcuts["&Reload"] == "F5"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "&Overview",
        "&Issues and notes",
        "Inter&views",
        "&Home visit",
        "&Letters",
        "&Documents",
        "&Progress",
        "&Next stage",
        "&Timeline",
    ]
    for tab in window.all_tabs:  # each makes its widgets when first shown
        show_tab(qtbot, window, tab)
    for kind in (QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QListView, QTableView):
        for widget in window.findChildren(kind):
            if widget.window() is not window:
                continue
            if isinstance(widget, QLineEdit) and isinstance(
                widget.parent(), (QDateEdit, QComboBox)
            ):
                continue
            assert widget.accessibleName(), f"{kind.__name__} {widget.objectName()}"


def test_tab_moves_through_the_finding_in_reading_order(window, qtbot):
    tab = window.issues
    window.tabs.setCurrentWidget(tab)
    order = [
        tab.finding_combo,
        tab.text_edits["explanation"],
        tab.text_edits["remedy"],
        tab.text_edits["lesson_learnt"],
        tab.text_edits["action"],
    ]
    order[0].setFocus()
    for expected in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected


def test_with_a_large_font_the_window_still_fits_a_laptop_screen(qtbot, desk, case_id):
    app = QApplication.instance()
    normal = app.font()
    large = app.font()
    large.setPointSizeF(normal.pointSizeF() * 1.6)
    app.setFont(large)
    try:
        big = CaseWindow(desk, case_id)
        qtbot.addWidget(big)
        big.show()  # each tab makes its widgets when first shown
        for tab in big.all_tabs:
            show_tab(qtbot, big, tab)
            hint = big.minimumSizeHint()
            assert hint.width() <= 1366 and hint.height() <= 768, (type(tab).__name__, hint)
        big.close()
    finally:
        app.setFont(normal)


def test_the_module_keeps_its_choices_named():
    assert {case_window_module.KEEP_OPEN, case_window_module.DISCARD} == {"keep-open", "discard"}


def test_a_letter_the_case_cannot_have_is_greyed_with_the_reason(window, qtbot, desk, case_id):
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    row = tab.kind_combo.findData(LetterKind.DISCONTINUATION)
    item = tab.kind_combo.model().item(row)
    assert not item.isEnabled()
    tip = tab.kind_combo.itemData(row, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(
        "Not now: case CW-2026-00001 records no attempt to contact the complainant"
    )
    withdrawal = tab.kind_combo.findData(LetterKind.WITHDRAWAL)
    assert "records no withdrawal" in tab.kind_combo.itemData(
        withdrawal, Qt.ItemDataRole.ToolTipRole
    )
    assert (
        tab.kind_combo.model().item(tab.kind_combo.findData(LetterKind.ACKNOWLEDGEMENT)).isEnabled()
    )


def test_a_letter_failing_its_checks_is_kept_only_with_a_reason(
    window, qtbot, desk, case_id, monkeypatch
):
    tab = window.letters
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    assert tab.preview.gaps  # the outcome letter of a case with no outcome yet
    asked = []
    monkeypatch.setattr(tab, "ask_why_kept", lambda gaps: asked.append(gaps) or ("", False))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert asked and tab.letters_model.rowCount() == 0
    assert tab.error_bar.text().startswith("Not saved: the letter's checks fail")
    assert not casefile.load_case_file(desk, case_id).letters

    reason = "Sent as an interim reply at the complainant's request"
    monkeypatch.setattr(tab, "ask_why_kept", lambda gaps: (reason, True))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.letters_model.rowCount() == 1
    with desk.unit() as uow:
        letter = uow.session.scalars(select(Letter)).one()
        assert letter.draft["kept_despite"]["reason"] == reason
        assert letter.draft["kept_despite"]["gaps"] == list(tab.preview.gaps)
        audited = uow.session.scalars(
            select(AuditEvent.new_value).where(AuditEvent.entity == "letters")
        ).all()
    assert any(reason in (value or "") for value in audited)


def test_a_refused_complaint_is_offered_the_refusal_letter_never_the_outcome_letter(
    app, qtbot, desk, case_id
):
    """Mo, Parking's line manager, records the complaint as not taken on (Stockport: where it
    goes instead, too); the Letters tab greys the outcome letter with the reason and offers the
    refusal, which gives the reasons and no stage 2."""
    from caseworker.services.cases import lifecycle

    lifecycle.refuse(
        app.context(actor="mmanager", today=lambda: TODAY),
        case_id,
        reasons="Parking tickets have their own appeal, set down by law.",
        route="You can appeal to the Traffic Penalty Tribunal, as the ticket explains.",
    )
    opened = CaseWindow(desk, case_id)
    qtbot.addWidget(opened)
    opened.show()
    tab = opened.letters
    opened.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.preview is not None)
    outcome = tab.kind_combo.findData(LetterKind.OUTCOME)
    assert not tab.kind_combo.model().item(outcome).isEnabled()
    assert "was not taken on (refused)" in tab.kind_combo.itemData(
        outcome, Qt.ItemDataRole.ToolTipRole
    )
    refusal = tab.kind_combo.findData(LetterKind.REFUSAL)
    assert tab.kind_combo.model().item(refusal).isEnabled()
    assert tab.preview.kind == LetterKind.REFUSAL  # the letter the case needs now
    text = tab.preview_edit.toPlainText()
    assert "Parking tickets have their own appeal" in text and "Traffic Penalty Tribunal" in text
    assert "stage 2" not in text.lower()
    opened.close()


def test_response_sent_with_a_letter_failing_new_checks_asks_why(
    window, qtbot, desk, case_id, app, monkeypatch
):
    import caseworker_ui.discard as discard
    from caseworker.domain.enums import SendMethod
    from caseworker.services.cases.progress import progress_of
    from caseworker.storage.models import Issue

    letters.save_letter(desk, case_id, despite="Kept: the outcome is added when sent")
    with app.uow() as uow:  # since then, an internal action with no words for the complainant
        issue = uow.session.scalars(select(Issue).where(Issue.case_id == case_id)).one()
        issue.action, issue.action_public = "Ring the enforcement team", ""
        uow.commit()
    window.reload()
    asked: list[str] = []
    monkeypatch.setattr(
        discard, "ask_reason", lambda parent, title, label: asked.append(label) or ("", False)
    )
    progress = window.progress
    window.tabs.setCurrentWidget(progress)
    progress.panel.open("response")
    form = progress.panel.forms["response"]
    form.fields["method"].setCurrentIndex(form.fields["method"].findData(SendMethod.EMAIL))
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert asked and "Why is it sent as it is?" in asked[0]
    assert progress_of(desk, case_id).response_sent is None  # not recorded
    monkeypatch.setattr(
        discard, "ask_reason", lambda *a: ("The action is for us, not the complainant", True)
    )
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert progress_of(desk, case_id).response_sent == TODAY
    with desk.unit() as uow:
        letter = uow.session.scalars(select(Letter)).one()
        assert (letter.sent_on, letter.sent_despite) == (
            TODAY,
            "The action is for us, not the complainant",
        )


def test_the_window_opens_without_python_docx_which_comes_with_the_first_letter(
    app, case_id
) -> None:
    """The case window builds and checks letter drafts, which need no Word document: python-docx
    and lxml (about 70 ms, most of the first case window's opening after a start) are imported
    when a letter is written, not when the window opens. A fresh process, as after a start."""
    import json
    import os
    import subprocess
    import sys

    child = (
        "import json, sys\n"
        "from caseworker.bootstrap import open_app\n"
        "from caseworker.domain.enums import LetterKind\n"
        f"app = open_app({app.url!r}, actor='jbloggs')\n"
        "from caseworker_ui.app import application\n"
        "application()\n"
        "from caseworker_ui.case_window import CaseWindow\n"
        f"window = CaseWindow(app.context(), {case_id})\n"
        "window.show()\n"
        "application().processEvents()\n"
        "def word(): return sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'lxml'})\n"
        "opened = word()\n"
        "from caseworker.services import letters\n"
        f"preview = letters.preview_letter(app.context(), {case_id}, LetterKind.ACKNOWLEDGEMENT)\n"
        "print(json.dumps([opened, word(), bool(preview.text)]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    done = subprocess.run(
        [sys.executable, "-c", child], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    opened, after_a_letter, written = json.loads(done.stdout.strip().splitlines()[-1])
    assert opened == []
    assert written and after_a_letter == ["docx", "lxml"]
