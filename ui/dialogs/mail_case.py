"""A new case from an email: the new-case form, filled in from the email, with the email itself
shown above it and its attachments listed to be kept on the case.

The officer checks and completes the form as for any new case (triage runs as usual). Recording
it stores the case, the email as its first correspondence and the attachments as documents in
one transaction (:func:`caseworker.services.evidence.mail.create_case_from_mail`).
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.enums import Channel
from caseworker.services.cases.casefile import size_text
from caseworker.services.cases.intake import CreatedCase, NewCase
from caseworker.services.cases.pasted import tidy_pasted
from caseworker.services.context import Context
from caseworker.services.evidence.mail import MailIn, create_case_from_mail, draft_from_mail
from caseworker_ui.case_tabs.common import to_qdate
from caseworker_ui.dialogs.new_case import NewCaseDialog
from caseworker_ui.models.documents import when_text


def points_from(text: str) -> list[str]:
    """The form's "one point per line" from an email's text: each paragraph one point (mail
    programs wrap lines, so a paragraph's lines are joined)."""
    paragraphs = [" ".join(chunk.split()) for chunk in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in paragraphs if p]


_GREETINGS = ("dear ", "hello", "hi ", "to whom it may concern")
_SIGN_OFFS = (
    "regards",
    "kind regards",
    "best regards",
    "yours sincerely",
    "yours faithfully",
    "many thanks",
    "thanks",
    "thank you",
    "best wishes",
)


def is_greeting(paragraph: str, sender_name: str = "") -> bool:
    """A salutation, a sign-off or the sender's name on its own: not one of their points."""
    text = paragraph.strip().rstrip(",.!").lower()
    if len(text.split()) > 6:
        return False
    names = {part.lower() for part in sender_name.split()} | {sender_name.lower()}
    return (
        text.startswith(_GREETINGS)
        or text in _SIGN_OFFS
        or any(text.startswith(s + ",") or text.startswith(s + "\n") for s in _SIGN_OFFS)
        or bool(text)
        and (text in names or set(text.split()) <= names)
    )


class MailCaseDialog(NewCaseDialog):
    def __init__(self, desk: Context, message: MailIn, parent: QWidget | None = None) -> None:
        self.message = message
        super().__init__(desk, parent)
        self.setObjectName("newCaseFromEmailDialog")
        self.setWindowTitle(f"New case from the email {message.source}")
        layout = self.scroll.widget().layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self._build_email())
        self.fill(draft_from_mail(message, policy_id=self.policy().id, today=desk.today()))

    def _build_email(self) -> QGroupBox:
        message = self.message
        box = QGroupBox(f"From the email {message.source}")
        box.setObjectName("fromEmailGroup")
        column = QVBoxLayout(box)
        sent = when_text(message.sent_at) if message.sent_at else "no date given"
        about = QLabel(
            f"From {message.sender_name} <{message.sender_email}>, sent {sent}\n"
            f"Subject: {message.subject or '(none)'}"
        )
        about.setObjectName("emailHeaders")
        about.setWordWrap(True)
        column.addWidget(about)
        count = len(message.attachments)
        note = QLabel(
            f"Its {count} attachment{'' if count == 1 else 's'} will be kept on the case, and "
            "the email itself as its first correspondence:"
            if count
            else "The email will be kept on the case as its first correspondence. It has no "
            "attachments."
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.attachments_model = QStringListModel(
            [f"{a.filename} ({size_text(len(a.content))})" for a in message.attachments], self
        )
        self.attachments_view = QListView()
        self.attachments_view.setObjectName("emailAttachments")
        self.attachments_view.setAccessibleName("Attachments to keep on the case")
        self.attachments_view.setModel(self.attachments_model)
        self.attachments_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lines = max(1, min(count, 5))
        self.attachments_view.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.attachments_view.setVisible(bool(count))
        column.addWidget(self.attachments_view)
        return box

    def fill(self, draft: NewCase) -> None:
        """Put the email's answers in the form: when it came and how, who from, what about."""
        if self.received_edit.maximumDate() >= to_qdate(draft.received):
            self.received_edit.set_value(draft.received)
        index = self.channel_combo.findData(draft.channel or Channel.EMAIL)
        self.channel_combo.setCurrentIndex(max(0, index))
        if draft.service_area:
            self.service_edit.setText(draft.service_area)
        if draft.complainant is not None:
            self.name_edit.setText(draft.complainant.name)
            self.email_edit.setText(draft.complainant.email)
        self.summary_edit.setPlainText(draft.summary)
        sender = draft.complainant.name if draft.complainant is not None else ""

        def points(texts: list[str]) -> str:
            return "\n".join(
                point
                for text in texts
                for point in points_from(text)
                if not is_greeting(point, sender)
            )

        # the email's own words, without quoted replies, signature and "Sent from my…"
        # (shown, with the original to restore)
        self.show_points(
            points(list(draft.issues)),
            points([tidy_pasted(text).text for text in draft.issues]),
        )
        self.run_triage()

    def record(self, new: NewCase) -> CreatedCase:
        return create_case_from_mail(self._desk, self.message, new)

    @classmethod
    def run_for(
        cls, desk: Context, message: MailIn, parent: QWidget | None = None
    ) -> tuple[CreatedCase | None, bool]:
        """Show the form filled in from ``message``; the case recorded and whether it was."""
        dialog = cls(desk, message, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        created = dialog.created
        dialog.deleteLater()
        return created, accepted and created is not None
