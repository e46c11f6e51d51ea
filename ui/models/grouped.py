"""A two-level tree: group rows, each with its child rows (search hits under their case, Today's
lines under their kind). Subclasses say what each column shows for a group and for a child."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

_TOP = 0
"""The internal id of a group row; a child row's is its group's row + 1."""


class GroupedTreeModel(QAbstractItemModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[Any] = []

    # -- what subclasses provide ------------------------------------------------------------

    def children_of(self, group: Any) -> list[Any]:
        raise NotImplementedError

    def group_data(self, group: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def child_data(self, group: Any, child: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    # -- the tree ----------------------------------------------------------------------------

    def set_groups(self, groups: list[Any]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def groups(self) -> list[Any]:
        return list(self._groups)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        if parent.internalId() != _TOP:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self.children_of(self._groups[parent.row()]))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            if index.row() >= len(self._groups):
                return None
            return self.group_data(self._groups[index.row()], index.column(), role)
        group_row = index.internalId() - 1
        if group_row >= len(self._groups):
            return None
        group = self._groups[group_row]
        children = self.children_of(group)
        if index.row() >= len(children):
            return None
        return self.child_data(group, children[index.row()], index.column(), role)
