"""Triage answers for the new-case form: what stops the saving, then what to know."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from caseworker.services.cases.intake import TriageNote

Index = QModelIndex | QPersistentModelIndex

BLOCKS_COLOURS = (QColor("#f8d7da"), QColor("#842029"))
ADVICE_COLOURS = (QColor("#cfe2ff"), QColor("#084298"))


class TriageModel(QAbstractListModel):
    FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
    BLOCKS_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[TriageNote] = []

    def set_notes(self, notes: list[TriageNote]) -> None:
        # Blocking answers first: they are what the officer must deal with.
        ordered = [n for n in notes if n.blocks] + [n for n in notes if not n.blocks]
        if ordered == self._rows:
            return
        self.beginResetModel()
        self._rows = ordered
        self.endResetModel()

    def messages(self) -> list[str]:
        return [n.message for n in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        note = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{'Must fix' if note.blocks else 'Note'}: {note.message}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return note.message
        colours = BLOCKS_COLOURS if note.blocks else ADVICE_COLOURS
        if role == Qt.ItemDataRole.BackgroundRole:
            return colours[0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return colours[1]
        if role == self.FIELD_ROLE:
            return note.field
        if role == self.BLOCKS_ROLE:
            return note.blocks
        return None
