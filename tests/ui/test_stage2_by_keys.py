"""Issue 19: a complaints manager's stage 2 by key presses only, at 1366×768: a Stockport case
answered at stage 1 (two points, neither upheld), the complainant's request for stage 2 logged
with their reasons, accepted, a third point the request raised added, the stage 2 finding
recorded on each point beside what stage 1 found, the decision letter saved, the response
recorded as sent and the case closed. Each step is read back from the database, and the letter
from its Word document: it answers every point with the stage 2 findings, never stage 1's."""

from __future__ import annotations

import datetime as dt
import io

import docx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

from caseworker.domain.enums import (
    CaseStatus,
    Channel,
    Finding,
    LetterKind,
    Outcome,
    RouteId,
    SendMethod,
)
from caseworker.domain.lifecycle import EscalationDecision
from caseworker.policy.loader import get_policy
from caseworker.services.cases.progress import progress_of
from caseworker.services.cases.records import refresh_clock
from caseworker.storage.models import AuditEvent, Case, Complainant, Issue, Letter, Officer
from caseworker_ui.case_window import CaseWindow
from tests.ui.keys import activate, alt, answer_box, answer_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
STAGE1_WHY = "The crew's sheets show the road was collected each week."


def key(qtbot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClick(widget, k, modifier)
    if modifier == ALT:
        qtbot.wait(150)  # an access key on a button "animates" its click


def access(qtbot, letter: str) -> None:
    k, modifier = alt(letter)
    key(qtbot, k, modifier)


def access_of(button: QPushButton) -> str:
    """The letter a step button answers (the panel gives each its first free one)."""
    text = button.text()
    assert "&" in text, f"{text!r} has no access key"
    return text[text.index("&") + 1]


def typed(qtbot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    qtbot.keyClicks(widget, text)


def answered_at_stage_one(app) -> int:
    """Stockport, received 5 October 2026, two points not upheld, the response emailed on 2
    November; handled by Ann Smith."""
    with app.uow() as uow:
        ann = Officer(
            name="Ann Smith",
            email="ann@council.example",
            role="investigating-officer",
            service_area="Waste",
            login="ann",
        )
        row = Case(
            reference="CW-2026-00001",
            policy_id="stockport",
            route=RouteId.CORPORATE,
            stage=1,
            received=dt.date(2026, 10, 5),
            channel=Channel.EMAIL,
            service_area="Waste",
            officer=ann,
            complainant=Complainant(
                name="Priya Shah", address="4 Mill Lane", email="priya@example.com"
            ),
            acknowledged=dt.date(2026, 10, 6),
            response_sent=dt.date(2026, 11, 2),
            response_method=SendMethod.EMAIL,
            status=CaseStatus.RESPONDED,
            outcome=Outcome.NOT_UPHELD,
        )
        for number, summary in enumerate(
            ("My bin was missed three weeks running.", "The crew left rubbish on the path."),
            start=1,
        ):
            row.issues.append(
                Issue(
                    number=number,
                    summary=summary,
                    finding=Finding.NOT_UPHELD,
                    explanation=STAGE1_WHY,
                )
            )
        refresh_clock(row, get_policy("stockport"))
        uow.session.add(row)
        uow.commit()
        return row.id


def test_a_complaints_managers_stage_2_by_keys(qtbot, app, desk, real_questions) -> None:
    case_id = answered_at_stage_one(app)
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    activate(qtbot, window)
    tab = window.stage2

    # -- the request, logged and accepted ---------------------------------------------------
    key(qtbot, Qt.Key.Key_8, ALT)  # Next stage
    access(qtbot, access_of(tab.panel.buttons["escalation"]))  # Log request…
    assert tab.panel.open_form() is tab.panel.forms["escalation"]
    typed(qtbot, "20/11")
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "The crew's sheets are wrong: my neighbours saw the bins left.")
    key(qtbot, Qt.Key.Key_Return, CTRL)
    found = progress_of(desk, case_id).escalation
    assert found.requested_on == dt.date(2026, 11, 20), window.message_bar.text()

    access(qtbot, access_of(tab.panel.buttons["accept"]))  # Accept…
    typed(qtbot, "today")
    key(qtbot, Qt.Key.Key_Return)
    with app.uow() as uow:
        row = uow.session.get(Case, case_id)
        assert (row.stage, row.escalation_decision) == (2, EscalationDecision.ACCEPTED)
        assert row.officer_id is None  # Stockport: stage 2 is not the stage 1 investigator's

    # -- a point the request raised ------------------------------------------------------------
    key(qtbot, Qt.Key.Key_2, ALT)  # Issues and notes
    assert not window.issues.finding_combo.isEnabled()  # stage 1's finding is kept as sent
    assert window.issues.text_edits["explanation"].isReadOnly()
    access(qtbot, "m")  # the complainant's points
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.issues.new_issue_edit
    typed(qtbot, "Nobody answered my emails about it.")
    key(qtbot, Qt.Key.Key_Return)
    with app.uow() as uow:
        added = uow.session.scalars(
            select(Issue).where(Issue.case_id == case_id, Issue.number == 3)
        ).one()
        assert added.raised_at_stage == 2

    # -- the stage 2 finding on each point -----------------------------------------------------
    key(qtbot, Qt.Key.Key_8, ALT)  # Next stage
    review = tab.review_panel.buttons["review"]
    assert review.isEnabled(), review.toolTip()
    form = tab.review_panel.forms["review"]
    findings = [
        (
            1,
            "Upheld",
            1,
            "Two neighbours saw the bins left; the sheets were filled in later.",
            "Your bin is now checked by the supervisor each week.",
        ),
        (2, "Not upheld", 3, "The photographs show a neighbour's split bag, not your bin.", ""),
        (
            3,
            "Partially upheld",
            2,
            "One of your two emails was not answered.",
            "I have answered it in this letter.",
        ),
    ]
    access(qtbot, access_of(review))
    for number, words, downs, why, remedy in findings:
        if tab.review_panel.open_form() is not form:  # back on the step button: Space opens
            assert QApplication.focusWidget() is review
            key(qtbot, Qt.Key.Key_Space)
        # It opens at the next point without a stage 2 finding, stage 1's shown beside it.
        assert form.fields["point"].currentText().startswith(f"{number}. ")
        assert "Stage 1 found: " in form.explain.text()
        if number < 3:
            assert f"Stage 1 found: Not upheld. {STAGE1_WHY}" in form.explain.text()
        else:
            assert "Not raised at stage 1" in form.explain.text()
        assert QApplication.focusWidget() is form.fields["point"]
        key(qtbot, Qt.Key.Key_Tab)
        for _ in range(downs):
            key(qtbot, Qt.Key.Key_Down)
        assert form.fields["finding"].currentText() == words
        key(qtbot, Qt.Key.Key_Tab)
        typed(qtbot, why)
        key(qtbot, Qt.Key.Key_Tab)
        typed(qtbot, remedy)
        key(qtbot, Qt.Key.Key_Return, CTRL)
        assert tab.review_panel.open_form() is None, window.message_bar.text()
    assert [tab.review_model.data(tab.review_model.index(r, 3)) for r in range(3)] == [
        "Upheld",
        "Not upheld",
        "Partially upheld",
    ]
    with app.uow() as uow:
        points = uow.session.get(Case, case_id).issues
        assert [(p.finding, p.explanation) for p in points[:2]] == [
            (Finding.NOT_UPHELD, STAGE1_WHY)
        ] * 2  # stage 1's, unchanged
        assert [p.stage2_finding for p in points] == [
            Finding.UPHELD,
            Finding.NOT_UPHELD,
            Finding.PARTIALLY_UPHELD,
        ]
        assert points[0].stage2_remedy == findings[0][4]
        events = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.case_id == case_id, AuditEvent.field == "stage2_finding"
            )
        ).all()
        assert [(e.actor, e.new_value) for e in events] == [
            ("tester", "upheld"),
            ("tester", "not-upheld"),
            ("tester", "partially-upheld"),
        ]

    # -- the decision letter -------------------------------------------------------------------
    key(qtbot, Qt.Key.Key_5, ALT)  # Letters
    qtbot.waitUntil(lambda: window.letters.preview is not None)
    assert "partially upheld" in window.letters.outcome_hint.text()
    access(qtbot, "m")  # Outcome
    assert QApplication.focusWidget() is window.letters.outcome_combo
    for _ in range(window.letters.outcome_combo.count()):
        if window.letters.outcome_combo.currentData() == Outcome.PARTIALLY_UPHELD:
            break
        key(qtbot, Qt.Key.Key_Down)
    with app.uow() as uow:
        assert uow.session.get(Case, case_id).outcome == Outcome.PARTIALLY_UPHELD
    letters = window.letters  # the preview of the letter as it stands (a worker thread's)
    qtbot.waitUntil(lambda: letters.preview is not None and not letters.previewing)
    seen: list[str] = []
    if window.letters.preview.gaps:
        answer_text("Signed by hand before it goes", seen)
    access(qtbot, "w")  # Save as Word document
    with app.uow() as uow:
        letter = uow.session.scalars(select(Letter).where(Letter.case_id == case_id)).one()
        assert (letter.kind, letter.stage, letter.outcome) == (
            LetterKind.DECISION,
            2,
            Outcome.PARTIALLY_UPHELD,
        ), seen
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    for _, _, _, why, remedy in findings:
        assert why in text
        assert remedy in text
    assert STAGE1_WHY not in text  # never stage 1's findings
    assert "Nobody answered my emails about it." in text
    assert "partially upheld" in text.lower()

    # -- the response sent, and the case closed ------------------------------------------------
    activate(qtbot, window)
    key(qtbot, Qt.Key.Key_7, ALT)  # Progress
    progress = window.progress
    access(qtbot, access_of(progress.panel.buttons["response"]))  # Response sent…
    assert progress.panel.open_form() is progress.panel.forms["response"]
    typed(qtbot, "today")
    key(qtbot, Qt.Key.Key_Return)  # by email, keeping the outcome recorded
    after = progress_of(desk, case_id)
    assert after.response_sent == desk.today(), window.message_bar.text()

    for _ in range(15):
        focus = QApplication.focusWidget()
        if focus is progress.panel.buttons["close"]:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is progress.panel.buttons["close"]
    key(qtbot, Qt.Key.Key_Space)
    typed(qtbot, "today")
    warnings = progress_of(desk, case_id).closure_warnings
    asked: list[str] = []
    if warnings:
        answer_box([alt("c")], asked)  # Close anyway
    key(qtbot, Qt.Key.Key_Return)
    closed = progress_of(desk, case_id)
    assert closed.status == CaseStatus.CLOSED, window.message_bar.text()
    assert closed.outcome == Outcome.PARTIALLY_UPHELD
    # Closed: the stage 2 findings are kept as they were sent.
    activate(qtbot, window)
    key(qtbot, Qt.Key.Key_8, ALT)  # Next stage
    assert not tab.review_panel.buttons["review"].isEnabled()


def test_choosing_another_point_asks_before_dropping_what_was_typed(
    qtbot, app, desk, real_questions
) -> None:
    """Words typed for one point's stage 2 finding are not lost by choosing another point with
    the arrow keys: the question's default (Enter) keeps them, on the point they were typed for."""
    from caseworker.services.cases import escalation

    case_id = answered_at_stage_one(app)
    escalation.log_escalation_request(desk, case_id, requested_on=dt.date(2026, 11, 20))
    escalation.accept_escalation(desk, case_id, decided_on=dt.date(2026, 11, 23))
    window = CaseWindow(desk, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    activate(qtbot, window)
    tab = window.stage2
    key(qtbot, Qt.Key.Key_8, ALT)
    access(qtbot, access_of(tab.review_panel.buttons["review"]))
    form = tab.review_panel.forms["review"]
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Down)  # Upheld
    key(qtbot, Qt.Key.Key_Tab)
    typed(qtbot, "Two neighbours saw it.")
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is form.fields["point"]
    asked: list[str] = []
    answer_box([(Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)], asked)  # Keep
    key(qtbot, Qt.Key.Key_Down)  # point 2
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["You have typed into the stage 2 finding on point 1. Discard it?"]
    assert form.fields["point"].currentText().startswith("1. ")
    assert form.value("explanation") == "Two neighbours saw it."
    # Discarding moves on to point 2 and shows what it has (nothing yet).
    activate(qtbot, window)
    form.fields["point"].setFocus()
    answer_box([alt("d")], asked)  # Discard
    key(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: len(asked) == 2)
    assert form.fields["point"].currentText().startswith("2. ")
    assert (form.value("finding"), form.value("explanation")) == (None, "")
    with app.uow() as uow:
        assert [i.stage2_finding for i in uow.session.get(Case, case_id).issues] == [None, None]
