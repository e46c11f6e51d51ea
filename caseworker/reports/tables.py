"""What a report is made of: named tables of counts, and the headline figures.

Every export writes the same tables: Excel one sheet each, CSV one file each (or one long file),
Word a table each under its section. Cells are numbers, dates or short labels (a stage, a route,
a service area, an outcome): never a name, an address or words from a complaint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from caseworker.reports.period import Period

Cell = str | int | float | dt.date | None


@dataclass(frozen=True)
class Table:
    key: str
    """Short name: the sheet name in Excel and the file name in a CSV zip (at most 31 characters,
    Excel's limit)."""
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    """Cells: :data:`Cell` values."""
    note: str = ""
    """How the figures are counted, in a sentence or two."""
    section: str = ""
    """The report section it belongs to (the Word report groups tables by section)."""

    def __post_init__(self) -> None:
        if len(self.key) > 31:
            raise ValueError(f"table key '{self.key}' is longer than Excel's 31 characters")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.key}: a row has {len(row)} cells for {len(self.columns)} columns"
                )

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def value(self, row_label: str, column: str) -> Cell:
        """The cell in the row whose first cell is ``row_label``."""
        index = self.columns.index(column)
        for row in self.rows:
            if row[0] == row_label:
                return row[index]
        raise KeyError(f"table {self.key} has no row '{row_label}'")

    def as_dict(self) -> dict[str, dict[str, Cell]]:
        """``{first cell: {column: cell}}`` for the other columns (handy in tests)."""
        return {str(row[0]): dict(zip(self.columns[1:], row[1:], strict=True)) for row in self.rows}


@dataclass(frozen=True)
class Headline:
    label: str
    value: int | float | None
    unit: str = ""
    """'' for a count, '%' for a percentage, 'days' for working days."""
    detail: str = ""

    def text(self) -> str:
        if self.value is None:
            return "–"
        if self.unit == "%":
            return f"{self.value:.1f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}{' ' + self.unit if self.unit else ''}"
        return f"{self.value:,}{' ' + self.unit if self.unit else ''}"


@dataclass(frozen=True)
class Report:
    period: Period
    as_of: dt.date
    """The date the report describes the present by (open actions, outstanding remedies)."""
    scope: str
    """Which cases: "all policies" or the council whose policy was chosen."""
    policy_id: str | None
    headlines: tuple[Headline, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default=())
    """How the report counts, for its readers (extensions, stages, what is not recorded)."""
    seconds: float = 0.0

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"the report has no table '{key}'")

    def headline(self, label: str) -> Headline:
        for headline in self.headlines:
            if headline.label == label:
                return headline
        raise KeyError(f"the report has no headline '{label}'")

    def figures(self) -> dict[str, object]:
        """Every headline and table cell, for comparing two reports (the purge test)."""
        return {
            "headlines": [(h.label, h.value) for h in self.headlines],
            "tables": {t.key: (t.columns, t.rows) for t in self.tables},
        }


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


__all__ = ["Cell", "Headline", "Report", "Table", "percent"]
