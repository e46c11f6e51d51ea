"""Search results: a row per case (reference, complainant, service, status), with a child row for
each place the words were found (where, and the snippet with the words in bold)."""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from caseworker.domain.finding import FoundCase, Match
from caseworker_ui.models.grouped import GroupedTreeModel

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2
HTML_ROLE = Qt.ItemDataRole.UserRole + 3
"""The snippet as rich text, the matching words in bold on a highlight."""

WHERE = {
    "case": "Case details",
    "complainant": "Complainant",
    "issue": "Issue",
    "note": "Note",
    "interview": "Interview",
    "letter": "Letter",
    "email": "Email",
    "document": "Document",
}
_MARKED = re.compile(r"\[([^\[\]]*)\]")


def plain_snippet(text: str) -> str:
    """The snippet as read aloud or copied: without the [brackets] around the matches."""
    return _MARKED.sub(r"\1", " ".join(text.split()))


def snippet_html(text: str, highlight: str = "#fff3a0") -> str:
    parts = []
    last = 0
    text = " ".join(text.split())
    for found in _MARKED.finditer(text):
        parts.append(html.escape(text[last : found.start()]))
        parts.append(f'<b style="background-color:{highlight}">{html.escape(found.group(1))}</b>')
        last = found.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def status_text(case: FoundCase) -> str:
    status = case.status.value.capitalize()
    if case.outcome is not None:
        status += f" — {case.outcome.value.replace('-', ' ')}"
    return status


class SearchResultsModel(GroupedTreeModel):
    CASE, DETAIL, SERVICE, STATUS = range(4)
    HEADERS = ("Case", "Complainant, or what matched", "Service", "Status")

    def set_results(self, found: list[FoundCase]) -> None:
        self.set_groups(found)

    def match_count(self) -> int:
        return sum(len(case.matches) for case in self._groups)

    def children_of(self, group: FoundCase) -> list[Match]:
        return list(group.matches)

    def group_data(self, case: FoundCase, column: int, role: int) -> Any:
        if role == CASE_ID_ROLE:
            return case.case_id
        if role == SECTION_ROLE:
            return case.matches[0].section if case.matches else "overview"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (case.reference, case.complainant, case.service_area, status_text(case))[column]
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.CASE:
            return f"{case.reference}, {case.complainant}, {status_text(case)}"
        if role == Qt.ItemDataRole.FontRole and column == self.CASE:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def child_data(self, case: FoundCase, match: Match, column: int, role: int) -> Any:
        if role == CASE_ID_ROLE:
            return case.case_id
        if role == SECTION_ROLE:
            return match.section
        if column == self.CASE and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return WHERE.get(match.kind, match.kind.capitalize())
        if column == self.DETAIL:
            if role == Qt.ItemDataRole.DisplayRole:
                return plain_snippet(match.text)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{WHERE.get(match.kind, match.kind)}: {plain_snippet(match.text)}"
            if role == HTML_ROLE:
                return snippet_html(match.text)
        return None
