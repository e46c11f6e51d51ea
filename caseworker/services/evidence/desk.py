"""The evidence desk: documents and emails on a case, for the app.

Each method is one thing an officer does (attach a file, open it, remove it with a reason, record
an email dropped on the case, make a new case from an email), in its own unit of work, through
:mod:`~caseworker.services.evidence.documents` and :mod:`~caseworker.services.evidence.mail`. Anything that changes
a case first asks :func:`~caseworker.services.permissions.authorise` whether the acting officer
may work on it. Listing never reads a document's bytes; only opening does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker.errors import UserError
from caseworker.services.cases import intake
from caseworker.services.cases.intake import CreatedCase, NewCase
from caseworker.services.evidence import documents, mail
from caseworker.services.evidence.documents import DocumentRow
from caseworker.services.evidence.mail import CorrespondenceRow, MailIn
from caseworker.services.permissions import Action, authorise
from caseworker.storage.models import Document

if TYPE_CHECKING:
    from caseworker.services.context import Context


def is_mail(path: Path | str) -> bool:
    """Whether the file is an email to record as correspondence (by its name)."""
    return Path(path).suffix.lower() in mail.SUFFIXES


class EvidenceDesk:
    """Documents and emails, acting through ``desk`` (its database, person, today and policies)."""

    def __init__(self, desk: Context, cache: Path | None = None) -> None:
        self._desk = desk
        self._cache = cache

    @property
    def cache(self) -> Path:
        """Where opened documents are written for the system viewer (one folder per session)."""
        if self._cache is None:
            self._cache = Path(tempfile.mkdtemp(prefix="caseworker-documents-"))
        return self._cache

    # -- reading -------------------------------------------------------------------------------

    def documents(self, case_id: int, *, include_removed: bool = False) -> list[DocumentRow]:
        with self._desk.uow() as uow:
            return documents.list_documents(uow.session, case_id, include_removed=include_removed)

    def correspondence(self, case_id: int) -> list[CorrespondenceRow]:
        with self._desk.uow() as uow:
            return mail.list_correspondence(uow.session, case_id)

    def email_body(self, correspondence_id: int) -> str:
        with self._desk.uow() as uow:
            return mail.correspondence_body(uow.session, correspondence_id)

    def open_document(self, document_id: int) -> Path:
        """Write the document to its own folder in the cache and return the file's path (the
        bytes are read here, and only here)."""
        with self._desk.uow() as uow:
            return documents.open_document(uow.session, document_id, self.cache / str(document_id))

    # -- changing ------------------------------------------------------------------------------

    def attach_file(self, case_id: int, path: Path | str, *, issue_id: int | None = None) -> int:
        """Attach one file to the case (or one of its issues); the document's id."""
        with self._desk.uow() as uow:
            authorise(uow, case_id, Action.WORK)
            document = documents.add_file(uow.session, case_id, Path(path), issue_id=issue_id)
            uow.commit()
            return document.id

    def attach_mail(self, case_id: int, path: Path | str) -> int:
        """Record the email in ``path`` (.eml or .msg) as correspondence on the case, its
        attachments as documents; the correspondence id. A file that is not a readable email is
        refused before anything is written."""
        return self._record_mail(case_id, mail.read_mail(Path(path)))

    def _record_mail(self, case_id: int, message: MailIn) -> int:
        with self._desk.uow() as uow:
            authorise(uow, case_id, Action.WORK)
            return mail.add_mail_to_case(uow, case_id, message)

    def attach(self, case_id: int, path: Path | str, *, issue_id: int | None = None) -> str:
        """Attach whatever was dropped or chosen: an email becomes correspondence on the case
        (with its attachments), any other file a document of the case or of the issue. Returns
        what was attached, in words ("sign.jpg", "the email reply.eml with 2 attachments")."""
        path = Path(path)
        if is_mail(path):
            message = mail.read_mail(path)
            self._record_mail(case_id, message)
            count = len(message.attachments)
            return f"the email {path.name} with {count} attachment{'' if count == 1 else 's'}"
        self.attach_file(case_id, path, issue_id=issue_id)
        return path.name

    def remove_document(self, document_id: int, reason: str) -> None:
        with self._desk.uow() as uow:
            document = uow.session.get(Document, document_id)
            if document is None:
                raise UserError(f"there is no document with id {document_id}")
            authorise(uow, document.case_id, Action.WORK)
            documents.remove_document(uow.session, document_id, reason)
            uow.commit()

    # -- a new case from an email --------------------------------------------------------------

    def read_mail(self, path: Path | str) -> MailIn:
        return mail.read_mail(Path(path))

    def draft_from_mail(self, message: MailIn, policy_id: str | None = None) -> NewCase:
        """The new-case form filled in from the email, under the usual policy."""
        chosen = policy_id or intake.default_policy_id(self._desk) or ""
        return mail.draft_from_mail(message, policy_id=chosen, today=self._desk.today())

    def create_case_from_mail(self, message: MailIn, draft: NewCase) -> CreatedCase:
        """Record the officer's completed form as a new case, the email as its first
        correspondence and its attachments as documents, in one commit; triage's refusals
        raise before anything is written."""
        with self._desk.uow() as uow:
            return mail.create_case_from_mail(uow, message, today=self._desk.today(), draft=draft)

    @staticmethod
    def mail_files(paths: Sequence[Path | str]) -> list[Path]:
        return [Path(p) for p in paths if is_mail(p)]
