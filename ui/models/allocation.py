"""The allocation view's tables: the cases waiting for an officer, each officer's load, and one
case's allocation history. Rows come from :mod:`caseworker.services.cases.allocation`, which also
says how pressing each waiting case is (the colour only shows it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from caseworker.domain.caselist import Urgency
from caseworker.domain.enums import Role
from caseworker.services.cases.allocation import AllocationEntry, OfficerLoad, Waiting
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import Index, RowsTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The case's (queue) or officer's (loads) id."""
LOAD_ROLE = Qt.ItemDataRole.UserRole + 2
"""An officer's share of the busiest officer's open cases, 0.0 to 1.0, for the load bar."""

LATE = QColor("#f8d7da")
SOON = QColor("#fff3cd")
URGENCY_COLOURS = {Urgency.OVERDUE: LATE, Urgency.DUE_SOON: SOON}

ROLE_WORDS = {
    Role.INVESTIGATING_OFFICER: "Investigating officer",
    Role.LINE_MANAGER: "Line manager",
    Role.COMPLAINTS_MANAGER: "Complaints manager",
}


class QueueModel(RowsTableModel):
    """Cases with no officer, soonest due first."""

    REFERENCE, COMPLAINANT, SERVICE, STAGE, RECEIVED, DUE, DAYS_LEFT = range(7)
    HEADERS = ("Reference", "Complainant", "Service", "Stage", "Received", "Due", "Days left")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Waiting] = []

    def set_rows(self, rows: list[Waiting]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def waiting_at(self, row: int) -> Waiting:
        return self._rows[row]

    def row_of(self, case_id: int) -> int:
        return next((i for i, w in enumerate(self._rows) if w.row.id == case_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        waiting = self._rows[index.row()]
        row, column = waiting.row, index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                row.reference,
                row.complainant or "Anonymous",
                row.service_area,
                f"Stage {row.stage}",
                format_date(row.received),
                format_date(row.respond_by) if row.respond_by else "—",
                waiting.days_left_text or "—",
            )[column]
        if role == Qt.ItemDataRole.BackgroundRole and column == self.DAYS_LEFT:
            colour = URGENCY_COLOURS.get(waiting.urgency)
            return QBrush(colour) if colour is not None else None
        if role == ID_ROLE:
            return row.id
        return None


class LoadModel(RowsTableModel):
    """Each officer's open cases, those due this week and those overdue."""

    NAME, SERVICE, OPEN, WEEK, OVERDUE = range(5)
    HEADERS = ("Officer", "Service", "Open cases", "Due this week", "Overdue")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OfficerLoad] = []
        self._busiest = 0

    def set_rows(self, rows: list[OfficerLoad]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._busiest = max((load.open_cases for load in self._rows), default=0)
        self.endResetModel()

    def load_at(self, row: int) -> OfficerLoad:
        return self._rows[row]

    def row_of(self, officer_id: int) -> int:
        return next((i for i, load in enumerate(self._rows) if load.officer_id == officer_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        load, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            name = load.name
            if load.role != Role.INVESTIGATING_OFFICER:  # the few managers stand out by name
                name += f" ({ROLE_WORDS.get(load.role, str(load.role)).lower()})"
            return (name, load.service_area, load.open_cases, load.due_this_week, load.overdue)[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return f"{load.name}, {ROLE_WORDS.get(load.role, str(load.role)).lower()}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"{load.name}: {load.open_cases} open, {load.due_this_week} due this week, "
                f"{load.overdue} overdue"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.OPEN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column == self.OVERDUE and load.overdue:
            return QBrush(LATE)
        if role == LOAD_ROLE and column == self.OPEN:
            return load.open_cases / self._busiest if self._busiest else 0.0
        if role == ID_ROLE:
            return load.officer_id
        return None


class HistoryModel(RowsTableModel):
    """Who a case was given to, when, by whom and why, oldest first."""

    HEADERS = ("When", "Stage", "Given to", "From", "By", "Reason")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AllocationEntry] = []

    def set_rows(self, rows: list[AllocationEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = (
                f"{format_date(entry.at.astimezone().date())} {entry.at.astimezone():%H:%M}"
                if entry.at
                else ""
            )
            return (
                when,
                f"Stage {entry.stage}",
                entry.officer,
                entry.previous_officer or "—",
                entry.allocated_by or "—",
                entry.reason or "—",
            )[index.column()]
        return None


__all__ = ["ID_ROLE", "LOAD_ROLE", "HistoryModel", "LoadModel", "QueueModel"]
