"""Documents on a case: stored with hash and size, listed without their bytes, opened through a
temporary file, removed only with a reason, audited without the bytes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import event, select

from caseworker.errors import UserError
from caseworker.services.cases.intake import NewCase, PersonIn, create_case
from caseworker.services.evidence.documents import (
    add_document,
    attach_file,
    list_documents,
    open_document,
    remove_document,
)
from caseworker.storage.models import AuditEvent, Case

PHOTO = bytes(range(256)) * 4000  # about 1 MB


def make_case(app) -> int:  # noqa: ANN001
    created = create_case(
        app.context(today=lambda: dt.date(2026, 11, 23)),
        NewCase(
            policy_id="stockport",
            received=dt.date(2026, 11, 23),
            service_area="Waste and recycling",
            summary="Bins missed",
            first_aware=dt.date(2026, 11, 1),
            complainant=PersonIn(name="Ann Example", address="1 High Street", postcode="QQ1 1AA"),
            issues=("The bin was missed.",),
        ),
    )
    return created.id


def test_a_document_is_stored_listed_opened_and_removed_with_a_reason(app, tmp_path) -> None:  # noqa: ANN001
    case_id = make_case(app)
    ctx = app.context()
    with app.uow() as uow:
        issue_id = uow.session.get(Case, case_id).issues[0].id
        doc = add_document(uow.session, case_id, "bin.jpg", PHOTO, issue_id=issue_id)
        other = add_document(uow.session, case_id, "letter.pdf", b"%PDF-1.4 tiny")
        doc_id, other_id = doc.id, other.id
        uow.commit()

    statements: list[str] = []

    def sent(_connection, _cursor, sql, *_args) -> None:  # noqa: ANN001
        statements.append(sql)

    event.listen(app.engine, "before_cursor_execute", sent)
    rows = list_documents(ctx, case_id)
    event.remove(app.engine, "before_cursor_execute", sent)
    assert [r.filename for r in rows] == ["bin.jpg", "letter.pdf"]
    first = rows[0]
    assert first.size == len(PHOTO)
    assert first.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert first.media_type == "image/jpeg"
    assert first.added_by == "tester"
    assert first.issue_id == issue_id
    # listing never read the bytes
    read = [sql for sql in statements if "FROM documents" in sql]
    assert read and not [sql for sql in read if "documents.content" in sql]

    path = open_document(ctx, doc_id, cache=tmp_path / "open")
    assert path.name == "bin.jpg" and path.read_bytes() == PHOTO

    with pytest.raises(UserError, match="say why"):
        remove_document(ctx, other_id, "  ")
    remove_document(ctx, other_id, "Sent in error: belongs to another case")

    assert [r.filename for r in list_documents(ctx, case_id)] == ["bin.jpg"]
    everything = list_documents(ctx, case_id, include_removed=True)
    removed = [r for r in everything if r.removed]
    assert removed[0].removal_reason.startswith("Sent in error")
    assert removed[0].removed_by == "tester"
    with app.uow() as uow:
        events = uow.session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "documents")
        ).all()
        assert {e.action for e in events} == {"create", "update"}
        reasons = [e for e in events if e.field == "removal_reason"]
        assert reasons and reasons[0].new_value.startswith("Sent in error")
        # the audit never holds the file's bytes
        created = [e for e in events if e.action == "create" and e.entity_id == doc_id][0]
        assert len(created.new_value) < 2000
        assert "bytes, sha256" in created.new_value or "content" not in created.new_value


def test_a_damaged_document_is_not_opened(app, tmp_path) -> None:  # noqa: ANN001
    case_id = make_case(app)
    with app.uow() as uow:
        doc = add_document(uow.session, case_id, "bin.jpg", PHOTO)
        uow.session.flush()
        doc.content = b"not the photograph"
        uow.commit()
        doc_id = doc.id
    with pytest.raises(UserError, match="does not match its recorded SHA-256"):
        open_document(app.context(), doc_id, cache=tmp_path / "open")
    assert not (tmp_path / "open").exists()


def test_refusals_change_nothing(app, tmp_path) -> None:  # noqa: ANN001
    case_id = make_case(app)
    ctx = app.context()
    with app.uow() as uow:
        with pytest.raises(UserError, match="no case"):
            add_document(uow.session, 999, "x.txt", b"x")
        with pytest.raises(UserError, match="not one of"):
            add_document(uow.session, case_id, "x.txt", b"x", issue_id=12345)
    (tmp_path / "x.txt").write_bytes(b"x")
    with pytest.raises(UserError, match="no case with id 999"):
        attach_file(ctx, 999, tmp_path / "x.txt")
    with pytest.raises(UserError, match="not one of"):
        attach_file(ctx, case_id, tmp_path / "x.txt", issue_id=12345)
    with pytest.raises(UserError, match="cannot read"):
        attach_file(ctx, case_id, tmp_path / "missing.pdf")
    with pytest.raises(UserError, match="no document with id 999"):
        remove_document(ctx, 999, "why")
    assert list_documents(ctx, case_id, include_removed=True) == []


def test_a_dropped_file_is_attached(app, tmp_path) -> None:  # noqa: ANN001
    case_id = make_case(app)
    dropped = tmp_path / "report.docx"
    dropped.write_bytes(b"PK\x03\x04 word")
    attach_file(app.context(), case_id, dropped)
    (row,) = list_documents(app.context(), case_id)
    assert row.filename == "report.docx" and row.size == len(b"PK\x03\x04 word")


def test_the_stage_2_file_pack_includes_the_documents_on_file(app) -> None:  # noqa: ANN001
    import io
    import zipfile

    import docx

    from caseworker.services.records.filepack import build_file_pack

    case_id = make_case(app)  # as 'tester', a complaints manager (the signed_in fixture)
    with app.uow() as uow:
        add_document(uow.session, case_id, "bin photo.jpg", PHOTO)
        gone = add_document(uow.session, case_id, "wrong.pdf", b"%PDF")
        uow.commit()
    remove_document(app.context(), gone.id, "Belongs to another case")
    made = build_file_pack(app.context(today=lambda: dt.date(2026, 11, 23)), case_id)
    with zipfile.ZipFile(io.BytesIO(made.archive)) as archive:
        names = [n for n in archive.namelist() if n.startswith("documents/")]
        assert names == ["documents/01-bin-photo.jpg"]
        assert archive.read(names[0]) == PHOTO
    paragraphs = [p.text for p in docx.Document(io.BytesIO(made.document)).paragraphs]
    assert "Documents" in paragraphs


def test_offline_checkout_carries_the_documents(app, tmp_path) -> None:  # noqa: ANN001
    from caseworker.bootstrap import open_app
    from caseworker.services.team.offline import check_out

    case_id = make_case(app)
    with app.uow() as uow:
        add_document(uow.session, case_id, "bin.jpg", PHOTO)
        reference = uow.session.get(Case, case_id).reference
        uow.commit()
    copy = tmp_path / "laptop.sqlite"
    check_out(app.context(), [reference], copy, machine="laptop")
    laptop = open_app(f"sqlite:///{copy}", actor="tester")
    try:
        (row,) = list_documents(laptop.context(), case_id)
        assert row.filename == "bin.jpg" and row.sha256 == hashlib.sha256(PHOTO).hexdigest()
        opened = open_document(laptop.context(), row.id, cache=tmp_path / "o")
        assert opened.read_bytes() == PHOTO
    finally:
        laptop.close()
