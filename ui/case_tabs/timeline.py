"""Timeline: every event of the case in order (changes, contacts, letters).

Read when the tab is shown (as every tab is filled: see :mod:`caseworker_ui.case_tabs.base`),
not when the case window opens: the trail of a long case is the largest read of the window and
most openings never look at it. While it is on screen, it is read again after each save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout

from caseworker.services.cases import casefile
from caseworker.services.cases.casefile import CaseFile
from caseworker_ui.case_tabs.base import CaseTab
from caseworker_ui.case_tabs.common import MessageBar, reason
from caseworker_ui.models.timeline import TimelineModel


class TimelineTab(CaseTab):
    title = "&Timeline"
    follows_read_only = False  # it only shows

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.setObjectName("timelineTab")

    def build(self) -> None:
        self.model = TimelineModel(self)
        hint = QLabel(
            "Everything that has happened on this case, oldest first: changes from the "
            "audit trail, contacts with the complainant, letters, documents and emails."
        )
        hint.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("timelineTable")
        self.table.setAccessibleName("Timeline of the case")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()
        header.resizeSection(
            TimelineModel.WHEN, metrics.horizontalAdvance("30 Sep 2026 23:59") + 24
        )
        header.resizeSection(TimelineModel.WHAT, metrics.horizontalAdvance("Contact") + 24)
        header.setSectionResizeMode(TimelineModel.DETAILS, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TimelineModel.BY, metrics.horizontalAdvance("demo-generator") + 24)
        self.error_bar = MessageBar("timelineError")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_bar)

    def show_case(self, case: CaseFile) -> None:
        try:
            events = casefile.timeline(self.desk, case.id)
        except Exception as error:
            self.error_bar.show_message(f"The timeline could not be read: {reason(error)}")
            return
        self.error_bar.clear()
        self.model.set_events(events)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()

    def case_saved(self, case: CaseFile) -> None:
        self.show_case(case)  # what was just saved is on the timeline
