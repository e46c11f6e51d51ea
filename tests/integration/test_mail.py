"""Email in: real .eml files (made here with the email package, attachments included) become a
new case or correspondence on a case; a malformed file is refused by name and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.errors import UserError
from caseworker.services.evidence.documents import list_documents
from caseworker.services.evidence.mail import (
    attach_mail,
    create_case_from_mail,
    draft_from_mail,
    read_mail,
)
from caseworker.storage.models import Case, Correspondence, Document

TODAY = dt.date(2026, 11, 25)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20


def write_eml(folder: Path, name: str = "complaint.eml", *, attach: bool = True) -> Path:
    message = EmailMessage()
    message["From"] = "Ann Example <ann.example@example.org>"
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = "Missed bin collections"
    message["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    message.set_content("My bin has been missed four weeks running.\nNobody called back.")
    if attach:
        message.add_attachment(PHOTO, maintype="image", subtype="jpeg", filename="bin.jpg")
        message.add_attachment(
            b"%PDF-1.4 calendar", maintype="application", subtype="pdf", filename="calendar.pdf"
        )
    path = folder / name
    path.write_bytes(bytes(message))
    return path


def counts(app) -> tuple[int, int, int]:  # noqa: ANN001
    with app.uow() as uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(Case)),
            s.scalar(select(func.count()).select_from(Correspondence)),
            s.scalar(select(func.count()).select_from(Document)),
        )


def test_an_eml_is_read_with_its_sender_date_body_and_attachments(tmp_path) -> None:
    mail = read_mail(write_eml(tmp_path))
    assert (mail.sender_name, mail.sender_email) == ("Ann Example", "ann.example@example.org")
    assert mail.sent_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC)
    assert mail.subject == "Missed bin collections"
    assert mail.body.startswith("My bin has been missed")
    assert [(a.filename, a.media_type) for a in mail.attachments] == [
        ("bin.jpg", "image/jpeg"),
        ("calendar.pdf", "application/pdf"),
    ]
    assert mail.attachments[0].content == PHOTO


def test_an_eml_becomes_a_new_case_with_its_attachments(app, tmp_path) -> None:  # noqa: ANN001
    mail = read_mail(write_eml(tmp_path))
    draft = draft_from_mail(
        mail, policy_id="stockport", today=TODAY, service_area="Waste and recycling"
    )
    # the officer completes what an email cannot say before saving
    draft = replace(draft, first_aware=dt.date(2026, 10, 1))
    assert draft.received == dt.date(2026, 11, 23) and draft.channel.value == "email"
    assert draft.complainant.email == "ann.example@example.org"
    ctx = app.context(today=lambda: TODAY)
    created = create_case_from_mail(ctx, mail, draft)
    with app.uow() as uow:
        case = uow.session.get(Case, created.id)
        assert case.received == dt.date(2026, 11, 23)
        assert case.complainant.name == "Ann Example"
        assert case.issues[0].summary.startswith("My bin has been missed")
    docs = list_documents(ctx, created.id)
    assert [d.filename for d in docs] == ["bin.jpg", "calendar.pdf"]
    assert docs[0].size == len(PHOTO)
    assert counts(app) == (1, 1, 2)


def test_an_eml_dropped_on_a_case_is_correspondence(app, tmp_path) -> None:  # noqa: ANN001
    first = read_mail(write_eml(tmp_path, attach=False))
    draft = replace(
        draft_from_mail(
            first, policy_id="stockport", today=TODAY, service_area="Waste and recycling"
        ),
        first_aware=dt.date(2026, 10, 1),
    )
    ctx = app.context(today=lambda: TODAY)
    created = create_case_from_mail(ctx, first, draft)
    entry_id = attach_mail(ctx, created.id, write_eml(tmp_path, "follow-up.eml"))
    with app.uow() as uow:
        entry = uow.session.get(Correspondence, entry_id)
        assert entry.case_id == created.id and entry.source_filename == "follow-up.eml"
        assert entry.sender == "Ann Example <ann.example@example.org>"
    assert len(list_documents(ctx, created.id)) == 2
    assert counts(app) == (1, 2, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"this is just some text\nwith no headers at all\n", "From"),
        (b"From: nobody\nSubject: hi\n\nbody\n", "no email address"),
        (b"From: a@example.org\nDate: not a date at all\n\nbody\n", "Date header"),
    ],
)
def test_a_malformed_eml_is_refused_by_name_and_changes_nothing(
    app, tmp_path, content, message
) -> None:  # noqa: ANN001
    path = tmp_path / "broken.eml"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as raised:
        read_mail(path)
    assert "broken.eml" in str(raised.value)
    assert counts(app) == (0, 0, 0)


def test_a_refused_draft_writes_nothing(app, tmp_path) -> None:  # noqa: ANN001
    from caseworker.services.cases.intake import TriageRefused

    mail = read_mail(write_eml(tmp_path))
    draft = draft_from_mail(mail, policy_id="stockport", today=TODAY)  # no service, no date
    with pytest.raises(TriageRefused):
        create_case_from_mail(app.context(today=lambda: TODAY), mail, draft)
    assert counts(app) == (0, 0, 0)


def test_other_files_and_fake_msg_files_are_refused(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(UserError, match="notes.txt is not an email"):
        read_mail(tmp_path / "notes.txt")
    (tmp_path / "fake.msg").write_bytes(b"not an outlook file")
    with pytest.raises(UserError, match="fake.msg cannot be read as an email"):
        read_mail(tmp_path / "fake.msg")


def write_msg(folder: Path, name: str = "outlook.msg") -> Path:
    """A real Outlook .msg made by tests/fixtures/mail/msg_writer.py (an OLE compound file)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "mail"))
    from msg_writer import build_msg

    path = folder / name
    path.write_bytes(
        build_msg(
            sender="Ann Example <ann.example@example.org>",
            to="complaints@council.example.gov.uk",
            subject="Missed bin collections (Outlook)",
            body="My bin has been missed again.\r\nPlease call me.",
            sent=dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC),
            attachments=[
                ("bin.jpg", "image/jpeg", PHOTO * 2),
                ("note.txt", "text/plain", b"small"),
            ],
        )
    )
    return path


def test_an_outlook_msg_is_read_and_becomes_a_case(app, tmp_path) -> None:  # noqa: ANN001
    mail = read_mail(write_msg(tmp_path))
    assert (mail.sender_name, mail.sender_email) == ("Ann Example", "ann.example@example.org")
    assert mail.sent_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC)
    assert mail.subject == "Missed bin collections (Outlook)"
    assert mail.body.startswith("My bin has been missed again.")
    assert [(a.filename, a.media_type, a.content) for a in mail.attachments] == [
        ("bin.jpg", "image/jpeg", PHOTO * 2),
        ("note.txt", "text/plain", b"small"),
    ]
    draft = replace(
        draft_from_mail(
            mail, policy_id="stockport", today=TODAY, service_area="Waste and recycling"
        ),
        first_aware=dt.date(2026, 10, 1),
    )
    ctx = app.context(today=lambda: TODAY)
    created = create_case_from_mail(ctx, mail, draft)
    assert [d.filename for d in list_documents(ctx, created.id)] == ["bin.jpg", "note.txt"]
    assert counts(app) == (1, 1, 2)


def test_a_damaged_msg_is_refused_and_changes_nothing(app, tmp_path) -> None:  # noqa: ANN001
    path = write_msg(tmp_path, "damaged.msg")
    path.write_bytes(path.read_bytes()[:1500])  # cut short: sectors missing
    with pytest.raises(UserError, match="damaged.msg cannot be read as an email"):
        read_mail(path)
    assert counts(app) == (0, 0, 0)
