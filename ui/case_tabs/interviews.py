"""Interviews: the record of each, and the two steps Appendix A asks for at the end of one.

Formal notes are made during the interview and summarised at the end; the summary is read back
and the interviewee is given the chance to add information. Those are explicit steps here, ticked
in order; an interview is complete once both are done (the core says what is missing).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.cases.casefile import CaseFile, InterviewView
from caseworker.services.investigation import issues as investigation
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    capitalised,
    date_text,
    form,
    reason,
    set_plain,
    text_edit,
)
from caseworker_ui.dialogs.interview import METHOD_LABELS, InterviewDialog
from caseworker_ui.models.interviews import InterviewsModel


class InterviewsTab(CaseTab):
    title = "Inter&views"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("interviewsTab")
        self._interview_id: int | None = None

    def build(self) -> None:
        self.model = InterviewsModel(self)

        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.record_button = QPushButton("&Record an interview…")
        self.record_button.setObjectName("recordInterview")
        hint = QLabel("Staff may bring a colleague or a union representative.")
        hint.setWordWrap(True)
        bar.addWidget(self.record_button)
        bar.addSpacing(12)
        bar.addWidget(hint, 1)
        column.addLayout(bar)
        self.table = QTableView()
        self.table.setObjectName("interviewTable")
        self.table.setAccessibleName("Interviews")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InterviewsModel.INTERVIEWEE, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.table, 1)
        self.error_bar = MessageBar("interviewError")
        column.addWidget(self.error_bar)

        self.detail_stack = QStackedWidget()
        self.empty_label = QLabel(
            "No interviews recorded. Record one after speaking to a member "
            "of staff or the complainant."
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_stack.addWidget(self.empty_label)
        self.detail_stack.addWidget(self._build_detail())

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(self.detail_stack)
        splitter.setSizes([200, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.record_button.clicked.connect(self.record)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.notes_edit.textChanged.connect(
            lambda: self._changed("notes", self.notes_edit.toPlainText())
        )
        self.summary_edit.textChanged.connect(
            lambda: self._changed("summary", self.summary_edit.toPlainText())
        )
        self.further_edit.textChanged.connect(
            lambda: self._changed("further_information", self.further_edit.toPlainText())
        )
        self.read_back_check.clicked.connect(self._read_back_clicked)
        self.invited_check.clicked.connect(self._invited_clicked)
        self.saver.saved.connect(self._saved)

    def _build_detail(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        self.heading = QLabel()
        self.heading.setObjectName("interviewHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        column.addWidget(self.heading)
        rows = form()
        self.notes_edit = text_edit("interviewNotes", "Formal notes of the interview", lines=5)
        add_row(rows, "&Formal notes:", self.notes_edit)  # Alt+N: Next stage
        column.addLayout(rows)

        steps = QGroupBox("At the end of the interview")
        steps_layout = form()
        self.summary_edit = text_edit(
            "interviewSummary",
            "Summary of the notes",
            lines=3,
            placeholder="Summarise the notes, then read this back",
        )
        add_row(steps_layout, "&Summary:", self.summary_edit)
        self.read_back_check = QCheckBox("Step 1: the summary was read &back to the interviewee")
        self.read_back_check.setObjectName("summaryReadBack")
        steps_layout.addRow(self.read_back_check)
        self.invited_check = QCheckBox(
            "Step 2: the interviewee was invited to &add further information"
        )
        self.invited_check.setObjectName("furtherInformationInvited")
        steps_layout.addRow(self.invited_check)
        self.further_edit = text_edit(
            "furtherInformation",
            "Further information they added",
            lines=2,
            placeholder="What they added, if anything",
        )
        add_row(steps_layout, "&What they added:", self.further_edit)
        steps.setLayout(steps_layout)
        column.addWidget(steps)
        self.state_bar = MessageBar("interviewState")
        column.addWidget(self.state_bar)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    # -- showing -----------------------------------------------------------------------------

    def current(self) -> InterviewView | None:
        if self._interview_id is None:
            return None
        return next((v for v in self.host.case.interviews if v.id == self._interview_id), None)

    def show_case(self, case: CaseFile) -> None:
        keep = self._interview_id
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_interviews(case.interviews)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and case.interviews:
            row = len(case.interviews) - 1
        if row >= 0:
            selection.setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        selection.blockSignals(False)
        self._show(self.model.interview_at(row))

    def _show(self, interview: InterviewView | None) -> None:
        self._interview_id = interview.id if interview else None
        if interview is None:
            self.detail_stack.setCurrentIndex(0)
            return
        self.detail_stack.setCurrentIndex(1)
        who = interview.interviewee + (
            f", {interview.interviewee_role}" if interview.interviewee_role else ""
        )
        came = (
            f"; accompanied by {interview.accompanied_by} ({interview.accompanied_as})"
            if interview.accompanied_by
            else "; not accompanied"
        )
        self.heading.setText(
            f"Interview with {who} — {date_text(interview.held_on)}, "
            f"{METHOD_LABELS[interview.method].lower()}{came}"
        )
        for field, edit, value in (
            ("notes", self.notes_edit, interview.notes),
            ("summary", self.summary_edit, interview.summary),
            ("further_information", self.further_edit, interview.further_information),
        ):
            if not self.saver.is_pending(("interview", interview.id, field)):
                set_plain(edit, value)
                self.host.editor.saw_interview(interview.id, field, value)
        self.read_back_check.setChecked(interview.summary_read_back)
        self.invited_check.setChecked(interview.further_information_invited)
        blocked = interview.invitation_blocked  # the core's rule: read the summary back first
        self.invited_check.setEnabled(self.editable and blocked is None)
        self.invited_check.setToolTip(f"{capitalised(blocked)}." if blocked else "")
        self.further_edit.setEnabled(interview.further_information_invited)
        if interview.complete:
            self.state_bar.show_message(
                "Complete: notes made, summary read back, and the "
                "interviewee invited to add information.",
                "ok",
            )
        else:
            self.state_bar.show_message(
                "Not complete yet. Still to do: " + " ".join(interview.missing), "warning"
            )

    # -- doing -------------------------------------------------------------------------------

    def _chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not self.saver.flush():
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(
                previous,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            selection.blockSignals(False)
            self.host.report(
                f"Not saved: {self.saver.last_error}. Staying on this interview so "
                "nothing is lost; press Ctrl+S to try again."
            )
            return
        self._show(self.model.interview_at(current.row()))

    def _changed(self, field: str, value: str) -> None:
        interview_id = self._interview_id
        if interview_id is None:
            return

        editor = self.host.editor

        def save() -> None:  # refused if a colleague saved this field since it was shown
            editor.save_interview(interview_id, field, value)

        self.saver.changed(("interview", interview_id, field), save)

    def _saved(self, key: object) -> None:
        # A changed summary has not been read back: show the steps as the core now has them.
        if isinstance(key, tuple) and key[0] == "interview" and key[2] == "summary":
            self.host.reload()

    def record(self) -> None:
        value, accepted = InterviewDialog.run(self.desk.today(), self)
        if not accepted or value is None:
            return
        self.record_interview(value)

    def record_interview(self, value) -> None:
        try:
            self._interview_id = investigation.record_interview(self.desk, self.host.case.id, value)
        except Exception as error:
            self.error_bar.show_message(f"Not recorded: {reason(error)}")
            return
        self.error_bar.clear()
        self.host.reload()

    def _step(self, action) -> None:
        if self._interview_id is None:
            return
        if not self.saver.flush():
            self.host.report(f"Not saved: {self.saver.last_error}")
            self.host.reload()
            return
        try:
            action(self._interview_id)
        except Exception as error:
            self.error_bar.show_message(reason(error))
        else:
            self.error_bar.clear()
        self.host.reload()

    def _read_back_clicked(self, checked: bool) -> None:
        if checked:
            summary = self.summary_edit.toPlainText()
            self._step(lambda i: investigation.read_back_summary(self.desk, i, summary))
        else:
            self._step(lambda i: investigation.withdraw_interview_step(self.desk, i, "summary"))

    def _invited_clicked(self, checked: bool) -> None:
        if checked:
            further = self.further_edit.toPlainText()
            self._step(lambda i: investigation.invite_further_information(self.desk, i, further))
        else:
            self._step(
                lambda i: investigation.withdraw_interview_step(self.desk, i, "further-information")
            )
