"""The retention review's list: the closed cases past their retention period, each with a tick.

A model rather than a widget's items: at 250,000 cases over 12,000 cases are due at once, and
making an item for every cell (and counting the ticks by visiting every row at each key typed)
held the dialog up for about half a second. The ticks are a set of rows here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal

from caseworker.services.records.retention import DueCase
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import Index, RowsTableModel


class DueModel(RowsTableModel):
    """The cases due (:class:`~caseworker.services.records.retention.DueCase`), in the core's
    order; the reference column carries the tick."""

    HEADERS = ("Reference", "Council", "Closed on", "Kept until")
    REFERENCE = 0

    ticks_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DueCase] = []
        self._ticked: set[int] = set()

    def set_rows(self, rows: list[DueCase]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._ticked = set()
        self.endResetModel()
        self.ticks_changed.emit()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.REFERENCE:
                return case.reference
            if column == 1:
                return f"{case.council} ({case.years} years)"
            return format_date(case.closed_on if column == 2 else case.kept_until)
        if role == Qt.ItemDataRole.CheckStateRole and column == self.REFERENCE:
            ticked = index.row() in self._ticked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.REFERENCE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != self.REFERENCE:
            return False
        if role != Qt.ItemDataRole.CheckStateRole:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(index.row())
        else:
            self._ticked.discard(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticks_changed.emit()
        return True

    def tick_all(self, on: bool) -> None:
        self._ticked = set(range(len(self._rows))) if on else set()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.REFERENCE),
                self.index(len(self._rows) - 1, self.REFERENCE),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.ticks_changed.emit()

    def ticked(self) -> list[str]:
        """The ticked cases' references, in the list's order."""
        return [self._rows[row].reference for row in sorted(self._ticked)]

    def tick_count(self) -> int:
        return len(self._ticked)


__all__ = ["DueModel"]
