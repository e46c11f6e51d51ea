"""Writing a report to a file: Excel, CSV (one long file, or a zip of one file per table), Word.

The format follows the file's extension:

* ``.xlsx``: one sheet per table, named by the table's key (``by-service``, ``timeliness``...),
  plus an ``about`` sheet with the period, the scope and how the figures are counted. On each
  table's sheet row 1 is the title, row 2 how it is counted, row 4 the column headings and the
  figures follow; the headings stay in view when scrolling.
* ``.csv``: one file in long ("tidy") form, a line per figure: ``table, title, row, column,
  value``. It opens in any spreadsheet and pivots back into every table. UTF-8 with a byte order
  mark, so Excel shows "£" and accents right.
* ``.zip``: one CSV per table (``<key>.csv``, headings in the first line) and a ``README.txt``
  giving each table's title and note.
* ``.docx``: the annual report in Word, with its charts (:mod:`caseworker.reports.annual`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from caseworker.errors import UserError
from caseworker.reports.tables import Cell, Report, Table

FORMATS = {
    ".xlsx": "Excel workbook, one sheet per table",
    ".csv": "one CSV file, a line per figure (table, title, row, column, value)",
    ".zip": "a zip of one CSV file per table",
    ".docx": "the annual report in Word, with its charts",
}


def export(report: Report, path: Path | str) -> Path:
    """Write ``report`` to ``path`` in the format its extension names; the path written."""
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise UserError(
            f"cannot write a report to '{path.name}': the file name must end in "
            + ", ".join(FORMATS)
            + " ("
            + "; ".join(f"{ext}: {what}" for ext, what in FORMATS.items())
            + ")"
        )
    if path.parent and not path.parent.exists():
        raise UserError(f"the folder {path.parent} does not exist")
    temporary = path.with_name(path.name + ".part")
    try:
        writer(report, temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def check_format(path: Path | str) -> None:
    """Raise the same :class:`UserError` as :func:`export` for an unknown extension, before any
    work is done."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cannot write a report to '{Path(path).name}': the file name must end in "
            + ", ".join(FORMATS)
        )


def _about(report: Report) -> list[tuple[str, str]]:
    return [
        ("Report", "Complaints report"),
        ("Period", report.period.label),
        ("From", report.period.start.isoformat()),
        ("To", report.period.end.isoformat()),
        ("Cases", report.scope),
        ("Open actions and remedies as at", report.as_of.isoformat()),
        ("Produced", dt.date.today().isoformat()),
        *(("How it is counted", note) for note in report.notes),
    ]


# ---------------------------------------------------------------------------------------------
# Excel


def write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    about = workbook.active
    assert about is not None
    about.title = "about"
    about.append(("Complaints report", ""))
    about["A1"].font = Font(bold=True, size=14)
    for label, value in _about(report)[1:]:
        about.append((label, value))
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 100
    for row in about.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        row[0].alignment = Alignment(vertical="top")
        lines = max(1, -(-len(str(row[1].value or "")) // 95))
        about.row_dimensions[row[0].row].height = 15 * lines
    _fit_to_page_width(about)

    heading_fill = PatternFill("solid", fgColor="DDE6F0")
    for table in report.tables:
        sheet = workbook.create_sheet(table.key)
        sheet["A1"] = table.title
        sheet["A1"].font = Font(bold=True, size=13)
        if table.note:
            sheet["A2"] = table.note
            sheet["A2"].font = Font(italic=True, color="555555")
        # Always row 4 for the headings and row 5 on for the figures, note or no note.
        for index, name in enumerate(table.columns, 1):
            cell = sheet.cell(row=4, column=index, value=name)
            cell.font = Font(bold=True)
            cell.fill = heading_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for number, row in enumerate(table.rows, 5):
            for index, value in enumerate(row, 1):
                sheet.cell(row=number, column=index, value=_excel(value))
        total_width = 0.0
        heading_lines = 1
        for index, column in enumerate(table.columns, 1):
            longest = max([len(_text(row[index - 1])) for row in table.rows] or [0])
            word = max(len(part) for part in column.split())
            if index == 1:
                width = min(60, max(12, longest + 2, word + 2))
            else:  # figures are short: the heading wraps onto more lines instead
                width = min(40, max(11, longest + 3, word + 2))
            sheet.column_dimensions[get_column_letter(index)].width = width
            total_width += width
            heading_lines = max(heading_lines, -(-len(column) // int(width - 1)))
            if column.startswith("%") or column == "%":
                for cells in sheet.iter_rows(min_row=5, min_col=index, max_col=index):
                    cells[0].number_format = "0.0"
            elif index > 1:
                for cells in sheet.iter_rows(min_row=5, min_col=index, max_col=index):
                    if isinstance(cells[0].value, int):
                        cells[0].number_format = "#,##0"
        sheet.row_dimensions[4].height = 15 * min(heading_lines, 4)
        if table.note:
            # The note wraps across the table's width instead of running off to the right.
            last = max(len(table.columns), 2)
            sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
            sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
            lines = max(1, -(-len(table.note) // max(20, int(total_width * 1.1))))
            sheet.row_dimensions[2].height = 14 * lines
        sheet.freeze_panes = "B5"
        sheet.print_title_rows = "4:4"
        _fit_to_page_width(sheet)
    workbook.save(path)


def _fit_to_page_width(sheet: object) -> None:
    """Printed (or made a PDF) landscape, every column on one page's width."""
    sheet.page_setup.orientation = "landscape"  # type: ignore[attr-defined]
    sheet.page_setup.fitToWidth = 1  # type: ignore[attr-defined]
    sheet.page_setup.fitToHeight = 0  # type: ignore[attr-defined]
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]


def _excel(value: Cell) -> Cell:
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# CSV


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("table", "title", "row", "column", "value"))
        for table in report.tables:
            for row in table.rows:
                for column, value in zip(table.columns[1:], row[1:], strict=True):
                    writer.writerow(
                        (table.key, table.title, _csv_value(row[0]), column, _csv_value(value))
                    )


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue()


def write_zip(report: Report, path: Path) -> None:
    readme = ["Complaints report", ""]
    readme += [f"{label}: {value}" for label, value in _about(report)[1:]]
    readme += ["", "Files:"]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in report.tables:
            name = f"{table.key}.csv"
            archive.writestr(_entry(name), "\ufeff" + table_csv(table))
            readme.append(f"  {name}: {table.title}." + (f" {table.note}" if table.note else ""))
        archive.writestr(_entry("README.txt"), "\n".join(readme) + "\n")


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time, so the same report gives the same file."""
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_docx(report: Report, path: Path) -> None:
    from caseworker.reports.annual import write_docx

    write_docx(report, path)


_WRITERS: dict[str, Callable[[Report, Path], None]] = {
    ".xlsx": write_xlsx,
    ".csv": write_csv,
    ".zip": write_zip,
    ".docx": _write_docx,
}

__all__ = ["FORMATS", "check_format", "export", "table_csv", "write_csv", "write_xlsx", "write_zip"]
