"""Small tables of the progress and stage 2 tabs: extensions, suspensions, contact attempts,
Ombudsman records, remedies and actions, contact restrictions, the points under stage 2 review.
Each is a list of the core's rows under fixed headings, with one function per column giving the
words to show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from caseworker.domain.enums import Finding
from caseworker.services.cases.casefile import IssueView
from caseworker.services.cases.lifecycle import AttemptRow, ExtensionRow, SuspensionRow
from caseworker.services.cases.ombudsman import OmbudsmanRecord
from caseworker.services.cases.progress import (
    CONTACT_METHODS,
    OMBUDSMEN,
    RESTRICTIONS,
    ActionRow,
)
from caseworker.services.cases.restrictions import RestrictionRow
from caseworker_ui.models.case_list import format_date
from caseworker_ui.models.table import Index, RowsTableModel


def _date(day: Any) -> str:
    return format_date(day) if day is not None else "—"


class ColumnsModel(RowsTableModel):
    """Rows of one dataclass; ``COLUMNS`` pairs each heading with the text for a row."""

    COLUMNS: tuple[tuple[str, Callable[[Any], str]], ...] = ()
    STRETCH = -1
    """The column that takes the spare width (the longest text); the others fit their text."""
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.HEADERS = tuple(heading for heading, _ in self.COLUMNS)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> Any:
        return self._rows[number]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self.COLUMNS[index.column()][1](row)
        if role == self.ROW_ROLE:
            return row
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def index_of(self, predicate: Callable[[Any], bool]) -> QModelIndex:
        for number, row in enumerate(self._rows):
            if predicate(row):
                return self.index(number, 0)
        return QModelIndex()


class ExtensionsModel(ColumnsModel):
    COLUMNS = (
        ("Stage", lambda e: str(e.stage)),
        ("New response date", lambda e: _date(e.new_date)),
        (
            "Complainant told",
            lambda e: (
                _date(e.told_on)
                + (f" by {CONTACT_METHODS[e.told_method].lower()}" if e.told_method else "")
            ),
        ),
        ("Reason", lambda e: e.reason),
    )
    _rows: list[ExtensionRow]


class SuspensionsModel(ColumnsModel):
    COLUMNS = (
        ("Clock stopped", lambda s: _date(s.start)),
        ("Restarted", lambda s: _date(s.resumed_on) if s.resumed_on else "Still suspended"),
        ("Why", lambda s: s.reason),
    )
    _rows: list[SuspensionRow]


class AttemptsModel(ColumnsModel):
    COLUMNS = (
        ("When", lambda a: a.at.astimezone().strftime("%-d %b %Y %H:%M")),
        ("How", lambda a: CONTACT_METHODS[a.method]),
        ("Answered", lambda a: "Yes" if a.answered else "No"),
        ("By", lambda a: a.made_by),
        ("What happened", lambda a: a.result),
    )
    _rows: list[AttemptRow]


class OmbudsmanModel(ColumnsModel):
    STRETCH = 3
    COLUMNS = (
        ("Ombudsman", lambda o: OMBUDSMEN[o.body]),
        ("Their reference", lambda o: o.reference or "—"),
        ("Enquiry", lambda o: _date(o.enquiry_on)),
        (
            "Decision",
            lambda o: f"{o.decision} ({_date(o.decision_on)})" if o.decision_on else "Waiting",
        ),
        (
            "Remedy agreed",
            lambda o: (
                (o.remedy_agreed + (f", due {_date(o.remedy_due)}" if o.remedy_due else ""))
                if o.remedy_agreed
                else "—"
            ),
        ),
        (
            "Complied",
            lambda o: (
                _date(o.complied_on)
                if o.complied_on
                else ("Outstanding" if o.remedy_agreed else "—")
            ),
        ),
    )
    _rows: list[OmbudsmanRecord]


class ActionsModel(ColumnsModel):
    STRETCH = 1
    COLUMNS = (
        ("Issue", lambda a: str(a.issue_number)),
        ("Action", lambda a: a.action),
        ("Remedy", lambda a: a.remedy or "—"),
        ("Due", lambda a: _date(a.due)),
        ("Done", lambda a: _date(a.completed_on) if a.completed_on else "Outstanding"),
    )
    _rows: list[ActionRow]


class RestrictionsModel(ColumnsModel):
    STRETCH = 0
    COLUMNS = (
        (
            "Restrictions",
            lambda r: (
                "; ".join(RESTRICTIONS[x] for x in r.restrictions)
                + (f" ({r.details})" if r.details else "")
            ),
        ),
        ("Decided", lambda r: _date(r.decided_on)),
        (
            "Told in writing",
            lambda r: (
                _date(r.notified_on) if r.notified_on else f"Not yet (by {_date(r.notify_by)})"
            ),
        ),
        ("Review", lambda r: _date(r.review_on)),
        ("Why", lambda r: r.reason),
    )
    _rows: list[RestrictionRow]


FINDING_WORDS = {
    Finding.UPHELD: "Upheld",
    Finding.PARTIALLY_UPHELD: "Partially upheld",
    Finding.NOT_UPHELD: "Not upheld",
}


def stage1_found(issue: IssueView) -> str:
    """What stage 1 found on a point, in words (or that stage 1 never had it)."""
    if issue.raised_at_stage > 1:
        return f"Not raised at stage 1 (added by the stage {issue.raised_at_stage} request)"
    return FINDING_WORDS.get(issue.finding, "No finding") if issue.finding else "No finding"


class ReviewPointsModel(ColumnsModel):
    """Each point of the complaint with what stage 1 found and the stage 2 review's finding."""

    STRETCH = 1
    COLUMNS = (
        ("Point", lambda i: str(i.number)),
        ("In their words", lambda i: i.summary),
        ("Stage 1 found", stage1_found),
        (
            "Stage 2 finding",
            lambda i: FINDING_WORDS[i.stage2_finding] if i.stage2_finding else "Not yet",
        ),
    )
    _rows: list[IssueView]
