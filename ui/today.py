"""Today: the officer's first screen, what needs doing now on their own cases.

The lines come from :func:`caseworker.services.lists.today.today_list`, grouped by kind:
acknowledgements due, responses due, complainants owed an update, extensions to tell them about,
remedies and actions due, risk assessments before a booked visit. Each line opens its case at the
tab where the work is done. How many working days without contact make a complainant "owed an
update" is the officer's own setting, kept between sessions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseworker.domain.finding import UPDATE_EVERY, Today
from caseworker_ui.case_tabs.common import reason
from caseworker_ui.grouped_page import GroupedTree, body_with_empty_page
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.today import CASE_ID_ROLE, SECTION_ROLE, TodayModel
from caseworker_ui.reports.worker import NewestAnswer

if TYPE_CHECKING:
    from caseworker.services.context import Context


LOADING = "Loading what needs doing on your cases…"
"""Shown until the app has loaded (see :meth:`TodayView.set_context`)."""

SETTING = "today/update_every"
"""Where the officer's "owed an update after" setting is kept (QSettings)."""


def saved_update_every(settings: QSettings) -> int:
    value = settings.value(SETTING, UPDATE_EVERY)
    try:
        return max(1, min(60, int(value)))
    except (TypeError, ValueError):
        return UPDATE_EVERY


class TodayView(QWidget):
    open_requested = Signal(int, str)
    """Open this case (its id) at this part of its file (see ``CaseWindow.open_at``)."""
    counted = Signal(int)
    """How many lines the list has now."""

    def __init__(
        self,
        ctx: Context | None,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        """``ctx``: the database, the officer and the day; None while the app is still
        loading: the page says so until :meth:`set_context` gives it."""
        super().__init__(parent)
        self.setObjectName("todayView")
        self._ctx = ctx
        self._settings = settings if settings is not None else QSettings()
        self.today: Today | None = None
        self.reads = NewestAnswer(self, "the Today list")
        """Today read on a worker thread (:meth:`refresh`); the window waits for it on closing."""

        self.title = QLabel("Today")
        self.title.setObjectName("todayTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("todayStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.update_every = QSpinBox()
        self.update_every.setObjectName("updateEvery")
        self.update_every.setAccessibleName("Working days without contact before an update is owed")
        self.update_every.setRange(1, 60)
        self.update_every.setSuffix(" working days")
        self.update_every.setValue(saved_update_every(self._settings))
        label = QLabel("Complainant owed an update after &no contact for:")
        label.setBuddy(self.update_every)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("refreshToday")
        self.settings_row = QWidget()
        settings = QHBoxLayout(self.settings_row)
        settings.setContentsMargins(0, 0, 0, 0)
        settings.addWidget(label)
        settings.addWidget(self.update_every)
        settings.addStretch(1)
        settings.addWidget(self.refresh_button)

        self.model = TodayModel(self)
        self.tree = GroupedTree(
            self.model,
            name="todayList",
            accessible="What needs doing today, by kind",
            widths={
                TodayModel.CASE: ("CW-2026-000000", 70),
                TodayModel.COMPLAINANT: ("Margaret Featherstonehaugh", 16),
                TodayModel.WHEN: ("30 Sep 2026 (late)", 24),
            },
            stretch=TodayModel.TODO,
        )
        self.body, self.empty_page = body_with_empty_page(self.tree, "todayEmpty")

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.settings_row)
        column.addWidget(self.status)
        column.addWidget(self.body, 1)

        self.update_every.valueChanged.connect(self._update_every_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.tree.activated.connect(self.open_index)
        if ctx is None:
            self.status.setText(LOADING)
            self.settings_row.setEnabled(False)
            self._show_body(False)

    def set_context(self, ctx: Context) -> None:
        """The app has loaded: the list can be asked for (:meth:`refresh`)."""
        self._ctx = ctx
        self.settings_row.setEnabled(True)

    def refresh(self) -> None:
        """Ask again what needs doing now (nothing yet while the app is loading), on a worker
        thread: a busy officer's Today reads thousands of cases (a complaints manager's at
        250,000 cases 0.08-0.16 s, 0.27-0.43 s the first time), and the window keeps answering
        meanwhile. What the page shows stays until the answer comes; only the newest answer is
        shown (:attr:`loading` says one is awaited)."""
        if self._ctx is None:
            return
        from caseworker.services.lists.today import today_list

        ctx, update_every = self._ctx, self.update_every.value()
        if self.today is None:
            self.status.setText(LOADING)
            self._show_body(False)

        self.reads.ask(
            lambda: today_list(ctx, update_every=update_every),
            self._show_today,
            lambda error: self._not_loaded(reason(error)),  # Refresh tries again
        )

    @property
    def loading(self) -> bool:
        """Whether an answer of :meth:`refresh` is awaited."""
        return self.reads.waiting

    def _not_loaded(self, why: str) -> None:
        self.today = None
        self.model.set_lines([])
        self.status.setText(
            f"The Today list could not be loaded: {why} Press Refresh to try again."
        )
        self._show_body(False)
        self.counted.emit(0)

    def _show_today(self, today: Today) -> None:
        self.today = today
        self.model.set_lines(today.lines)
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        day = f"{today.day:%A} {format_date(today.day)}"
        if today.officer is None:
            self.title.setText(f"Today, {day}")
            self.status.setText(today.problem)
        else:
            self.title.setText(f"Today, {day} — {today.officer}")
            count = len(today.lines)
            late = sum(line.overdue for line in today.lines)
            if not count:
                self.status.setText(
                    "Nothing needs doing on your cases today: no "
                    "acknowledgement, response, update, extension notice, action "
                    "or risk assessment is due."
                )
            else:
                self.status.setText(
                    f"{count} thing{'s' if count != 1 else ''} to do on your cases"
                    + (f", {late} of them late" if late else "")
                    + ". Press Enter or double-click a line to open the case where it is done."
                )
        self.settings_row.setVisible(today.officer is not None)
        self._show_body(bool(today.lines))
        self.counted.emit(len(today.lines))

    def _show_body(self, lines: bool) -> None:
        self.empty_page.label.setText(self.status.text())
        self.body.setCurrentWidget(self.tree if lines else self.empty_page)
        self.status.setVisible(lines)

    def _update_every_changed(self, value: int) -> None:
        self._settings.setValue(SETTING, value)
        self.refresh()

    def open_index(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id:  # 0: a line that is no case's (a subject access request)
            self.open_requested.emit(int(case_id), index.data(SECTION_ROLE) or "overview")
