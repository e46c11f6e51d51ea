"""Letters: choose the kind, see the letter as it will be, with its checks beside it; save it
as a Word document kept on the case, and open it in the word processor.

The letter is built from the case (the points and findings on the Issues tab, and the three texts
here), so improving the letter means improving the case, which is saved as you type.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import LetterKind, Outcome
from caseworker.services import letters
from caseworker.services.cases.casefile import CaseFile
from caseworker.services.evidence import outbox
from caseworker.services.investigation import issues as investigation
from caseworker.services.investigation.issues import INVESTIGATION_OUTCOMES
from caseworker.services.letters import KIND_LABELS, LetterPreview
from caseworker_ui.case_tabs.base import CaseTab, usable_read_only
from caseworker_ui.case_tabs.common import (
    MessageBar,
    add_row,
    capitalised,
    despite_failing_checks,
    form,
    reason,
    set_plain,
    text_edit,
)
from caseworker_ui.models.letters import LettersModel
from caseworker_ui.reports.worker import NewestAnswer

PREVIEW_DELAY_MS = 250
CASE_TEXTS = (
    ("complaint_subject", "Your complaint a&bout…", "complaintSubject"),
    ("understanding", "Our &understanding of the complaint:", "understanding"),
    ("steps_taken", "&Steps taken to investigate:", "stepsTaken"),
    ("evidence_considered", "&Evidence considered:", "evidenceConsidered"),
)


SUBJECT = "complaint_subject"


def open_file(url: QUrl) -> bool:
    """Open a file in the program the system uses for it (patched in tests)."""
    return QDesktopServices.openUrl(url)


class LettersTab(CaseTab):
    title = "&Letters"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("lettersTab")
        self.preview: LetterPreview | None = None
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self._previews = NewestAnswer(self, "the letter's preview")

    def build(self) -> None:
        self.letters_model = LettersModel(self)
        self.gaps_model = QStringListModel(self)
        self.advice_model = QStringListModel(self)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_controls())
        splitter.addWidget(self._build_preview())
        splitter.addWidget(self._build_checks())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 560, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self.refresh_preview())
        self.outcome_combo.currentIndexChanged.connect(lambda _i: self.record_outcome())
        self.save_button.clicked.connect(self.save_word)
        self.open_button.clicked.connect(self.open_selected)
        self.email_button.clicked.connect(lambda _checked=False: self.email_selected())
        self.arranged_button.clicked.connect(lambda _checked=False: self.formats_arranged())
        self.letters_view.selectionModel().currentChanged.connect(
            lambda _now, _before: self._letter_chosen()
        )
        self.letters_model.modelReset.connect(self._letter_chosen)
        self.letters_view.activated.connect(lambda _i: self.open_selected())
        for field, edit in self.text_edits.items():
            edit.textChanged.connect(lambda field=field, edit=edit: self._changed(field, edit))
        self.saver.saved.connect(lambda _key: self._mark_stale())

    def _build_controls(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        rows = form()
        self.kind_combo = usable_read_only(QComboBox())
        self.kind_combo.setObjectName("letterKind")
        for combo in (self.kind_combo,):  # as narrow as the column: the choice shows in full
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self.kind_combo.addItem("The letter this case needs now", None)
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        add_row(rows, "&Kind of letter:", self.kind_combo)
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("outcome")
        self.outcome_combo.addItem("Not decided yet", None)
        for outcome in INVESTIGATION_OUTCOMES:
            self.outcome_combo.addItem(outcome.value.replace("-", " ").capitalize(), outcome)
        add_row(rows, "Outco&me:", self.outcome_combo)
        self.outcome_hint = QLabel()
        self.outcome_hint.setObjectName("outcomeHint")
        self.outcome_hint.setWordWrap(True)
        rows.addRow(self.outcome_hint)
        column.addLayout(rows)
        texts = QGroupBox("What the letter says besides the points")
        text_rows = form()
        text_rows.setRowWrapPolicy(text_rows.RowWrapPolicy.WrapAllRows)  # labels above boxes
        self.text_edits = {}
        for field, label, name in CASE_TEXTS:
            edit = text_edit(
                name, label.replace("&", "").rstrip(":"), lines=1 if field == SUBJECT else 3
            )
            self.text_edits[field] = edit
            add_row(text_rows, label, edit)
        self.text_edits[SUBJECT].setPlaceholderText(
            "As it reads after “your complaint about”: the repairs to your kitchen ceiling"
        )
        self.subject_hint = QLabel()
        self.subject_hint.setObjectName("subjectHint")
        self.subject_hint.setWordWrap(True)
        text_rows.insertRow(1, self.subject_hint)
        hint = QLabel("The points, findings and remedies come from the Issues tab.")
        hint.setWordWrap(True)
        text_rows.addRow(hint)
        texts.setLayout(text_rows)
        column.addWidget(texts)
        # Two rows of buttons: in one, they were wider than the column (cut off at 1366×768
        # and at 150%, behind a sideways scroll bar).
        buttons = QGridLayout()
        self.save_button = QPushButton("Save as &Word document")
        self.save_button.setObjectName("saveLetter")
        buttons.addWidget(self.save_button, 0, 0)
        # Beside Save (not under the list of letters), so it is in sight on a 1366×768 screen.
        self.open_button = usable_read_only(QPushButton("Open in word p&rocessor"))
        self.open_button.setObjectName("openLetter")
        self.open_button.setToolTip("Open the letter chosen in the list below")
        buttons.addWidget(self.open_button, 0, 1)
        self.email_button = QPushButton("Em&ail…")
        self.email_button.setObjectName("emailLetter")
        self.email_button.setEnabled(False)
        self.email_button.setToolTip("Choose a letter kept on this case to email")
        buttons.addWidget(self.email_button, 1, 0)
        self.arranged_button = QPushButton("Other &formats arranged")
        self.arranged_button.setObjectName("formatsArranged")
        self.arranged_button.setEnabled(False)
        buttons.addWidget(self.arranged_button, 1, 1)
        buttons.setColumnStretch(2, 1)
        column.addLayout(buttons)
        self.error_bar = MessageBar("letterError")
        column.addWidget(self.error_bar)
        kept = QLabel("Letters kept on this case:")
        column.addWidget(kept)
        self.letters_view = QListView()
        self.letters_view.setObjectName("letterList")
        self.letters_view.setAccessibleName("Letters kept on this case")
        self.letters_view.setModel(self.letters_model)
        self.letters_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.letters_view.setWordWrap(True)
        self.letters_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        kept.setBuddy(self.letters_view)
        column.addWidget(self.letters_view, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # Never wider than the column: the content wraps to it (no sideways scrolling).
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(
            content.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )
        return scroll

    def _build_preview(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.preview_title = QLabel("Preview")
        font = self.preview_title.font()
        font.setBold(True)
        self.preview_title.setFont(font)
        column.addWidget(self.preview_title)
        self.preview_edit = QPlainTextEdit()
        self.preview_edit.setObjectName("letterPreview")
        self.preview_edit.setAccessibleName("Letter preview")
        self.preview_edit.setReadOnly(True)
        self.preview_edit.setTabChangesFocus(True)
        serif = QFont("Serif")
        serif.setStyleHint(QFont.StyleHint.Serif)
        serif.setPointSizeF(self.font().pointSizeF() * 1.05)
        self.preview_edit.setFont(serif)
        self.preview_title.setBuddy(self.preview_edit)
        column.addWidget(self.preview_edit, 1)
        return panel

    def _build_checks(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Checks")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)
        self.compliance_bar = MessageBar("complianceState")
        column.addWidget(self.compliance_bar)
        self.gaps_view = QListView()
        self.gaps_view.setObjectName("letterGaps")
        self.gaps_view.setAccessibleName("What the letter still lacks")
        self.gaps_view.setModel(self.gaps_model)
        self.gaps_view.setWordWrap(True)
        self.gaps_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        column.addWidget(self.gaps_view, 1)
        plain = QLabel("Plain English")
        plain.setFont(font)
        column.addWidget(plain)
        self.plain_label = QLabel()
        self.plain_label.setObjectName("plainEnglish")
        self.plain_label.setWordWrap(True)
        column.addWidget(self.plain_label)
        self.advice_view = QListView()
        self.advice_view.setObjectName("plainAdvice")
        self.advice_view.setAccessibleName("Plain English advice")
        self.advice_view.setModel(self.advice_model)
        self.advice_view.setWordWrap(True)
        self.advice_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        column.addWidget(self.advice_view, 1)
        return panel

    def choose_kind(self, kind: LetterKind) -> None:
        """Show the letter of ``kind`` (the Progress tab offers the acknowledgement's)."""
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind), 0))

    def kind(self) -> LetterKind | None:
        """The kind chosen (Qt hands enumerations back as their plain values)."""
        data = self.kind_combo.currentData()
        return LetterKind(data) if data else None

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: CaseFile) -> None:
        self._show_outcome(case)
        self._show_kinds(case)
        self.letters_model.set_letters(case.letters)
        if case.letters:
            self.letters_view.setCurrentIndex(self.letters_model.index(len(case.letters) - 1))
        self.open_button.setEnabled(bool(case.letters))
        for field, edit in self.text_edits.items():
            if not self.saver.is_pending(("case_text", case.id, field)):
                set_plain(edit, getattr(case, field))
        self.subject_hint.setText(
            f"Letters say “your complaint about {case.letter_subject}”."
            + ("" if case.complaint_subject.strip() else " Record the subject to change it.")
        )
        self._mark_stale()

    def _show_kinds(self, case: CaseFile) -> None:
        """Every kind listed; one the case cannot have now is greyed, the reason as its tip."""
        try:
            choices = {choice.kind: choice for choice in letters.letter_kinds(self.desk, case.id)}
        except Exception:  # the preview says why when nothing can be made
            return
        model = self.kind_combo.model()
        for row in range(1, self.kind_combo.count()):
            data = self.kind_combo.itemData(row)
            choice = choices.get(LetterKind(data)) if data else None
            if choice is None:
                continue
            item = model.item(row)  # type: ignore[attr-defined]
            item.setEnabled(not choice.why_not)
            tip = f"Not now: {choice.why_not}." if choice.why_not else ""
            self.kind_combo.setItemData(row, tip, Qt.ItemDataRole.ToolTipRole)
            self.kind_combo.setItemText(
                row, f"{choice.label} (not now)" if choice.why_not else choice.label
            )

    def _show_outcome(self, case: CaseFile) -> None:
        # An outcome the chooser does not list (withdrawn, settled...) is shown as its own words.
        decided_elsewhere = (
            case.outcome is not None and self.outcome_combo.findData(case.outcome) < 0
        )
        fixed = case.outcome_fixed  # the core's rule: closed, or decided by another step
        self.outcome_combo.blockSignals(True)
        if decided_elsewhere:
            self.outcome_combo.setCurrentIndex(0)
            self.outcome_combo.setItemText(0, case.outcome.value.replace("-", " ").capitalize())
        else:
            self.outcome_combo.setItemText(0, "Not decided yet")
            self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(case.outcome)))
        self.outcome_combo.blockSignals(False)
        self.outcome_combo.setEnabled(fixed is None)
        self.outcome_combo.setToolTip(f"{capitalised(fixed)}." if fixed else "")
        suggestion = case.suggested_outcome  # stage 2's own findings at stage 2
        if decided_elsewhere:
            self.outcome_hint.setText(
                f"Recorded when the case was {case.outcome.value.replace('-', ' ')}."
            )
        elif suggestion is None:
            self.outcome_hint.setText(
                "Give every point a finding on the Issues tab; the outcome follows from them."
                if case.stage == 1
                else "Give every point its stage 2 finding on the Next stage tab; the outcome "
                "follows from them."
            )
        else:
            words = suggestion.value.replace("-", " ")
            self.outcome_hint.setText(
                f"The points' findings add up to: {words}."
                if suggestion != case.outcome
                else f"Matches the points' findings ({words})."
            )

    def record_outcome(self) -> None:
        data = self.outcome_combo.currentData()
        try:
            investigation.record_outcome(
                self.desk, self.host.case.id, Outcome(data) if data else None
            )
        except Exception as error:
            self.error_bar.show_message(f"Outcome not recorded: {reason(error)}")
            self.host.reload()
            return
        self.error_bar.clear()
        self.host.reload()
        self.refresh_preview()

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Build the letter again from the case as stored, with its checks, on a worker thread:
        the Word document is made and read back (60-120 ms, which held the window up each time
        the tab was shown, the kind chosen or a change saved). What is shown stays until the
        answer (:attr:`previewing` says one is awaited)."""
        self._timer.stop()
        self._stale = False
        if self.preview is None:  # nothing shown yet: say what is coming
            self.preview_title.setText("Preview: making the letter…")
        desk, case_id, kind = self.desk, self.host.case.id, self.kind()
        self._previews.ask(
            lambda: letters.preview_letter(desk, case_id, kind),
            self._show_preview,
            self._not_previewed,
        )

    @property
    def previewing(self) -> bool:
        """Whether a preview asked for by :meth:`refresh_preview` is awaited."""
        return self._previews.waiting

    def preview_now(self) -> None:
        """The letter built and shown at once, as :meth:`refresh_preview` does (saving checks
        the letter as it will be saved, and waits for that anyway)."""
        self._timer.stop()
        self._stale = False
        self._previews.forget()
        try:
            preview = letters.preview_letter(self.desk, self.host.case.id, self.kind())
        except Exception as error:
            self._not_previewed(error)
            return
        self._show_preview(preview)

    def stop_previewing(self) -> None:
        """Until a preview under way is built (its answer is not shown): the window closes."""
        self._previews.wait()

    def _not_previewed(self, error: Exception) -> None:
        self.preview = None
        self.preview_edit.setPlainText("")
        self.preview_title.setText("Preview")
        self.gaps_model.setStringList([])
        self.advice_model.setStringList([])
        self.plain_label.clear()
        self.compliance_bar.show_message(f"This letter cannot be made: {reason(error)}")
        self.save_button.setEnabled(False)

    def _show_preview(self, preview: LetterPreview) -> None:
        self.preview = preview
        self.save_button.setEnabled(self.editable)  # not on a case the person may not change
        scroll = self.preview_edit.verticalScrollBar().value()
        self.preview_edit.setPlainText(preview.text)
        self.preview_edit.verticalScrollBar().setValue(scroll)
        self.preview_title.setText(
            f"Preview: {KIND_LABELS[preview.kind].split(' (')[0].lower()} letter, stage "
            f"{preview.stage}"
        )
        self.gaps_model.setStringList(list(preview.gaps))
        self.gaps_view.setVisible(bool(preview.gaps))
        if preview.gaps:
            count = len(preview.gaps)
            self.compliance_bar.show_message(
                f"{count} thing{'s' if count != 1 else ''} the policy or Appendix A requires "
                "that this letter lacks:",
                "warning",
            )
        else:
            self.compliance_bar.show_message(
                "Complete: nothing the policy or Appendix A requires is missing.", "ok"
            )
        score = "no score" if preview.score is None else f"{preview.score:.0f}"
        self.plain_label.setText(
            f"Reading ease {score} ({preview.verdict}); {preview.words} words in "
            f"{preview.sentences} sentences. Aim for 60 or more."
        )
        notes = [f"Note: {note}" for note in preview.notes]
        self.advice_model.setStringList(notes + (list(preview.advice) or ["No advice: well done."]))
        self.save_button.setToolTip(
            "The checks fail: you will be asked why the letter is kept as it is."
            if preview.gaps
            else ""
        )

    # -- doing -------------------------------------------------------------------------------

    def _changed(self, field: str, edit: QPlainTextEdit) -> None:
        case_id, value = self.host.case.id, edit.toPlainText()
        editor = self.host.editor  # saved with the version check, like the issues
        editor.change_case(field, value)
        self.saver.changed(("case_text", case_id, field), lambda: editor.save())

    def save_word(self) -> None:
        if not self.saver.flush():
            self.error_bar.show_message(f"Not saved: {self.saver.last_error}")
            return
        self.preview_now()  # the checks of the letter as it will be saved
        despite = ""
        gaps = self.preview.gaps if self.preview is not None else ()
        if gaps:
            despite, accepted = self.ask_why_kept(gaps)
            if not accepted or not despite.strip():
                self.error_bar.show_message(
                    "Not saved: the letter's checks fail and no reason was given for keeping it."
                )
                return
        try:
            saved = letters.save_letter(self.desk, self.host.case.id, self.kind(), despite=despite)
        except Exception as error:
            self.error_bar.show_message(f"The letter was not saved: {reason(error)}")
            return
        self.error_bar.show_message(f"Saved on the case as {saved.filename}.", "ok")
        self.host.reload()

    def _selected_letter(self) -> int | None:
        index = self.letters_view.currentIndex()
        return index.data(LettersModel.LETTER_ID_ROLE) if index.isValid() else None

    def _letter_chosen(self) -> None:
        letter_id = self._selected_letter()
        why = (
            "Choose a letter kept on this case to email"
            if letter_id is None
            else outbox.why_not_email_letter(self.desk, letter_id)
        )
        chosen = next((x for x in self.host.case.letters if x.id == letter_id), None)
        arrange = (
            "Choose a letter kept on this case"
            if chosen is None
            else letters.why_not_arrange(chosen.formats, chosen.formats_arranged)
        )
        self.arranged_button.setEnabled(not arrange)
        self.arranged_button.setToolTip(
            capitalised(arrange)
            if arrange
            else f"Record the {chosen.formats.replace('; ', ' and ')} copy as arranged"  # type: ignore[union-attr]
        )
        self.email_button.setEnabled(why is None)
        self.email_button.setToolTip(
            capitalised(why) if why else "Email it to the addressee, PDF and Word attached"
        )

    def email_selected(self) -> None:
        """Send the chosen letter through the council's mail server where one is set up;
        otherwise write a draft and open it in the mail client."""
        letter_id = self._selected_letter()
        if letter_id is None:
            self.error_bar.show_message("Choose a letter kept on this case to email.")
            return
        try:
            server = outbox.mail_settings()
            done = despite_failing_checks(
                self,
                "sent",
                lambda despite: outbox.email_letter(
                    self.desk,
                    letter_id,
                    draft_to=None if server is not None else outbox.drafts_folder(),
                    settings=server,
                    despite=despite,
                ),
            )
        except Exception as error:
            self.error_bar.show_message(f"The letter was not emailed: {reason(error)}")
            return
        if done.sent:
            self.error_bar.show_message(f"Sent to {done.to}; recorded on the case.", "ok")
            self.host.reload()
            return
        assert done.draft is not None
        if not open_file(QUrl.fromLocalFile(str(done.draft))):
            self.error_bar.show_message(f"No mail client opened it. The draft is at {done.draft}.")
            return
        self.error_bar.show_message(f"The email to {done.to} is open in your mail client.", "ok")

    def formats_arranged(self) -> None:
        letter_id = self._selected_letter()
        if letter_id is None:
            return
        try:
            letters.record_formats_arranged(self.desk, letter_id)
        except Exception as error:
            self.error_bar.show_message(f"Not recorded: {reason(error)}")
            return
        self.error_bar.show_message("The copies in other formats are recorded as arranged.", "ok")
        self.host.reload()

    def ask_why_kept(self, gaps: tuple[str, ...]) -> tuple[str, bool]:
        """The officer's reason for keeping a letter whose checks fail (kept and audited)."""
        import caseworker_ui.discard as ask  # looked up here, so a test can answer

        count = len(gaps)
        return ask.ask_reason(
            self,
            "Keep a letter that fails its checks",
            f"The letter lacks {count} thing{'s' if count != 1 else ''} the policy or "
            f"Appendix A requires (first: {gaps[0]}).\nWhy keep it as it is? "
            "The reason is kept with the letter.",
        )

    def open_selected(self) -> None:
        index = self.letters_view.currentIndex()
        letter_id = index.data(LettersModel.LETTER_ID_ROLE) if index.isValid() else None
        if letter_id is None:
            self.error_bar.show_message("Choose a letter kept on this case to open.")
            return
        try:
            path = letters.export_letter(self.desk, letter_id)
        except Exception as error:
            self.error_bar.show_message(f"Could not write the letter out: {reason(error)}")
            return
        if not open_file(QUrl.fromLocalFile(str(path))):
            self.error_bar.show_message(f"No word processor opened it. The file is at {path}.")
            return
        self.error_bar.show_message(f"Opened {path.name} in the word processor.", "ok")
