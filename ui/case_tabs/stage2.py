"""Next stage: the request for the next stage and its decision, the Ombudsman's involvement, the
remedies and actions still outstanding, and the stage file for review or the Ombudsman.

A request is checked by the core against the window counted from when the response was deemed
received; a late one is flagged for the decision, not refused. Building the file pack runs on a
worker thread with a progress dialog, so a large case never freezes the window.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import Finding
from caseworker.domain.lifecycle import EscalationDecision
from caseworker.services.cases import actions, escalation, ombudsman
from caseworker.services.cases.casefile import IssueView
from caseworker.services.cases.progress import OMBUDSMEN, SEND_METHODS, Progress
from caseworker.services.cases.steps import Step
from caseworker.services.investigation import stage2
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    date_edit,
    date_text,
    form,
    value_label,
)
from caseworker_ui.case_tabs.progress import StepsTab, scrolled, stage_words, table
from caseworker_ui.case_tabs.steps import StepForm, StepPanel
from caseworker_ui.models.progress import (
    ActionsModel,
    OmbudsmanModel,
    ReviewPointsModel,
    stage1_found,
)
from caseworker_ui.reports.worker import Task, TaskSignals

if TYPE_CHECKING:
    from caseworker.services.records.filepack import ExportedPack

FINDING_CHOICES = (
    ("Choose the finding…", None),
    ("Upheld", Finding.UPHELD),
    ("Partially upheld", Finding.PARTIALLY_UPHELD),
    ("Not upheld", Finding.NOT_UPHELD),
)


def shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def choose_folder(parent: QWidget, start: str) -> Path | None:
    """Ask for the folder to write the file pack to; ``None`` when cancelled."""
    chosen = QFileDialog.getExistingDirectory(parent, "Export the file to which folder?", start)
    return Path(chosen) if chosen else None


def offer_to_open(parent: QWidget, pack: ExportedPack) -> None:
    """Say where the files went and offer to open their folder."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("File exported")
    box.setText(
        f"The file is in {pack.document.parent}:\n{pack.document.name} (Word)\n"
        f"{pack.archive.name} (the originals)"
    )
    open_button = box.addButton("Open the folder", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pack.document.parent)))


class Stage2Tab(StepsTab):
    title = "&Next stage"
    what = "The next stage"
    exported = Signal(object)
    """The file pack was written (an :class:`ExportedPack`)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("stage2Tab")
        self._pool = QThreadPool(self)
        self._signals: TaskSignals | None = None
        self._progress_dialog: QProgressDialog | None = None

    def build(self) -> None:
        super().build()
        today = self.desk.today()
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.notice)

        request = QGroupBox("Request for the next stage")
        request_column = QVBoxLayout(request)
        rows = form()
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("stage", "Now at:"),
            ("response", "Response:"),
            ("window", "Window:"),
            ("request", "Request:"),
            ("decision", "Decision:"),
        ):
            field = value_label(f"stage2_{key}")
            self.values[key] = field
            add_row(rows, label, field)
        request_column.addLayout(rows)
        self.flag_bar = MessageBar("escalationFlags")
        request_column.addWidget(self.flag_bar)
        self.panel = StepPanel("stage2Steps", columns=4)
        request_column.addWidget(self.panel)
        column.addWidget(request)
        self._build_steps(today)
        column.addWidget(self._build_review())

        ombudsman_box = QGroupBox("Ombudsman")
        inner = QVBoxLayout(ombudsman_box)
        self.ombudsman_model = OmbudsmanModel(self)
        self.ombudsman_view = table("ombudsmanTable", self.ombudsman_model, rows=2)
        inner.addWidget(self.ombudsman_view)
        column.addWidget(ombudsman_box)

        actions_box = QGroupBox("Remedies and actions promised")
        inner = QVBoxLayout(actions_box)
        hint = QLabel(
            "Track each action to completion after the letter has gone (the "
            "Complaint Handling Code: respond when the answer is known, track what is "
            "outstanding)."
        )
        hint.setWordWrap(True)
        inner.addWidget(hint)
        self.actions_model = ActionsModel(self)
        self.actions_view = table("actionsTable", self.actions_model, rows=3)
        inner.addWidget(self.actions_view)
        row = QHBoxLayout()
        self.completed_on = date_edit(today, "actionCompletedOn", "Action completed on")
        label = QLabel("&When done:")
        label.setBuddy(self.completed_on)
        self.complete_button = QPushButton("&Mark complete")
        self.complete_button.setObjectName("completeAction")
        row.addWidget(label)
        row.addWidget(self.completed_on)
        row.addWidget(self.complete_button)
        row.addStretch(1)
        inner.addLayout(row)
        column.addWidget(actions_box)

        file_box = QGroupBox("Stage file")
        inner = QHBoxLayout(file_box)
        explain = QLabel(
            "One Word document with the chronology, every issue with its notes and "
            "finding, interviews, risk assessments, letters and contacts, and a zip "
            "of the originals: for the stage 2 review or the Ombudsman."
        )
        explain.setWordWrap(True)
        self.export_button = QPushButton("&Export the stage file…")
        self.export_button.setObjectName("exportFilePack")
        inner.addWidget(explain, 1)
        inner.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addWidget(file_box)
        column.addStretch(1)
        scrolled(content, self)

        self.complete_button.clicked.connect(self.complete_action)
        self.actions_view.selectionModel().selectionChanged.connect(
            lambda *_: self._enable_complete()
        )
        self.export_button.clicked.connect(self.export_file)

    def _build_steps(self, today: dt.date) -> None:
        p = self.panel
        f = StepForm("escalation", "Log a request for the next stage", "Log the request")
        f.add_date("on", "&Asked on:", today)
        f.add_text("reason", "&Their reasons:", placeholder="In the complainant's words, if given")
        p.add("escalation", Step.LOG_ESCALATION, "Log request…", f, self._log_request)

        f = StepForm("accept", "Accept the request", "Accept: start the next stage")
        f.add_date("on", "&Decided on:", today)
        p.add(
            "accept",
            Step.DECIDE_ESCALATION,
            "Accept…",
            f,
            lambda f: self._case_step(
                lambda cid: escalation.accept_escalation(self.desk, cid, decided_on=f.value("on")),
                "Request accepted: the next stage's clock has started.",
            ),
        )

        f = StepForm("refuse", "Refuse the request", "Refuse the request")
        f.add_date("on", "&Decided on:", today)
        f.add_text(
            "reasons",
            "&Reasons:",
            lines=3,
            placeholder="The full explanation the refusal letter gives",
        )
        p.add(
            "refuse",
            Step.DECIDE_ESCALATION,
            "Refuse…",
            f,
            lambda f: self._case_step(
                lambda cid: escalation.refuse_escalation(
                    self.desk, cid, decided_on=f.value("on"), reasons=f.value("reasons")
                ),
                "Request refused: send the refusal letter with the reasons.",
            ),
        )

        f = StepForm("enquiry", "Ombudsman enquiry", "Record the enquiry")
        f.add_choice("body", "&Ombudsman:", [(label, body) for body, label in OMBUDSMEN.items()])
        f.add_line("reference", "Their &reference:")
        f.add_date("on", "&Enquiry received:", today)
        p.add(
            "enquiry",
            Step.OMBUDSMAN,
            "Ombudsman enquiry…",
            f,
            lambda f: self._case_step(
                lambda cid: ombudsman.record_ombudsman_enquiry(
                    self.desk,
                    cid,
                    enquiry_on=f.value("on"),
                    reference=f.value("reference"),
                    body=f.value("body"),
                ),
                "Ombudsman enquiry recorded.",
            ),
        )
        self.enquiry_form = f

        f = StepForm("decision", "Ombudsman decision", "Record the decision")
        f.add_choice("record", "&Enquiry:")
        f.add_text("decision", "&Decision:", placeholder="In the Ombudsman's words")
        f.add_date("on", "Decided &on:", today)
        f.add_text("remedy", "&Remedy agreed:", placeholder="Leave empty if none")
        f.add_optional_date("remedy_due", "Remedy &due:", today)
        p.add(
            "decision",
            Step.OMBUDSMAN_DECISION,
            "Ombudsman decision…",
            f,
            lambda f: self.run(
                lambda: ombudsman.record_ombudsman_decision(
                    self.desk,
                    f.value("record"),
                    decision=f.value("decision"),
                    decided_on=f.value("on"),
                    remedy_agreed=f.value("remedy"),
                    remedy_due=f.value("remedy_due"),
                ),
                "Ombudsman decision recorded.",
            ),
        )
        self.decision_form = f

        f = StepForm("complied", "Remedy complied with", "Record compliance")
        f.add_choice("record", "&Enquiry:")
        f.add_date("on", "Complied &on:", today)
        p.add(
            "complied",
            Step.REMEDY_COMPLIED,
            "Remedy complied…",
            f,
            lambda f: self.run(
                lambda: ombudsman.record_remedy_complied(
                    self.desk, f.value("record"), complied_on=f.value("on")
                ),
                "Compliance with the remedy recorded.",
            ),
        )
        self.complied_form = f

    # -- the stage 2 review of each point -------------------------------------------------------

    def _build_review(self) -> QGroupBox:
        """Each point with what stage 1 found (read-only) and the stage 2 finding; one step
        records the stage 2 finding, explanation and remedy of a point."""
        box = QGroupBox("Stage 2 review of each point")
        box.setObjectName("stage2Review")
        inner = QVBoxLayout(box)
        self.review_model = ReviewPointsModel(self)
        self.review_view = table("reviewTable", self.review_model, rows=3)
        self.review_view.setAccessibleName("Points under stage 2 review")
        inner.addWidget(self.review_view)
        self.review_panel = StepPanel("reviewSteps", columns=4)
        f = StepForm("review", "Stage 2 finding on a point", "Record the stage 2 finding")
        f.add_choice("point", "&Point:")
        f.add_choice("finding", "Stage 2 &finding:", FINDING_CHOICES)
        f.add_text("explanation", "&Explanation (why):", lines=3)
        f.add_text("remedy", "Remed&y (putting it right):", lines=2)
        self._shown_point: int | None = None
        """The point whose stage 2 finding the form shows (what typing in it changes)."""
        f.fields["point"].currentIndexChanged.connect(lambda _i: self._point_chosen())
        f.on_open = self._open_review
        self.review_panel.add(
            "review", Step.STAGE2_FINDING, "&Stage 2 finding…", f, self._record_finding
        )
        self.review_form = f
        inner.addWidget(self.review_panel)
        return box

    def _point(self, issue_id: int | None) -> IssueView | None:
        return next((i for i in self.host.case.issues if i.id == issue_id), None)

    def _open_review(self) -> None:
        """Open at the point chosen in the table, else the first without a stage 2 finding."""
        issues = self.host.case.issues
        rows = self.review_view.selectionModel().selectedRows()
        chosen = self.review_model.row(rows[0].row()) if rows else None
        if chosen is None:
            chosen = next((i for i in issues if i.stage2_finding is None), None)
        combo = self.review_form.fields["point"]
        assert isinstance(combo, QComboBox)
        combo.blockSignals(True)
        if chosen is not None:
            combo.setCurrentIndex(max(0, combo.findData(chosen.id)))
        combo.blockSignals(False)
        self._show_point()

    def _typed_for_shown_point(self) -> bool:
        """Whether the form holds words for the point shown that are not recorded yet."""
        issue = self._point(self._shown_point)
        if issue is None:
            return False
        f = self.review_form
        return (f.value("finding"), f.value("explanation"), f.value("remedy")) != (
            issue.stage2_finding,
            issue.stage2_explanation,
            issue.stage2_remedy,
        )

    def _point_chosen(self) -> None:
        """Another point chosen in the form: ask before dropping what was typed for the one
        shown; keeping it goes back to that point."""
        import caseworker_ui.discard as discard  # looked up here, so a test can answer

        issue = self._point(self._shown_point)
        if (
            issue is not None
            and self._typed_for_shown_point()
            and not discard.ask_discard(self, f"the stage 2 finding on point {issue.number}")
        ):
            combo = self.review_form.fields["point"]
            assert isinstance(combo, QComboBox)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(issue.id)))
            combo.blockSignals(False)
            return
        self._show_point()

    def _show_point(self) -> None:
        """The chosen point's stage 1 finding beside the form, and its stage 2 finding so far."""
        f = self.review_form
        issue = self._point(f.value("point"))
        self._shown_point = issue.id if issue is not None else None
        if issue is None:
            f.set_explain("")
            return
        said = f" {issue.explanation}" if issue.raised_at_stage == 1 and issue.explanation else ""
        f.set_explain(
            f"Point {issue.number}: {issue.summary}\nStage 1 found: {stage1_found(issue)}.{said}"
        )
        combo = f.fields["finding"]
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(max(0, combo.findData(issue.stage2_finding)))
        for key, value in (
            ("explanation", issue.stage2_explanation),
            ("remedy", issue.stage2_remedy),
        ):
            edit = f.fields[key]
            assert isinstance(edit, QPlainTextEdit)
            edit.setPlainText(value)

    def _record_finding(self, f: StepForm) -> bool:
        issue = self._point(f.value("point"))
        if issue is None:
            self.host.report("Choose the point first.")
            return False
        return self.run(
            lambda: stage2.record_stage2_finding(
                self.desk,
                issue.id,
                finding=f.value("finding"),
                explanation=f.value("explanation"),
                remedy=f.value("remedy"),
            ),
            f"Stage 2 finding on point {issue.number} recorded.",
        )

    def _show_review(self, p: Progress) -> None:
        issues = self.host.case.issues
        self.review_model.set_rows(issues)
        combo = self.review_form.fields["point"]
        combo.blockSignals(True)  # what is typed in an open form stays
        self.review_form.set_choices(
            "point", [(f"{i.number}. {shortened(i.summary)}", i.id) for i in issues]
        )
        combo.blockSignals(False)
        self.review_panel.set_open(p.not_open)

    def _case_step(self, action, done: str) -> bool:
        case_id = self.host.case.id
        return self.run(lambda: action(case_id), done)

    def _log_request(self, f: StepForm) -> bool:
        case_id = self.host.case.id
        found = []
        done = self.run(
            lambda: found.append(
                escalation.log_escalation_request(
                    self.desk, case_id, requested_on=f.value("on"), reason=f.value("reason")
                )
            ),
            "Request logged.",
        )
        if done and found and found[0].flags:
            self.host.report(
                "Request logged and flagged for the decision: " + "; ".join(found[0].flags) + ".",
                "warning",
            )
        return done

    # -- showing -----------------------------------------------------------------------------

    def show_progress(self, p: Progress) -> None:
        e = p.escalation
        v = self.values
        clock = []
        if p.acknowledge_by and not p.acknowledged and not p.response_sent:
            clock.append(f"acknowledge by {date_text(p.acknowledge_by)}")
        if p.respond_by and not p.response_sent:
            clock.append(f"respond by {date_text(p.respond_by)}")
        v["stage"].setText(stage_words(p) + (f". Clock: {'; '.join(clock)}." if clock else "."))
        if p.response_sent:
            how = SEND_METHODS[p.response_method].lower() if p.response_method else "?"
            v["response"].setText(
                f"Stage {p.stage} response sent {date_text(p.response_sent)} "
                f"by {how}; deemed received {date_text(e.deemed_received)}."
            )
        else:
            v["response"].setText(f"The stage {p.stage} response has not been sent yet.")
        if e.next_stage is None:
            v["window"].setText(
                f"Stage {p.stage} is the last stage: a complainant still "
                "dissatisfied goes to the Ombudsman."
            )
        elif e.escalate_by is not None:
            v["window"].setText(
                f"Stage {e.next_stage} may be asked for until {date_text(e.escalate_by)}."
            )
        elif p.response_sent:
            v["window"].setText("This policy sets no time limit for asking.")
        else:
            v["window"].setText("Counted from when the response is deemed received.")
        if e.requested_on is None:
            v["request"].setText("None logged.")
        else:
            v["request"].setText(
                f"Asked on {date_text(e.requested_on)} for stage {e.requested_stage}"
                + (f": “{e.reason}”" if e.reason else ", no reasons given")
                + (" (after the window)" if e.late and e.decision else "")
                + (
                    f". Decide by {date_text(e.decide_by)}."
                    if e.decide_by and not e.decision
                    else "."
                )
            )
        if e.decision == EscalationDecision.ACCEPTED:
            v["decision"].setText(f"Accepted on {date_text(e.decided_on)}.")
        elif e.decision == EscalationDecision.REFUSED:
            v["decision"].setText(f"Refused on {date_text(e.decided_on)}: {e.refusal_reasons}")
        elif e.requested_on is not None:
            v["decision"].setText("Waiting for a complaints manager's decision.")
        else:
            v["decision"].setText("—")
        flags = []
        if e.flag_late:
            flags.append(
                f"Late: asked on {date_text(e.requested_on)}; the response was deemed "
                f"received on {date_text(e.deemed_received)}, so the window ended on "
                f"{date_text(e.escalate_by)}. Decide whether to accept it anyway."
            )
        if e.flag_reason_missing:
            flags.append("The policy asks for the complainant's reasons and none were given.")
        if flags:
            self.flag_bar.show_message("Flagged for the decision: " + " ".join(flags), "warning")
        else:
            self.flag_bar.clear()

        records = [
            (f"{OMBUDSMEN[o.body]} {o.reference or ''} of {date_text(o.enquiry_on)}", o.id)
            for o in p.ombudsman
        ]
        self.decision_form.set_choices("record", records)
        self.complied_form.set_choices("record", records)
        self.enquiry_form.set_choices(
            "body",
            [(OMBUDSMEN[p.default_ombudsman], p.default_ombudsman)]
            + [(label, body) for body, label in OMBUDSMEN.items() if body != p.default_ombudsman],
        )
        self.panel.set_open(p.not_open)
        self._show_review(p)
        self.ombudsman_model.set_rows(p.ombudsman)
        self.actions_model.set_rows(p.actions)
        self._enable_complete()
        self.export_button.setEnabled(p.can(Step.EXPORT_FILE))
        self.export_button.setToolTip(
            "" if p.can(Step.EXPORT_FILE) else f"Not now: {p.not_open[Step.EXPORT_FILE]}"
        )

    def show_unavailable(self) -> None:
        self.review_panel.set_open({Step.STAGE2_FINDING: "the case's progress cannot be shown"})
        self.export_button.setEnabled(False)
        self.complete_button.setEnabled(False)

    def _selected_action(self):
        rows = self.actions_view.selectionModel().selectedRows()
        return self.actions_model.row(rows[0].row()) if rows else None

    def _enable_complete(self) -> None:
        """Enabled for the chosen action where the core would complete it; otherwise why not."""
        chosen = self._selected_action()
        if self.progress is None:
            why = "the case's progress cannot be shown"
        elif not self.progress.can(Step.COMPLETE_ACTION):
            why = self.progress.not_open[Step.COMPLETE_ACTION]
        elif chosen is None:
            why = "choose the action that was done first"
        else:
            why = chosen.not_completable
        self.complete_button.setEnabled(why is None)
        self.complete_button.setToolTip(f"Not now: {why}" if why else "")

    # -- doing -------------------------------------------------------------------------------

    def complete_action(self) -> None:
        chosen = self._selected_action()
        if chosen is None:
            self.host.report("Choose the action that was done first.")
            return
        day = self.completed_on.value()
        self.run(
            lambda: actions.complete_action(self.desk, chosen.issue_id, completed_on=day),
            f"The action on issue {chosen.issue_number} is marked done on {date_text(day)}.",
        )

    def select_action(self, issue_number: int) -> None:
        index = self.actions_model.index_of(lambda a: a.issue_number == issue_number)
        if index.isValid():
            self.actions_view.selectRow(index.row())

    def export_file(self) -> None:
        folder = choose_folder(self, str(Path.home()))
        if folder is None:
            return
        self.start_export(folder)

    def start_export(self, folder: Path) -> None:
        """Build the file pack into ``folder`` on a worker thread, with a progress dialog."""
        case_id, reference = self.host.case.id, self.host.case.reference
        dialog = QProgressDialog(f"Building the file of {reference}…", "", 0, 0, self)
        dialog.setObjectName("filePackProgress")
        dialog.setWindowTitle("Exporting the stage file")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._progress_dialog = dialog
        self.export_button.setEnabled(False)
        self._signals = TaskSignals()
        self._signals.finished.connect(self._exported)
        self._signals.failed.connect(self._export_failed)
        # python-docx with it, when a pack is written rather than as the case window opens
        from caseworker.services.records.filepack import export_file_pack

        self._pool.start(
            Task(lambda _progress: export_file_pack(self.desk, case_id, folder), self._signals)
        )

    def _end_export(self) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.close()
            self._progress_dialog.deleteLater()
            self._progress_dialog = None
        self.export_button.setEnabled(
            self.progress is not None and self.progress.can(Step.EXPORT_FILE)
        )

    def _exported(self, pack: ExportedPack) -> None:
        self._end_export()
        self.host.report(f"Stage file exported to {pack.document.parent}.", "ok")
        self.exported.emit(pack)
        offer_to_open(self, pack)

    def _export_failed(self, message: str) -> None:
        self._end_export()
        self.host.report(f"The file was not exported: {message.removeprefix('Refused: ')}")

    def closeEvent(self, event) -> None:  # noqa: N802
        self._pool.waitForDone(60_000)
        super().closeEvent(event)
