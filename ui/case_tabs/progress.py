"""Progress: where the case stands in its lifecycle and the steps that move it on.

Acknowledgement, the response, extensions, suspension and resumption, contact attempts,
discontinuation, withdrawal, closure, re-opening, a Member/MP enquiry and contact restrictions.
Each step is one function of the core, called with the window's context (``self.desk``); which
steps apply now, and why the others do not, is the core's answer
(:func:`caseworker.services.cases.steps.steps_not_open`, in ``Progress.not_open``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import CaseStatus, LetterKind, Outcome, ReferrerRole
from caseworker.domain.lifecycle import Restriction
from caseworker.services.cases import lifecycle, restrictions
from caseworker.services.cases.casefile import CaseFile
from caseworker.services.cases.progress import (
    CONTACT_METHODS,
    OUTCOMES,
    RESTRICTIONS,
    SEND_METHODS,
    STATUSES,
    Progress,
    progress_of,
)
from caseworker.services.cases.steps import Step
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    capitalised,
    date_text,
    despite_failing_checks,
    form,
    reason,
    value_label,
)
from caseworker_ui.case_tabs.steps import StepForm, StepPanel
from caseworker_ui.models.progress import (
    AttemptsModel,
    ColumnsModel,
    ExtensionsModel,
    RestrictionsModel,
    SuspensionsModel,
)

CONTACT_CHOICES = [(label, method) for method, label in CONTACT_METHODS.items()]
SEND_CHOICES = [(label, method) for method, label in SEND_METHODS.items()]


def table(name: str, model: ColumnsModel, rows: int = 4) -> QTableView:
    """A read-only table over ``model``, tall enough for ``rows`` rows before it scrolls."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(name.removesuffix("Table").capitalize())
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    stretch = model.STRETCH % max(1, model.columnCount())
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    row = view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(view.horizontalHeader().sizeHint().height() + row * rows + 4)
    return view


def scrolled(content: QWidget, owner: QWidget) -> None:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)


def stage_words(p: Progress) -> str:
    """ "Stage 2 – review by Customer Relations (stage 2 of 2, since 3 Nov 2026)"."""
    since = f", since {date_text(p.stage_started)}" if p.stage > 1 else ""
    if p.stage_name.strip().lower() == f"stage {p.stage}":
        return f"Stage {p.stage} of {p.stage_count}" + (f" ({since[2:]})" if since else "")
    name = (
        p.stage_name
        if p.stage_name.lower().startswith("stage")
        else (f"Stage {p.stage}: {p.stage_name}")
    )
    return f"{name} (stage {p.stage} of {p.stage_count}{since})"


class StepsTab(CaseTab):
    """A tab whose steps are the core's functions, called with the window's context
    (``self.desk``), reporting in the message bar."""

    follows_read_only = False  # each step is enabled, or not with the reason, from the core

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.progress: Progress | None = None
        self.notice: MessageBar
        self.panel: StepPanel

    def build(self) -> None:
        self.notice = MessageBar(f"{type(self).__name__}Notice")

    what = "The case's progress"

    def run(self, action: Callable[[], object], done: str) -> bool:
        """Take a step: save pending edits first, then the service; a refusal in the message
        bar (the form stays open with what was typed)."""
        if not self.saver.flush():
            self.host.report(
                f"Not done: your other changes could not be saved first ({self.saver.last_error})"
            )
            return False
        try:
            action()
        except Exception as error:
            self.host.report(capitalised(reason(error)))
            return False
        self.host.report(done, "ok")
        self.host.reload()
        return True

    def show_case(self, case: CaseFile) -> None:
        """Show where the case stands; if the core will not say (the login is not an officer
        allowed to see it), say so in the tab and offer no step."""
        try:
            self.progress = progress_of(self.desk, case.id)
        except Exception as error:
            self.progress = None
            self.notice.show_message(f"{self.what} cannot be shown: {reason(error)}", "warning")
            self.panel.set_open({step: reason(error) for step in Step})
            self.show_unavailable()
            return
        self.notice.clear()
        self.show_progress(self.progress)

    def show_progress(self, progress: Progress) -> None:
        raise NotImplementedError

    def show_unavailable(self) -> None:
        """Offer nothing beyond the step panel while the case's progress cannot be read."""


class ProgressTab(StepsTab):
    title = "&Progress"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("progressTab")

    def build(self) -> None:
        super().build()
        today = self.desk.today()
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.notice)

        state = QGroupBox("Where the case stands")
        rows = form()
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("stage", "Stage:"),
            ("status", "Status:"),
            ("clock", "Clock:"),
            ("extension", "Extensions:"),
            ("suspension", "Suspension:"),
            ("attempts", "Contact attempts:"),
            ("member", "Member or MP:"),
            ("ended", "Withdrawn or closed:"),
            ("closure", "Before closing:"),
        ):
            field = value_label(f"progress_{key}")
            self.values[key] = field
            add_row(rows, label, field)
        state.setLayout(rows)
        column.addWidget(state)

        steps_box = QGroupBox("Steps")
        steps_column = QVBoxLayout(steps_box)
        self.panel = StepPanel("progressSteps", columns=4)
        steps_column.addWidget(self.panel)
        column.addWidget(steps_box)
        self._build_steps(today)

        history = QGroupBox("History")
        history_rows = QVBoxLayout(history)
        self.extensions_model = ExtensionsModel(self)
        self.suspensions_model = SuspensionsModel(self)
        self.attempts_model = AttemptsModel(self)
        self.restrictions_model = RestrictionsModel(self)
        pairs = QHBoxLayout()
        for title, name, model in (
            ("Extensions", "extensionsTable", self.extensions_model),
            ("Suspensions", "suspensionsTable", self.suspensions_model),
        ):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            view = table(name, model, rows=2)
            inner.addWidget(view)
            pairs.addWidget(box, 1)
            setattr(self, name.replace("Table", "_view"), view)
        history_rows.addLayout(pairs)
        attempts_box = QGroupBox("Contact attempts")
        inner = QVBoxLayout(attempts_box)
        self.attempts_view = table("attemptsTable", self.attempts_model, rows=3)
        inner.addWidget(self.attempts_view)
        history_rows.addWidget(attempts_box)
        restrictions_box = QGroupBox("Contact restrictions on the complainant")
        inner = QVBoxLayout(restrictions_box)
        self.restrictions_view = table("restrictionsTable", self.restrictions_model, rows=1)
        inner.addWidget(self.restrictions_view)
        history_rows.addWidget(restrictions_box)
        column.addWidget(history)
        column.addStretch(1)
        scrolled(content, self)

    # -- the steps' forms --------------------------------------------------------------------

    def _build_steps(self, today: dt.date) -> None:
        p = self.panel

        f = StepForm("acknowledge", "Acknowledge", "Record the acknowledgement")
        f.add_date("on", "&Acknowledged on:", today)
        p.add(
            "acknowledge",
            Step.ACKNOWLEDGE,
            "&Acknowledge…",
            f,
            lambda f: (
                self._case_step(
                    lambda cid: lifecycle.acknowledge(self.desk, cid, on=f.value("on")),
                    "Acknowledgement recorded.",
                )
                and self._offer_acknowledgement_letter()
            ),
        )

        f = StepForm("response", "Response sent", "Record the response")
        f.add_date("sent_on", "&Sent on:", today)
        f.add_choice("method", "Sent &by:", SEND_CHOICES)
        f.add_choice(
            "outcome",
            "&Outcome:",
            [("Keep the outcome recorded", None)]
            + [
                (OUTCOMES[o], o)
                for o in (
                    Outcome.UPHELD,
                    Outcome.PARTIALLY_UPHELD,
                    Outcome.NOT_UPHELD,
                    Outcome.SETTLED,
                )
            ],
        )
        p.add(
            "response",
            Step.RESPONSE_SENT,
            "Response &sent…",
            f,
            lambda f: self._case_step(
                lambda cid: despite_failing_checks(
                    self,
                    "sent",
                    lambda despite: lifecycle.record_response_sent(
                        self.desk,
                        cid,
                        sent_on=f.value("sent_on"),
                        method=f.value("method"),
                        outcome=f.value("outcome"),
                        despite=despite,
                    ),
                ),
                "Response recorded.",
            ),
        )

        f = StepForm("extend", "Extend the response date", "Save the extension")
        f.add_date("new_date", "&New response date:", today)
        f.add_text("reason", "&Reason:", placeholder="Why more time is needed")
        f.add_date("told_on", "Complainant &told on:", today)
        f.add_choice("told_method", "Told &by:", CONTACT_CHOICES)
        p.add(
            "extend",
            Step.EXTEND,
            "E&xtend…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.extend(
                    self.desk,
                    cid,
                    new_date=f.value("new_date"),
                    reason=f.value("reason"),
                    told_on=f.value("told_on"),
                    told_method=f.value("told_method"),
                ),
                "Extension saved.",
            ),
        )
        self.extend_form = f
        self._extension_default: dt.date | None = None
        f.on_open = self._default_extension

        f = StepForm("suspend", "Suspend for concurrent proceedings", "Suspend the case")
        f.add_date("start", "Clock stops &on:", today)
        f.add_choice("ground", "&Ground:")
        f.add_text("details", "&Details:", placeholder="Which proceedings, their reference")
        p.add(
            "suspend",
            Step.SUSPEND,
            "S&uspend…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.suspend(
                    self.desk,
                    cid,
                    start=f.value("start"),
                    ground=f.value("ground") or "",
                    details=f.value("details"),
                ),
                "Suspended: the clock has stopped.",
            ),
        )
        self.suspend_form = f

        f = StepForm("resume", "Resume", "Resume the case")
        f.add_date("on", "Clock restarts &on:", today)
        p.add(
            "resume",
            Step.RESUME,
            "Resume the cloc&k…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.resume(self.desk, cid, resumed_on=f.value("on")),
                "Resumed: the clock runs again.",
            ),
        )

        f = StepForm("attempt", "Contact attempt", "Record the attempt")
        f.add_date("on", "&Date:", today)
        f.add_time("time", "&Time:")
        f.add_choice("method", "&How:", CONTACT_CHOICES)
        f.add_check("answered", "The complainant &answered")
        f.add_line("result", "&What happened:", "e.g. no answer, voicemail left")
        p.add(
            "attempt",
            Step.CONTACT_ATTEMPT,
            "Contact atte&mpt…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.record_contact_attempt(
                    self.desk,
                    cid,
                    at=dt.datetime.combine(f.value("on"), f.value("time")).astimezone(),
                    method=f.value("method"),
                    result=f.value("result"),
                    answered=f.value("answered"),
                ),
                "Contact attempt recorded.",
            ),
        )

        f = StepForm("discontinue", "Discontinue", "Discontinue the complaint")
        f.add_date("on", "&Decided on:", today)
        p.add(
            "discontinue",
            Step.DISCONTINUE,
            "Discontinu&e…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.discontinue(self.desk, cid, on=f.value("on")),
                "Discontinued. Send the decision, then close the case.",
            ),
        )
        self.discontinue_form = f

        f = StepForm("refuse", "Not taken on (refused)", "Record the refusal")
        f.add_text(
            "reasons",
            "&Reasons (the letter gives them):",
            lines=3,
            placeholder="Why the complaints procedure cannot deal with it, as the complainant "
            "will read it",
        )
        f.add_text(
            "route",
            "&Where it goes instead:",
            lines=2,
            placeholder="The appeal, procedure or body that deals with it",
        )
        p.add(
            "refuse",
            Step.REFUSE,
            "Not taken on (re&jected)…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.refuse(
                    self.desk, cid, reasons=f.value("reasons"), route=f.value("route")
                ),
                "Refusal recorded: send the refusal letter, then close the case.",
            ),
        )

        f = StepForm("withdraw", "Withdrawal", "Record the withdrawal")
        f.add_date("on", "&Withdrawn on:", today)
        f.add_choice("method", "They told us &by:", CONTACT_CHOICES)
        p.add("withdraw", Step.WITHDRAW, "&Withdrawn…", f, self._withdraw)

        f = StepForm("close", "Close the case", "Close the case")
        f.add_date("on", "&Closed on:", today)
        f.add_choice(
            "outcome",
            "&Outcome:",
            [("The outcome recorded", None)] + [(label, o) for o, label in OUTCOMES.items()],
        )
        p.add(
            "close",
            Step.CLOSE,
            "Close the &file…",
            f,
            lambda f: (
                self.confirm_close()
                and self._case_step(
                    lambda cid: lifecycle.close_case(
                        self.desk, cid, on=f.value("on"), outcome=f.value("outcome")
                    ),
                    "Case closed: it is read-only until a manager re-opens it.",
                )
            ),
        )

        f = StepForm("reopen", "Re-open", "Re-open the case")
        f.add_date("on", "Re-opened &on:", today)
        f.add_choice("ground", "&Ground:")
        f.add_text("reason", "&Reason:", placeholder="Why the case is re-opened")
        p.add(
            "reopen",
            Step.REOPEN,
            "&Re-open…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.reopen(
                    self.desk,
                    cid,
                    on=f.value("on"),
                    reason=f.value("reason"),
                    ground=f.value("ground"),
                ),
                "Case re-opened.",
            ),
        )
        self.reopen_form = f

        f = StepForm("member", "Member or MP", "Record the Member or MP")
        f.add_line("name", "&Name:", "Cllr Jane Smith")
        f.add_choice(
            "role", "&Role:", [("Councillor", ReferrerRole.COUNCILLOR), ("MP", ReferrerRole.MP)]
        )
        f.add_text("address", "&Address:", lines=2)
        f.add_check("enquiry", "An &enquiry for the complainant (not a complaint)")
        p.add(
            "member",
            Step.MEMBER_ENQUIRY,
            "Mem&ber/MP…",
            f,
            lambda f: self._case_step(
                lambda cid: lifecycle.record_member_enquiry(
                    self.desk,
                    cid,
                    name=f.value("name"),
                    role=f.value("role"),
                    address=f.value("address"),
                    enquiry=f.value("enquiry"),
                ),
                "Member or MP recorded.",
            ),
        )
        self.member_form = f

        f = StepForm("restrict", "Restrict contact", "Record the restrictions")
        f.add_checks(
            "restrictions", "&Restrictions:", [(label, r) for r, label in RESTRICTIONS.items()]
        )
        f.add_line("details", "&Details:", "Who is the single point of contact, which way")
        f.add_text("reason", "&Behaviour and evidence:")
        f.add_date("decided_on", "&Decided on:", today)
        f.add_optional_date("review_on", "Re&view on:", today)
        p.add(
            "restrict",
            Step.RESTRICT_CONTACT,
            "Restrict contact (polic&y)…",
            f,
            lambda f: self._case_step(
                lambda cid: restrictions.restrict_contact(
                    self.desk,
                    cid,
                    restrictions=[Restriction(v) for v in f.value("restrictions")],
                    reason=f.value("reason"),
                    decided_on=f.value("decided_on"),
                    review_on=f.value("review_on"),
                    details=f.value("details"),
                ),
                "Contact restrictions recorded: tell the complainant in writing.",
            ),
        )

    def confirm_close(self) -> bool:
        """Closing cannot be undone by the officer: where the core has warnings (an action
        still open), say them and ask. True to go ahead."""
        self.saver.flush()  # an action typed a moment ago counts
        try:
            warnings = progress_of(self.desk, self.host.case.id).closure_warnings
        except Exception:  # the step itself says why it cannot be taken
            return True
        if not warnings:
            return True
        import caseworker_ui.discard as ask  # looked up here, so a test can answer

        return ask.ask_before(
            self,
            "closeQuestion",
            "Close the case?",
            "Before closing: " + "; ".join(warnings) + ".",
            "Only a manager can re-open a closed case. Close it anyway?",
            "&Close anyway",
            "&Keep it open",
        )

    def _default_extension(self) -> None:
        """The new date starts after the current response date (the core's default)."""
        if self._extension_default is not None:
            self.extend_form.fields["new_date"].set_value(self._extension_default)

    def _offer_acknowledgement_letter(self) -> bool:
        """Once the acknowledgement is recorded, offer its letter (Enter: yes, Esc: not now)."""
        import caseworker_ui.discard as ask  # looked up here, so a test can answer

        if ask.offer(
            self,
            "offerAcknowledgementLetter",
            "Acknowledgement recorded",
            "Acknowledgement recorded. Write the acknowledgement letter now?",
            "&Write the letter",
            "&Not now",
        ):
            self.host.open_letter(LetterKind.ACKNOWLEDGEMENT)
        return True

    def _case_step(self, action: Callable[[int], object], done: str) -> bool:
        case_id = self.host.case.id
        return self.run(lambda: action(case_id), done)

    def _withdraw(self, f: StepForm) -> bool:
        case_id = self.host.case.id
        confirm: list[bool] = []

        def action() -> None:
            confirm.append(
                lifecycle.withdraw(self.desk, case_id, on=f.value("on"), method=f.value("method"))
            )

        done = self.run(action, "Withdrawal recorded.")
        if done and confirm and confirm[0]:
            self.host.report(
                "Withdrawal recorded. This council confirms a withdrawal in "
                "writing: send the withdrawal letter, then close the case.",
                "ok",
            )
        return done

    # -- showing -----------------------------------------------------------------------------

    def show_progress(self, p: Progress) -> None:
        # Contact steps start on the way the core says suits this complainant, unless the officer
        # is filling one in.
        for key, field in (("attempt", "method"), ("extend", "told_method")):
            step_form = self.panel.forms[key]
            if step_form is not self.panel.open_form():
                combo = step_form.fields[field]
                combo.setCurrentIndex(max(combo.findData(p.contact_method), 0))
        v = self.values
        v["stage"].setText(stage_words(p))
        status = STATUSES[p.status]
        if p.outcome is not None:
            status += f" — outcome: {OUTCOMES[p.outcome].lower()}"
        v["status"].setText(status)
        clock = []
        if p.acknowledged:
            clock.append(f"acknowledged {date_text(p.acknowledged)}")
        elif p.acknowledge_by:
            clock.append(f"acknowledge by {date_text(p.acknowledge_by)}")
        if p.response_sent:
            how = f" by {SEND_METHODS[p.response_method].lower()}" if p.response_method else ""
            clock.append(f"response sent {date_text(p.response_sent)}{how}")
        elif p.suspended:
            clock.append("response date unknown while suspended")
        elif p.respond_by:
            clock.append(f"respond by {date_text(p.respond_by)}")
        v["clock"].setText(capitalised("; ".join(clock)) if clock else "—")
        if p.extension_days == 0:
            extension = "This stage allows no extension."
        else:
            extension = (
                f"Up to {p.extension_days} working days more"
                + (
                    f", so no later than {date_text(p.respond_by_latest)}"
                    if p.respond_by_latest
                    else ""
                )
                + (", told to the complainant in writing" if p.extension_in_writing else "")
                + "."
            )
        if p.extensions:
            latest = p.extensions[-1]
            extension = f"Extended to {date_text(latest.new_date)} ({latest.reason}). " + extension
        v["extension"].setText(extension)
        if not p.suspension_grounds:
            suspension = "This council's policy has no suspension for concurrent proceedings."
        elif p.suspended:
            current = p.suspensions[-1]
            suspension = f"Suspended since {date_text(current.start)}: {current.reason}."
        elif p.suspensions:
            last = p.suspensions[-1]
            ground = last.reason.split(":", 1)[0].lower()
            suspension = (
                f"Not suspended now; the clock was stopped from "
                f"{date_text(last.start)} to {date_text(last.end)} ({ground})."
            )
        else:
            suspension = "Not suspended."
        v["suspension"].setText(suspension)
        v["attempts"].setText(self._attempts_text(p))
        if p.referrer_name:
            role = "MP" if p.referrer_role == ReferrerRole.MP else "Councillor"
            member = f"{p.referrer_name} ({role})"
            if p.on_member_enquiry_route:
                member += (
                    f": an enquiry, answered to them by {date_text(p.respond_by)}"
                    if p.respond_by
                    else ": an enquiry, answered to them"
                )
        else:
            member = "None recorded." + (
                " This council answers Member/MP enquiries on their own route."
                if p.member_enquiry_route
                else ""
            )
        v["member"].setText(member)
        ended = []
        if p.withdrawn_on:
            how = CONTACT_METHODS[p.withdrawal_method].lower() if p.withdrawal_method else ""
            ended.append(
                f"withdrawn {date_text(p.withdrawn_on)}"
                + (f" ({how})" if how else "")
                + ("; confirm it in writing" if p.withdrawal_unconfirmed else "")
            )
        if p.discontinued_on:
            ended.append(f"discontinued {date_text(p.discontinued_on)}")
        if p.closed_on:
            ended.append(f"closed {date_text(p.closed_on)}")
        if p.reopened_on:
            ended.append(f"re-opened {date_text(p.reopened_on)}: {p.reopening_reason}")
        v["ended"].setText(capitalised("; ".join(ended)) if ended else "—")
        if p.status == CaseStatus.CLOSED:
            v["closure"].setText("Closed: read-only until a manager re-opens it.")
        elif p.closure_blockers:
            v["closure"].setText("\n".join(f"• {capitalised(b)}" for b in p.closure_blockers))
        else:
            v["closure"].setText("Nothing stands in the way of closing it.")

        self.suspend_form.set_choices("ground", [(g, g) for g in p.suspension_grounds])
        if p.reopening_grounds:
            self.reopen_form.set_choices("ground", [(g, g) for g in p.reopening_grounds])
        else:
            self.reopen_form.set_choices("ground", [("No ground needed by this policy", None)])
        self._extension_default = p.extension_default
        self.extend_form.set_explain(
            f"The new date must be after the current response date and no later than "
            f"{date_text(p.respond_by_latest)}."
            if p.respond_by_latest
            else ""
        )
        self.discontinue_form.set_explain(
            (p.discontinuation_rule or "")
            + (f". So far: {p.discontinuation_shortfall}." if p.discontinuation_shortfall else "")
        )
        self.panel.set_open(p.not_open)
        self.extensions_model.set_rows(p.extensions)
        self.suspensions_model.set_rows(p.suspensions)
        self.attempts_model.set_rows(p.attempts)
        self.restrictions_model.set_rows(p.restrictions)

    @staticmethod
    def _attempts_text(p: Progress) -> str:
        made = len(p.attempts)
        text = f"{made} recorded" if made else "None recorded"
        if p.discontinuation_rule is None:
            return text + "."
        if p.attempts_needed:
            more = (
                f"{p.attempts_needed} more unanswered attempt"
                f"{'s' if p.attempts_needed != 1 else ''}"
            )
            return f"{text}; {more} before the case can be discontinued ({p.discontinuation_rule})."
        return f"{text}; enough to discontinue ({p.discontinuation_rule})."
