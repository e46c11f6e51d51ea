"""Previous complaints: the other cases from the same person or about the same address, newest
first, with their outcome and why each is shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from caseworker.services.search.previous import PreviousCase
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import Index, RowsTableModel

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def why_text(case: PreviousCase) -> str:
    """ "Same email, postcode, name, service": the reasons without repeating "same"."""
    words = [r.removeprefix("same ") for r in ", ".join(case.reasons).split(", ")]
    return f"Same {', '.join(words)}" if words and words[0] else ""


def outcome_text(case: PreviousCase) -> str:
    if case.outcome is not None:
        return f"{case.status.value.capitalize()} — {case.outcome.value.replace('-', ' ')}"
    return case.status.value.capitalize()


class PreviousModel(RowsTableModel):
    REFERENCE, RECEIVED, COMPLAINANT, SERVICE, OUTCOME, WHY = range(6)
    HEADERS = ("Case", "Received", "Complainant", "Service", "Status and outcome", "Why shown")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PreviousCase] = []
        self._duplicate: int | None = None

    def set_cases(self, cases: list[PreviousCase], duplicate: int | None = None) -> None:
        self.beginResetModel()
        self._rows = list(cases)
        self._duplicate = duplicate
        self.endResetModel()

    def case_at(self, row: int) -> PreviousCase:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        case, column = self._rows[index.row()], index.column()
        if role == CASE_ID_ROLE:
            return case.case_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            why = why_text(case)
            if case.case_id == self._duplicate:
                why = f"Likely duplicate: {why[:1].lower()}{why[1:]}"
            return (
                case.reference,
                format_date(case.received),
                case.complainant,
                case.service_area,
                outcome_text(case),
                why,
            )[column]
        if role == Qt.ItemDataRole.FontRole and case.case_id == self._duplicate:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
