"""Issues and notes: the complainant's points, numbered; per point the investigation notes,
tagged so that hearsay stays apart from fact, and the finding with its reasons."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import Finding, NoteKind
from caseworker.services.cases.casefile import CaseFile, IssueView, NoteView
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import issue_gaps
from caseworker_ui.case_tabs.base import CaseTab, usable_read_only
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    capitalised,
    form,
    optional_date_edit,
    read_optional,
    reason,
    set_plain,
    text_edit,
    write_optional,
)
from caseworker_ui.dialogs.note import NoteDialog, WithdrawNoteDialog, kind_combo
from caseworker_ui.models.issues import IssuesModel
from caseworker_ui.models.notes import NotesModel

FINDINGS = (
    ("No finding yet", None),
    ("Upheld", Finding.UPHELD),
    ("Partially upheld", Finding.PARTIALLY_UPHELD),
    ("Not upheld", Finding.NOT_UPHELD),
)
NOTE_FILTERS = (
    ("All notes", None),
    ("Facts only", NoteKind.FACT),
    ("Hearsay only", NoteKind.HEARSAY),
    ("Evidence only", NoteKind.EVIDENCE),
    ("Actions only", NoteKind.ACTION),
)
TEXT_FIELDS = ("summary", "explanation", "remedy", "lesson_learnt", "action", "action_public")


class IssuesTab(CaseTab):
    title = "&Issues and notes"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("issuesTab")
        self._issue_id: int | None = None

    def build(self) -> None:
        self.issues_model = IssuesModel(self)
        self.notes_model = NotesModel(self)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_list())
        self.editor_stack = QStackedWidget()
        self.no_issue_label = QLabel(
            "No points recorded yet. Add the complainant's first point on the left."
        )
        self.no_issue_label.setWordWrap(True)
        self.no_issue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editor_stack.addWidget(self.no_issue_label)
        self.editor_stack.addWidget(self._build_editor())
        splitter.addWidget(self.editor_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.issue_list.selectionModel().currentChanged.connect(self._issue_chosen)
        self.add_issue_button.clicked.connect(self.add_issue)
        self.new_issue_edit.returnPressed.connect(self.add_issue)
        self.filter_combo.currentIndexChanged.connect(
            lambda _i: self.notes_model.set_kind(self.filter_combo.currentData())
        )
        self.add_note_button.clicked.connect(self.add_note)
        self.correct_note_button.clicked.connect(self.correct_note)
        self.withdraw_note_button.clicked.connect(self.withdraw_note)
        for field in TEXT_FIELDS:
            self.text_edits[field].textChanged.connect(
                lambda field=field: self._changed(field, self.text_edits[field].toPlainText())
            )
        self.finding_combo.currentIndexChanged.connect(
            lambda _i: self._changed("finding", self.finding_combo.currentData())
        )
        self.action_due_edit.dateChanged.connect(
            lambda _d: self._changed("action_due", read_optional(self.action_due_edit))
        )

    # -- building ----------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("The co&mplainant's points")
        column.addWidget(heading)
        self.issue_list = QListView()
        self.issue_list.setObjectName("issueList")
        self.issue_list.setAccessibleName("The complainant's points")
        self.issue_list.setModel(self.issues_model)
        self.issue_list.setWordWrap(True)
        self.issue_list.setSpacing(2)
        self.issue_list.setAlternatingRowColors(True)
        self.issue_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        heading.setBuddy(self.issue_list)
        column.addWidget(self.issue_list, 1)
        self.new_issue_edit = QLineEdit()
        self.new_issue_edit.setObjectName("newIssue")
        self.new_issue_edit.setAccessibleName("New point, in the complainant's words")
        self.new_issue_edit.setPlaceholderText("Another point, in their words")
        self.add_issue_button = QPushButton("&Add point")
        self.add_issue_button.setObjectName("addIssue")
        row = QHBoxLayout()
        row.addWidget(self.new_issue_edit, 1)
        row.addWidget(self.add_issue_button)
        column.addLayout(row)
        self.issue_error = MessageBar("issueError")
        column.addWidget(self.issue_error)
        return panel

    def _build_editor(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        self.heading = QLabel()
        self.heading.setObjectName("issueHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        column.addWidget(self.heading)
        self.text_edits = {}
        point = form()
        self.text_edits["summary"] = text_edit("issueSummary", "The point, in their words", lines=2)
        add_row(point, "In their &words:", self.text_edits["summary"])
        column.addLayout(point)
        column.addWidget(self._build_notes())
        column.addWidget(self._build_finding())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_notes(self) -> QGroupBox:
        box = QGroupBox("Investigation notes")
        column = QVBoxLayout(box)
        top = QHBoxLayout()
        show = QLabel("Show:")  # Alt+H is the Home visit tab; reached by Tab
        self.filter_combo = usable_read_only(QComboBox())
        self.filter_combo.setObjectName("noteFilter")
        self.filter_combo.setAccessibleName("Show notes of one kind")
        for label, kind in NOTE_FILTERS:
            self.filter_combo.addItem(label, kind)
        show.setBuddy(self.filter_combo)
        hint = QLabel("Keep hearsay apart from fact.")
        top.addWidget(show)
        top.addWidget(self.filter_combo)
        top.addSpacing(12)
        top.addWidget(hint, 1)
        column.addLayout(top)
        self.notes_view = QTableView()
        self.notes_view.setObjectName("notesTable")
        self.notes_view.setAccessibleName("Notes on this point")
        self.notes_view.setModel(self.notes_model)
        self.notes_view.setWordWrap(True)
        self.notes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.notes_view.setTabKeyNavigation(False)
        self.notes_view.verticalHeader().hide()
        self.notes_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        header = self.notes_view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()
        header.resizeSection(NotesModel.KIND, metrics.horizontalAdvance("EVIDENCE") + 30)
        header.setSectionResizeMode(NotesModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(
            NotesModel.SOURCE, metrics.horizontalAdvance("Neighbour at no. 14") + 20
        )
        header.resizeSection(
            NotesModel.AUTHOR, metrics.horizontalAdvance("jbloggs, 25 Nov 2026") + 20
        )
        self.notes_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        column.addWidget(self.notes_view, 1)
        fix_row = QHBoxLayout()
        self.correct_note_button = QPushButton("Change note… (F2)")  # F2; Alt+A adds a point
        self.correct_note_button.setObjectName("correctNote")
        self.correct_note_button.setToolTip("Correct or re-tag the chosen note (F2)")
        self.withdraw_note_button = QPushButton("Withdraw note… (Delete)")
        self.withdraw_note_button.setObjectName("withdrawNote")
        self.withdraw_note_button.setToolTip(
            "Withdraw the chosen note as recorded in error; it stays on the case file, marked"
        )
        fix_row.addWidget(self.correct_note_button)
        fix_row.addWidget(self.withdraw_note_button)
        fix_row.addStretch(1)
        column.addLayout(fix_row)
        for key, slot in (
            (Qt.Key.Key_F2, self.correct_note),
            (Qt.Key.Key_Delete, self.withdraw_note),
        ):
            shortcut = QShortcut(QKeySequence(key), self.notes_view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        add = QGroupBox("Add a note")
        rows = form()
        # No kind is chosen until the officer chooses one: never the previous note's.
        self.kind_combo = kind_combo("noteKind")
        add_row(rows, "&Kind:", self.kind_combo)
        self.note_edit = text_edit("noteText", "Note text", lines=2)
        add_row(rows, "Not&e:", self.note_edit)  # Alt+N: Next stage
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("noteSource")
        self.source_edit.setPlaceholderText("Who said it, or where the evidence is")
        add_row(rows, "&Source:", self.source_edit)
        self.add_note_button = QPushButton("Add note")  # Tab from the source, then Space
        self.add_note_button.setObjectName("addNote")
        self.note_error = MessageBar("noteError")
        rows.addRow(self.note_error)
        button_row = QHBoxLayout()
        button_row.addWidget(self.add_note_button)
        button_row.addStretch(1)
        rows.addRow("", button_row)
        add.setLayout(rows)
        column.addWidget(add)
        return box

    def _build_finding(self) -> QGroupBox:
        box = QGroupBox("Finding")
        self.finding_box = box
        rows = form()
        self.finding_combo = QComboBox()
        self.finding_combo.setObjectName("finding")
        for label, finding in FINDINGS:
            self.finding_combo.addItem(label, finding)
        add_row(rows, "&Finding:", self.finding_combo)
        for field, label, name in (
            ("explanation", "E&xplanation (why):", "explanation"),
            ("remedy", "Remed&y (putting it right):", "remedy"),
            ("lesson_learnt", "Lesson lea&rnt:", "lessonLearnt"),
            ("action", "Action (for officers):", "action"),
            ("action_public", "The action as the complainant reads it:", "actionPublic"),
        ):
            self.text_edits[field] = text_edit(name, label.replace("&", "").rstrip(":"), lines=3)
            add_row(rows, label, self.text_edits[field])
        self.text_edits["action_public"].setPlaceholderText(
            "Letters print only this: e.g. We will check your collections each week."
        )
        self.action_due_edit = optional_date_edit(
            "actionDue", "Action due on", today=self.desk.today
        )
        add_row(rows, "Action d&ue:", self.action_due_edit)
        self.gaps_label = QLabel()
        self.gaps_label.setObjectName("issueGaps")
        self.gaps_label.setWordWrap(True)
        rows.addRow(self.gaps_label)
        box.setLayout(rows)
        return box

    # -- showing -----------------------------------------------------------------------------

    def current_issue(self) -> IssueView | None:
        if self._issue_id is None:
            return None
        return next((i for i in self.host.case.issues if i.id == self._issue_id), None)

    def show_case(self, case: CaseFile) -> None:
        keep = self._issue_id
        selection = self.issue_list.selectionModel()
        selection.blockSignals(True)
        self.issues_model.stage = case.stage
        self.issues_model.set_issues(case.issues)
        row = self.issues_model.row_of(keep) if keep is not None else -1
        if row < 0 and case.issues:
            row = 0
        if row >= 0:
            selection.setCurrentIndex(
                self.issues_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        selection.blockSignals(False)
        self._show_issue(self.issues_model.issue_at(row))

    def case_saved(self, case: CaseFile) -> None:
        # The list says what each point's finding now is; the editor keeps what is typed.
        self.issues_model.stage = case.stage
        if not self.issues_model.update_issues(case.issues):
            self.show_case(case)

    def _show_issue(self, issue: IssueView | None) -> None:
        self._issue_id = issue.id if issue else None
        if issue is None:
            self.editor_stack.setCurrentIndex(0)
            self.notes_model.set_notes([])
            return
        self.editor_stack.setCurrentIndex(1)
        self.heading.setText(f"Issue {issue.number}")
        self.notes_model.set_notes(issue.notes)
        self.notes_view.resizeRowsToContents()
        values = {
            "summary": issue.summary,
            "explanation": issue.explanation,
            "remedy": issue.remedy,
            "lesson_learnt": issue.lesson_learnt,
            "action": issue.action,
            "action_public": issue.action_public,
        }
        for field, value in values.items():
            if not self.saver.is_pending(("issue", issue.id, field)):
                set_plain(self.text_edits[field], value)
        if not self.saver.is_pending(("issue", issue.id, "finding")):
            self.finding_combo.blockSignals(True)
            self.finding_combo.setCurrentIndex(self.finding_combo.findData(issue.finding))
            self.finding_combo.blockSignals(False)
        self._show_stage1_fixed()
        if not self.saver.is_pending(("issue", issue.id, "action_due")):
            self.action_due_edit.blockSignals(True)
            write_optional(self.action_due_edit, issue.action_due)
            self.action_due_edit.blockSignals(False)
        self._show_gaps()

    def _show_stage1_fixed(self) -> None:
        """Past stage 1 the stage 1 finding, explanation and remedy are shown as they were sent,
        read-only (the core's rule); the stage 2 review's own finding is on the Next stage tab."""
        fixed = self.host.case.stage1_fixed
        self.finding_box.setTitle("Stage 1 finding (as sent)" if fixed else "Finding")
        self.finding_combo.setEnabled(fixed is None and self.editable)
        tip = f"{capitalised(fixed)}." if fixed else ""
        self.finding_combo.setToolTip(tip)
        for field in ("explanation", "remedy"):
            edit = self.text_edits[field]
            edit.setReadOnly(fixed is not None or not self.editable)
            edit.setToolTip(tip)

    def _show_gaps(self) -> None:
        if self.host.case.stage1_fixed:
            self.gaps_label.setText(
                "Stage 1's finding is kept as it was sent. The stage 2 finding on each point is "
                "recorded on the Next stage tab."
            )
            return
        gaps = issue_gaps(
            self.finding_combo.currentData(),
            self.text_edits["explanation"].toPlainText(),
            self.text_edits["remedy"].toPlainText(),
            self.text_edits["lesson_learnt"].toPlainText(),
        )
        self.gaps_label.setText(
            "Still needed for the letter: " + " ".join(gaps)
            if gaps
            else "This point has everything the letter needs."
        )

    # -- doing -------------------------------------------------------------------------------

    def _issue_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not self.saver.flush():
            # The text typed for this issue could not be saved: stay on it, so it is not lost.
            selection = self.issue_list.selectionModel()
            selection.blockSignals(True)
            selection.setCurrentIndex(previous, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            selection.blockSignals(False)
            self.host.report(
                f"Not saved: {self.saver.last_error}. Staying on this point so "
                "nothing is lost; press Ctrl+S to try again."
            )
            return
        self._show_issue(self.issues_model.issue_at(current.row()))

    def _changed(self, field: str, value: object) -> None:
        issue = self.current_issue()
        if issue is None:
            return
        # Through the window's editor: saved from the version of the case shown, so a
        # colleague's save of the same field is shown as a conflict, never overwritten.
        editor = self.host.editor
        editor.change_issue(issue.number, field, value)
        self.saver.changed(("issue", issue.id, field), lambda: editor.save())
        self._show_gaps()

    def select_issue(self, issue_id: int) -> None:
        row = self.issues_model.row_of(issue_id)
        if row >= 0:
            self.issue_list.setCurrentIndex(self.issues_model.index(row))

    def add_issue(self) -> None:
        text = self.new_issue_edit.text()
        try:
            issue_id = investigation.add_issue(self.desk, self.host.case.id, text)
        except Exception as error:
            self.issue_error.show_message(reason(error))
            return
        self.issue_error.clear()
        self.new_issue_edit.clear()
        self._issue_id = issue_id
        self.host.reload()
        self.text_edits["summary"].setFocus()

    def add_note(self) -> None:
        if self._issue_id is None:
            return
        try:
            investigation.add_note(
                self.desk,
                self._issue_id,
                self.kind_combo.currentData(),
                self.note_edit.toPlainText(),
                self.source_edit.text(),
            )
        except Exception as error:  # the typed note stays in the box
            self.note_error.show_message(f"Not added: {reason(error)}")
            return
        self.note_error.clear()
        self.note_edit.clear()
        self.source_edit.clear()
        self.kind_combo.setCurrentIndex(0)  # the next note's kind is chosen afresh
        self.host.reload()
        self.kind_combo.setFocus()

    def chosen_note(self) -> NoteView | None:
        return self.notes_model.note_at(self.notes_view.currentIndex().row())

    def correct_note(self) -> None:
        note = self.chosen_note()
        if note is None or not self.correct_note_button.isEnabled():
            self.note_error.show_message("Choose a note in the list first.", "info")
            return
        (kind, text, source), accepted = NoteDialog.run(note, self)
        if not accepted:
            return
        try:
            investigation.correct_note(self.desk, note.id, kind=kind, text=text, source=source)
        except Exception as error:
            self.note_error.show_message(f"Not corrected: {reason(error)}")
            return
        self.note_error.show_message("Note corrected; the audit trail keeps the old one.", "ok")
        self.host.reload()
        row = self.notes_model.row_of(note.id)
        if row >= 0:
            self.notes_view.setCurrentIndex(self.notes_model.index(row, NotesModel.TEXT))
        self.notes_view.setFocus()

    def withdraw_note(self) -> None:
        note = self.chosen_note()
        if note is None or not self.withdraw_note_button.isEnabled():
            self.note_error.show_message("Choose a note in the list first.", "info")
            return
        why, accepted = WithdrawNoteDialog.run(note, self)
        if not accepted:
            return
        try:
            investigation.withdraw_note(self.desk, note.id, why)
        except Exception as error:
            self.note_error.show_message(f"Not withdrawn: {reason(error)}")
            return
        self.note_error.show_message(
            "Note withdrawn; it stays on the case file, marked as withdrawn.", "ok"
        )
        self.host.reload()
        if self.notes_model.rowCount():
            self.notes_view.setCurrentIndex(self.notes_model.index(0, NotesModel.TEXT))
        self.notes_view.setFocus()
