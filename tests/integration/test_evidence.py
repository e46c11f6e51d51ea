"""Documents and emails on a case, as the app asks for them (one function each, given the
Context): attached with the acting officer's permission, opened byte for byte, removed with a
reason, told in the timeline; and refused, with nothing changed or shown, to an officer who may
not work on or see the case."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest

from caseworker.domain.enums import Role
from caseworker.domain.refusals import NotAnOfficer, NotPermitted
from caseworker.errors import UserError
from caseworker.services.cases import casefile, intake
from caseworker.services.cases.casefile import size_text
from caseworker.services.cases.intake import NewCase, PersonIn
from caseworker.services.evidence.documents import (
    attach_file,
    list_documents,
    open_document,
    remove_document,
)
from caseworker.services.evidence.mail import (
    attach,
    attach_mail,
    create_case_from_mail,
    draft_from_mail,
    email_body,
    list_correspondence,
    read_mail,
)
from caseworker.storage.models import Correspondence, Document, Officer

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
    desk, case_id, tmp_path
) -> None:
    photo = tmp_path / "sign.jpg"
    photo.write_bytes(PHOTO)
    pdf = tmp_path / "pcn.pdf"
    pdf.write_bytes(b"%PDF-1.4 penalty charge notice")
    issue = casefile.load_case_file(desk, case_id).issues[1]
    assert attach(desk, case_id, photo) == "sign.jpg"
    pdf_id = attach_file(desk, case_id, pdf, issue_id=issue.id)

    rows = list_documents(desk, case_id)
    assert [(r.filename, r.media_type, r.size, r.issue_id, r.added_by) for r in rows] == [
        ("sign.jpg", "image/jpeg", len(PHOTO), None, "tester"),
        ("pcn.pdf", "application/pdf", 30, issue.id, "tester"),
    ]
    opened = open_document(desk, pdf_id, cache=tmp_path / "cache")
    assert opened.parent.parent == tmp_path / "cache"
    assert opened.read_bytes() == pdf.read_bytes()
    assert open_document(desk, pdf_id).read_bytes() == pdf.read_bytes()  # the session's folder

    with pytest.raises(UserError, match="say why pcn.pdf is being removed"):
        remove_document(desk, pdf_id, "  ")
    remove_document(desk, pdf_id, "Sent to the wrong case")
    assert [r.filename for r in list_documents(desk, case_id)] == ["sign.jpg"]
    removed = [r for r in list_documents(desk, case_id, include_removed=True) if r.removed]
    assert [(r.filename, r.removal_reason, r.removed_by) for r in removed] == [
        ("pcn.pdf", "Sent to the wrong case", "tester")
    ]
    with pytest.raises(UserError, match="pcn.pdf was already removed on"):
        remove_document(desk, pdf_id, "again")

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
    desk, case_id, tmp_path
) -> None:
    assert attach(desk, case_id, write_eml(tmp_path)) == "the email reply.eml with 1 attachment"
    [email] = list_correspondence(desk, case_id)
    assert (email.sender, email.subject, email.attachments) == (
        "Priya Shah <priya@example.com>",
        "More photos of the sign",
        ("sign.jpg",),
    )
    assert email.sent_at is not None and email.sent_at.day == 24
    assert email_body(desk, email.id).startswith("Here are the photos")
    [photo] = list_documents(desk, case_id)
    assert open_document(desk, photo.id, cache=tmp_path / "cache").read_bytes() == PHOTO
    events = [e for e in casefile.timeline(desk, case_id) if e.category == "Email"]
    assert [e.summary for e in events] == [
        "Email received from Priya Shah <priya@example.com>: “More photos of the sign”, with "
        "1 attachment (sign.jpg)"
    ]
    # The attachment is named on the email's line, not again as a document of its own.
    assert not [e for e in casefile.timeline(desk, case_id) if e.category == "Document"]


def test_a_malformed_email_changes_nothing(desk, case_id, tmp_path) -> None:
    bad = tmp_path / "broken.msg"
    bad.write_bytes(b"this is not an Outlook message")
    with pytest.raises(UserError, match="broken.msg cannot be read as an email"):
        attach(desk, case_id, bad)
    with pytest.raises(UserError, match="broken.msg cannot be read as an email"):
        attach_mail(desk, case_id, bad)
    assert list_documents(desk, case_id) == [] and list_correspondence(desk, case_id) == []


def _officer(app, login: str, role: Role, area: str = "Housing", active: bool = True) -> None:
    with app.uow() as uow:
        uow.session.add(
            Officer(
                name=login.capitalize(),
                email=f"{login}@council.example",
                role=role,
                service_area=area,
                login=login,
                active=active,
            )
        )
        uow.commit()


def _stored(app, case_id: int) -> tuple[list, list]:
    """Every document of the case (removed or not) and every email on it, read back."""
    with app.uow() as uow:
        documents = [
            (d.filename, d.removed_at, d.removal_reason)
            for d in uow.session.query(Document).filter(Document.case_id == case_id)
        ]
        emails = [
            e.subject
            for e in uow.session.query(Correspondence).filter(Correspondence.case_id == case_id)
        ]
    return sorted(documents, key=str), emails


def test_only_someone_who_may_work_on_the_case_attaches_or_removes(
    app, desk, case_id, tmp_path
) -> None:
    photo = tmp_path / "sign.jpg"
    photo.write_bytes(PHOTO)
    document_id = attach_file(desk, case_id, photo)
    before = _stored(app, case_id)
    _officer(app, "jbloggs", Role.INVESTIGATING_OFFICER)  # not theirs
    _officer(app, "housing", Role.LINE_MANAGER)  # another service's manager
    for login in ("jbloggs", "housing"):
        other = app.context(actor=login, today=lambda: TODAY)
        with pytest.raises(NotPermitted, match="may not work on"):
            attach_file(other, case_id, photo)
        with pytest.raises(NotPermitted, match="may not work on"):
            attach_mail(other, case_id, write_eml(tmp_path))
        with pytest.raises(NotPermitted, match="may not work on"):
            attach(other, case_id, photo)
        with pytest.raises(NotPermitted, match="may not work on"):
            remove_document(other, document_id, "not mine")
    nobody = app.context(actor="visitor", today=lambda: TODAY)
    with pytest.raises(NotAnOfficer, match="'visitor' is not linked"):
        attach_file(nobody, case_id, photo)
    with pytest.raises(NotAnOfficer, match="'visitor' is not linked"):
        remove_document(nobody, document_id, "not mine")
    assert _stored(app, case_id) == before


def test_only_someone_who_may_see_the_case_reads_its_documents_and_emails(
    app, desk, case_id, tmp_path
) -> None:
    attach(desk, case_id, write_eml(tmp_path))
    [photo] = list_documents(desk, case_id)
    [email] = list_correspondence(desk, case_id)
    _officer(app, "jbloggs", Role.INVESTIGATING_OFFICER)  # not theirs
    _officer(app, "housing", Role.LINE_MANAGER)  # another service's manager
    _officer(app, "parkman", Role.LINE_MANAGER, area="parking ")  # this service's
    _officer(app, "gone", Role.COMPLAINTS_MANAGER, active=False)
    for login in ("jbloggs", "housing"):
        other = app.context(actor=login, today=lambda: TODAY)
        for read in (
            lambda ctx: list_documents(ctx, case_id),
            lambda ctx: list_correspondence(ctx, case_id),
            lambda ctx: email_body(ctx, email.id),
            lambda ctx, folder=tmp_path / login: open_document(ctx, photo.id, cache=folder),
        ):
            with pytest.raises(NotPermitted, match="may not see"):
                read(other)
        assert not (tmp_path / login).exists()  # no file written for the viewer
    for login, refusal in (("visitor", NotAnOfficer), ("gone", NotAnOfficer)):
        with pytest.raises(refusal):
            list_documents(app.context(actor=login), case_id)
    manager = app.context(actor="parkman", today=lambda: TODAY)
    assert [d.filename for d in list_documents(manager, case_id)] == ["sign.jpg"]
    assert email_body(manager, email.id).startswith("Here are the photos")
    assert open_document(manager, photo.id, cache=tmp_path / "m").read_bytes() == PHOTO


def test_a_login_that_is_no_officers_records_no_case_from_an_email(app, tmp_path) -> None:
    message = read_mail(write_eml(tmp_path))
    draft = replace(
        draft_from_mail(message, policy_id="stockport", today=TODAY),
        service_area="Parking",
        first_aware=dt.date(2026, 11, 1),
    )
    with pytest.raises(NotAnOfficer):
        create_case_from_mail(app.context(actor="visitor", today=lambda: TODAY), message, draft)
    with app.uow() as uow:
        assert uow.session.query(Correspondence).count() == 0
        assert uow.session.query(Document).count() == 0


def test_a_new_case_from_an_email_keeps_the_officers_edits(desk, tmp_path) -> None:
    message = read_mail(write_eml(tmp_path))
    draft = draft_from_mail(message, policy_id="stockport", today=desk.today())
    assert (draft.complainant.name, draft.complainant.email, draft.received) == (
        "Priya Shah",
        "priya@example.com",
        dt.date(2026, 11, 24),
    )
    created = create_case_from_mail(
        desk,
        message,
        replace(
            draft,
            service_area="Parking",
            first_aware=dt.date(2026, 11, 1),
            summary="Photos of a missing parking sign",
        ),
    )
    assert [d.filename for d in list_documents(desk, created.id)] == ["sign.jpg"]
    assert [c.subject for c in list_correspondence(desk, created.id)] == ["More photos of the sign"]


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


def test_the_file_pack_and_an_offline_copy_carry_the_emails(app, desk, case_id, tmp_path) -> None:
    import io
    import zipfile

    import docx

    from caseworker.bootstrap import open_app
    from caseworker.services.records.filepack import build_file_pack
    from caseworker.services.team.offline import check_out

    attach_mail(desk, case_id, write_eml(tmp_path))
    made = build_file_pack(desk, case_id)  # dated the context's today
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
    check_out(desk, [reference], copy, machine="laptop")
    laptop = open_app(f"sqlite:///{copy}", actor="tester")
    try:
        [email] = list_correspondence(laptop.context(), case_id)
        assert (email.subject, email.attachments) == ("More photos of the sign", ("sign.jpg",))
    finally:
        laptop.close()
