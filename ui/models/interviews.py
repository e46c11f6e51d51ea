"""The interviews of a case as a table: when, who, how, who came along, and whether complete."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from caseworker.services.cases.casefile import InterviewView
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import RowsTableModel

Index = QModelIndex | QPersistentModelIndex

COMPLETE_COLOURS = (QColor("#d1e7dd"), QColor("#0f5132"))
OPEN_COLOURS = (QColor("#fff3cd"), QColor("#664d03"))


class InterviewsModel(RowsTableModel):
    DATE, INTERVIEWEE, ROLE, METHOD, ACCOMPANIED, STATE = range(6)
    HEADERS = ("Date", "Interviewee", "Role", "Method", "Accompanied by", "Steps")
    INTERVIEW_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[InterviewView] = []

    def set_interviews(self, rows: tuple[InterviewView, ...] | list[InterviewView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def interview_at(self, row: int) -> InterviewView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, interview_id: int) -> int:
        return next((row for row, v in enumerate(self._rows) if v.id == interview_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        v, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return format_date(v.held_on)
            if column == self.INTERVIEWEE:
                return v.interviewee
            if column == self.ROLE:
                return v.interviewee_role
            if column == self.METHOD:
                return v.method.value.replace("-", " ").capitalize()
            if column == self.ACCOMPANIED:
                return f"{v.accompanied_by} ({v.accompanied_as})" if v.accompanied_by else "—"
            if column == self.STATE:
                if v.complete:
                    return "Complete"
                return f"{len(v.missing)} step{'s' if len(v.missing) != 1 else ''} to do"
        if column == self.STATE:
            colours = COMPLETE_COLOURS if v.complete else OPEN_COLOURS
            if role == Qt.ItemDataRole.BackgroundRole:
                return colours[0]
            if role == Qt.ItemDataRole.ForegroundRole:
                return colours[1]
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Every step done" if v.complete else "\n".join(v.missing)
        if role == self.INTERVIEW_ID_ROLE:
            return v.id
        return None
