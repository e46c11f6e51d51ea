"""The Progress and Next stage tabs, driven as a complaints manager would: real clicks on the
step buttons and their forms, refusals read from the window's message bar in the core's words,
results read back from the tabs' models, and the exported stage file opened.

Dates were counted by hand; no bank holiday falls between October and mid-December 2026.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from typing import Any

import docx
import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QTimeEdit

from caseworker.domain.enums import CaseStatus, ContactMethod, Outcome, Role, SendMethod
from caseworker.domain.lifecycle import OmbudsmanBody
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.cases.steps import Step
from caseworker.services.context import Context
from caseworker.services.investigation import issues as investigation
from caseworker.storage.models import Case, Officer
from caseworker_ui.case_tabs import stage2 as stage2_module
from caseworker_ui.case_tabs.steps import StepPanel
from caseworker_ui.case_window import CaseWindow
from caseworker_ui.date_field import DateField

TODAY = dt.date(2026, 11, 25)
D = dt.date


def new_case(desk: Context, policy: str, received: dt.date, *issues: str) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id=policy,
            received=received,
            service_area="Highways",
            summary="The pothole outside my house was not repaired.",
            first_aware=received - dt.timedelta(days=3),
            complainant=PersonIn(
                name="Priya Shah",
                address="4 Mill Lane",
                postcode="QQ1 2AB",
                email="priya@example.com",
            ),
            issues=issues or ("Nobody came to repair the pothole.",),
        ),
    ).id


@pytest.fixture
def open_window(qtbot, desk):
    opened: list[CaseWindow] = []

    def open_(case_id: int, tab: str = "progress") -> CaseWindow:
        window = CaseWindow(desk, case_id)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.tabs.setCurrentWidget(getattr(window, tab))
        opened.append(window)
        return window

    yield open_
    for window in opened:
        window.close()


def step(qtbot, panel: StepPanel, key: str, **values: Any) -> None:
    """Click the step's button, fill its form as a person would, and click its submit button."""
    button = panel.buttons[key]
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = panel.forms[key]
    assert panel.open_form() is form
    # The form is laid out (and scrolled into view) once Qt has handled the layout requests.
    qtbot.waitUntil(
        lambda: (
            form.submit.height() > 0
            and form.visibleRegion().boundingRect().contains(form.submit.geometry().center())
        )
    )
    for name, value in values.items():
        field = form.fields[name]
        if isinstance(field, QTimeEdit):
            field.setTime(QTime(value.hour, value.minute))
        elif isinstance(field, DateField):  # typed, as an officer would
            field.selectAll()
            qtbot.keyClicks(field, value.strftime("%d/%m/%Y"))
        elif isinstance(field, QPlainTextEdit | QLineEdit):
            field.clear()
            qtbot.keyClicks(field, value)
        elif isinstance(field, QComboBox):
            index = field.findData(value)
            assert index >= 0, f"{name}: no choice {value!r}"
            field.setCurrentIndex(index)
        elif hasattr(field, "setChecked") and isinstance(value, bool):
            if field.isChecked() != value:
                qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        else:  # a group of check boxes
            for box in field.property("boxes"):
                if box.property("value") in value:
                    box.setChecked(True)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)


def message(window: CaseWindow) -> tuple[str, str]:
    return window.message_bar.kind, window.message_bar.text()


def shown(tab, key: str) -> str:
    return tab.values[key].text()


def cells(model) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


# -- the Progress tab -------------------------------------------------------------------------


def test_an_extension_past_the_policys_limit_is_refused_and_a_valid_one_shown(
    qtbot, desk, open_window
):
    # Warwickshire stage 1: received Monday 2 November, respond by Monday 16 November; up to
    # 20 working days more, so no later than Monday 14 December.
    window = open_window(new_case(desk, "warwickshire", D(2026, 11, 2)))
    tab = window.progress
    assert shown(tab, "clock") == "Respond by 16 Nov 2026"
    assert "no later than 14 Dec 2026" in shown(tab, "extension")
    step(
        qtbot,
        tab.panel,
        "extend",
        new_date=D(2026, 12, 15),
        reason="Waiting for the contractor's records",
        told_on=D(2026, 11, 13),
        told_method=ContactMethod.EMAIL,
    )
    assert message(window) == (
        "error",
        "The extended date 2026-12-15 is after the latest policy warwickshire stage 1 "
        "allows (2026-12-14: 20 working days after 2026-11-16)",
    )
    assert tab.panel.open_form() is tab.panel.forms["extend"]  # what was typed is still there
    assert tab.extensions_model.rowCount() == 0

    step(
        qtbot,
        tab.panel,
        "extend",
        new_date=D(2026, 11, 30),
        reason="Waiting for the contractor's records",
        told_on=D(2026, 11, 13),
        told_method=ContactMethod.EMAIL,
    )
    assert message(window) == ("ok", "Extension saved.")
    assert tab.panel.open_form() is None
    assert cells(tab.extensions_model) == [
        ["1", "30 Nov 2026", "13 Nov 2026 by email", "Waiting for the contractor's records"]
    ]
    assert shown(tab, "clock") == "Respond by 30 Nov 2026"


def test_suspension_and_resumption_under_warwickshire(qtbot, desk, open_window):
    window = open_window(new_case(desk, "warwickshire", D(2026, 11, 2)))
    tab = window.progress
    assert not tab.panel.buttons["resume"].isEnabled()
    assert "is not suspended" in tab.panel.buttons["resume"].toolTip()
    combo = tab.panel.forms["suspend"].fields["ground"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Child protection",
        "Safeguarding of vulnerable adults",
        "Court proceedings",
        "Grievance",
        "Disciplinary",
        "Criminal proceedings",
    ]
    step(
        qtbot,
        tab.panel,
        "suspend",
        start=D(2026, 11, 4),
        ground="Court proceedings",
        details="County court claim CC-123",
    )
    assert message(window) == ("ok", "Suspended: the clock has stopped.")
    assert shown(tab, "status") == "Suspended (clock stopped)"
    assert shown(tab, "clock") == "Response date unknown while suspended"
    assert not tab.panel.buttons["suspend"].isEnabled()
    assert not tab.panel.buttons["extend"].isEnabled()

    # Restarted Wednesday 11 November: 4 to 10 November (5 working days) do not count, so the
    # response moves from 16 to 23 November.
    step(qtbot, tab.panel, "resume", on=D(2026, 11, 11))
    assert message(window) == ("ok", "Resumed: the clock runs again.")
    assert shown(tab, "status") == "Open"
    assert shown(tab, "clock") == "Respond by 23 Nov 2026"
    assert cells(tab.suspensions_model) == [
        ["4 Nov 2026", "11 Nov 2026", "Court proceedings: County court claim CC-123"]
    ]


def test_discontinuing_needs_three_attempts_by_different_methods(qtbot, desk, open_window):
    window = open_window(new_case(desk, "warwickshire", D(2026, 11, 2)))
    tab = window.progress
    for day, method in (
        (D(2026, 11, 9), ContactMethod.PHONE),
        (D(2026, 11, 11), ContactMethod.EMAIL),
    ):
        step(
            qtbot,
            tab.panel,
            "attempt",
            on=day,
            time=dt.time(10, 0),
            method=method,
            result="No answer",
        )
        assert message(window) == ("ok", "Contact attempt recorded.")
    assert shown(tab, "attempts").startswith(
        "2 recorded; 1 more unanswered attempt before the case can be discontinued "
        "(Warwickshire section 7"
    )
    step(qtbot, tab.panel, "discontinue", on=D(2026, 11, 16))
    kind, text = message(window)
    assert kind == "error"
    assert text == (
        "CW-2026-00001 has 2 unanswered contact attempts by 2 different methods (email, phone); "
        "policy warwickshire needs at least 3 attempts by different methods before "
        "discontinuing (Warwickshire section 7: only after contact has been attempted at least "
        "3 different times by different methods with no response)"
    )

    step(
        qtbot,
        tab.panel,
        "attempt",
        on=D(2026, 11, 13),
        time=dt.time(9, 30),
        method=ContactMethod.LETTER,
        result="Letter sent, no reply",
    )
    assert [row[1] for row in cells(tab.attempts_model)] == ["Phone", "Email", "Letter"]
    assert "enough to discontinue" in shown(tab, "attempts")
    step(qtbot, tab.panel, "discontinue", on=D(2026, 11, 16))
    assert message(window) == ("ok", "Discontinued. Send the decision, then close the case.")
    assert shown(tab, "status") == "Open — outcome: discontinued"
    assert not tab.panel.buttons["discontinue"].isEnabled()
    assert tab.panel.buttons["reopen"].isEnabled()


def test_a_withdrawal_is_recorded_and_confirmed_in_writing(qtbot, desk, open_window):
    window = open_window(new_case(desk, "warwickshire", D(2026, 11, 2)))
    tab = window.progress
    step(qtbot, tab.panel, "withdraw", on=D(2026, 11, 10), method=ContactMethod.PHONE)
    kind, text = message(window)
    assert kind == "ok" and "confirms a withdrawal in writing" in text
    assert shown(tab, "ended") == "Withdrawn 10 Nov 2026 (phone); confirm it in writing"
    assert not tab.panel.buttons["withdraw"].isEnabled()
    # Closing waits for the withdrawal letter (Warwickshire section 8).
    step(qtbot, tab.panel, "close", on=D(2026, 11, 12))
    kind, text = message(window)
    assert kind == "error" and "no withdrawal letter has been sent" in text


def test_a_closed_case_is_read_only_until_a_manager_reopens_it(qtbot, desk, open_window):
    case_id = new_case(desk, "stockport", D(2026, 11, 2))
    issue = casefile.load_case_file(desk, case_id).issues[0].id
    investigation.update_issue(
        desk, issue, finding="not-upheld", explanation="The repair was booked in time."
    )
    window = open_window(case_id)
    tab = window.progress
    step(
        qtbot,
        tab.panel,
        "response",
        sent_on=D(2026, 11, 20),
        method=SendMethod.EMAIL,
        outcome=Outcome.NOT_UPHELD,
    )
    assert message(window) == ("ok", "Response recorded.")
    step(qtbot, tab.panel, "close", on=D(2026, 11, 23))
    assert message(window) == ("ok", "Case closed: it is read-only until a manager re-opens it.")
    assert shown(tab, "status") == "Closed — outcome: not upheld"
    # The whole window is read-only now, saying why; text can still be read and copied, and
    # what only reads (the notes filter, the letter preview's kind) stays usable.
    assert window.read_only_bar.text().startswith("Read only: CW-2026-00001 is closed")
    for other in (window.letters, window.documents, window.issues):  # shown, so made
        window.tabs.setCurrentWidget(other)
    explanation = window.issues.text_edits["explanation"]
    assert explanation.isReadOnly()
    qtbot.keyClicks(explanation, " More")
    assert explanation.toPlainText() == "The repair was booked in time."
    assert not window.saver.has_pending
    assert not window.issues.add_note_button.isEnabled()
    assert window.issues.filter_combo.isEnabled() and window.letters.kind_combo.isEnabled()
    assert not window.documents.attach_button.isEnabled()
    # A fresh letter preview (it arrives after a pause) does not unlock saving the letter.
    window.tabs.setCurrentWidget(window.letters)
    window.letters.refresh_preview()
    qtbot.waitUntil(lambda: not window.letters.previewing)
    assert window.letters.preview is not None
    assert not window.letters.save_button.isEnabled()
    window.tabs.setCurrentWidget(tab)
    for key in ("acknowledge", "extend", "attempt", "withdraw", "close", "member"):
        button = tab.panel.buttons[key]
        assert not button.isEnabled(), key
        assert "is closed" in button.toolTip() and "re-open it first" in button.toolTip()
    assert tab.panel.buttons["reopen"].isEnabled()

    step(qtbot, tab.panel, "reopen", on=D(2026, 11, 24), reason="")
    assert message(window) == (
        "error",
        "Re-opening CW-2026-00001 needs a reason (Warwickshire section 9: a manager "
        "authorises re-opening, on the policy's grounds)",
    )
    step(
        qtbot,
        tab.panel,
        "reopen",
        on=D(2026, 11, 24),
        reason="The complainant sent photographs we had not seen",
    )
    assert message(window) == ("ok", "Case re-opened.")
    assert shown(tab, "status") == "Open"
    assert window.read_only_bar.text() == ""
    for other in (window.letters, window.documents, window.issues):  # each, once shown again
        window.tabs.setCurrentWidget(other)
    window.tabs.setCurrentWidget(tab)
    assert not explanation.isReadOnly() and window.documents.attach_button.isEnabled()
    assert window.issues.add_note_button.isEnabled()
    assert window.letters.preview_edit.isReadOnly()  # read-only for its own reasons: left so
    assert shown(tab, "ended") == (
        "Re-opened 24 Nov 2026: The complainant sent photographs we had not seen"
    )
    assert tab.panel.buttons["attempt"].isEnabled()
    assert tab.panel.buttons["extend"].toolTip() == (
        "Not now: the stage 1 response to CW-2026-00001 was sent on 2026-11-20: nothing to extend"
    )


# -- the Next stage tab -----------------------------------------------------------------------


def stoke_answered(qtbot, desk, open_window) -> CaseWindow:
    """A Stoke case whose stage 1 response went by email on Monday 19 October."""
    window = open_window(new_case(desk, "stoke-on-trent", D(2026, 10, 5)), tab="progress")
    step(
        qtbot,
        window.progress.panel,
        "response",
        sent_on=D(2026, 10, 19),
        method=SendMethod.EMAIL,
        outcome=Outcome.NOT_UPHELD,
    )
    assert message(window) == ("ok", "Response recorded.")
    window.tabs.setCurrentWidget(window.stage2)
    return window


def test_a_late_request_is_flagged_and_accepting_starts_stage_2(qtbot, desk, open_window):
    window = stoke_answered(qtbot, desk, open_window)
    tab = window.stage2
    assert not tab.panel.buttons["accept"].isEnabled()
    # Stoke: 10 working days from deemed receipt (the same day by email) ends on 2 November.
    assert shown(tab, "window") == "Stage 2 may be asked for until 2 Nov 2026."
    step(qtbot, tab.panel, "escalation", on=D(2026, 11, 3), reason="Point 2 was not answered")
    assert message(window) == (
        "warning",
        "Request logged and flagged for the decision: asked for on 2026-11-03, after "
        "the window ended on 2026-11-02.",
    )
    assert tab.flag_bar.text() == (
        "Flagged for the decision: Late: asked on 3 Nov 2026; the response was deemed received "
        "on 19 Oct 2026, so the window ended on 2 Nov 2026. Decide whether to accept it anyway."
    )
    # Stoke decides within 5 working days.
    assert shown(tab, "request") == (
        "Asked on 3 Nov 2026 for stage 2: “Point 2 was not answered”. Decide by 10 Nov 2026."
    )
    assert not tab.panel.buttons["escalation"].isEnabled()

    step(qtbot, tab.panel, "accept", on=D(2026, 11, 6))
    assert message(window) == ("ok", "Request accepted: the next stage's clock has started.")
    # Stage 2: 20 working days from the request on Tuesday 3 November is Tuesday 1 December.
    assert shown(tab, "stage").startswith("Stage 2")
    assert shown(tab, "stage").endswith(
        "(stage 2 of 2, since 3 Nov 2026). Clock: respond by 1 Dec 2026."
    )
    assert shown(tab, "decision") == "Accepted on 6 Nov 2026."
    assert tab.flag_bar.text() == ""
    window.tabs.setCurrentWidget(window.progress)
    assert shown(window.progress, "clock") == "Respond by 1 Dec 2026"


def test_refusing_needs_the_reasons(qtbot, desk, open_window):
    window = stoke_answered(qtbot, desk, open_window)
    tab = window.stage2
    step(qtbot, tab.panel, "escalation", on=D(2026, 10, 26))
    assert message(window) == ("ok", "Request logged.")
    assert tab.flag_bar.text() == ""
    step(qtbot, tab.panel, "refuse", on=D(2026, 10, 28), reasons="  ")
    kind, text = message(window)
    assert kind == "error" and text.startswith(
        "Refusing to take CW-2026-00001 to the next stage needs the reasons"
    )
    step(qtbot, tab.panel, "refuse", on=D(2026, 10, 28), reasons="No new information")
    assert shown(tab, "decision") == "Refused on 28 Oct 2026: No new information"


def test_ombudsman_involvement_and_actions_tracked_to_completion(qtbot, desk, open_window):
    case_id = new_case(desk, "stoke-on-trent", D(2026, 10, 5))
    issue = casefile.load_case_file(desk, case_id).issues[0].id
    investigation.update_issue(
        desk,
        issue,
        finding="upheld",
        explanation="The repair was missed.",
        remedy="An apology and the repair",
        action="Repair the pothole",
        action_due=D(2026, 11, 30),
    )
    window = open_window(case_id, tab="progress")
    step(
        qtbot,
        window.progress.panel,
        "response",
        sent_on=D(2026, 10, 19),
        method=SendMethod.EMAIL,
        outcome=Outcome.UPHELD,
    )
    tab = window.stage2
    window.tabs.setCurrentWidget(tab)

    assert not tab.panel.buttons["decision"].isEnabled()
    enquiry = tab.panel.forms["enquiry"].fields["body"]
    assert enquiry.currentData() == OmbudsmanBody.LGSCO  # the corporate route's Ombudsman
    step(
        qtbot,
        tab.panel,
        "enquiry",
        body=OmbudsmanBody.LGSCO,
        reference="25 001 234",
        on=D(2026, 11, 2),
    )
    assert message(window) == ("ok", "Ombudsman enquiry recorded.")
    step(
        qtbot,
        tab.panel,
        "decision",
        decision="Fault causing injustice",
        on=D(2026, 11, 16),
        remedy="Pay £150 for the time and trouble",
        remedy_due=D(2026, 12, 14),
    )
    assert message(window) == ("ok", "Ombudsman decision recorded.")
    step(qtbot, tab.panel, "complied", on=D(2026, 11, 10))
    assert message(window) == (
        "error",
        "The compliance date 2026-11-10 is before the decision (2026-11-16)",
    )
    step(qtbot, tab.panel, "complied", on=D(2026, 11, 24))
    assert cells(tab.ombudsman_model) == [
        [
            "Local Government and Social Care Ombudsman",
            "25 001 234",
            "2 Nov 2026",
            "Fault causing injustice (16 Nov 2026)",
            "Pay £150 for the time and trouble, due 14 Dec 2026",
            "24 Nov 2026",
        ]
    ]

    assert cells(tab.actions_model) == [
        ["1", "Repair the pothole", "An apology and the repair", "30 Nov 2026", "Outstanding"]
    ]
    assert not tab.complete_button.isEnabled()  # nothing chosen yet
    tab.select_action(1)
    tab.completed_on.setDate(QDate(2026, 11, 20))
    qtbot.mouseClick(tab.complete_button, Qt.MouseButton.LeftButton)
    assert message(window) == ("ok", "The action on issue 1 is marked done on 20 Nov 2026.")
    assert cells(tab.actions_model)[0][-1] == "20 Nov 2026"


def test_the_stage_file_is_exported_as_word_and_zip(
    qtbot, desk, open_window, tmp_path, monkeypatch
):
    window = stoke_answered(qtbot, desk, open_window)
    tab = window.stage2
    window.tabs.setCurrentWidget(window.progress)
    step(
        qtbot,
        window.progress.panel,
        "attempt",
        on=D(2026, 10, 12),
        time=dt.time(14, 15),
        method=ContactMethod.PHONE,
        result="Talked through the complaint",
        answered=True,
    )
    window.tabs.setCurrentWidget(tab)
    folder = tmp_path / "for the Ombudsman"
    offered: list[Any] = []
    monkeypatch.setattr(stage2_module, "choose_folder", lambda *_: folder)
    monkeypatch.setattr(stage2_module, "offer_to_open", lambda _parent, pack: offered.append(pack))
    with qtbot.waitSignal(tab.exported, timeout=60_000) as written:
        qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    pack = written.args[0]
    assert offered == [pack]
    assert (pack.document, pack.archive) == (
        folder / "CW-2026-00001-file.docx",
        folder / "CW-2026-00001-file.zip",
    )
    assert message(window) == ("ok", f"Stage file exported to {folder}.")
    assert tab.export_button.isEnabled()

    document = docx.Document(str(pack.document))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(cell.text for t in document.tables for row in t.rows for cell in row.cells)
    assert "CW-2026-00001" in text
    assert "Nobody came to repair the pothole." in text + tables
    assert "Talked through the complaint" in tables
    with zipfile.ZipFile(pack.archive) as archive:
        names = archive.namelist()
        assert {"CW-2026-00001-file.docx", "CW-2026-00001.json", "audit-trail.csv"} <= set(names)
        exported = json.loads(archive.read("CW-2026-00001.json"))
        assert '"response_sent": "2026-10-19"' in json.dumps(exported)
        assert "response_sent" in archive.read("audit-trail.csv").decode()
        assert archive.read("CW-2026-00001-file.docx") == pack.document.read_bytes()


def test_an_officer_without_the_role_is_offered_no_managers_step(qtbot, app, open_window, desk):
    """Acting as an investigating officer on their own case: the manager's steps are off, and
    say who decides."""
    from caseworker.domain.enums import Role
    from caseworker.storage.models import Case, Officer

    case_id = new_case(desk, "warwickshire", D(2026, 11, 2))
    with app.uow() as uow:
        officer = Officer(
            name="Ann Smith",
            email="ann@council.example",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
            login="ann",
        )
        uow.session.add(officer)
        uow.session.flush()
        uow.session.get(Case, case_id).officer_id = officer.id
        uow.commit()
    ann = Context(app.sessions, actor="ann", today=lambda: TODAY)
    window = CaseWindow(ann, case_id)
    qtbot.addWidget(window)
    window.show()
    tab = window.progress
    window.tabs.setCurrentWidget(tab)
    assert tab.panel.buttons["extend"].isEnabled()
    assert tab.panel.buttons["attempt"].isEnabled()
    for key in ("suspend", "discontinue"):
        assert not tab.panel.buttons[key].isEnabled()
        assert "a manager decides this" in tab.panel.buttons[key].toolTip()
    window.tabs.setCurrentWidget(window.stage2)
    assert not window.stage2.panel.buttons["enquiry"].isEnabled()
    assert not window.stage2.export_button.isEnabled()
    window.close()
    assert Step.SUSPEND in tab.progress.not_open
    assert tab.progress.status == CaseStatus.OPEN


def test_an_officer_reads_a_colleagues_case_but_works_on_their_own(qtbot, app, desk):
    theirs = new_case(desk, "stockport", D(2026, 11, 2))
    mine = new_case(desk, "stockport", D(2026, 11, 3))
    with app.uow() as uow:
        jo = Officer(
            name="Jo Bloggs",
            email="jo@council.example",
            role=Role.INVESTIGATING_OFFICER,
            service_area="Highways",
            login="jbloggs",
        )
        uow.session.add(jo)
        uow.session.flush()
        uow.session.get(Case, mine).officer_id = jo.id
        uow.session.get(Case, theirs).stage1_officer_id = jo.id  # Jo had it before: may read it
        uow.commit()
    jos = Context(app.sessions, actor="jbloggs", today=lambda: TODAY)
    windows = {case_id: CaseWindow(jos, case_id) for case_id in (theirs, mine)}
    for window in windows.values():
        qtbot.addWidget(window)
        window.show()
    colleague, own = windows[theirs], windows[mine]
    for window in windows.values():
        window.tabs.setCurrentWidget(window.issues)
    assert colleague.read_only_bar.text().startswith(
        "Read only: Jo Bloggs (an investigating officer) may not work on CW-2026-00001 (an "
        "investigating officer works on their own cases)"
    )
    assert colleague.issues.text_edits["explanation"].isReadOnly()
    assert own.read_only_bar.text() == ""
    edit = own.issues.text_edits["explanation"]
    assert not edit.isReadOnly()
    qtbot.keyClicks(edit, "Checked the repair log")
    assert own.save_now()
    assert casefile.load_case_file(jos, mine).issues[0].explanation == "Checked the repair log"
    for window in windows.values():
        window.close()


# -- the tabs' tables -----------------------------------------------------------------------------


def test_the_six_tables_keep_to_qts_model_rules_through_every_step(qtbot, app, desk, open_window):
    """Extensions, suspensions, contact attempts, restrictions, the Ombudsman and the actions:
    each model is watched by Qt's model tester (a broken rule aborts the run) from before the
    first step to the last, through the resets every step's reload makes."""
    from PySide6.QtTest import QAbstractItemModelTester

    from caseworker.services.cases import actions
    from caseworker.storage.models import Issue

    case_id = new_case(desk, "warwickshire", D(2026, 11, 2))
    with app.uow() as uow:
        issue_id = uow.session.query(Issue).filter_by(case_id=case_id).one().id
    actions.set_action(desk, issue_id, action="Fill the pothole", due=D(2026, 12, 1))
    window = open_window(case_id, "stage2")  # both tabs shown, so made
    progress, stage2 = window.progress, window.stage2
    window.tabs.setCurrentWidget(progress)
    models = [
        progress.extensions_model,
        progress.suspensions_model,
        progress.attempts_model,
        progress.restrictions_model,
        stage2.ombudsman_model,
        stage2.actions_model,
    ]
    fatal = QAbstractItemModelTester.FailureReportingMode.Fatal
    testers = [QAbstractItemModelTester(model, fatal, window) for model in models]
    # Choosing a review date starts from the core's today, not the computer's.
    assert progress.panel.forms["restrict"].fields["review_on"]._today() == TODAY

    step(
        qtbot,
        progress.panel,
        "extend",
        new_date=D(2026, 11, 30),
        reason="Waiting for the contractor's records",
        told_on=D(2026, 11, 13),
        told_method=ContactMethod.EMAIL,
    )
    step(qtbot, progress.panel, "suspend", start=D(2026, 11, 16), ground="Grievance")
    step(qtbot, progress.panel, "resume", on=D(2026, 11, 18))
    step(
        qtbot,
        progress.panel,
        "attempt",
        on=D(2026, 11, 9),
        time=dt.time(11, 0),
        method=ContactMethod.PHONE,
        result="No answer",
    )
    step(
        qtbot,
        progress.panel,
        "restrict",
        restrictions=["legal-action"],
        reason="Threats to the crew",
        decided_on=D(2026, 11, 20),
        review_on=D(2027, 2, 19),
    )
    assert message(window) == (
        "ok",
        "Contact restrictions recorded: tell the complainant in writing.",
    )
    window.tabs.setCurrentWidget(stage2)
    step(qtbot, stage2.panel, "enquiry", reference="26 001 002", on=D(2026, 11, 24))
    stage2.select_action(1)
    tip = stage2.complete_button.toolTip()
    assert stage2.complete_button.isEnabled(), tip
    qtbot.mouseClick(stage2.complete_button, Qt.MouseButton.LeftButton)
    assert message(window) == ("ok", "The action on issue 1 is marked done on 25 Nov 2026.")
    stage2.select_action(1)
    assert not stage2.complete_button.isEnabled()
    assert stage2.complete_button.toolTip() == (
        "Not now: every action on CW-2026-00001 has been completed"
    )

    assert [model.rowCount() for model in models] == [1, 1, 1, 1, 1, 1]
    # The clock stopped on the 16th and ran again on the 18th (the core's restart date).
    assert cells(progress.suspensions_model) == [["16 Nov 2026", "18 Nov 2026", "Grievance"]]
    assert cells(progress.restrictions_model)[0][:2] == ["Legal action may be taken", "20 Nov 2026"]
    assert cells(stage2.ombudsman_model)[0][:3] == [
        "Local Government and Social Care Ombudsman",
        "26 001 002",
        "24 Nov 2026",
    ]
    assert cells(stage2.actions_model) == [
        ["1", "Fill the pothole", "—", "1 Dec 2026", "25 Nov 2026"]
    ]
    assert all(tester.failureReportingMode() == fatal for tester in testers)


def test_the_ombudsman_steps_wait_for_what_they_act_on(qtbot, desk, open_window):
    """A decision needs an enquiry and compliance an agreed remedy: the core says so, in the
    buttons' tooltips."""
    window = stoke_answered(qtbot, desk, open_window)
    tab = window.stage2
    assert not tab.panel.buttons["decision"].isEnabled()
    assert tab.panel.buttons["decision"].toolTip() == (
        "Not now: no Ombudsman enquiry is recorded on CW-2026-00001"
    )
    step(qtbot, tab.panel, "enquiry", on=D(2026, 11, 2))
    assert tab.panel.buttons["decision"].isEnabled()
    assert tab.panel.buttons["complied"].toolTip() == (
        "Not now: no remedy has been agreed with the Ombudsman to comply with"
    )
    step(
        qtbot,
        tab.panel,
        "decision",
        decision="Fault causing injustice",
        on=D(2026, 11, 16),
        remedy="Pay £100",
    )
    assert tab.panel.buttons["complied"].isEnabled()
    step(qtbot, tab.panel, "complied", on=D(2026, 11, 20))
    assert tab.panel.buttons["complied"].toolTip() == (
        "Not now: every remedy agreed with the Ombudsman on CW-2026-00001 was complied with"
    )
