"""The letters kept on a case, newest last."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from caseworker.services.cases.casefile import LetterView
from caseworker_ui.models.case_list import format_date

Index = QModelIndex | QPersistentModelIndex


class LettersModel(QAbstractListModel):
    LETTER_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LetterView] = []

    def set_letters(self, letters: tuple[LetterView, ...] | list[LetterView]) -> None:
        self.beginResetModel()
        self._rows = list(letters)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        letter = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            made = format_date(letter.created_at.astimezone().date())
            sent = f", sent {format_date(letter.sent_on)}" if letter.sent_on else ", not sent"
            kind = letter.kind.value.replace("-", " ").capitalize()
            formats = f"; {letter.formats_note}" if letter.formats_note else ""
            return f"{kind}, stage {letter.stage} — made {made}{sent}{formats}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return letter.filename
        if role == self.LETTER_ID_ROLE:
            return letter.id
        return None
