"""The evidence screens for ``python -m caseworker_ui.screenshots.main``: documents and emails on a
case (a photograph, a PDF, an email with its attachments, one document removed with a reason), and
the
new-case form filled in from an email.

Made-up files only; they are stored as the app stores them (through the core services).
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path

from caseworker.services.evidence import documents, mail


def photo_bytes() -> bytes:
    """A small made-up photograph (a JPEG drawn here)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#87a96b"))
    painter = QPainter(image)
    painter.fillRect(110, 60, 100, 140, QColor("#2f4f4f"))
    painter.setPen(Qt.GlobalColor.white)
    painter.drawText(120, 130, "BIN 14")
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(data.data())


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]"
    b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def sample_email(
    folder: Path,
    *,
    name: str = "Re collection dates.eml",
    sender: str = "Margaret Example <m.example@example.org>",
    subject: str = "Re: my bin collections",
    when: str = "Mon, 23 Nov 2026 08:42:00 +0000",
) -> Path:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = subject
    message["Date"] = when
    message.set_content(
        "Dear Complaints Team,\n\nMy assisted bin collection was missed again on Monday, the "
        "third time this month.\nI have attached a photo of the bin at the kerb and the "
        "collection calendar.\n\nNobody replied when I rang the waste team on 17 November.\n\n"
        "Margaret Example"
    )
    message.add_attachment(
        photo_bytes(), maintype="image", subtype="jpeg", filename="bin at the kerb.jpg"
    )
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="collection calendar 2026.pdf"
    )
    path = folder / name
    path.write_bytes(bytes(message))
    return path


def add_evidence(app, case_id: int, folder: Path) -> None:
    """A photograph, a PDF (for the second point, if there is one), an email with two
    attachments, and a document removed with a reason."""
    with app.uow() as uow:
        from caseworker.storage.models import Issue

        issues = (
            uow.session.query(Issue).filter(Issue.case_id == case_id).order_by(Issue.number).all()
        )
        documents.add_document(uow.session, case_id, "IMG_2041 bin store.jpg", photo_bytes())
        documents.add_document(
            uow.session,
            case_id,
            "Waste team call log.pdf",
            PDF,
            issue_id=issues[-1].id if issues else None,
        )
        wrong = documents.add_document(
            uow.session,
            case_id,
            "Letter to another resident.docx",
            b"PK\x03\x04 not this case",
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        documents.add_document(
            uow.session,
            case_id,
            "Round schedule.xlsx",
            b"PK\x03\x04 rounds",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        uow.commit()
        wrong_id = wrong.id
    ctx = app.context()  # as the officer at the keyboard removes one and drops an email
    documents.remove_document(
        ctx, wrong_id, "Attached to the wrong case by mistake; it is about another resident"
    )
    mail.attach_mail(ctx, case_id, sample_email(folder))


def new_case_from_email(desk, parent, folder: Path):
    """The new-case form as it opens for an email dropped on the main window."""
    from caseworker_ui.dialogs.mail_case import MailCaseDialog

    message = mail.read_mail(
        sample_email(
            folder,
            name="Complaint about parking.eml",
            sender="Tom Parker <tom.parker@example.net>",
            subject="Parking permit refused",
            when="Tue, 24 Nov 2026 19:05:00 +0000",
        )
    )
    message = _with_body(
        message,
        "I applied for a resident's parking permit on 2 November "
        "and was refused\nbecause the system says I do not live on the "
        "street.\n\nI have lived at 8 Mill Lane for six years; my council tax "
        "bill is attached.\n\nKind regards,\nTom Parker\n\nSent from my iPhone\n\n"
        "> On 20 Nov 2026, Parking Services wrote:\n> Your application has been refused.",
    )
    dialog = MailCaseDialog(desk, message, parent)
    dialog.policy_combo.setCurrentIndex(max(0, dialog.policy_combo.findData("stockport")))
    dialog.service_edit.setText("Parking")
    return dialog


def _with_body(message, body: str):
    from dataclasses import replace

    return replace(message, body=body, sent_at=dt.datetime(2026, 11, 24, 19, 5, tzinfo=dt.UTC))
