"""Investigation notes on one issue as a table, each with its tag in words and in colour.

Stockport Appendix A: separate hearsay from fact. The tag column says FACT, HEARSAY, EVIDENCE or
ACTION in capitals on its own colour, so neither the word nor the colour is needed alone; the
model can show only one kind (:meth:`NotesModel.set_kind`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from caseworker.domain.enums import NoteKind
from caseworker.services.cases.casefile import NoteView
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import RowsTableModel

Index = QModelIndex | QPersistentModelIndex

KIND_COLOURS: dict[NoteKind, tuple[QColor, QColor]] = {
    NoteKind.FACT: (QColor("#d1e7dd"), QColor("#0f5132")),
    NoteKind.HEARSAY: (QColor("#fff3cd"), QColor("#664d03")),
    NoteKind.EVIDENCE: (QColor("#cfe2ff"), QColor("#084298")),
    NoteKind.ACTION: (QColor("#e2d9f3"), QColor("#432874")),
}
"""Background and text colour of each tag (contrast above 7:1)."""


class NotesModel(RowsTableModel):
    KIND, TEXT, SOURCE, AUTHOR = range(4)
    HEADERS = ("Tag", "Note", "Source", "By")
    KIND_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[NoteView] = []
        self._rows: list[NoteView] = []
        self._kind: NoteKind | None = None

    def set_notes(self, notes: tuple[NoteView, ...] | list[NoteView]) -> None:
        self.beginResetModel()
        self._all = list(notes)
        self._rows = [n for n in self._all if self._kind is None or n.kind == self._kind]
        self.endResetModel()

    def set_kind(self, kind: NoteKind | None) -> None:
        """Show only notes of ``kind`` (None: all)."""
        self._kind = kind
        self.set_notes(self._all)

    def row_of(self, note_id: int) -> int:
        """The row showing the note (-1: not shown)."""
        return next((row for row, note in enumerate(self._rows) if note.id == note_id), -1)

    def note_at(self, row: int) -> NoteView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        note, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.KIND:
                return note.kind.value.upper()
            if column == self.TEXT:
                return note.text
            if column == self.SOURCE:
                return note.source or "—"
            if column == self.AUTHOR:
                return f"{note.author}, {format_date(note.created_at.astimezone().date())}"
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.KIND:
            return f"{note.kind.value} note"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return note.text
        if column == self.KIND:
            if role == Qt.ItemDataRole.BackgroundRole:
                return KIND_COLOURS[note.kind][0]
            if role == Qt.ItemDataRole.ForegroundRole:
                return KIND_COLOURS[note.kind][1]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
        if role == self.KIND_ROLE:
            return note.kind.value
        return None
