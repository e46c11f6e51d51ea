"""The new-case form: the questions triage asks, in order, with the answers beside them.

The left side is the form, numbered in the order an officer takes a complaint: what it is and
under which policy, the exclusions, the time limit, who is complaining (and who for them), and what
it is about. The right side shows triage's answers as they change: what stops the case being saved
(in red, with "Must fix") and what to know (in blue, with "Note"), and the clock that will start.
Every answer comes from :func:`caseworker.services.cases.intake.triage`; the form decides nothing
itself, and records through :func:`~caseworker.services.cases.intake.create_case`.

``NewCaseDialog.run(ctx, parent)`` returns ``(created case or None, accepted)``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import Channel, ContactMethod, ReferrerRole, RouteId
from caseworker.letters import names
from caseworker.policy.schema import Policy
from caseworker.services.cases import intake
from caseworker.services.cases.intake import (
    CreatedCase,
    NewCase,
    PersonIn,
    ReferrerIn,
    RepresentativeIn,
    RequestKind,
    time_limit_date,
)
from caseworker.services.cases.pasted import tidy_pasted
from caseworker.services.context import Context
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    date_edit,
    date_text,
    form,
    optional_date_edit,
    read_optional,
    reason,
    text_edit,
)
from caseworker_ui.discard import AsksBeforeDiscarding
from caseworker_ui.models.checklist import ChecklistModel
from caseworker_ui.models.triage import TriageModel

log = logging.getLogger(__name__)


class PointsEdit(QPlainTextEdit):
    """The complainant's points: says when text was pasted, so the form can tidy it."""

    pasted = Signal()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt's name)
        super().insertFromMimeData(source)
        if source.hasText():
            self.pasted.emit()


def _title_combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setEditable(True)
    combo.addItems(names.OFFERED_TITLES)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumContentsLength(8)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return combo


TRIAGE_DELAY_MS = 150
PREVIOUS_DELAY_MS = 400
"""How long typing the complainant's details must pause before earlier cases are looked up."""

CHANNEL_LABELS = {
    Channel.ONLINE: "Online form",
    Channel.EMAIL: "Email",
    Channel.LETTER: "Letter",
    Channel.PHONE: "Phone",
    Channel.IN_PERSON: "In person",
    Channel.VIA_COUNCILLOR: "Through a councillor",
    Channel.VIA_MP: "Through an MP",
}
CONTACT_LABELS = {
    None: "No preference",
    ContactMethod.EMAIL: "Email",
    ContactMethod.LETTER: "Letter",
    ContactMethod.PHONE: "Phone",
    ContactMethod.IN_PERSON: "In person",
    ContactMethod.TEXT: "Text message",
}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class NewCaseDialog(AsksBeforeDiscarding, QDialog):
    discard_what = "the new case"

    def __init__(self, desk: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.created: CreatedCase | None = None
        self.setObjectName("newCaseDialog")
        self.setWindowTitle("New case")
        self.resize(1120, 760)
        self._policies: list[Policy] = desk.policies()
        self._triage_timer = QTimer(self)
        self._triage_timer.setSingleShot(True)
        self._triage_timer.setInterval(TRIAGE_DELAY_MS)

        form_widget = QWidget()
        column = QVBoxLayout(form_widget)
        column.addWidget(self._build_what())
        column.addWidget(self._build_exclusions())
        column.addWidget(self._build_time_limit())
        column.addWidget(self._build_complainant())
        column.addWidget(self._build_representative())
        column.addWidget(self._build_member())
        column.addWidget(self._build_complaint())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("newCaseForm")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_widget)
        self.scroll = scroll

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(self._build_triage_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 500])

        self.error_bar = MessageBar("saveError")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "&Record the case", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("recordCase")
        self.save_button.setAccessibleName("Record the case")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancel")

        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.error_bar)
        outer.addWidget(self.buttons)

        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._save)
        self._connect()
        self._connect_previous()
        self._policy_chosen()
        self.policy_combo.setFocus()

    # -- building ----------------------------------------------------------------------------

    def _group(self, title: str, name: str) -> tuple[QGroupBox, QVBoxLayout]:
        # Alt+1…7 goes to the numbered section's first field: the form has more fields than
        # the alphabet has letters, so a field without a letter of its own is Alt+its section's
        # number, then Tab.
        box = QGroupBox("&" + title)
        box.setObjectName(name)
        layout = QVBoxLayout(box)
        return box, layout

    def _build_what(self) -> QGroupBox:
        box, layout = self._group("1. What it is", "whatGroup")
        rows = form()
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("policy")
        self.policy_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.policy_combo.setMinimumContentsLength(24)
        for policy in self._policies:
            self.policy_combo.addItem(policy.council, policy.id)
            self.policy_combo.setItemData(
                self.policy_combo.count() - 1, policy.title, Qt.ItemDataRole.ToolTipRole
            )
        try:
            usual = intake.default_policy_id(self._desk)
        except Exception:  # a suggestion only
            log.exception("could not find the usual policy")
            usual = None
        if usual is not None and self.policy_combo.findData(usual) >= 0:
            self.policy_combo.setCurrentIndex(self.policy_combo.findData(usual))
        add_row(rows, "&Policy:", self.policy_combo)

        kind_row = QWidget()
        kind_layout = QHBoxLayout(kind_row)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        self.complaint_radio = QRadioButton("A &complaint")
        self.complaint_radio.setObjectName("kindComplaint")
        self.service_request_radio = QRadioButton("A request for &service")
        self.service_request_radio.setObjectName("kindServiceRequest")
        self.service_request_radio.setToolTip(
            "Asking for something to be done (a missed bin, a faulty street lamp) rather than "
            "complaining about how it was done"
        )
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.complaint_radio)
        self.kind_group.addButton(self.service_request_radio)
        self.complaint_radio.setChecked(True)
        kind_layout.addWidget(self.complaint_radio)
        kind_layout.addWidget(self.service_request_radio)
        kind_layout.addStretch(1)
        kind_row.setAccessibleName("Complaint or service request")
        add_row(rows, "It is:", kind_row)

        self.route_combo = QComboBox()
        self.route_combo.setObjectName("route")
        self.route_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        add_row(rows, "Route:", self.route_combo)
        self.received_edit = date_edit(self._desk.today(), "received", "Date received")
        self.received_edit.setMaximumDate(self.received_edit.date())
        add_row(rows, "Recei&ved on:", self.received_edit)
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channel")
        for channel, label in CHANNEL_LABELS.items():
            self.channel_combo.addItem(label, channel)
        self.channel_combo.setCurrentIndex(self.channel_combo.findData(Channel.EMAIL))
        add_row(rows, "Received b&y:", self.channel_combo)
        self.service_edit = QLineEdit()
        self.service_edit.setObjectName("serviceArea")
        self.service_edit.setPlaceholderText("e.g. Waste and recycling")
        try:
            areas = intake.service_areas(self._desk)
        except Exception:  # suggestions only
            log.exception("could not load the service areas")
            areas = []
        completer = QCompleter(areas, self.service_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.service_edit.setCompleter(completer)
        add_row(rows, "Service ar&ea:", self.service_edit)
        layout.addLayout(rows)
        return box

    def _build_exclusions(self) -> QGroupBox:
        box, layout = self._group("2. Exclusions", "exclusionsGroup")
        hint = QLabel(
            "Tick any that apply. An excluded matter goes to its own procedure and is "
            "not recorded as a complaint."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.exclusions_model = ChecklistModel(self)
        self.exclusions_view = QListView()
        self.exclusions_view.setObjectName("exclusions")
        self.exclusions_view.setAccessibleName("Exclusions that apply")
        self.exclusions_view.setModel(self.exclusions_model)
        self.exclusions_view.setWordWrap(True)
        self.exclusions_view.setUniformItemSizes(False)
        self.exclusions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.exclusions_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.exclusions_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.exclusions_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        layout.addWidget(self.exclusions_view)
        self.no_exclusions = QLabel("This policy lists no exclusions.")
        self.no_exclusions.setObjectName("noExclusions")
        layout.addWidget(self.no_exclusions)
        return box

    def _build_time_limit(self) -> QGroupBox:
        box, layout = self._group("3. Time limit", "timeLimitGroup")
        self.time_limit_label = QLabel()
        self.time_limit_label.setObjectName("timeLimitRule")
        self.time_limit_label.setWordWrap(True)
        layout.addWidget(self.time_limit_label)
        rows = form()
        self.first_aware_edit = optional_date_edit(
            "firstAware", "Date first aware", "Not given", today=self._desk.today
        )
        self.first_aware_edit.setMaximumDate(self.received_edit.date())
        self.first_aware_label = add_row(rows, "&First aware on:", self.first_aware_edit)
        self.waived_edit = QLineEdit()
        self.waived_edit.setObjectName("waivedBy")
        self.waived_edit.setPlaceholderText("Only if made late: the name of who agreed")
        add_row(rows, "Time limit &waived by:", self.waived_edit)
        layout.addLayout(rows)
        return box

    def _build_complainant(self) -> QGroupBox:
        box, layout = self._group("4. The complainant", "complainantGroup")
        self.anonymous_rule = QLabel()
        self.anonymous_rule.setObjectName("anonymousRule")
        self.anonymous_rule.setWordWrap(True)
        layout.addWidget(self.anonymous_rule)
        ticks = QHBoxLayout()
        self.anonymous_check = QCheckBox("&Anonymous")
        self.anonymous_check.setObjectName("anonymous")
        self.safeguarding_check = QCheckBox("About sa&feguarding")
        self.safeguarding_check.setObjectName("safeguarding")
        ticks.addWidget(self.anonymous_check)
        ticks.addWidget(self.safeguarding_check)
        ticks.addStretch(1)
        layout.addLayout(ticks)
        rows = form()
        self.title_combo = _title_combo("complainantTitle", "Complainant's title")
        add_row(rows, "Title (Mr, Ms, M&x…):", self.title_combo)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("complainantName")
        add_row(rows, "&Name:", self.name_edit)
        self.addressed_as_edit = QLineEdit()
        self.addressed_as_edit.setObjectName("complainantAddressedAs")
        self.addressed_as_edit.setPlaceholderText("Only if they said, e.g. Jo, Father Brendan")
        add_row(rows, "Likes to be called:", self.addressed_as_edit)
        self.salutation_label = QLabel()
        self.salutation_label.setObjectName("salutationPreview")
        self.salutation_label.setWordWrap(True)
        rows.addRow("Letters say:", self.salutation_label)
        self.address_edit = text_edit("complainantAddress", "Address", lines=3)
        add_row(rows, "A&ddress:", self.address_edit)
        self.postcode_edit = QLineEdit()
        self.postcode_edit.setObjectName("postcode")
        add_row(rows, "Postcode:", self.postcode_edit)
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("complainantEmail")
        add_row(rows, "Emai&l:", self.email_edit)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("complainantPhone")
        add_row(rows, "P&hone:", self.phone_edit)
        self.contact_combo = QComboBox()
        self.contact_combo.setObjectName("preferredContact")
        for method, label in CONTACT_LABELS.items():
            self.contact_combo.addItem(label, method)
        add_row(rows, "Prefers:", self.contact_combo)
        self.adjustments_edit = text_edit(
            "adjustments",
            "Reasonable adjustments, note for officers",
            lines=2,
            placeholder="For officers: e.g. dyslexia; large print; calls after 2 pm",
        )
        add_row(rows, "Reasonable ad&justments:", self.adjustments_edit)
        self.adjustments_public_edit = text_edit(
            "adjustmentsPublic",
            "Adjustments as the complainant reads them in letters",
            lines=2,
            placeholder="As letters say it: We will send all letters in large print.",
        )
        add_row(rows, "In letters:", self.adjustments_public_edit)
        self.review_edit = optional_date_edit(
            "adjustmentsReview", "Review adjustments on", today=self._desk.today
        )
        add_row(rows, "Review them on:", self.review_edit)
        self.vulnerabilities_edit = text_edit(
            "vulnerabilities", "Disclosed vulnerabilities", lines=2
        )
        add_row(rows, "Disclosed vulnerabilities:", self.vulnerabilities_edit)
        layout.addLayout(rows)
        self._person_fields = [
            self.title_combo,
            self.name_edit,
            self.addressed_as_edit,
            self.adjustments_public_edit,
            self.address_edit,
            self.postcode_edit,
            self.email_edit,
            self.phone_edit,
            self.contact_combo,
            self.adjustments_edit,
            self.review_edit,
            self.vulnerabilities_edit,
        ]
        return box

    def _build_representative(self) -> QGroupBox:
        box, layout = self._group("5. Someone acting for them", "representativeGroup")
        self.consent_rule = QLabel()
        self.consent_rule.setObjectName("consentRule")
        self.consent_rule.setWordWrap(True)
        layout.addWidget(self.consent_rule)
        self.rep_check = QCheckBox("A representative is actin&g for the complainant")
        self.rep_check.setObjectName("hasRepresentative")
        layout.addWidget(self.rep_check)
        self.rep_fields = QWidget()
        rows = form()
        rows.setContentsMargins(0, 0, 0, 0)
        self.rep_fields.setLayout(rows)
        self.rep_title_combo = _title_combo("representativeTitle", "Representative's title")
        add_row(rows, "Their title:", self.rep_title_combo)
        self.rep_name_edit = QLineEdit()
        self.rep_name_edit.setObjectName("representativeName")
        add_row(rows, "Their name:", self.rep_name_edit)
        self.rep_addressed_as_edit = QLineEdit()
        self.rep_addressed_as_edit.setObjectName("representativeAddressedAs")
        self.rep_addressed_as_edit.setPlaceholderText("Only if they said")
        add_row(rows, "Likes to be called:", self.rep_addressed_as_edit)
        self.rep_relationship_edit = QLineEdit()
        self.rep_relationship_edit.setObjectName("representativeRelationship")
        self.rep_relationship_edit.setPlaceholderText("e.g. daughter, advocate, solicitor")
        add_row(rows, "Relationship:", self.rep_relationship_edit)
        self.rep_contact_edit = QLineEdit()
        self.rep_contact_edit.setObjectName("representativeContact")
        self.rep_contact_edit.setPlaceholderText("Email or phone")
        add_row(rows, "Their email or phone:", self.rep_contact_edit)
        self.consent_edit = optional_date_edit(
            "consentReceived", "Consent received on", "Not received", today=self._desk.today
        )
        add_row(rows, "Consent rece&ived on:", self.consent_edit)
        layout.addWidget(self.rep_fields)
        self.rep_fields.setEnabled(False)
        return box

    def _build_member(self) -> QGroupBox:
        box, layout = self._group("6. Councillor or MP", "memberGroup")
        self.member_rule = QLabel()
        self.member_rule.setObjectName("memberRule")
        self.member_rule.setWordWrap(True)
        layout.addWidget(self.member_rule)
        self.member_check = QCheckBox("Raised through a councillor or &MP")
        self.member_check.setObjectName("viaMember")
        layout.addWidget(self.member_check)
        self.member_fields = QWidget()
        rows = form()
        rows.setContentsMargins(0, 0, 0, 0)
        self.member_fields.setLayout(rows)
        self.member_title_combo = _title_combo("memberTitle", "Councillor's or MP's title")
        add_row(rows, "Their title:", self.member_title_combo)
        self.member_name_edit = QLineEdit()
        self.member_name_edit.setObjectName("memberName")
        add_row(rows, "Their name:", self.member_name_edit)
        self.member_addressed_as_edit = QLineEdit()
        self.member_addressed_as_edit.setObjectName("memberAddressedAs")
        self.member_addressed_as_edit.setPlaceholderText("Only if they said")
        add_row(rows, "Likes to be called:", self.member_addressed_as_edit)
        self.member_role_combo = QComboBox()
        self.member_role_combo.setObjectName("memberRole")
        self.member_role_combo.addItem("Councillor", ReferrerRole.COUNCILLOR)
        self.member_role_combo.addItem("MP", ReferrerRole.MP)
        add_row(rows, "They are:", self.member_role_combo)
        self.member_address_edit = text_edit(
            "memberAddress", "Councillor's or MP's address", lines=2
        )
        add_row(rows, "Their address:", self.member_address_edit)
        self.member_consent_edit = optional_date_edit(
            "memberConsent",
            "Resident's signed consent received on",
            "Not received",
            today=self._desk.today,
        )
        add_row(rows, "Resident's signed consent:", self.member_consent_edit)
        layout.addWidget(self.member_fields)
        self.member_fields.setEnabled(False)
        return box

    def _build_complaint(self) -> QGroupBox:
        box, layout = self._group("7. What it is about", "complaintGroup")
        rows = form()
        self.summary_edit = text_edit(
            "summary",
            "Summary of the complaint",
            lines=3,
            placeholder="In a sentence or two, in their words",
        )
        add_row(rows, "S&ummary:", self.summary_edit)
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("complaintSubject")
        self.subject_edit.setAccessibleName(
            "What the complaint is about, as it reads after: your complaint about"
        )
        self.subject_edit.setPlaceholderText("e.g. the repairs to your kitchen ceiling")
        add_row(rows, "Your complaint a&bout…", self.subject_edit)
        self.issues_edit = text_edit(
            "issues",
            "The complainant's points, one per line",
            lines=4,
            placeholder="One point per line",
        )
        points = PointsEdit()
        points.setObjectName("issues")
        points.setAccessibleName(self.issues_edit.accessibleName())
        points.setTabChangesFocus(True)
        points.setPlaceholderText("One point per line (pasted email is tidied)")
        points.setFixedHeight(self.issues_edit.height())
        points.setSizePolicy(self.issues_edit.sizePolicy())
        self.issues_edit.deleteLater()
        self.issues_edit = points
        add_row(rows, "Their p&oints:", self.issues_edit)
        self._points_original: str | None = None
        tidy_row = QHBoxLayout()
        self.points_note = QLabel()
        self.points_note.setObjectName("pointsTidied")
        self.points_note.setWordWrap(True)
        self.restore_points_button = QPushButton("Restore the ori&ginal")
        self.restore_points_button.setObjectName("restorePoints")
        self.restore_points_button.setToolTip(
            "Put back the pasted text as it was, quoted lines and signature included"
        )
        tidy_row.addWidget(self.points_note, 1)
        tidy_row.addWidget(self.restore_points_button)
        rows.addRow(tidy_row)
        self.points_note.setVisible(False)
        self.restore_points_button.setVisible(False)
        self.subjects_edit = text_edit(
            "subjects",
            "Staff the complaint is about, one per line",
            lines=2,
            placeholder="Names, one per line",
        )
        add_row(rows, "Staff it is abou&t:", self.subjects_edit)
        layout.addLayout(rows)
        return box

    def _build_triage_panel(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        title = QLabel("Triage")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        column.addWidget(title)
        self.triage_status = QLabel()
        self.triage_status.setObjectName("triageStatus")
        self.triage_status.setWordWrap(True)
        column.addWidget(self.triage_status)
        self.triage_model = TriageModel(self)
        self.triage_view = QListView()
        self.triage_view.setObjectName("triage")
        self.triage_view.setAccessibleName("Triage: what stops saving, and what to know")
        self.triage_view.setModel(self.triage_model)
        self.triage_view.setWordWrap(True)
        self.triage_view.setSpacing(3)
        self.triage_view.setUniformItemSizes(False)
        self.triage_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.triage_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.triage_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.triage_view.setToolTip("Click an item (or press Enter on it) to go to its field")
        column.addWidget(self.triage_view, 1)
        clock_title = QLabel("The clock, once recorded")
        clock_title.setFont(font)
        column.addWidget(clock_title)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockPreview")
        self.clock_label.setWordWrap(True)
        column.addWidget(self.clock_label)
        previous_title = QLabel("Previous complaints")
        previous_title.setFont(font)
        column.addWidget(previous_title)
        from caseworker_ui.previous import PreviousPanel

        self.previous_panel = PreviousPanel(
            lookup=self._previous_for_form,
            hint="Earlier cases from the same person or address show here as their email or "
            "postcode is typed.",
        )
        self.previous_panel.table.hideColumn(self.previous_panel.model.COMPLAINANT)
        column.addWidget(self.previous_panel, 2)
        return panel

    # -- behaviour -----------------------------------------------------------------------------

    def _connect(self) -> None:
        retriage = self._triage_timer.start
        self._triage_timer.timeout.connect(self.run_triage)
        self.policy_combo.currentIndexChanged.connect(self._policy_chosen)
        self.kind_group.buttonToggled.connect(lambda *_: retriage())
        self.route_combo.currentIndexChanged.connect(lambda _i: retriage())
        self.received_edit.dateChanged.connect(self._received_changed)
        self.channel_combo.currentIndexChanged.connect(self._channel_changed)
        self.exclusions_model.ticked_changed.connect(retriage)
        self.anonymous_check.toggled.connect(self._anonymous_toggled)
        self.rep_check.toggled.connect(self._representative_toggled)
        self.member_check.toggled.connect(self._member_toggled)
        self.issues_edit.pasted.connect(self._points_pasted)
        self.restore_points_button.clicked.connect(self.restore_points)
        for combo in (self.title_combo, self.rep_title_combo, self.member_title_combo):
            combo.currentTextChanged.connect(lambda _t: retriage())
        for edit in (
            self.subject_edit,
            self.addressed_as_edit,
            self.rep_addressed_as_edit,
            self.member_addressed_as_edit,
            self.service_edit,
            self.waived_edit,
            self.name_edit,
            self.postcode_edit,
            self.email_edit,
            self.phone_edit,
            self.rep_name_edit,
            self.rep_relationship_edit,
            self.rep_contact_edit,
            self.member_name_edit,
        ):
            edit.textChanged.connect(lambda _t: retriage())
        for text in (
            self.address_edit,
            self.adjustments_edit,
            self.vulnerabilities_edit,
            self.member_address_edit,
            self.summary_edit,
            self.issues_edit,
            self.subjects_edit,
        ):
            text.textChanged.connect(retriage)
        for dates in (
            self.first_aware_edit,
            self.review_edit,
            self.consent_edit,
            self.member_consent_edit,
        ):
            dates.dateChanged.connect(lambda _d: retriage())
        self.safeguarding_check.toggled.connect(lambda _c: retriage())
        self.member_role_combo.currentIndexChanged.connect(lambda _i: retriage())
        self.contact_combo.currentIndexChanged.connect(lambda _i: retriage())
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.reject)
        self.triage_view.clicked.connect(self.go_to)
        self.triage_view.activated.connect(self.go_to)

    def field_widget(self, field: str) -> QWidget | None:
        """The control a triage answer is about."""
        return {
            "kind": self.complaint_radio,
            "exclusions": self.exclusions_view,
            "route": self.route_combo,
            "received": self.received_edit,
            "channel": self.channel_combo,
            "first_aware": self.first_aware_edit,
            "occurred": self.first_aware_edit,
            "waived_by": self.waived_edit,
            "anonymous": self.anonymous_check,
            "complainant": self.name_edit,
            "adjustments": self.review_edit,
            "representative": self.rep_name_edit,
            "consent": self.consent_edit,
            "referrer": self.member_name_edit,
            "referrer_consent": self.member_consent_edit,
            "service_area": self.service_edit,
            "summary": self.summary_edit,
            "complaint_subject": self.subject_edit,
            "issues": self.issues_edit,
            "subjects": self.subjects_edit,
        }.get(field)

    def go_to(self, index) -> None:
        """Show and focus the field a triage answer is about."""
        widget = self.field_widget(index.data(TriageModel.FIELD_ROLE) or "")
        if widget is None:
            return
        self.scroll.ensureWidgetVisible(widget, 40, 120)
        if widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def policy(self) -> Policy:
        return self._policies[max(0, self.policy_combo.currentIndex())]

    def _policy_chosen(self) -> None:
        policy = self.policy()
        chosen = self.route_combo.currentData()
        self.route_combo.blockSignals(True)
        self.route_combo.clear()
        for route in policy.routes:
            self.route_combo.addItem(route.name, route.id)
        index = self.route_combo.findData(chosen) if chosen is not None else -1
        self.route_combo.setCurrentIndex(max(0, index))
        self.route_combo.blockSignals(False)
        self.exclusions_model.set_items([(e.id, e.text) for e in policy.exclusions])
        self.exclusions_view.setVisible(bool(policy.exclusions))
        self.no_exclusions.setVisible(not policy.exclusions)
        rules = intake.form_rules(policy)  # the policy's rules in words, from the core
        # One date edit: the date the policy's time limit runs from (awareness, or the event).
        asked = time_limit_date(policy)
        self.time_limit_label.setText(rules.time_limit)
        self.first_aware_label.setText(asked.label)
        self.first_aware_edit.setAccessibleName(
            "Date first aware" if asked.field == "first_aware" else "Date it happened"
        )
        self.anonymous_rule.setText(rules.anonymous)
        self.safeguarding_check.setVisible(rules.asks_safeguarding)
        self.consent_rule.setText(rules.consent)
        self.member_rule.setText(rules.member)
        self.member_consent_edit.setEnabled(rules.takes_member_consent)
        self.run_triage()

    def _received_changed(self) -> None:
        self.first_aware_edit.setMaximumDate(self.received_edit.date())
        self._triage_timer.start()

    def _channel_changed(self) -> None:
        channel = self.channel_combo.currentData()
        if channel in (Channel.VIA_COUNCILLOR, Channel.VIA_MP):
            self.member_check.setChecked(True)
            role = ReferrerRole.MP if channel == Channel.VIA_MP else ReferrerRole.COUNCILLOR
            self.member_role_combo.setCurrentIndex(self.member_role_combo.findData(role))
        self._triage_timer.start()

    def _anonymous_toggled(self, anonymous: bool) -> None:
        for widget in self._person_fields:
            widget.setEnabled(not anonymous)
        self._triage_timer.start()

    def _representative_toggled(self, on: bool) -> None:
        self.rep_fields.setEnabled(on)
        if on:
            self.rep_name_edit.setFocus()
        self._triage_timer.start()

    def _member_toggled(self, on: bool) -> None:
        self.member_fields.setEnabled(on)
        if on and self.member_role_combo.currentData() is not None:
            self._select_member_route()
        self._triage_timer.start()

    def _select_member_route(self) -> None:
        index = self.route_combo.findData(RouteId.MEMBER_ENQUIRY)
        if index >= 0 and self.member_check.isChecked():
            self.route_combo.setCurrentIndex(index)

    def new_case(self) -> NewCase:
        """What the form says, as the core's :class:`NewCase`."""
        representative = None
        if self.rep_check.isChecked():
            contact = self.rep_contact_edit.text().strip()
            representative = RepresentativeIn(
                name=self.rep_name_edit.text(),
                title=self.rep_title_combo.currentText(),
                addressed_as=self.rep_addressed_as_edit.text(),
                relationship=self.rep_relationship_edit.text(),
                email=contact if "@" in contact else "",
                phone="" if "@" in contact else contact,
                consent_received=read_optional(self.consent_edit),
            )
        referrer = None
        if self.member_check.isChecked():
            referrer = ReferrerIn(
                name=self.member_name_edit.text(),
                title=self.member_title_combo.currentText(),
                addressed_as=self.member_addressed_as_edit.text(),
                role=ReferrerRole(self.member_role_combo.currentData()),
                address=self.member_address_edit.toPlainText(),
                consent_received=read_optional(self.member_consent_edit)
                if self.member_consent_edit.isEnabled()
                else None,
            )
        return NewCase(
            policy_id=self.policy().id,
            received=self.received_edit.value(),
            channel=Channel(self.channel_combo.currentData()),
            kind=RequestKind.SERVICE_REQUEST
            if self.service_request_radio.isChecked()
            else RequestKind.COMPLAINT,
            route=RouteId(self.route_combo.currentData() or RouteId.CORPORATE),
            service_area=self.service_edit.text(),
            summary=self.summary_edit.toPlainText(),
            complaint_subject=self.subject_edit.text(),
            **{time_limit_date(self.policy()).field: read_optional(self.first_aware_edit)},
            waived_by=self.waived_edit.text(),
            exclusions=self.exclusions_model.ticked(),
            anonymous=self.anonymous_check.isChecked(),
            safeguarding=self.safeguarding_check.isChecked()
            and self.safeguarding_check.isVisibleTo(self),
            complainant=PersonIn(
                name=self.name_edit.text(),
                title=self.title_combo.currentText(),
                addressed_as=self.addressed_as_edit.text(),
                address=self.address_edit.toPlainText(),
                postcode=self.postcode_edit.text(),
                email=self.email_edit.text(),
                phone=self.phone_edit.text(),
                preferred_contact=ContactMethod(self.contact_combo.currentData())
                if self.contact_combo.currentData()
                else None,
                reasonable_adjustments=self.adjustments_edit.toPlainText(),
                adjustments_public=self.adjustments_public_edit.toPlainText(),
                adjustments_review_on=read_optional(self.review_edit),
                vulnerabilities=self.vulnerabilities_edit.toPlainText(),
            ),
            representative=representative,
            referrer=referrer,
            issues=_lines(self.issues_edit.toPlainText()),
            subjects=_lines(self.subjects_edit.toPlainText()),
        )

    def run_triage(self) -> None:
        """Ask the core what the form's answers mean now."""
        self._triage_timer.stop()
        try:
            new = self.new_case()
            result = intake.triage(
                new, today=self._desk.today(), policy=self._desk.policy(new.policy_id)
            )
        except Exception as error:
            log.exception("triage failed")
            self.triage_model.set_notes([])
            self.triage_status.setText(f"Triage could not run: {reason(error)}")
            self.save_button.setEnabled(False)
            return
        self.triage_model.set_notes(list(result.notes))
        self._show_salutation(new)
        problems = len(result.problems)
        if problems:
            self.triage_status.setText(
                f"{problems} thing{'s' if problems != 1 else ''} to deal with before this can "
                "be recorded as a complaint."
            )
        else:
            self.triage_status.setText("Ready to record.")
        self.save_button.setEnabled(result.ok)
        if result.deadlines is not None:
            d = result.deadlines
            lines = []
            if d.acknowledge_by is not None:
                lines.append(f"Acknowledge by {date_text(d.acknowledge_by)}")
            lines.append(f"Respond by {date_text(d.respond_by)}")
            if d.respond_by_latest is not None and d.respond_by_latest != d.respond_by:
                lines.append(f"Latest with an extension {date_text(d.respond_by_latest)}")
            self.clock_label.setText("\n".join(lines))
        else:
            self.clock_label.setText("Starts when the case is recorded.")

    def _show_salutation(self, new: NewCase) -> None:
        """How the letters will greet the complainant (the core's rule: ``letters/names``)."""
        if new.anonymous:
            self.salutation_label.setText("Dear Sir or Madam (anonymous)")
            return
        person = new.complainant
        if not person.name.strip():
            self.salutation_label.setText("—")
            return
        self.salutation_label.setText(
            f"Dear {names.salutation(person.name, person.title, person.addressed_as)}"
        )

    # -- pasted email as the points (issue 18) ------------------------------------------------

    def _points_pasted(self) -> None:
        self.show_points(self.issues_edit.toPlainText())

    def show_points(self, original: str, tidied: str | None = None) -> None:
        """Put ``original`` in the points tidied of quoted email, signature and "Sent from
        my…" lines (the core's :func:`tidy_pasted`, or ``tidied`` where given), saying what
        was taken out and keeping the original to restore."""
        result = tidy_pasted(original)
        text = result.text if tidied is None else tidied
        if text == original:
            self.points_note.setVisible(False)
            self.restore_points_button.setVisible(False)
            self._points_original = None
            self.issues_edit.setPlainText(original)
            return
        self._points_original = original
        self.issues_edit.setPlainText(text)
        self.issues_edit.moveCursor(QTextCursor.MoveOperation.End)
        self.points_note.setText(result.summary() or "Took out lines an email client added.")
        self.points_note.setVisible(True)
        self.restore_points_button.setVisible(True)

    def restore_points(self) -> None:
        """Put the points back as they were pasted."""
        if self._points_original is None:
            return
        self.issues_edit.setPlainText(self._points_original)
        self._points_original = None
        self.points_note.setText("The original is back, as it was pasted.")
        self.restore_points_button.setVisible(False)
        self.issues_edit.setFocus()

    # -- previous complaints (issue 9) ------------------------------------------------------

    open_instead: int | None = None

    def may_discard(self) -> bool:
        # Opening an earlier case instead was already a choice the person made.
        return self.open_instead is not None or super().may_discard()

    """An earlier case the officer chose to open instead of recording this one."""
    RECORD, OPEN_EXISTING, GO_BACK = "record", "open", "back"

    def _connect_previous(self) -> None:
        self._previous_timer = QTimer(self)
        self._previous_timer.setSingleShot(True)
        self._previous_timer.setInterval(PREVIOUS_DELAY_MS)
        self._previous_timer.timeout.connect(self.previous_panel.refresh)
        for edit in (self.name_edit, self.email_edit, self.postcode_edit, self.service_edit):
            edit.textChanged.connect(lambda _t: self._previous_timer.start())
        self.address_edit.textChanged.connect(self._previous_timer.start)
        self.anonymous_check.toggled.connect(lambda _c: self._previous_timer.start())
        self.received_edit.dateChanged.connect(lambda _d: self._previous_timer.start())
        self.previous_panel.open_requested.connect(self._open_previous)
        self.previous_panel.show_previous(None)

    def _previous_for_form(self):  # noqa: ANN202
        new = self.new_case()
        person = new.complainant
        if new.anonymous or not (person.email.strip() or person.postcode.strip()):
            return None
        from caseworker.services.search.previous import previous_for_draft

        return previous_for_draft(self._desk, new)

    def _open_previous(self, case_id: int) -> None:
        reference = next(
            (
                c.reference
                for c in (
                    self.previous_panel.previous.cases if self.previous_panel.previous else []
                )
                if c.case_id == case_id
            ),
            "that case",
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Open the earlier case?",
            f"Leave this form and open {reference}?",
            parent=self,
        )
        box.setInformativeText("What you typed here is not recorded.")
        leave = box.addButton(f"Open {reference}", QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton("Stay on the form", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        if box.clickedButton() is leave:
            self.open_instead = case_id
            self.reject()

    def confirm_duplicate(self) -> str:
        """Ask what to do about a likely duplicate: record anyway, open it, or go back."""
        duplicate = self.previous_panel.likely_duplicate
        if duplicate is None:
            return self.RECORD
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Likely duplicate",
            f"This looks like {duplicate.reference} again.",
            parent=self,
        )
        box.setObjectName("duplicateQuestion")
        from caseworker_ui.previous import duplicate_text

        box.setInformativeText(duplicate_text(duplicate) + " Record it as a new case anyway?")
        record = box.addButton("&Record as a new case", QMessageBox.ButtonRole.AcceptRole)
        existing = box.addButton(
            f"&Open {duplicate.reference} instead", QMessageBox.ButtonRole.ActionRole
        )
        back = box.addButton("&Go back to the form", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        clicked = box.clickedButton()
        if clicked is record:
            return self.RECORD
        if clicked is existing:
            return self.OPEN_EXISTING
        return self.GO_BACK

    def _save(self) -> None:
        self.run_triage()
        if not self.save_button.isEnabled():
            self.error_bar.show_message(
                "Not recorded yet: deal with the items marked “Must fix” in the triage list."
            )
            return
        self.previous_panel.refresh()
        answer = self.confirm_duplicate()
        if answer == self.GO_BACK:
            return
        if answer == self.OPEN_EXISTING:
            self.open_instead = self.previous_panel.likely_duplicate.case_id  # type: ignore[union-attr]
            self.reject()
            return
        try:
            self.created = self.record(self.new_case())
        except Exception as error:  # a refusal or a database problem: say which, keep the form
            log.warning("could not record the case: %s", error)
            self.error_bar.show_message(f"Not recorded: {reason(error)}")
            return
        self.accept()

    def record(self, new: NewCase) -> CreatedCase:
        """Record the case the form describes (a form started from an email records the email
        and its attachments with it: :mod:`caseworker_ui.dialogs.mail_case`)."""
        return intake.create_case(self._desk, new)

    @classmethod
    def run(cls, desk: Context, parent: QWidget | None = None) -> tuple[CreatedCase | None, bool]:
        """Show the form; the case recorded and whether it was."""
        dialog = cls(desk, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        created = dialog.created
        if dialog.open_instead is not None and hasattr(parent, "open_case"):
            parent.open_case(dialog.open_instead)  # an earlier case, chosen instead
        dialog.deleteLater()
        return created, accepted and created is not None
