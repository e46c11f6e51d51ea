"""The number of homes the council owns as landlord (the denominator of CH01): the figures
recorded so far, and a new one with its date. Recording is the core's
(:func:`caseworker.services.records.homes.record_homes`): who may, and what figure is sensible,
are decided there; a refusal is shown in the dialog and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.errors import CaseworkerError
from caseworker.services.context import Context
from caseworker.services.records.homes import (
    MOST_HOMES,
    homes_history,
    record_homes,
    why_not_record_homes,
)
from caseworker_ui.case_tabs.common import add_row, date_edit, form, to_date


class HomesDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("homesDialog")
        self.setWindowTitle("Homes owned — Caseworker")
        self.setMinimumWidth(520)
        self.history = QListWidget()
        self.history.setObjectName("homesHistory")
        self.history.setAccessibleName("Numbers of homes recorded")
        self.history.setMaximumHeight(140)
        rows = form()
        self.homes_spin = QSpinBox()
        self.homes_spin.setObjectName("homesCount")
        self.homes_spin.setRange(0, MOST_HOMES)
        self.homes_spin.setGroupSeparatorShown(True)
        add_row(rows, "&Homes owned:", self.homes_spin)
        self.as_at_edit = date_edit(ctx.today(), "homesAsAt", "As at")
        add_row(rows, "&As at:", self.as_at_edit)
        self.source_edit = QLineEdit()
        self.source_edit.setObjectName("homesSource")
        self.source_edit.setPlaceholderText("e.g. stock return 2026/27")
        add_row(rows, "&Source:", self.source_edit)
        hint = QLabel(
            "CH01 uses the latest figure as at the reporting year's last day or before. A figure "
            "is never changed: a correction is a new figure for the same date."
        )
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("homesMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.record_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText("&Record")
        self.record_button.setObjectName("recordHomes")
        refused = why_not_record_homes(ctx)
        if refused is not None:
            self.record_button.setEnabled(False)
            self.record_button.setToolTip(refused)
            self.message.setText(refused)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Recorded:"))
        layout.addWidget(self.history)
        layout.addLayout(rows)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.record)
        self.buttons.rejected.connect(self.reject)
        self.load()

    def load(self) -> None:
        self.history.clear()
        try:
            figures = homes_history(self.ctx)
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        for figure in figures:
            source = f" ({figure.source})" if figure.source else ""
            self.history.addItem(
                f"{figure.as_at:%d %B %Y}: {figure.homes:,} homes{source}, "
                f"recorded by {figure.recorded_by}"
            )
        if not figures:
            self.history.addItem("None recorded yet: CH01 is blank until one is.")
        else:
            self.homes_spin.setValue(figures[0].homes)

    def record(self) -> None:
        try:
            figure = record_homes(
                self.ctx,
                homes=self.homes_spin.value(),
                as_at=to_date(self.as_at_edit.date()),
                source=self.source_edit.text(),
            )
        except CaseworkerError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"Recorded {figure.homes:,} homes as at {figure.as_at:%d %B %Y}.")
        self.load()


__all__ = ["HomesDialog"]
