"""The complainant's points as a numbered list, each with its finding so far."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from caseworker.services.cases.casefile import IssueView

Index = QModelIndex | QPersistentModelIndex


def _words(finding: Any) -> str:
    return finding.value.replace("-", " ") if finding else "no finding yet"


def finding_text(issue: IssueView, stage: int = 1) -> str:
    """The point's finding so far; past stage 1, stage 1's and the stage 2 review's."""
    if stage == 1:
        return _words(issue.finding).capitalize()
    first = (
        f"Raised at stage {issue.raised_at_stage}"
        if issue.raised_at_stage > 1
        else f"Stage 1: {_words(issue.finding)}"
    )
    return f"{first} · Stage 2: {_words(issue.stage2_finding)}"


class IssuesModel(QAbstractListModel):
    ISSUE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[IssueView] = []
        self.stage = 1
        """The case's stage (past 1, each point shows stage 1's finding and stage 2's)."""

    def set_issues(self, issues: tuple[IssueView, ...] | list[IssueView]) -> None:
        self.beginResetModel()
        self._rows = list(issues)
        self.endResetModel()

    def update_issues(self, issues: tuple[IssueView, ...] | list[IssueView]) -> bool:
        """Show ``issues`` in place when they are the same points in the same order (the
        selection stays); False, changing nothing, when they are not."""
        rows = list(issues)
        if [i.id for i in rows] != [i.id for i in self._rows]:
            return False
        self._rows = rows
        if rows:
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
        return True

    def issue_at(self, row: int) -> IssueView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, issue_id: int) -> int:
        return next((row for row, i in enumerate(self._rows) if i.id == issue_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        issue = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            notes = len(issue.notes)
            return (
                f"{issue.number}. {issue.summary}\n"
                f"    {finding_text(issue, self.stage)} · {notes} note{'s' if notes != 1 else ''}"
            )
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"Issue {issue.number}: {issue.summary}. {finding_text(issue, self.stage)}."
        if role == self.ISSUE_ID_ROLE:
            return issue.id
        return None
