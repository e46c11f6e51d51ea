"""The documents and emails on a case, and where a dropped file can go (the case or an issue).

None of these holds a document's bytes: they list what
:func:`caseworker.services.evidence.documents.list_documents` and
:func:`caseworker.services.evidence.mail.list_correspondence` return.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QStyle

from caseworker.services.cases.casefile import IssueView, size_text
from caseworker.services.evidence.documents import DocumentRow
from caseworker.services.evidence.mail import CorrespondenceRow
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import RowsTableModel

Index = QModelIndex | QPersistentModelIndex

WHOLE_CASE = "Whole case"

_KINDS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("application/pdf",), "PDF", "application-pdf"),
    (
        (
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml",
            "application/vnd.oasis.opendocument.text",
            "application/rtf",
        ),
        "Word document",
        "x-office-document",
    ),
    (
        (
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml",
            "application/vnd.oasis.opendocument.spreadsheet",
            "text/csv",
        ),
        "Spreadsheet",
        "x-office-spreadsheet",
    ),
    (("message/rfc822", "application/vnd.ms-outlook"), "Email", "mail-message"),
    (("text/",), "Text", "text-x-generic"),
    (("audio/",), "Sound recording", "audio-x-generic"),
    (("video/",), "Video", "video-x-generic"),
)


def kind_text(media_type: str, filename: str) -> str:
    """What a file is, in words: "Photo (JPEG)", "PDF", "Word document", "Spreadsheet"…"""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if media_type.startswith("image/"):
        return (
            f"Photo ({suffix.upper()})"
            if suffix in ("jpg", "jpeg", "heic")
            else f"Image ({suffix.upper() or media_type.split('/', 1)[1].upper()})"
        )
    if suffix in ("eml", "msg"):
        return "Email"
    for prefixes, words, _icon in _KINDS:
        if media_type.startswith(prefixes):
            return words
    return f"{suffix.upper()} file" if suffix else "File"


def kind_icon(media_type: str, filename: str) -> QIcon:
    """An icon by kind, from the desktop's theme where it has one."""
    name = "image-x-generic" if media_type.startswith("image/") else ""
    if not name:
        name = next(
            (icon for prefixes, _w, icon in _KINDS if media_type.startswith(prefixes)),
            "text-x-generic" if Path(filename).suffix.lower() in (".eml", ".msg") else "",
        )
    fallback = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return QIcon.fromTheme(name, fallback) if name else fallback


def when_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


class DocumentsModel(RowsTableModel):
    """The case's documents, one per row; removed ones greyed, with who removed them and why."""

    NAME, KIND, SIZE, BELONGS, ADDED_BY, ADDED_ON, REMOVED = range(7)
    HEADERS = ("Name", "Type", "Size", "Belongs to", "Added by", "Added on", "Removed")
    DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    REMOVED_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentRow] = []
        self._issue_numbers: dict[int, int] = {}
        self._emails: dict[int, str] = {}

    def set_documents(
        self,
        rows: list[DocumentRow],
        issues: tuple[IssueView, ...] = (),
        emails: list[CorrespondenceRow] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._issue_numbers = {issue.id: issue.number for issue in issues}
        self._emails = {e.id: e.sender for e in emails or []}
        self.endResetModel()

    def row(self, row: int) -> DocumentRow:
        return self._rows[row]

    def email_sender(self, document: DocumentRow) -> str:
        """Who sent the email the document came with ("" if it did not come with one)."""
        return self._emails.get(document.correspondence_id or 0, "")

    def belongs_text(self, document: DocumentRow) -> str:
        where = WHOLE_CASE
        if document.issue_id is not None:
            number = self._issue_numbers.get(document.issue_id)
            where = f"Issue {number}" if number else "An issue"
        if document.correspondence_id is not None:
            where += " (from an email)"
        return where

    def _text(self, document: DocumentRow, column: int) -> str:
        if column == self.NAME:
            return document.filename
        if column == self.KIND:
            return kind_text(document.media_type, document.filename)
        if column == self.SIZE:
            return size_text(document.size)
        if column == self.BELONGS:
            return self.belongs_text(document)
        if column == self.ADDED_BY:
            return document.added_by
        if column == self.ADDED_ON:
            return when_text(document.added_at)
        if column == self.REMOVED and document.removed:
            return (
                f"{when_text(document.removed_at)} by {document.removed_by or 'unknown'}: "
                f"{document.removal_reason}"
            )
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        document, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(document, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if document.removed:
                return f"Removed: {self._text(document, self.REMOVED)}"
            if column == self.NAME:
                email = self._emails.get(document.correspondence_id or 0)
                came = f"; came with the email from {email}" if email else ""
                return f"{document.filename}, {document.size:,} bytes{came}. Double-click to open."
            return self._text(document, column) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(document, column)
            return f"{text} (removed)" if document.removed and column == self.NAME else text
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return kind_icon(document.media_type, document.filename)
        if role == Qt.ItemDataRole.ForegroundRole and document.removed:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and document.removed and column == self.NAME:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.DOCUMENT_ID_ROLE:
            return document.id
        if role == self.REMOVED_ROLE:
            return document.removed
        return None


class CorrespondenceModel(RowsTableModel):
    """The emails recorded on the case."""

    SENDER, SENT, SUBJECT, ATTACHMENTS = range(4)
    HEADERS = ("From", "Sent", "Subject", "Attachments")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[CorrespondenceRow] = []

    def set_emails(self, rows: list[CorrespondenceRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, row: int) -> CorrespondenceRow:
        return self._rows[row]

    def _text(self, email: CorrespondenceRow, column: int) -> str:
        if column == self.SENDER:
            return email.sender
        if column == self.SENT:
            return when_text(email.sent_at) or "(no date)"
        if column == self.SUBJECT:
            return email.subject or "(no subject)"
        if column == self.ATTACHMENTS:
            return ", ".join(email.attachments) or "None"
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        email = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(email, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"From {email.sender} to {email.recipients or '(nobody named)'}; "
                f"imported from {email.source_filename} by {email.added_by or 'unknown'}"
            )
        if role == self.ID_ROLE:
            return email.id
        return None


class AttachTargetsModel(QStandardItemModel):
    """Where attached files go: the whole case, or one of its issues."""

    ISSUE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def set_issues(self, issues: tuple[IssueView, ...]) -> None:
        self.clear()
        whole = QStandardItem(WHOLE_CASE)
        whole.setData(None, self.ISSUE_ID_ROLE)
        whole.setToolTip("Drop files here to attach them to the case as a whole")
        self.appendRow(whole)
        for issue in issues:
            summary = " ".join(issue.summary.split())
            item = QStandardItem(f"Issue {issue.number}: {summary}")
            item.setData(issue.id, self.ISSUE_ID_ROLE)
            item.setToolTip(f"Drop files here to attach them to issue {issue.number}: {summary}")
            self.appendRow(item)
        for row in range(self.rowCount()):
            self.item(row).setEditable(False)
