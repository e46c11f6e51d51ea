"""Subject access requests, for a complaints manager: the requests with their dates, a new one
recorded, the disclosure zip exported, an answer or an extension recorded. Every decision (who
may, the clock, what is found) is the core's
(:mod:`caseworker.services.records.subjectaccess`); refusals are shown in the dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker.errors import CaseworkerError
from caseworker.services.context import Context
from caseworker.services.records import subjectaccess as sar
from caseworker_ui.case_tabs.common import add_row, date_edit, form, to_date

ID_ROLE = 0x0100 + 1


class SubjectAccessDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("subjectAccessDialog")
        self.setWindowTitle("Subject access requests — Caseworker")
        self.setMinimumWidth(640)
        self.requests = QListWidget()
        self.requests.setObjectName("subjectAccessRequests")
        self.requests.setAccessibleName("Subject access requests")
        actions = QHBoxLayout()
        self.export_button = QPushButton("&Export for disclosure…")
        self.export_button.setObjectName("exportSubjectAccess")
        self.answered_edit = date_edit(ctx.today(), "answeredOn", "Answered on")
        self.answered_button = QPushButton("&Answered on")
        self.answered_button.setObjectName("answerSubjectAccess")
        for widget in (self.export_button, self.answered_button, self.answered_edit):
            actions.addWidget(widget)
        actions.addStretch(1)
        extension = QHBoxLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("extensionReason")
        self.reason_edit.setPlaceholderText("Why the request is complex")
        self.told_edit = date_edit(ctx.today(), "requesterTold", "Requester told on")
        self.extend_button = QPushButton("E&xtend by two months")
        self.extend_button.setObjectName("extendSubjectAccess")
        told = QLabel("told on")
        told.setBuddy(self.told_edit)
        for widget in (self.reason_edit, told, self.told_edit, self.extend_button):
            extension.addWidget(widget)

        new = QGroupBox("A new request")
        rows = form()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in (
            ("requester", "Requested &by:"),
            ("name", "&Name:"),
            ("email", "E&mail:"),
            ("phone", "&Phone:"),
            ("address", "Add&ress:"),
            ("postcode", "Post&code:"),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"sar-{key}")
            self.fields[key] = edit
            add_row(rows, label, edit)
        self.received_edit = date_edit(ctx.today(), "sarReceived", "Received")
        add_row(rows, "Recei&ved:", self.received_edit)
        self.record_button = QPushButton("Re&cord the request")
        self.record_button.setObjectName("recordSubjectAccess")
        rows.addRow(self.record_button)
        new.setLayout(rows)

        self.message = QLabel()
        self.message.setObjectName("subjectAccessMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Requests (due one calendar month after receipt):"))
        layout.addWidget(self.requests, 1)
        layout.addLayout(actions)
        layout.addLayout(extension)
        layout.addWidget(new)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.record_button.clicked.connect(lambda _checked=False: self.record())
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        self.answered_button.clicked.connect(lambda _checked=False: self.answered())
        self.extend_button.clicked.connect(lambda _checked=False: self.extend())
        refused = sar.why_not_subject_access(ctx)
        if refused is not None:
            for widget in (
                self.record_button,
                self.export_button,
                self.answered_button,
                self.extend_button,
            ):
                widget.setEnabled(False)
                widget.setToolTip(refused)
            self.message.setText(refused)
        else:
            self.load()

    def load(self) -> None:
        self.requests.clear()
        for request in sar.list_requests(self.ctx):
            state = (
                f"answered {request.completed_on:%d %b %Y}"
                if request.completed_on
                else f"due {request.answer_by:%d %b %Y}"
                + (" (extended)" if request.extended_to else "")
            )
            item = QListWidgetItem(
                f"{request.label}: {request.requester}, received {request.received:%d %b %Y}, "
                f"{state}"
            )
            item.setData(ID_ROLE, request.id)
            self.requests.addItem(item)
        if self.requests.count():
            self.requests.setCurrentRow(0)

    def chosen(self) -> int | None:
        item = self.requests.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def record(self) -> None:
        try:
            request = sar.record_request(
                self.ctx,
                sar.SubjectAccessIn(
                    received=to_date(self.received_edit.date()),
                    **{key: edit.text() for key, edit in self.fields.items()},
                ),
            )
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(
            f"Recorded {request.label}: the answer is due by {request.due:%d %B %Y}."
        )
        for edit in self.fields.values():
            edit.clear()
        self.load()

    def export(self, path: str | None = None) -> None:
        request_id = self.chosen()
        if request_id is None:
            self.message.setText("Choose a request to export.")
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export for disclosure", f"SAR-{request_id}.zip", "Zip file (*.zip)"
            )
            if not path:
                return
            if not Path(path).suffix:
                path += ".zip"
        try:
            written = sar.export_subject_access(self.ctx, request_id, path)
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(
            f"Wrote {written}. Review the items marked REVIEW (third parties) before disclosure."
        )

    def answered(self) -> None:
        request_id = self.chosen()
        if request_id is None:
            self.message.setText("Choose a request.")
            return
        try:
            done = sar.complete_request(self.ctx, request_id, on=to_date(self.answered_edit.date()))
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"{done.label} answered on {done.completed_on:%d %B %Y}.")
        self.load()

    def extend(self) -> None:
        request_id = self.chosen()
        if request_id is None:
            self.message.setText("Choose a request.")
            return
        try:
            done = sar.extend_request(
                self.ctx,
                request_id,
                reason=self.reason_edit.text(),
                told_on=to_date(self.told_edit.date()),
            )
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        assert done.extended_to is not None
        self.message.setText(f"{done.label} extended: due by {done.extended_to:%d %B %Y}.")
        self.reason_edit.clear()
        self.load()

    @classmethod
    def run(cls, ctx: Context, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, parent)
        dialog.exec()
        dialog.deleteLater()


__all__ = ["SubjectAccessDialog"]
