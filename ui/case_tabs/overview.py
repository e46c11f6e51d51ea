"""Overview: who, the clock, where the case stands, and the reasonable adjustments agreed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caseworker.letters import names
from caseworker.services.cases import intake
from caseworker.services.cases.casefile import CaseFile
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import (
    add_row,
    capitalised,
    date_text,
    form,
    optional_date_edit,
    read_optional,
    reason,
    set_plain,
    text_edit,
    value_label,
    write_optional,
)
from caseworker_ui.models.case_list import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_FOREGROUND,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
)

URGENCY_STYLE = {
    "overdue": (OVERDUE_BACKGROUND, OVERDUE_FOREGROUND),
    "due-soon": (DUE_SOON_BACKGROUND, DUE_SOON_FOREGROUND),
}


def _words(value: object) -> str:
    text = getattr(value, "value", value)
    return str(text).replace("-", " ").capitalize() if text else "—"


class OverviewTab(CaseTab):
    title = "&Overview"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("overviewTab")

    def build(self) -> None:
        self._values: dict[str, QLabel] = {}
        content = QWidget()
        grid = QGridLayout(content)
        grid.addWidget(self._case_box(), 0, 0)
        grid.addWidget(self._clock_box(), 0, 1)
        grid.addWidget(self._complainant_box(), 1, 0)
        grid.addWidget(self._representative_box(), 1, 1)
        grid.addWidget(self._addressing_box(), 2, 0, 1, 2)
        grid.addWidget(self._adjustments_box(), 3, 0, 1, 2)
        grid.addWidget(self._previous_box(), 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _box(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        layout = form()
        for key, label in rows:
            value = value_label(key)
            value.setAccessibleName(label.rstrip(":"))
            self._values[key] = value
            add_row(layout, label, value)
        box.setLayout(layout)
        return box

    def _case_box(self) -> QGroupBox:
        return self._box(
            "The case",
            [
                ("reference", "Reference:"),
                ("policy", "Policy:"),
                ("route", "Route:"),
                ("stage", "Stage:"),
                ("status", "Status:"),
                ("received", "Received:"),
                ("service", "Service:"),
                ("officer", "Officer:"),
                ("subjects", "Staff it is about:"),
                ("member", "Through:"),
                ("replyTo", "Reply goes to:"),
                ("summary", "Summary:"),
            ],
        )

    def _clock_box(self) -> QGroupBox:
        box = self._box(
            "The clock",
            [
                ("daysLeft", "Days left:"),
                ("acknowledgeBy", "Acknowledge by:"),
                ("acknowledged", "Acknowledged:"),
                ("respondBy", "Respond by:"),
                ("latest", "Latest (with extension):"),
                ("duties", "Other dates due:"),
                ("extensions", "Extensions:"),
                ("suspension", "Suspension:"),
                ("responseSent", "Response sent:"),
            ],
        )
        days = self._values["daysLeft"]
        days.setAutoFillBackground(True)
        days.setMargin(3)
        days.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        return box

    def _complainant_box(self) -> QGroupBox:
        return self._box(
            "The complainant",
            [
                ("name", "Name:"),
                ("address", "Address:"),
                ("email", "Email:"),
                ("phone", "Phone:"),
                ("prefers", "Prefers:"),
                ("vulnerabilities", "Disclosed vulnerabilities:"),
            ],
        )

    def _representative_box(self) -> QGroupBox:
        return self._box(
            "Representative and consent",
            [
                ("repName", "Acting for them:"),
                ("repRelationship", "Relationship:"),
                ("repContact", "Contact:"),
                ("consent", "Consent:"),
            ],
        )

    def _adjustments_box(self) -> QGroupBox:
        box = QGroupBox("Reasonable adjustments")
        layout = form()
        self.adjustments_rule = value_label("adjustmentsRule")
        layout.addRow(self.adjustments_rule)
        self.formats_label = value_label("adjustmentsFormats")
        layout.addRow(self.formats_label)
        self.adjustments_edit = text_edit(
            "adjustments",
            "Reasonable adjustments agreed, note for officers",
            lines=2,
            placeholder="For officers: e.g. dyslexia; large print letters",
        )
        add_row(layout, "&Adjustments agreed:", self.adjustments_edit)
        self.adjustments_public_edit = text_edit(
            "adjustmentsPublic",
            "The adjustments as letters say them to the complainant",
            lines=2,
            placeholder="Letters print only this: We will send all letters in large print.",
        )
        add_row(layout, "As &written to them:", self.adjustments_public_edit)
        self.review_edit = optional_date_edit(
            "adjustmentsReview", "Review adjustments on", today=self.desk.today
        )
        add_row(layout, "&Review them on:", self.review_edit)
        box.setLayout(layout)
        self.adjustments_edit.textChanged.connect(self._adjustments_changed)
        self.adjustments_public_edit.textChanged.connect(self._adjustments_changed)
        self.review_edit.dateChanged.connect(self._adjustments_changed)
        return box

    def _addressing_box(self) -> QGroupBox:
        box = QGroupBox("How letters address them")
        box.setObjectName("addressingBox")
        layout = form()
        self.addressing: dict[str, tuple[QComboBox, QLineEdit, QLabel]] = {}
        for who, label, mnemonic in (
            (intake.Addressed.COMPLAINANT, "Complainant", "Co&mplainant:"),
            (intake.Addressed.REPRESENTATIVE, "Representative", "Repre&sentative:"),
            (intake.Addressed.REFERRER, "Councillor or MP", "Co&uncillor or MP:"),
        ):
            title = QComboBox()
            title.setObjectName(f"{who.value}Title")
            title.setAccessibleName(f"{label}'s title")
            title.setEditable(True)
            title.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            title.addItems(names.OFFERED_TITLES)
            title.setMinimumContentsLength(8)
            called = QLineEdit()
            called.setObjectName(f"{who.value}AddressedAs")
            called.setAccessibleName(f"How the {label.lower()} likes to be addressed")
            called.setPlaceholderText("Likes to be called (only if they said)")
            says = QLabel()
            says.setObjectName(f"{who.value}Salutation")
            says.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(title)
            row.addWidget(called, 1)
            row.addWidget(says, 1)
            holder = QWidget()
            holder.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            buddy = QLabel(mnemonic)
            buddy.setBuddy(title)
            layout.addRow(buddy, holder)
            self.addressing[who.value] = (title, called, says)
            title.currentTextChanged.connect(lambda _t, who=who: self._addressing_changed(who))
            called.textChanged.connect(lambda _t, who=who: self._addressing_changed(who))
        box.setLayout(layout)
        return box

    def _addressing_changed(self, who: intake.Addressed) -> None:
        case_id = self.host.case.id
        title, called, says = self.addressing[who.value]

        def save() -> None:
            greeting = intake.record_addressing(
                self.desk,
                case_id,
                who,
                title=title.currentText(),
                addressed_as=called.text(),
            )
            says.setText(f"Letters say “Dear {greeting}”")

        self.saver.changed(("addressing", case_id, who.value), save)

    def _show_addressing(self, case: CaseFile) -> None:
        people = {
            "complainant": case.complainant,
            "representative": case.representative,
        }
        for who, (title, called, says) in self.addressing.items():
            blocked = case.addressing_blocked(who)
            for widget in (title, called):
                widget.setEnabled(blocked is None)
                widget.setToolTip(capitalised(blocked) if blocked else "")
            if self.saver.is_pending(("addressing", case.id, who)):
                continue
            if who == "referrer":
                values = (case.referrer_title, case.referrer_addressed_as, case.referrer_salutation)
            else:
                person = people[who]
                values = (
                    (person.title, person.addressed_as, person.salutation)
                    if person is not None
                    else ("", "", "")
                )
            for widget in (title, called):
                widget.blockSignals(True)
            title.setCurrentText(values[0])
            called.setText(values[1])
            for widget in (title, called):
                widget.blockSignals(False)
            says.setText(
                f"{capitalised(blocked)}." if blocked else f"Letters say “Dear {values[2]}”"
            )

    def _previous_box(self) -> QGroupBox:
        from caseworker_ui.previous import PreviousPanel

        box = QGroupBox("Previous complaints")
        box.setObjectName("previousBox")
        self.previous_panel = PreviousPanel(
            empty_text="No other cases from this person or about this address.", recorded=True
        )
        self.previous_panel.table.setMinimumHeight(self.fontMetrics().height() * 8)
        layout = QVBoxLayout(box)
        layout.addWidget(self.previous_panel)
        self.previous_panel.open_requested.connect(self._open_previous)
        return box

    def _show_previous(self, case: CaseFile) -> None:
        from caseworker.services.search.previous import previous_for_case

        if case.complainant is None:
            self.previous_panel.show_previous(None, "Anonymous: no earlier complaints to match.")
            return
        try:
            found = previous_for_case(self.desk, case.id)
        except Exception as error:  # a hint only: the rest of the overview still shows
            self.previous_panel.show_problem(
                f"Previous complaints could not be looked up: {reason(error)}"
            )
            return
        self.previous_panel.show_previous(found)

    def _open_previous(self, case_id: int) -> None:
        requested = getattr(self.host, "case_requested", None)
        if requested is not None:
            requested.emit(case_id, "overview")

    # -- showing -----------------------------------------------------------------------------

    def value(self, key: str) -> str:
        return self._values[key].text()

    def _set(self, key: str, text: str) -> None:
        self._values[key].setText(text or "—")

    def show_case(self, case: CaseFile) -> None:
        s = self._set
        s("reference", case.reference)
        s("policy", case.council)
        s("route", case.route_name)
        s("stage", case.stage_name)
        status = _words(case.status)
        if case.outcome:
            status += f" — {_words(case.outcome).lower()}"
        s("status", status)
        s("received", f"{date_text(case.received)} ({_words(case.channel).lower()})")
        s("service", case.service_area)
        s("officer", case.officer or "Unallocated")
        s("subjects", ", ".join(case.subjects) or "Nobody named")
        member = ""
        if case.referrer_name:
            member = f"{case.referrer_name} ({_words(case.referrer_role).replace('Mp', 'MP')})"
        s("member", member or "Directly")
        if case.reply_to_referrer and case.referrer_name:
            s("replyTo", f"{case.referrer_name}, not the resident")
        elif case.representative is not None:
            s("replyTo", f"{case.representative.name} (representative)")
        else:
            s("replyTo", "The complainant" if not case.anonymous else "Nobody (anonymous)")
        s("summary", case.summary)

        clock = case.clock
        days = self._values["daysLeft"]
        days.setText(clock.days_left_text or _words(case.status))
        background, foreground = URGENCY_STYLE.get(clock.urgency, (None, None))
        palette = days.parentWidget().palette() if days.parentWidget() else days.palette()
        if background is not None:
            palette.setColor(days.backgroundRole(), background)
            palette.setColor(days.foregroundRole(), foreground)
        days.setPalette(palette)
        font = days.font()
        font.setBold(clock.urgency == "overdue")
        days.setFont(font)
        s("acknowledgeBy", date_text(clock.acknowledge_by, "No target"))
        s("acknowledged", date_text(clock.acknowledged, "Not yet"))
        s("respondBy", date_text(clock.respond_by, "Clock stopped"))
        s(
            "latest",
            date_text(clock.respond_by_latest, "No extension allowed")
            + (f" ({clock.respond_by_latest_source})" if clock.respond_by_latest_source else ""),
        )
        s("duties", "\n".join(f"{d.text}: {date_text(d.due)}" for d in clock.duties) or "None")
        s(
            "extensions",
            "\n".join(
                f"Stage {e.stage}: to {date_text(e.new_date)} — {e.reason}"
                + (
                    f" (told {date_text(e.complainant_told)})"
                    if e.complainant_told
                    else " (complainant not told yet)"
                )
                for e in case.extensions
            )
            or "None",
        )
        s(
            "suspension",
            "\n".join(
                f"From {date_text(x.start)} to {date_text(x.end, 'no end yet')}: {x.reason}"
                for x in case.suspensions
            )
            or "None",
        )
        s("responseSent", date_text(clock.response_sent, "Not yet"))

        person = case.complainant
        if person is None:
            for key in ("name", "address", "email", "phone", "prefers", "vulnerabilities"):
                s(key, "")
            s("name", "Anonymous")
        else:
            s("name", person.name)
            s("address", "\n".join(p for p in (person.address, person.postcode) if p))
            s("email", person.email)
            s("phone", person.phone)
            s(
                "prefers",
                _words(person.preferred_contact) if person.preferred_contact else "No preference",
            )
            s("vulnerabilities", person.vulnerabilities or "None disclosed")
        rep = case.representative
        if rep is None:
            s("repName", "Nobody")
            for key in ("repRelationship", "repContact"):
                s(key, "")
            s(
                "consent",
                f"Nobody needs it yet ({case.consent_rule.lower()} if someone acts for them)"
                if case.consent_rule
                else "",
            )
        else:
            s("repName", rep.name)
            s("repRelationship", rep.relationship)
            s("repContact", "\n".join(p for p in (rep.email, rep.phone, rep.address) if p))
            s(
                "consent",
                f"Received {date_text(rep.consent_received)}"
                if rep.consent_received
                else f"NOT RECEIVED — {case.consent_rule.lower()}",
            )

        self._show_previous(case)
        self._show_addressing(case)
        blocked = case.adjustments_blocked  # the core's rule: an anonymous complaint has nobody
        self.adjustments_edit.setEnabled(blocked is None)
        self.adjustments_public_edit.setEnabled(blocked is None)
        self.review_edit.setEnabled(blocked is None)
        self.adjustments_rule.setText(
            f"{capitalised(blocked)}."
            if blocked
            else f"{case.council} records agreed adjustments and reviews them: set a review date."
            if case.adjustments_recorded
            else "Record any adjustments agreed with the complainant."
        )
        self.formats_label.setText(case.formats)  # the core's words: what to arrange, if any
        self.formats_label.setVisible(bool(case.formats))
        if person is not None and not self.saver.is_pending(("adjustments", case.id)):
            set_plain(self.adjustments_edit, person.reasonable_adjustments)
            set_plain(self.adjustments_public_edit, person.adjustments_public)
            self.review_edit.blockSignals(True)
            write_optional(self.review_edit, person.adjustments_review_on)
            self.review_edit.blockSignals(False)

    def _adjustments_changed(self) -> None:
        case_id = self.host.case.id
        text, review_on = self.adjustments_edit.toPlainText(), read_optional(self.review_edit)
        public = self.adjustments_public_edit.toPlainText()

        def save() -> None:
            intake.record_adjustments(self.desk, case_id, text, review_on, public=public)

        self.saver.changed(("adjustments", case_id), save)
