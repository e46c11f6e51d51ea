"""A list of things to tick (the policy's exclusions), each with an id and its text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

Index = QModelIndex | QPersistentModelIndex


class ChecklistModel(QAbstractListModel):
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    ticked_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[tuple[str, str]] = []
        self._ticked: set[str] = set()

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """``(id, text)`` pairs; ticks on items still listed are kept."""
        self.beginResetModel()
        self._items = list(items)
        self._ticked &= {item_id for item_id, _ in items}
        self.endResetModel()
        self.ticked_changed.emit()

    def ticked(self) -> frozenset[str]:
        return frozenset(self._ticked)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item_id, text = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item_id in self._ticked else Qt.CheckState.Unchecked
        if role == self.ID_ROLE:
            return item_id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        item_id = self._items[index.row()][0]
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self._ticked.add(item_id)
        else:
            self._ticked.discard(item_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit()
        return True

    def set_ticked(self, item_id: str, ticked: bool = True) -> None:
        row = next(r for r, (i, _) in enumerate(self._items) if i == item_id)
        self.setData(self.index(row), ticked, Qt.ItemDataRole.CheckStateRole)
