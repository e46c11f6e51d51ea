"""Documents on a case: any file attached to the case or to one of its issues.

The bytes are stored in the database (``documents.content``, a deferred column in its own table,
so listing documents or cases never reads them) with their SHA-256, size, who added them and
when. Opening writes the file to a temporary folder for the system viewer. A document is never
deleted here: it is removed with a reason (soft removal), and the audit trail keeps the change.

What a person does is one function each, taking the :class:`~caseworker.services.context.Context`:
:func:`attach_file` and :func:`remove_document` (for an officer who may work on the case),
:func:`list_documents` and :func:`open_document` (for one who may see it). Listing never reads a
document's bytes; only opening does. :func:`add_document` is the step they and the email
services share inside a unit of work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseworker.errors import UserError
from caseworker.services.context import Context
from caseworker.services.permissions import Action, authorise
from caseworker.services.uow import UnitOfWork
from caseworker.storage import scratch
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
    """Attach ``content`` as ``filename`` to the case (or one of its issues), inside the
    caller's unit of work (which has authorised it and commits it); flushes."""
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


def read_file(path: Path) -> bytes:
    """The bytes of a file dropped on the case or picked with the button."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc


def attach_file(
    ctx: Context, case_id: int, path: Path | str, *, issue_id: int | None = None
) -> int:
    """Attach the file at ``path`` to the case (or one of its issues); the document's id. The
    file is read before anything is written."""
    path = Path(path)
    content = read_file(path)
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.WORK)
        document = add_document(uow.session, case_id, path.name, content, issue_id=issue_id)
        uow.commit()
        return document.id


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
    ctx: Context, case_id: int, *, include_removed: bool = False
) -> list[DocumentRow]:
    """The documents of a case the officer may see, oldest first, without reading their bytes."""
    with ctx.unit() as uow:
        authorise(uow, case_id, Action.VIEW)
        query = select(Document).where(Document.case_id == case_id)
        if not include_removed:
            query = query.where(Document.removed_at.is_(None))
        documents = uow.session.scalars(query.order_by(Document.added_at, Document.id))
        return [_row(d) for d in documents]


def _document(uow: UnitOfWork, document_id: int, action: Action) -> Document:
    """The document, once the acting officer may ``action`` its case."""
    document = uow.session.get(Document, document_id)
    if document is None:
        raise UserError(f"there is no document with id {document_id}")
    authorise(uow, document.case_id, action)
    return document


def open_document(ctx: Context, document_id: int, *, cache: Path | None = None) -> Path:
    """Write a document of a case the officer may see to a folder of its own in ``cache`` (by
    default the session's private folder, :func:`caseworker.storage.scratch.session_folder`,
    removed when the app closes) and return the file's path, for the system viewer. The file is
    the account's alone (0600). The bytes are read here, and only here, and checked against
    their SHA-256."""
    with ctx.unit() as uow:
        document = _document(uow, document_id, Action.VIEW)
        content = document.content
        if hashlib.sha256(content).hexdigest() != document.sha256:
            raise UserError(
                f"{document.filename} does not match its recorded SHA-256: the stored copy is "
                "damaged"
            )
        filename = document.filename
    where = (cache if cache is not None else scratch.session_folder()) / str(document_id)
    return scratch.write_private(where / filename, content)


def why_not_remove(document: Document | DocumentRow, reason: str | None = None) -> str | None:
    """Why this document cannot be removed (with ``reason``, when one is given), or None: what
    :func:`remove_document` refuses, and what the app asks before offering it."""
    if document.removed_at is not None:
        return f"{document.filename} was already removed on {document.removed_at:%d %B %Y}"
    if reason is not None and not reason.strip():
        return f"say why {document.filename} is being removed"
    return None


def remove_document(ctx: Context, document_id: int, reason: str) -> None:
    """Remove a document from a case the officer may work on, with a reason; it stays stored and
    the audit trail keeps who removed it, when and why."""
    with ctx.unit() as uow:
        document = _document(uow, document_id, Action.WORK)
        refusal = why_not_remove(document, reason)
        if refusal is not None:
            raise UserError(refusal)
        document.removed_at = utcnow()
        document.removed_by = uow.actor
        document.removal_reason = reason.strip()
        uow.commit()
