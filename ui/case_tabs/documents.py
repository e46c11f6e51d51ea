"""Documents: the files and emails kept on the case.

Files reach the case three ways: the "Attach files…" button, dragging them onto the case window
(they go to the whole case), or dragging them onto one of the places listed under "Attach to"
(the whole case or one issue). An email (.eml from any mail program, .msg saved from Outlook) is
recorded as correspondence, with its attachments as documents. Opening writes the file to a
folder of its own and hands it to the program the computer uses for that kind of file. A
document is never deleted: "Remove…" asks why, and the removed document stays listed (greyed,
with the reason) under "Show removed".

Each of these is one core function called with the case window's context (``self.desk``):
:mod:`caseworker.services.evidence.documents` and :mod:`caseworker.services.evidence.mail`, which
say whether the officer may see or change the case. The list never reads a file's contents; only
opening does. Files are read and stored one at a time in a worker thread, under a progress
window that can stop between files, so a large file or many of them never freeze the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.cases.casefile import CaseFile
from caseworker.services.evidence import documents, mail
from caseworker.services.evidence.mail import is_mail
from caseworker_ui.case_tabs.base import CaseTab, usable_read_only
from caseworker_ui.case_tabs.common import reason
from caseworker_ui.file_drop import FileDrop
from caseworker_ui.models.documents import (
    WHOLE_CASE,
    AttachTargetsModel,
    CorrespondenceModel,
    DocumentsModel,
)

log = logging.getLogger(__name__)

FILE_FILTER = (
    "All files (*);;Emails (*.eml *.msg);;Photographs (*.jpg *.jpeg *.png *.heic);;"
    "PDF and Word (*.pdf *.doc *.docx *.odt *.rtf);;"
    "Spreadsheets (*.xls *.xlsx *.ods *.csv)"
)


def open_file(url: QUrl) -> bool:
    """Open a file in the program the system uses for it (patched in tests)."""
    return QDesktopServices.openUrl(url)


def _table(name: str, accessible: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    table.horizontalHeader().setHighlightSections(False)
    return table


class DocumentsTab(CaseTab):
    title = "&Documents"

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("documentsTab")
        self._pool: ThreadPoolExecutor | None = None
        self.destroyed.connect(lambda *_: self._pool and self._pool.shutdown(wait=False))

    def build(self) -> None:
        self.documents_model = DocumentsModel(self)
        self.emails_model = CorrespondenceModel(self)
        self.targets_model = AttachTargetsModel(self)
        self.targets_model.set_issues(())

        hint = QLabel(
            "Photographs, PDFs, Word files, spreadsheets and emails kept on this case. "
            "Drag files onto this window to attach them to the case, or onto an issue "
            "under “Attach to” to attach them to that issue. Emails saved from Outlook "
            "(.msg) or another mail program (.eml) are recorded with their "
            "attachments."
        )
        hint.setWordWrap(True)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_targets())
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(self._build_documents())
        right.addWidget(self._build_emails())
        right.setSizes([380, 260])
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 950])

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)

        self.attach_button.clicked.connect(self.attach_chosen)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.show_removed.toggled.connect(lambda _on: self.refresh())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.emails_table.selectionModel().selectionChanged.connect(lambda *_: self._show_body())
        FileDrop.install(self.targets_view.viewport(), self._dropped_on_targets)
        self._enable()

    # -- building ----------------------------------------------------------------------------

    def _build_targets(self) -> QWidget:
        box = QGroupBox("Attach to")
        box.setObjectName("attachTargets")
        column = QVBoxLayout(box)
        self.targets_view = QListView()
        self.targets_view.setObjectName("attachTo")
        self.targets_view.setAccessibleName("Attach files to")
        self.targets_view.setModel(self.targets_model)
        self.targets_view.setWordWrap(True)
        self.targets_view.setSpacing(2)
        self.targets_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.targets_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets_view.setToolTip(
            "Choose where “Attach files…” puts files, or drop files "
            "onto the case or one of its issues"
        )
        column.addWidget(self.targets_view, 1)
        self.attach_button = QPushButton("&Attach files…")
        self.attach_button.setObjectName("attachFiles")
        self.attach_button.setAccessibleName("Attach files")
        self.attach_button.setToolTip(
            "Choose files (or emails) to attach to the place chosen above"
        )
        column.addWidget(self.attach_button)
        return box

    def _build_documents(self) -> QWidget:
        box = QGroupBox("Documents")
        box.setObjectName("documentsGroup")
        column = QVBoxLayout(box)
        self.table = _table("documentsTable", "Documents on the case")
        self.table.setModel(self.documents_model)
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        for col, sample in (
            (DocumentsModel.NAME, "Letter to another resident.docx"),
            (DocumentsModel.KIND, "Word document"),
            (DocumentsModel.SIZE, "1,023 bytes"),
            (DocumentsModel.BELONGS, "Whole case (from an email)"),
            (DocumentsModel.ADDED_BY, "demo-generator"),
            (DocumentsModel.ADDED_ON, "30 Sep 2026 23:59"),
        ):
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 28)
        header.resizeSection(DocumentsModel.NAME, header.sectionSize(DocumentsModel.NAME) + 20)
        header.setSectionResizeMode(DocumentsModel.NAME, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        column.addWidget(self.table, 1)
        self.details = QLabel()
        self.details.setObjectName("documentDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.details)

        buttons = QHBoxLayout()
        self.open_button = usable_read_only(QPushButton("Op&en"))
        self.open_button.setObjectName("openDocument")
        self.open_button.setToolTip(
            "Open the chosen document in the program your computer uses for it (or double-click it)"
        )
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setObjectName("removeDocument")
        self.remove_button.setToolTip(
            "Take the chosen document off the case, saying why (it stays in the record)"
        )
        self.show_removed = usable_read_only(QCheckBox("Show re&moved"))
        self.show_removed.setObjectName("showRemoved")
        self.count_label = QLabel()
        self.count_label.setObjectName("documentCount")
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.show_removed)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        column.addLayout(buttons)
        return box

    def _build_emails(self) -> QWidget:
        box = QGroupBox("Emails received")
        box.setObjectName("emailsGroup")
        column = QHBoxLayout(box)
        self.emails_table = _table("emailsTable", "Emails received on the case")
        self.emails_table.setModel(self.emails_model)
        header = self.emails_table.horizontalHeader()
        metrics = self.fontMetrics()
        header.resizeSection(
            CorrespondenceModel.SENDER,
            metrics.horizontalAdvance("Margaret Smith <m.smith@exam") + 20,
        )
        header.resizeSection(
            CorrespondenceModel.SENT, metrics.horizontalAdvance("30 Sep 2026 23:59") + 24
        )
        header.resizeSection(
            CorrespondenceModel.SUBJECT,
            metrics.horizontalAdvance("Re: missed bin collections again") + 24,
        )
        header.setStretchLastSection(True)
        self.email_body = QPlainTextEdit()
        self.email_body.setObjectName("emailBody")
        self.email_body.setAccessibleName("The chosen email's text")
        self.email_body.setReadOnly(True)
        self.email_body.setPlaceholderText("Choose an email to read it here.")
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.emails_table)
        split.addWidget(self.email_body)
        split.setSizes([660, 290])
        column.addWidget(split)
        return box

    # -- showing -----------------------------------------------------------------------------

    def show_case(self, case: CaseFile) -> None:
        chosen = self.target_issue_id()
        self.targets_model.set_issues(case.issues)
        row = next(
            (
                r
                for r in range(self.targets_model.rowCount())
                if self.targets_model.item(r).data(AttachTargetsModel.ISSUE_ID_ROLE) == chosen
            ),
            0,
        )
        self.targets_view.setCurrentIndex(self.targets_model.index(row, 0))
        self.refresh(case)

    def refresh(self, case: CaseFile | None = None) -> None:
        """Read the list of documents and emails again (never their contents)."""
        case = case or self.host.case
        try:
            emails = mail.list_correspondence(self.desk, case.id)
            rows = documents.list_documents(
                self.desk, case.id, include_removed=self.show_removed.isChecked()
            )
        except Exception as error:
            log.exception("could not list the documents")
            self.host.report(f"The documents could not be listed: {reason(error)}")
            return
        self.documents_model.set_documents(rows, case.issues, emails)
        self.emails_model.set_emails(emails)
        self.table.setColumnHidden(DocumentsModel.REMOVED, not self.show_removed.isChecked())
        live = sum(1 for row in rows if not row.removed)
        removed = len(rows) - live
        text = f"{live} document{'' if live == 1 else 's'}"
        if removed:
            text += f", {removed} removed"
        self.count_label.setText(text)
        self._show_body()
        self._enable()

    def _enable(self) -> None:
        row = self.selected_row()
        self.details.setText(self._details(row))
        self.open_button.setEnabled(row is not None)
        why_not = (
            "choose a document first"
            if row is None
            else documents.why_not_remove(self.documents_model.row(row))
        )
        self.remove_button.setEnabled(why_not is None)
        self.remove_button.setToolTip(
            "Take the chosen document off the case, saying why (it stays in the record)"
            if why_not is None
            else f"Not now: {why_not}."
        )

    def _details(self, row: int | None) -> str:
        """The chosen document in one sentence: where it came from and, if removed, why."""
        if row is None:
            return "Choose a document to open it or remove it."
        document = self.documents_model.row(row)
        text = (
            f"{document.filename}: {document.size:,} bytes, added by "
            f"{document.added_by or 'unknown'}, "
            f"{self.documents_model.index(row, DocumentsModel.ADDED_ON).data()}."
        )
        email = self.documents_model.email_sender(document)
        if email:
            text += f" It came with the email from {email}."
        if document.removed:
            text += f" Removed {self.documents_model.index(row, DocumentsModel.REMOVED).data()}"
        return text

    def _show_body(self) -> None:
        rows = self.emails_table.selectionModel().selectedRows()
        if not rows:
            self.email_body.clear()
            return
        email = self.emails_model.row(rows[0].row())
        try:
            body = mail.email_body(self.desk, email.id)
        except Exception as error:
            body = f"The email's text could not be read: {reason(error)}"
        self.email_body.setPlainText(
            f"From: {email.sender}\nTo: {email.recipients}\nSubject: {email.subject}\n\n{body}"
        )

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def target_issue_id(self) -> int | None:
        index = self.targets_view.currentIndex()
        return index.data(AttachTargetsModel.ISSUE_ID_ROLE) if index.isValid() else None

    def _target_text(self, issue_id: int | None) -> str:
        for issue in self.host.case.issues:
            if issue.id == issue_id:
                return f"issue {issue.number}"
        return "the case"

    # -- attaching ---------------------------------------------------------------------------

    def attach_chosen(self) -> None:
        """The "Attach files…" button: choose files, attach them where "Attach to" says."""
        issue_id = self.target_issue_id()
        paths, _filter = QFileDialog.getOpenFileNames(
            self, f"Attach files to {self._target_text(issue_id)}", "", FILE_FILTER
        )
        if paths:
            self.attach_paths([Path(p) for p in paths], issue_id)

    def drop_files(self, paths: Sequence[Path], _position: QPoint | None = None) -> None:
        """Files dropped on the case window: they go to the whole case."""
        self.attach_paths(paths, None)

    def _dropped_on_targets(self, paths: list[Path], position: QPoint) -> None:
        index = self.targets_view.indexAt(position)
        if not index.isValid():
            index = self.targets_view.currentIndex()
        else:
            self.targets_view.setCurrentIndex(index)
        issue_id = index.data(AttachTargetsModel.ISSUE_ID_ROLE) if index.isValid() else None
        self.attach_paths(paths, issue_id)

    def attach_paths(self, paths: Sequence[Path], issue_id: int | None) -> list[str]:
        """Store the files one at a time (emails as correspondence), with a progress window that
        can stop between files; then say what was attached and what was not, and why. Returns
        the messages of the files that were refused."""
        paths = [Path(p) for p in paths]
        if not paths:
            return []
        case_id = self.host.case.id
        progress = QProgressDialog("Attaching files…", "Stop", 0, len(paths), self)
        progress.setObjectName("attachProgress")
        progress.setWindowTitle("Attaching files")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(True)
        done: list[str] = []
        emails: list[str] = []
        refused: list[str] = []
        for number, path in enumerate(paths):
            if progress.wasCanceled():
                break
            progress.setLabelText(f"Attaching {path.name} ({number + 1} of {len(paths)})…")
            progress.setValue(number)
            try:
                what = self._in_background(mail.attach, self.desk, case_id, path, issue_id=issue_id)
            except Exception as error:  # say which file and why; the others still go in
                log.warning("could not attach %s: %s", path, error)
                refused.append(reason(error))
            else:
                (emails if is_mail(path) else done).append(what)
        stopped = len(done) + len(emails) + len(refused) < len(paths)
        progress.setValue(len(paths))
        progress.deleteLater()
        if done or emails:
            self.host.reload()  # first: reloading clears the message bar of earlier errors
        self._report_attached(done, emails, refused, stopped, issue_id)
        return refused

    def _in_background(self, work: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        """Run ``work`` (reading, hashing and storing one file) in a worker thread, keeping
        the window and the progress window responsive until it is done; its result, or its
        exception raised here. It uses its own database session, as every service call does."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attach")
        future = self._pool.submit(work, *args, **kwargs)
        while not future.done():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            wait([future], timeout=0.02)
        return future.result()

    def _report_attached(
        self,
        done: list[str],
        emails: list[str],
        refused: list[str],
        stopped: bool,
        issue_id: int | None,
    ) -> None:
        parts = []
        if done:
            where = self._target_text(issue_id)
            names = ", ".join(done) if len(done) <= 4 else f"{len(done)} files"
            parts.append(f"Attached to {where}: {names}.")
        if emails:
            parts.append(f"Recorded on the case: {', '.join(emails)}.")
        if refused:
            parts.append("Not attached: " + "; ".join(refused) + ".")
        if stopped:
            parts.append("Stopped before the rest.")
        kind = "error" if refused else ("warning" if stopped else "ok")
        self.host.report(" ".join(parts), kind)

    # -- opening and removing ----------------------------------------------------------------

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        document = self.documents_model.row(row)
        try:
            path = documents.open_document(self.desk, document.id)
        except Exception as error:
            self.host.report(f"{document.filename} could not be opened: {reason(error)}")
            return
        if open_file(QUrl.fromLocalFile(str(path))):
            self.host.report(f"Opened {document.filename}.", "info")
        else:
            self.host.report(
                f"No program on this computer opens {document.filename}; a copy was saved as "
                f"{path}.",
                "warning",
            )

    def ask_reason(self, filename: str) -> tuple[str, bool]:
        """Why the document is being removed (patched in tests)."""
        from caseworker_ui.dialogs.remove_document import RemoveDocumentDialog

        dialog = RemoveDocumentDialog(filename, self)
        try:
            ok = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.reason(), ok
        finally:
            dialog.deleteLater()

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        document = self.documents_model.row(row)
        why, ok = self.ask_reason(document.filename)
        if not ok:
            return
        try:
            documents.remove_document(self.desk, document.id, why)
        except Exception as error:  # no reason given, or not allowed: the core says which
            self.host.report(f"{document.filename} was not removed: {reason(error)}")
            return
        self.host.reload()
        self.host.report(f"Removed {document.filename} ({why.strip()}).", "ok")

    def current_target_label(self) -> str:
        index = self.targets_view.currentIndex()
        return index.data() if index.isValid() else WHOLE_CASE
