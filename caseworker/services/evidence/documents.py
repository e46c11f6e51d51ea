"""Documents on a case: any file attached to the case or to one of its issues.

The bytes are stored in the database (``documents.content``, a deferred column in its own table,
so listing documents or cases never reads them) with their SHA-256, size, who added them and
when. Opening writes the file to a temporary folder for the system viewer. A document is never
deleted here: it is removed with a reason (soft removal), and the audit trail keeps the change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.errors import UserError
from caseworker.storage.models import Case, Document, Issue, utcnow

MAX_BYTES = 200 * 1024 * 1024
"""The largest file accepted (200 MB)."""


@dataclass(frozen=True)
class DocumentRow:
    """A document as the case lists it (never its bytes)."""

    id: int
    case_id: int
    issue_id: int | None
    filename: str
    media_type: str
    size: int
    sha256: str
    added_by: str
    added_at: dt.datetime
    removed_at: dt.datetime | None
    removed_by: str
    removal_reason: str
    correspondence_id: int | None = None
    """The email it came attached to, if any."""

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


def media_type_for(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def _actor(session: Session) -> str:
    return str(session.info.get("actor") or "")


def add_document(
    session: Session,
    case_id: int,
    filename: str,
    content: bytes,
    *,
    issue_id: int | None = None,
    media_type: str | None = None,
    correspondence_id: int | None = None,
) -> Document:
    """Attach ``content`` as ``filename`` to the case (or one of its issues); flushes, does not
    commit (the caller's unit of work does)."""
    case = session.get(Case, case_id)
    if case is None:
        raise UserError(f"there is no case with id {case_id}")
    name = Path(filename).name.strip()
    if not name:
        raise UserError("a document needs a file name")
    if len(content) > MAX_BYTES:
        raise UserError(
            f"{name} is {len(content):,} bytes; the largest file accepted is {MAX_BYTES:,} bytes"
        )
    if issue_id is not None:
        issue = session.get(Issue, issue_id)
        if issue is None or issue.case_id != case_id:
            raise UserError(f"issue {issue_id} is not one of case {case.reference}'s issues")
    document = Document(
        case_id=case_id,
        issue_id=issue_id,
        correspondence_id=correspondence_id,
        filename=name,
        media_type=media_type or media_type_for(name),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=bytes(content),
        added_by=_actor(session),
        added_at=utcnow(),
        removed_by="",
        removal_reason="",
    )
    session.add(document)
    session.flush()
    return document


def add_file(
    session: Session, case_id: int, path: Path, *, issue_id: int | None = None
) -> Document:
    """Attach the file at ``path`` (dropped on the case, or picked with the button)."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return add_document(session, case_id, Path(path).name, content, issue_id=issue_id)


def _row(document: Document) -> DocumentRow:
    return DocumentRow(
        document.id,
        document.case_id,
        document.issue_id,
        document.filename,
        document.media_type,
        document.size,
        document.sha256,
        document.added_by,
        document.added_at,
        document.removed_at,
        document.removed_by,
        document.removal_reason,
        document.correspondence_id,
    )


def list_documents(
    session: Session, case_id: int, *, include_removed: bool = False
) -> list[DocumentRow]:
    """The case's documents, oldest first, without reading their bytes."""
    query = select(Document).where(Document.case_id == case_id)
    if not include_removed:
        query = query.where(Document.removed_at.is_(None))
    return [_row(d) for d in session.scalars(query.order_by(Document.added_at, Document.id))]


def document_bytes(session: Session, document_id: int) -> bytes:
    document = session.get(Document, document_id)
    if document is None:
        raise UserError(f"there is no document with id {document_id}")
    content = document.content
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise UserError(
            f"{document.filename} does not match its recorded SHA-256: the stored copy is damaged"
        )
    return content


def open_document(session: Session, document_id: int, folder: Path | None = None) -> Path:
    """Write the document to a temporary file (for the system viewer) and return its path."""
    content = document_bytes(session, document_id)
    document = session.get(Document, document_id)
    assert document is not None
    where = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="caseworker-"))
    where.mkdir(parents=True, exist_ok=True)
    path = where / document.filename
    path.write_bytes(content)
    return path


def remove_document(session: Session, document_id: int, reason: str) -> Document:
    """Remove a document from the case with a reason; it stays stored and the audit keeps who
    removed it, when and why. Flushes, does not commit."""
    document = session.get(Document, document_id)
    if document is None:
        raise UserError(f"there is no document with id {document_id}")
    if not reason.strip():
        raise UserError(f"say why {document.filename} is being removed")
    if document.removed_at is not None:
        raise UserError(
            f"{document.filename} was already removed on {document.removed_at:%d %B %Y}"
        )
    document.removed_at = utcnow()
    document.removed_by = _actor(session)
    document.removal_reason = reason.strip()
    session.flush()
    return document
