"""Pictures of the app as a person sees it: ``python -m caseworker_ui.screenshots.main OUTDIR``.

Renders the main window offscreen on a throwaway database of made-up cases and saves PNGs:

* ``main-window.png``: all cases, newest first;
* ``overdue.png``: the Overdue quick view, most overdue first;
* ``no-match.png``: a filter that matches nothing;
* ``empty-database.png``: the first run, before any case is recorded;
* ``case-file/new-case.png``: the new-case form part-filled, with triage's answers beside it;
* ``case-file/new-case-from-email.png`` and ``new-case-from-email-filled.png``: the same form
  filled in from an email dropped on the main window, its attachments listed, then further down
  the complainant and their points taken from it;
* ``case-file/overview.png``, ``issues.png``, ``interviews.png``, ``home-visit.png``,
  ``letters.png``, ``documents.png``, ``timeline.png``: each tab of the case file window on the
  most overdue case, with a hearsay note, an interview half-way through its end steps, a risk
  assessment waiting for a manager's sign-off, and documents and an email (one document
  removed with a reason) added as an officer would add them;
* ``case-file/progress.png``: the Progress tab on a Warwickshire case suspended, resumed,
  extended and with two unanswered contact attempts; ``next-stage.png``: a Stoke case at stage 2
  after a late request, with an Ombudsman enquiry; ``next-stage-late.png``: a late request
  flagged for the decision.

The cases come from the demo generator (:func:`caseworker.demo.generate_demo`, as
``caseworker demo`` makes them) with a fixed seed and a fixed "today" (Wednesday 25 November
2026), so that the pictures are the same on every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
LOGIN = "jbloggs"
SIZE = (1366, 768)
if _size := os.environ.get("CASEWORKER_SCREENSHOT_SIZE", ""):  # e.g. 1280x720 for 1920×1080
    SIZE = tuple(int(n) for n in _size.lower().split("x"))  # type: ignore[assignment]
"""The window's size in pixels before scaling: 1366×768, or 1280×720 with QT_SCALE_FACTOR=1.5
(a 1920×1080 screen at 150%)."""
CASES = 400
SEED = 2026
CASE_FILE_DIR = "case-file"


def render(outdir: Path, count: int = CASES) -> list[Path]:
    """Save the screenshots in ``outdir``; the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt

    from caseworker.bootstrap import open_app
    from caseworker.demo import generate_demo
    from caseworker.services.lists.caselist import CaseList, QuickView
    from caseworker.services.officers import link_to_complaints_manager
    from caseworker_ui.app import application
    from caseworker_ui.main_window import MainWindow
    from caseworker_ui.models.case_list import CaseListModel

    qt_app = application()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shoot(window: MainWindow, name: str) -> None:
        for _ in range(3):
            qt_app.processEvents()
        path = outdir / name
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    with tempfile.TemporaryDirectory() as folder:
        for database, cases in (("caseworker.sqlite", count), ("empty.sqlite", 0)):
            app = open_app(f"sqlite:///{Path(folder) / database}", actor=LOGIN)
            try:
                if cases:
                    generate_demo(app.engine, cases, seed=SEED, today=TODAY)
                    link_to_complaints_manager(app.context())  # as `caseworker demo` does
                cases_list = CaseList(app.context(today=lambda: TODAY))
                window = MainWindow(
                    cases_list, database=database, desk=app.context(today=lambda: TODAY)
                )  # with its desk, as the app opens it: search, Today and New case shown
                window.resize(*SIZE)
                window.show()
                if cases:
                    written.extend(
                        render_case_file(app, outdir / CASE_FILE_DIR, window, cases_list)
                    )
                    window.show_view(QuickView.ALL)  # it opens on Today: the list itself
                    shoot(window, "main-window.png")
                    window.show_view(QuickView.OVERDUE)
                    window.table.sortByColumn(CaseListModel.DUE, Qt.SortOrder.AscendingOrder)
                    shoot(window, "overdue.png")
                    window.clear_filters()
                    window.filter_edit.setText("Nobody Atall")
                    window.filter_edit.returnPressed.emit()
                    shoot(window, "no-match.png")
                else:
                    shoot(window, "empty-database.png")
                window.close()
                window.deleteLater()
                qt_app.processEvents()
            finally:
                app.close()
    return written


def _settle(qt_app) -> None:
    for _ in range(5):
        qt_app.processEvents()


def render_case_file(app, outdir: Path, main_window, cases) -> list[Path]:
    """The new-case form and each tab of one case file, as PNGs in ``outdir``."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from caseworker.domain.enums import InterviewMethod, NoteKind, RiskDecision
    from caseworker.services.cases import casefile
    from caseworker.services.context import Context
    from caseworker.services.investigation import homevisit
    from caseworker.services.investigation import issues as investigation
    from caseworker.services.investigation.issues import InterviewIn, suggested_outcome
    from caseworker.services.lists.caselist import CaseFilter, CaseSort, QuickView, SortKey
    from caseworker_ui.case_window import CaseWindow
    from caseworker_ui.dialogs.new_case import NewCaseDialog

    qt_app = QApplication.instance()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    desk = Context(app.sessions, actor=LOGIN, today=lambda: TODAY)

    def save(widget, name: str) -> None:
        _settle(qt_app)
        path = outdir / name
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)

    # The new-case form, part-filled: a representative whose consent has not arrived yet.
    form = NewCaseDialog(desk, main_window)
    form.resize(*SIZE)
    form.policy_combo.setCurrentIndex(form.policy_combo.findData("stockport"))
    form.service_edit.setText("Waste and Recycling")
    form.first_aware_edit.setDate(QDate(2026, 11, 9))
    form.title_combo.setCurrentText("Mrs")
    form.name_edit.setText("margaret ó ceallaigh")  # typed in lower case: letters tidy it
    form.address_edit.setPlainText("12 Quarry Lane\nNettleford")
    form.postcode_edit.setText("QQ4 7ZZ")
    form.rep_check.setChecked(True)
    form.rep_name_edit.setText("David Example")
    form.rep_relationship_edit.setText("Son")
    form.summary_edit.setPlainText("Her assisted bin collection has been missed three times.")
    form.subject_edit.setText("the missed assisted collections of your bin")
    form.issues_edit.setPlainText(
        "The bin was missed on 9, 16 and 23 November.\nNobody replied to her calls."
    )
    form.run_triage()
    form.show()
    _settle(qt_app)
    consent = next(
        row
        for row in range(form.triage_model.rowCount())
        if form.triage_model.index(row).data(form.triage_model.FIELD_ROLE) == "consent"
    )
    form.go_to(form.triage_model.index(consent))  # as if the officer clicked the answer
    save(form, "new-case.png")
    form.close()
    form.deleteLater()

    # The most overdue open case, worked on a little.
    rows = cases.page(CaseFilter(view=QuickView.OVERDUE), CaseSort(SortKey.DUE, False), limit=20)
    case_id = rows[0].summary.id
    for row in rows:
        if casefile.load_case_file(desk, row.summary.id).issues:
            case_id = row.summary.id
            break
    case = casefile.load_case_file(desk, case_id)
    if case.issues:
        issue = case.issues[0].id
        investigation.add_note(
            desk,
            issue,
            NoteKind.HEARSAY,
            "The team manager says this was explained to the complainant at the time.",
            "Team manager, by phone",
        )
        investigation.add_note(
            desk,
            issue,
            NoteKind.ACTION,
            "Ask the service for its records of the dates the complainant gave.",
        )
    interview = investigation.record_interview(
        desk,
        case_id,
        InterviewIn(
            interviewee="Sam Okafor",
            interviewee_role="Team manager",
            held_on=TODAY - dt.timedelta(days=5),
            method=InterviewMethod.IN_PERSON,
            accompanied_by="Lee Hart",
            accompanied_as="union representative",
        ),
    )
    investigation.update_interview(
        desk,
        interview,
        notes="Says the information came from the service's "
        "records and was checked before it was shared. Agrees nobody told the "
        "complainant when it would be put right.",
    )
    investigation.read_back_summary(
        desk,
        interview,
        "Records checked before sharing; complainant not told when it would be put right.",
    )
    # Findings on every point, so that the letter has an outcome to state.
    case = casefile.load_case_file(desk, case_id)
    for number, point in enumerate(case.issues):
        if number == 0:
            investigation.update_issue(
                desk,
                point.id,
                finding="upheld",
                explanation="The records show the information was out of date when it was shared.",
                remedy="The report has been corrected and the copies replaced.",
                lesson_learnt="Reports are now checked against the latest "
                "records the day before a meeting.",
            )
        elif point.finding is None:
            investigation.update_issue(
                desk,
                point.id,
                finding="not-upheld",
                explanation="The records show this was done as the procedure sets out.",
            )
    investigation.record_outcome(
        desk,
        case_id,
        suggested_outcome(
            [point.finding for point in casefile.load_case_file(desk, case_id).issues]
        ),
    )
    investigation.update_case_text(
        desk,
        case_id,
        steps_taken="I read the service's records, interviewed the "
        "team manager and checked the report against the records.",
    )
    assessment = homevisit.start_assessment(desk, case_id)
    homevisit.update_assessment(
        desk,
        assessment,
        answers={
            "previous_contact": "Two earlier complaints, no warning markers.",
            "location": "Terraced street, parking outside, good mobile signal.",
        },
        known_risks="None known",
        means_of_contact="Work mobile 07700 900123",
        decision=RiskDecision.PROCEED_WITH_COLLEAGUE,
    )

    from caseworker_ui.screenshots import evidence as screenshots_evidence

    files = Path(tempfile.mkdtemp(prefix="caseworker-shots-"))
    screenshots_evidence.add_evidence(app, case_id, files)

    window = CaseWindow(desk, case_id)
    window.resize(*SIZE)
    window.show()
    names = {
        window.overview: "overview",
        window.issues: "issues",
        window.interviews: "interviews",
        window.home_visit: "home-visit",
        window.letters: "letters",
        window.documents: "documents",
        window.timeline: "timeline",
    }
    for tab, name in names.items():  # the Progress and Next stage tabs: render_progress
        window.tabs.setCurrentWidget(tab)
        if name == "issues":
            tab.notes_view.scrollToTop()
        if name == "letters":
            tab.preview_now()
        if name == "documents":
            tab.show_removed.setChecked(True)
            tab.emails_table.selectRow(0)
            tab.table.selectRow(2)  # the removed one: its reason shows below the list
        save(window, f"{name}.png")
    window.close()
    window.deleteLater()

    # The new-case form as it opens for an email dropped on the main window.
    form = screenshots_evidence.new_case_from_email(desk, main_window, files)
    form.resize(*SIZE)
    form.show()
    form.run_triage()
    save(form, "new-case-from-email.png")
    complainant = form.name_edit.parentWidget()
    assert complainant is not None
    form.scroll.verticalScrollBar().setValue(complainant.y() - 8)
    save(form, "new-case-from-email-filled.png")
    form.close()
    form.deleteLater()
    _settle(qt_app)
    render_progress(app, desk, save)
    return written


def render_progress(app, desk, save) -> None:
    """The Progress and Next stage tabs on cases taken through their steps as a manager would:
    a Warwickshire case suspended, resumed, extended and with two unanswered contact attempts;
    a Stoke case at stage 2 after a late request, with an Ombudsman enquiry; and a Stoke case
    whose late request waits for the decision."""
    from PySide6.QtWidgets import QApplication

    from caseworker.domain.enums import ContactMethod, Outcome, Role, SendMethod
    from caseworker.domain.lifecycle import OmbudsmanBody
    from caseworker.services.cases import casefile, escalation, intake, lifecycle, ombudsman
    from caseworker.services.cases.intake import NewCase, PersonIn
    from caseworker.services.investigation import issues as investigation
    from caseworker.services.investigation import stage2
    from caseworker.storage.models import Officer
    from caseworker_ui.case_window import CaseWindow

    qt_app = QApplication.instance()
    with app.uow() as uow:  # the person taking the pictures is the complaints manager
        if not uow.session.query(Officer).filter_by(login=LOGIN).count():
            uow.session.add(
                Officer(
                    name="Jo Bloggs",
                    email="jo.bloggs@council.example",
                    role=Role.COMPLAINTS_MANAGER,
                    login=LOGIN,
                    service_area="Customer Feedback",
                )
            )
            uow.commit()
    d, at = dt.date, dt.datetime

    def new(policy: str, received: dt.date, name: str, summary: str, *issues: str) -> int:
        return intake.create_case(
            desk,
            NewCase(
                policy_id=policy,
                received=received,
                service_area="Highways",
                summary=summary,
                first_aware=received - dt.timedelta(days=4),
                complainant=PersonIn(
                    name=name,
                    address="7 Orchard Row, Nettleford",
                    postcode="QQ3 8XY",
                    email="resident@example.com",
                ),
                issues=issues,
            ),
        ).id

    warwick = new(
        "warwickshire",
        d(2026, 11, 2),
        "Helen Example",
        "A claim for pothole damage to her car was never answered.",
        "Nobody answered my claim for the damage to my car.",
        "The pothole is still there.",
    )
    # The window's desk is a Context: each step is the core's function, called with it.
    lifecycle.suspend(
        desk,
        warwick,
        start=d(2026, 11, 4),
        ground="Court proceedings",
        details="The complainant's county court claim for the damage",
    )
    lifecycle.resume(desk, warwick, resumed_on=d(2026, 11, 11))
    lifecycle.extend(
        desk,
        warwick,
        new_date=d(2026, 12, 7),
        reason="Waiting for the contractor's inspection records",
        told_on=d(2026, 11, 18),
        told_method=ContactMethod.EMAIL,
    )
    lifecycle.record_contact_attempt(
        desk,
        warwick,
        at=at(2026, 11, 19, 10, 5, tzinfo=dt.UTC),
        method=ContactMethod.PHONE,
        result="No answer; voicemail left",
    )
    lifecycle.record_contact_attempt(
        desk,
        warwick,
        at=at(2026, 11, 23, 14, 30, tzinfo=dt.UTC),
        method=ContactMethod.EMAIL,
        result="Asked for photographs; no reply yet",
    )

    stoke = new(
        "stoke-on-trent",
        d(2026, 10, 5),
        "Daniel Example",
        "A missed repair to the pavement outside his house.",
        "The pavement was not repaired after I reported it.",
    )
    issue = casefile.load_case_file(desk, stoke).issues[0].id
    investigation.update_issue(
        desk,
        issue,
        finding="upheld",
        explanation="The repair order was lost.",
        remedy="An apology and the repair",
        action="Repair the pavement",
        action_due=d(2026, 12, 4),
    )
    lifecycle.record_response_sent(
        desk, stoke, sent_on=d(2026, 10, 19), method=SendMethod.EMAIL, outcome=Outcome.UPHELD
    )
    escalation.log_escalation_request(
        desk, stoke, requested_on=d(2026, 11, 3), reason="The repair still has not been done"
    )
    escalation.accept_escalation(desk, stoke, decided_on=d(2026, 11, 6))
    review = investigation.add_issue(desk, stoke, "Nobody told me when the repair would be done.")
    stage2.record_stage2_finding(
        desk,
        issue,
        finding="upheld",
        explanation="The repair order was lost again after stage 1 and never reissued.",
        remedy="The pavement was repaired on 18 November; an apology in our letter.",
    )
    stage2.record_stage2_finding(
        desk,
        review,
        finding="partially-upheld",
        explanation="We told you the repair was booked but gave you no date.",
        remedy="Repairs letters now give the date booked.",
    )
    lifecycle.record_response_sent(
        desk,
        stoke,
        sent_on=d(2026, 11, 20),
        method=SendMethod.FIRST_CLASS,
        outcome=Outcome.UPHELD,
    )
    ombudsman.record_ombudsman_enquiry(
        desk, stoke, enquiry_on=d(2026, 11, 24), reference="26 004 512", body=OmbudsmanBody.LGSCO
    )

    waiting = new(
        "stoke-on-trent",
        d(2026, 10, 12),
        "Ruth Example",
        "Her blue badge parking bay was painted in the wrong place.",
        "The bay is too far from my door.",
    )
    lifecycle.record_response_sent(
        desk,
        waiting,
        sent_on=d(2026, 10, 26),
        method=SendMethod.SECOND_CLASS,
        outcome=Outcome.NOT_UPHELD,
    )
    escalation.log_escalation_request(
        desk, waiting, requested_on=d(2026, 11, 24), reason="The bay is still unusable"
    )

    for case_id, tab, name in (
        (warwick, "progress", "progress.png"),
        (stoke, "stage2", "next-stage.png"),
        (waiting, "stage2", "next-stage-late.png"),
    ):
        window = CaseWindow(desk, case_id)
        window.resize(*SIZE)
        window.show()
        window.tabs.setCurrentWidget(getattr(window, tab))
        save(window, name)
        window.close()
        window.deleteLater()
        _settle(qt_app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m caseworker_ui.screenshots.main",
        description="Render the main window to PNG files.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the PNG files to")
    parser.add_argument("--cases", type=int, default=CASES, help=f"how many demo cases ({CASES})")
    args = parser.parse_args(argv)
    for path in render(args.outdir, args.cases):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
