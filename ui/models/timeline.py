"""Every event of a case in time order: changes from the audit trail, contacts and letters."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from caseworker.services.cases.casefile import TimelineEvent
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import RowsTableModel

Index = QModelIndex | QPersistentModelIndex


def when_text(event: TimelineEvent) -> str:
    if event.date_only:
        return format_date(event.at.date())
    local = event.at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


class TimelineModel(RowsTableModel):
    WHEN, WHAT, DETAILS, BY = range(4)
    HEADERS = ("When", "What", "Details", "By")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[TimelineEvent] = []

    def set_events(self, events: list[TimelineEvent]) -> None:
        self.beginResetModel()
        self._rows = list(events)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        event, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.WHEN:
                return when_text(event)
            if column == self.WHAT:
                return event.category
            if column == self.DETAILS:
                return event.summary
            if column == self.BY:
                return event.by
        return None
