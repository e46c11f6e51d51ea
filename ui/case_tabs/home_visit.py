"""Home visit: the risk assessment, a manager's sign-off, and booking the visit.

The checklist is the one :mod:`caseworker.services.investigation.homevisit` defines; whether a
visit can be booked, and why not, is the core's answer (shown before the officer tries, and again
if they do), and so is who signs the assessment off.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.cases.casefile import AssessmentView, CaseFile
from caseworker.services.investigation import homevisit
from caseworker.services.investigation.homevisit import (
    CHECKLIST,
    DECISION_LABELS,
    WHO_SIGNS_OFF,
    assessment_gaps,
)
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    date_edit,
    date_text,
    form,
    reason,
    set_plain,
    text_edit,
    value_label,
)

ACCESS_KEYS = {
    "previous_contact": ("any warning", "an&y warning"),
    "location": ("mobile", "mo&bile"),
    "lone_working": ("who knows", "&who knows"),
}
"""Each checklist question's access key (Alt+letter), unique on the tab beside the window's tabs
and menus (a question whose text changes is simply shown without one)."""


def _with_access_key(key: str, text: str) -> str:
    plain, keyed = ACCESS_KEYS.get(key, ("", ""))
    return text.replace(plain, keyed, 1) if plain and plain in text else text


LINE_FIELDS = ("colleague_attending", "means_of_contact", "call_if_concerned")


class HomeVisitTab(CaseTab):
    title = "&Home visit"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("homeVisitTab")
        self._assessment_id: int | None = None

    def build(self) -> None:
        content = QWidget()
        column = QVBoxLayout(content)
        self.rule_label = value_label("homeVisitRule")
        column.addWidget(self.rule_label)

        self.stack = QStackedWidget()
        start_page = QWidget()
        start_layout = QVBoxLayout(start_page)
        start_hint = QLabel(
            "No risk assessment yet. Meet in a public meeting room or a local "
            "advice centre where you can; if a home visit is needed, start the "
            "risk assessment here."
        )
        start_hint.setWordWrap(True)
        self.start_button = QPushButton("Start a risk &assessment")
        self.start_button.setObjectName("startAssessment")
        start_layout.addWidget(start_hint)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addStretch(1)
        start_layout.addLayout(row)
        start_layout.addStretch(1)
        self.stack.addWidget(start_page)
        self.stack.addWidget(self._build_assessment())
        column.addWidget(self.stack)
        column.addWidget(self._build_sign_off())
        column.addWidget(self._build_booking())
        self.error_bar = MessageBar("homeVisitError")
        column.addWidget(self.error_bar)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.start_button.clicked.connect(self.start)
        self.approve_button.clicked.connect(self.approve)
        self.book_button.clicked.connect(self.book)
        self.visit_date.returnPressed.connect(self.book)  # Enter on the date books it

    def _build_assessment(self) -> QGroupBox:
        box = QGroupBox("Risk assessment")
        rows = form()
        self.address_edit = text_edit("visitAddress", "Address to be visited", lines=3)
        add_row(rows, "&Address:", self.address_edit)
        self.address_edit.textChanged.connect(
            lambda: self._changed("address", self.address_edit.toPlainText())
        )
        self.question_edits = {}
        for question in CHECKLIST:
            edit = text_edit(f"answer_{question.key}", question.text, lines=2)
            self.question_edits[question.key] = edit
            add_row(rows, _with_access_key(question.key, question.text) + ":", edit)
            edit.textChanged.connect(
                lambda key=question.key: self._changed(
                    "answers", {key: self.question_edits[key].toPlainText()}, key
                )
            )
        self.risks_edit = text_edit(
            "knownRisks", "Known risks", lines=2, placeholder="List them, or write 'None known'"
        )
        add_row(rows, "&Known risks:", self.risks_edit)
        self.risks_edit.textChanged.connect(
            lambda: self._changed("known_risks", self.risks_edit.toPlainText())
        )
        self.line_edits = {}
        for field, label, placeholder in (
            ("colleague_attending", "Colleag&ue going:", "Name, or leave blank if alone"),
            ("means_of_contact", "&Reachable on:", "How to reach you during the visit"),
            ("call_if_concerned", "Call i&f concerned:", "Who to call: a name and a number"),
        ):
            edit = QLineEdit()
            edit.setObjectName(field)
            edit.setPlaceholderText(placeholder)
            self.line_edits[field] = edit
            add_row(rows, label, edit)
            edit.textChanged.connect(lambda text, field=field: self._changed(field, text))
        self.decision_combo = QComboBox()
        self.decision_combo.setObjectName("decision")
        self.decision_combo.addItem("Not decided yet", None)
        for decision, label in DECISION_LABELS.items():
            self.decision_combo.addItem(label, decision)
        add_row(rows, "D&ecision:", self.decision_combo)
        self.decision_combo.currentIndexChanged.connect(
            lambda _i: self._changed("decision", self.decision_combo.currentData())
        )
        self.gaps_label = value_label("assessmentGaps")
        rows.addRow(self.gaps_label)
        box.setLayout(rows)
        return box

    def _build_sign_off(self) -> QGroupBox:
        box = QGroupBox("Manager's sign-off")
        row = QHBoxLayout(box)
        self.sign_off_label = value_label("signOffState")
        self.approve_button = QPushButton("Sign off (&managers)")
        self.approve_button.setObjectName("approveAssessment")
        row.addWidget(self.sign_off_label, 1)
        row.addWidget(self.approve_button)
        return box

    def _build_booking(self) -> QGroupBox:
        box = QGroupBox("Booking the visit")
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        self.visit_date = date_edit(self.desk.today(), "visitDate", "Date of the visit")
        self.visit_date.setMinimumDate(self.visit_date.date())
        self.book_button = QPushButton("Book the visit")  # Enter on the date books it
        self.book_button.setObjectName("bookVisit")
        # Every letter of the tab is taken (its questions, the window's tabs and menus): Alt+S
        # goes to the date, and Enter there books, as this button does.
        self.book_button.setToolTip("Alt+S for the date, then Enter books the visit")
        label = QLabel("Vi&sit on:")
        label.setBuddy(self.visit_date)
        row.addWidget(label)
        row.addWidget(self.visit_date)
        row.addWidget(self.book_button)
        row.addStretch(1)
        column.addLayout(row)
        self.booking_bar = MessageBar("bookingState")
        column.addWidget(self.booking_bar)
        return box

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: CaseFile) -> None:
        self.rule_label.setText(
            f"{case.home_visit_rule[:1].upper()}{case.home_visit_rule[1:]}. Consider having a "
            "colleague come with you."
        )
        a = case.assessment
        self._assessment_id = a.id if a else None
        self.stack.setCurrentIndex(1 if a else 0)
        self.approve_button.setEnabled(a is not None)
        if a is not None:
            self._fill(a)
            if a.approved_by:
                when = date_text(a.approved_at.astimezone().date()) if a.approved_at else ""
                self.sign_off_label.setText(f"Signed off by {a.approved_by} on {when}.")
            else:
                self.sign_off_label.setText(f"Not signed off yet: {WHO_SIGNS_OFF}.")
        else:
            self.sign_off_label.setText("Nothing to sign off yet.")
        self._show_booking(a.visit_on if a is not None else None, case.booking_blocked)

    def _show_booking(self, visit_on, blocked: str | None) -> None:
        if visit_on is not None:
            self.booking_bar.show_message(f"Visit booked for {date_text(visit_on)}.", "ok")
        elif blocked:
            self.booking_bar.show_message(blocked, "warning")
        else:
            self.booking_bar.show_message("Ready to book: choose the date.", "info")

    def _booking_changed(self) -> None:
        """After an answer is saved: what booking still waits for, from the core again."""
        case = self.host.case
        try:
            blocked = homevisit.why_not_book(self.desk, case.id)
        except Exception:  # noqa: BLE001  (the next reload says why)
            return
        visit_on = case.assessment.visit_on if case.assessment is not None else None
        self._show_booking(visit_on, blocked)

    def _fill(self, a: AssessmentView) -> None:
        def pending(field: str) -> bool:
            return self.saver.is_pending(("assessment", a.id, field))

        if not pending("address"):
            set_plain(self.address_edit, a.address)
        for key, edit in self.question_edits.items():
            if not pending(key):
                set_plain(edit, str(a.answers.get(key) or ""))
        if not pending("known_risks"):
            set_plain(self.risks_edit, a.known_risks)
        for field, edit in self.line_edits.items():
            value = getattr(a, field)
            if not pending(field) and edit.text() != value:
                edit.blockSignals(True)
                edit.setText(value)
                edit.blockSignals(False)
        if not pending("decision"):
            self.decision_combo.blockSignals(True)
            self.decision_combo.setCurrentIndex(self.decision_combo.findData(a.decision))
            self.decision_combo.blockSignals(False)
        self._show_gaps()

    def _show_gaps(self) -> None:
        gaps = assessment_gaps(
            address=self.address_edit.toPlainText(),
            answers={k: e.toPlainText() for k, e in self.question_edits.items()},
            known_risks=self.risks_edit.toPlainText(),
            colleague_attending=self.line_edits["colleague_attending"].text(),
            means_of_contact=self.line_edits["means_of_contact"].text(),
            call_if_concerned=self.line_edits["call_if_concerned"].text(),
            decision=self.decision_combo.currentData(),
        )
        self.gaps_label.setText(
            "Still needed before sign-off:\n• " + "\n• ".join(gaps)
            if gaps
            else "Every question is answered."
        )

    # -- doing -------------------------------------------------------------------------------

    def _changed(self, field: str, value: object, key: str | None = None) -> None:
        assessment_id = self._assessment_id
        if assessment_id is None:
            return

        def save() -> None:
            if homevisit.update_assessment(self.desk, assessment_id, **{field: value}):
                QTimer.singleShot(0, self._sign_off_withdrawn)
            else:
                QTimer.singleShot(0, self._booking_changed)

        self.saver.changed(("assessment", assessment_id, key or field), save)
        self._show_gaps()

    def _sign_off_withdrawn(self) -> None:
        self.host.report(
            "The assessment changed after it was signed off, so the sign-off (and "
            "any booking) was withdrawn: a manager must sign it off again.",
            "warning",
        )
        self.host.reload()

    def start(self) -> None:
        try:
            self._assessment_id = homevisit.start_assessment(self.desk, self.host.case.id)
        except Exception as error:
            self.error_bar.show_message(f"Not started: {reason(error)}")
            return
        self.error_bar.clear()
        self.host.reload()
        self.address_edit.setFocus()

    def _act(self, action, done: str) -> None:
        if not self.saver.flush():
            self.error_bar.show_message(f"Not saved: {self.saver.last_error}")
            return
        try:
            action()
        except Exception as error:
            self.error_bar.show_message(reason(error))
        else:
            self.error_bar.show_message(done, "ok")
        self.host.reload()

    def approve(self) -> None:
        if self._assessment_id is None:
            return
        assessment_id = self._assessment_id
        self._act(lambda: homevisit.approve_assessment(self.desk, assessment_id), "Signed off.")

    def book(self) -> None:
        case, day = self.host.case, self.visit_date.value()
        self._act(
            lambda: homevisit.book_visit(self.desk, case.id, day),
            f"Visit booked for {date_text(day)}.",
        )
