"""The evidence desk the app acts through: files and emails attached to a case with the acting
officer's permission, opened byte for byte, removed with a reason, and told in the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from caseworker.domain.enums import Role
from caseworker.domain.refusals import NotPermitted
from caseworker.errors import UserError
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.casefile import size_text
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.context import Context
from caseworker.services.evidence.desk import EvidenceDesk
from caseworker.storage.models import Officer

TODAY = dt.date(2026, 11, 25)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


def write_eml(folder: Path, name: str = "reply.eml") -> Path:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya@example.com>"
    message["To"] = "complaints@council.example.gov.uk"
    message["Subject"] = "More photos of the sign"
    message["Date"] = "Tue, 24 Nov 2026 16:40:00 +0000"
    message.set_content("Here are the photos you asked for.")
    message.add_attachment(PHOTO, maintype="image", subtype="jpeg", filename="sign.jpg")
    path = folder / name
    path.write_bytes(bytes(message))
    return path


@pytest.fixture
def desk(app, signed_in) -> Context:
    return Context(app.sessions, actor=app.actor, today=lambda: TODAY)


@pytest.fixture
def evidence(desk, tmp_path) -> EvidenceDesk:
    return EvidenceDesk(desk, cache=tmp_path / "cache")


@pytest.fixture
def case_id(desk) -> int:
    return intake.create_case(
        desk,
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 2),
            service_area="Parking",
            summary="A ticket issued while I was loading.",
            first_aware=dt.date(2026, 10, 30),
            complainant=PersonIn(name="Priya Shah", email="priya@example.com"),
            issues=("The ticket was wrong.", "Nobody replied."),
        ),
    ).id


def test_files_are_attached_listed_opened_and_removed_with_a_reason(
    desk, evidence, case_id, tmp_path
) -> None:
    photo = tmp_path / "sign.jpg"
    photo.write_bytes(PHOTO)
    pdf = tmp_path / "pcn.pdf"
    pdf.write_bytes(b"%PDF-1.4 penalty charge notice")
    issue = casefile.load_case_file(desk, case_id).issues[1]
    assert evidence.attach(case_id, photo) == "sign.jpg"
    pdf_id = evidence.attach_file(case_id, pdf, issue_id=issue.id)

    rows = evidence.documents(case_id)
    assert [(r.filename, r.media_type, r.size, r.issue_id, r.added_by) for r in rows] == [
        ("sign.jpg", "image/jpeg", len(PHOTO), None, "tester"),
        ("pcn.pdf", "application/pdf", 30, issue.id, "tester"),
    ]
    opened = evidence.open_document(pdf_id)
    assert opened.parent.parent == tmp_path / "cache"
    assert opened.read_bytes() == pdf.read_bytes()

    with pytest.raises(UserError, match="say why pcn.pdf is being removed"):
        evidence.remove_document(pdf_id, "  ")
    evidence.remove_document(pdf_id, "Sent to the wrong case")
    assert [r.filename for r in evidence.documents(case_id)] == ["sign.jpg"]
    removed = [r for r in evidence.documents(case_id, include_removed=True) if r.removed]
    assert [(r.filename, r.removal_reason, r.removed_by) for r in removed] == [
        ("pcn.pdf", "Sent to the wrong case", "tester")
    ]

    lines = [(e.category, e.summary, e.by) for e in casefile.timeline(desk, case_id)]
    assert ("Document", f"Document attached: sign.jpg ({size_text(len(PHOTO))})", "tester") in lines
    assert ("Document", "Document attached to issue 2: pcn.pdf (30 bytes)", "tester") in lines
    assert (
        "Document",
        "Document removed: pcn.pdf. Reason: Sent to the wrong case",
        "tester",
    ) in lines
    assert not [s for _c, s, _b in lines if "documents" in s]  # no raw table names


def test_an_email_dropped_on_the_case_is_correspondence_in_the_timeline(
    desk, evidence, case_id, tmp_path
) -> None:
    assert evidence.attach(case_id, write_eml(tmp_path)) == "the email reply.eml with 1 attachment"
    [email] = evidence.correspondence(case_id)
    assert (email.sender, email.subject, email.attachments) == (
        "Priya Shah <priya@example.com>",
        "More photos of the sign",
        ("sign.jpg",),
    )
    assert email.sent_at is not None and email.sent_at.day == 24
    assert evidence.email_body(email.id).startswith("Here are the photos")
    [photo] = evidence.documents(case_id)
    assert evidence.open_document(photo.id).read_bytes() == PHOTO
    events = [e for e in casefile.timeline(desk, case_id) if e.category == "Email"]
    assert [e.summary for e in events] == [
        "Email received from Priya Shah <priya@example.com>: “More photos of the sign”, with "
        "1 attachment (sign.jpg)"
    ]
    # The attachment is named on the email's line, not again as a document of its own.
    assert not [e for e in casefile.timeline(desk, case_id) if e.category == "Document"]


def test_a_malformed_email_changes_nothing(evidence, case_id, tmp_path) -> None:
    bad = tmp_path / "broken.msg"
    bad.write_bytes(b"this is not an Outlook message")
    with pytest.raises(UserError, match="broken.msg cannot be read as an email"):
        evidence.attach(case_id, bad)
    assert evidence.documents(case_id) == [] and evidence.correspondence(case_id) == []


def test_only_someone_who_may_work_on_the_case_attaches_or_removes(
    app, desk, evidence, case_id, tmp_path
) -> None:
    photo = tmp_path / "sign.jpg"
    photo.write_bytes(PHOTO)
    document_id = evidence.attach_file(case_id, photo)
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name="Jo Bloggs",
                email="jo@council.example",
                role=Role.INVESTIGATING_OFFICER,
                service_area="Housing",
                login="jbloggs",
            )
        )
        uow.commit()
    other = EvidenceDesk(Context(app.sessions, actor="jbloggs", today=lambda: TODAY))
    with pytest.raises(NotPermitted):
        other.attach_file(case_id, photo)
    with pytest.raises(NotPermitted):
        other.attach_mail(case_id, write_eml(tmp_path))
    with pytest.raises(NotPermitted):
        other.remove_document(document_id, "not mine")
    assert [r.filename for r in evidence.documents(case_id)] == ["sign.jpg"]
    assert evidence.correspondence(case_id) == []


def test_a_new_case_from_an_email_keeps_the_officers_edits(evidence, tmp_path) -> None:
    message = evidence.read_mail(write_eml(tmp_path))
    draft = evidence.draft_from_mail(message, "stockport")
    assert (draft.complainant.name, draft.complainant.email, draft.received) == (
        "Priya Shah",
        "priya@example.com",
        dt.date(2026, 11, 24),
    )
    created = evidence.create_case_from_mail(
        message,
        replace(
            draft,
            service_area="Parking",
            first_aware=dt.date(2026, 11, 1),
            summary="Photos of a missing parking sign",
        ),
    )
    assert [d.filename for d in evidence.documents(created.id)] == ["sign.jpg"]
    assert [c.subject for c in evidence.correspondence(created.id)] == ["More photos of the sign"]


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1,023 bytes"),
        (1024, "1.0 KB"),
        (15 * 1024, "15 KB"),
        (int(3.25 * 1024 * 1024), "3.2 MB"),
        (5 * 1024**3, "5.0 GB"),
    ],
)
def test_sizes_read_as_people_say_them(size, text) -> None:
    assert size_text(size) == text


def test_the_file_pack_and_an_offline_copy_carry_the_emails(
    app, evidence, case_id, tmp_path
) -> None:
    import io
    import zipfile

    import docx

    from caseworker.bootstrap import open_app
    from caseworker.services.evidence.mail import list_correspondence
    from caseworker.services.records.filepack import build_file_pack
    from caseworker.services.team.offline import check_out

    evidence.attach_mail(case_id, write_eml(tmp_path))
    made = build_file_pack(app.context(today=lambda: TODAY), case_id)
    reference = made.reference
    lines = [p.text for p in docx.Document(io.BytesIO(made.document)).paragraphs]
    start = lines.index("Emails received")
    assert lines[start + 1 : start + 7] == [
        "More photos of the sign, 24 November 2026",
        "From: Priya Shah <priya@example.com>",
        "To: complaints@council.example.gov.uk",
        "Attachments: sign.jpg",
        "Imported from: reply.eml by tester",
        "Here are the photos you asked for.",
    ]
    with zipfile.ZipFile(io.BytesIO(made.archive)) as archive:
        assert archive.read("documents/01-sign.jpg") == PHOTO

    copy = tmp_path / "laptop.sqlite"
    check_out(app.context(), [reference], copy, machine="laptop")
    laptop = open_app(f"sqlite:///{copy}", actor="tester")
    try:
        with laptop.uow() as uow:
            [email] = list_correspondence(uow.session, case_id)
            assert (email.subject, email.attachments) == ("More photos of the sign", ("sign.jpg",))
    finally:
        laptop.close()
