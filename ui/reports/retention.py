"""The retention review, for a complaints manager: the closed cases past their policy's retention
period, ticked one by one, and a purge that needs the number of ticked cases typed to confirm it.

What a purge removes and keeps, who may see the list and who may purge are
:mod:`caseworker.services.records.retention`'s (the list counted from the context's real date;
the purge refused to anyone but a complaints manager, the dialog saying why in the rule's words).
``RetentionDialog.run(ctx, parent)`` returns ``(PurgeResult or None, purged)``.
"""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.context import Context
from caseworker.services.records import retention
from caseworker.services.records.retention import PurgeResult, RetentionList
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.retention import DueModel
from caseworker_ui.reports.worker import NewestAnswer, Task, TaskSignals


class RetentionDialog(QDialog):
    purged = Signal(object)
    """Cases were purged (the :class:`PurgeResult`)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._pool = QThreadPool(self)
        self._signals: TaskSignals | None = None
        self.result_: PurgeResult | None = None
        self.listed: RetentionList | None = None
        self.reads = NewestAnswer(
            self, "the retention list"
        )  # the list, read on a worker thread (:meth:`load`)
        self.setObjectName("retentionDialog")
        self.setWindowTitle("Retention review")
        self.resize(720, 560)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = DueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setObjectName("retentionCases")
        self.table.setAccessibleName("Cases past their retention period")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(0)  # the rows in view, not thousands of them
        header.setStretchLastSection(True)
        self.held = QLabel()
        self.held.setObjectName("retentionHeld")
        self.held.setWordWrap(True)
        self.select_all = QPushButton("Tick &all")
        self.select_none = QPushButton("Tick &none")
        self.confirm_label = QLabel()
        self.confirm_label.setWordWrap(True)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("retentionConfirm")
        self.confirm_edit.setAccessibleName("Number of cases to purge, typed to confirm")
        self.confirm_edit.setMaximumWidth(120)
        self.confirm_label.setBuddy(self.confirm_edit)
        self.purge_button = QPushButton("&Purge ticked cases")
        self.purge_button.setObjectName("retentionPurge")
        self.purge_button.setEnabled(False)
        self.message = QLabel()
        self.message.setObjectName("retentionMessage")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        ticks = QHBoxLayout()
        ticks.addWidget(self.select_all)
        ticks.addWidget(self.select_none)
        ticks.addStretch(1)
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirm_label, 1)
        confirm.addWidget(self.confirm_edit)
        confirm.addWidget(self.purge_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.held)
        layout.addLayout(confirm)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.select_all.clicked.connect(lambda: self._tick_all(True))
        self.select_none.clicked.connect(lambda: self._tick_all(False))
        self.model.ticks_changed.connect(self._update)
        self.confirm_edit.textChanged.connect(lambda _text: self._update())
        self.purge_button.clicked.connect(self.purge)
        self.refused = retention.why_not_purge(ctx)
        """Why the person may not purge (the rule's words), or None."""
        self.may_purge = self.refused is None
        self.load()

    def load(self) -> None:
        """Read the list again, on a worker thread: at 250,000 cases over 12,000 cases are due
        at once and reading them took 0.13-0.23 s, which held up the dialog's opening."""
        self.intro.setText("Reading the closed cases past their retention period…")
        ctx = self.ctx
        self.reads.ask(lambda: retention.retention_list(ctx), self._show, self._not_listed)

    @property
    def loading(self) -> bool:
        """Whether the list asked for by :meth:`load` is awaited."""
        return self.reads.waiting

    def _not_listed(self, error: Exception) -> None:
        self.intro.clear()
        self.message.setText(str(error))

    def _show(self, listed: RetentionList) -> None:
        self.listed = listed
        self.model.set_rows(listed.due)
        today = format_date(listed.today)
        self.intro.setText(
            f"{len(listed.due):,} closed case(s) are past their policy's retention period on "
            f"{today}. Tick the ones you have checked. Purging removes the complainant's "
            "details, the representative, the complaint's words, notes, interviews, risk "
            "assessments, contact attempts and letters for good; the anonymous counts stay, "
            "so past reports do not change."
            if listed.due
            else f"No closed case is past its retention period on {today}."
        )
        held = [f"{c.reference}: {c.held}" for c in listed.held]
        text = ("Held back although due: " + "; ".join(held) + ".") if held else ""
        if listed.policies_without_period:
            text += (
                (" " if text else "")
                + "No retention period is set for "
                + ", ".join(listed.policies_without_period)
                + ", so their cases are never listed."
            )
        self.held.setText(text)
        if self.refused is not None:
            self.message.setText(self.refused)
            self.purge_button.setToolTip(self.refused)
        self._update()

    def ticked(self) -> list[str]:
        return self.model.ticked()

    def _tick_all(self, on: bool) -> None:
        self.model.tick_all(on)

    def _update(self) -> None:
        count = self.model.tick_count()
        self.confirm_label.setText(
            f"To purge the {count:,} ticked case(s), type {count} here:"
            if count
            else "Tick the cases to purge."
        )
        self.purge_button.setEnabled(
            self.may_purge and count > 0 and self.confirm_edit.text().strip() == str(count)
        )

    def purge(self) -> None:
        """Purge the ticked cases on a worker thread (thousands of cases take seconds)."""
        references = self.ticked()
        if not references or self.confirm_edit.text().strip() != str(len(references)):
            return
        self.purge_button.setEnabled(False)
        self.message.setText(f"Purging {len(references):,} case(s)…")
        self._signals = TaskSignals()
        self._signals.finished.connect(self._purged)
        self._signals.failed.connect(self._failed)
        ctx = self.ctx
        self._pool.start(Task(lambda _progress: retention.purge(ctx, references), self._signals))

    def _purged(self, result: PurgeResult) -> None:
        self.result_ = result
        self.confirm_edit.clear()
        self.load()
        self.message.setText(
            f"Purged {result.count:,} case(s); each purge is in the audit trail with your name."
        )
        self.purged.emit(result)

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self._update()

    def done(self, code: int) -> None:
        self._pool.waitForDone(60_000)  # a purge under way finishes before the dialog goes
        self.reads.wait()
        super().done(code)

    @classmethod
    def run(cls, ctx: Context, parent: QWidget | None = None) -> tuple[PurgeResult | None, bool]:
        dialog = cls(ctx, parent)
        dialog.exec()
        result = dialog.result_
        dialog.deleteLater()
        return result, result is not None


__all__ = ["RetentionDialog"]
