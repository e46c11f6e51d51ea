"""Today: a row per kind of work (acknowledgements due, responses due, ...), with a child row for
each case: reference, complainant, what to do, and when (late ones in red)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from caseworker.domain.finding import TODAY_KINDS, TodayLine
from caseworker_ui.models.case_list import OVERDUE_BACKGROUND, OVERDUE_FOREGROUND, format_date
from caseworker_ui.models.grouped import GroupedTreeModel

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2
"""The part of the case file to open at (the case window's tab)."""


@dataclass(frozen=True)
class Group:
    section: str
    title: str
    lines: tuple[TodayLine, ...]


def grouped(lines: list[TodayLine]) -> list[Group]:
    """The lines under their kind, in the order of :data:`TODAY_KINDS`; empty kinds left out."""
    groups = []
    for section, title in TODAY_KINDS:
        mine = tuple(line for line in lines if line.section == section)
        if mine:
            groups.append(Group(section, title, mine))
    return groups


class TodayModel(GroupedTreeModel):
    CASE, COMPLAINANT, TODO, WHEN = range(4)
    HEADERS = ("Case", "Complainant", "What to do", "When")

    def set_lines(self, lines: list[TodayLine]) -> None:
        self.set_groups(grouped(lines))

    def line_count(self) -> int:
        return sum(len(group.lines) for group in self._groups)

    def children_of(self, group: Group) -> list[TodayLine]:
        return list(group.lines)

    def group_data(self, group: Group, column: int, role: int) -> Any:
        if column != self.CASE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{group.title} ({len(group.lines)})"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def child_data(self, group: Group, line: TodayLine, column: int, role: int) -> Any:
        if role == CASE_ID_ROLE:
            return line.case_id
        if role == SECTION_ROLE:
            return line.opens_at
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            when = format_date(line.due)
            if line.overdue:
                when += " (late)"
            return (line.reference, line.complainant, line.text, when)[column]
        if line.overdue and column == self.WHEN:
            if role == Qt.ItemDataRole.BackgroundRole:
                return OVERDUE_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return OVERDUE_FOREGROUND
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.CASE:
            return f"{line.reference}, {line.complainant}: {line.text}"
        return None
