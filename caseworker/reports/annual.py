"""The annual (or quarterly) complaints report in Word, with its charts.

What the seeds ask of it: Stoke's annual report with the Complaint Handling Code self-assessment
and "statistics on complaints received and decisions made"; seed 002's "summary of outcomes and
recommendations from complaints, including progress on implementing them"; Southampton's annual
report with "learning from complaints (anonymised)". It is built from the same tables as the
Excel and CSV exports, so the three never disagree, and holds no personal data.

Wide tables are turned on their side (a row per measure, a column per stage) so that they fit a
portrait A4 page; the self-assessment lists only where each policy departs from the Code (the
Excel export has every check).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from caseworker.reports import charts
from caseworker.reports.figures import (
    SECTION_ADJUSTMENTS,
    SECTION_CODE,
    SECTION_ESCALATION,
    SECTION_LEARNING,
    SECTION_OUTCOMES,
    SECTION_TIMELINESS,
    SECTION_VOLUMES,
    as_day,
)
from caseworker.reports.selfassessment import DEPARTS
from caseworker.reports.tables import Cell, Report, Table
from caseworker.reports.tsm import SECTION_TSM

SECTIONS: tuple[tuple[str, str | None, str], ...] = (
    (
        SECTION_VOLUMES,
        "trend",
        "How many complaints came in and how many were closed, by stage, route, service area and "
        "the way they were made.",
    ),
    (
        SECTION_OUTCOMES,
        "outcomes",
        "What was decided on the cases closed, on the whole case and on each issue raised, and the "
        "complaints not taken on.",
    ),
    (
        SECTION_TIMELINESS,
        "timeliness",
        "Whether complaints were acknowledged and answered within the time the policy promises, "
        "how long answers took, and how often more time was agreed.",
    ),
    (
        SECTION_ESCALATION,
        None,
        "How many complainants asked for their complaint to go to the next stage, and what the "
        "Ombudsmen asked about and decided.",
    ),
    (
        SECTION_LEARNING,
        None,
        "What was put right, and the lessons learnt with progress on the actions agreed.",
    ),
    (
        SECTION_ADJUSTMENTS,
        None,
        "Complainants for whom reasonable adjustments were made (what they are stays in the case "
        "file).",
    ),
)
SECTIONS += (
    (
        SECTION_TSM,
        None,
        "The two complaint measures the Regulator of Social Housing asks of every landlord, for "
        "complaints about the council as landlord: complaints received per 1,000 homes (CH01) and "
        "the share answered within the Complaint Handling Code's timescales (CH02), for stage 1 "
        "and stage 2 separately.",
    ),
)
TRANSPOSED = {"timeliness", "extensions", "ombudsman"}
"""Tables shown a row per measure, a column per stage (or Ombudsman)."""
WORD_COLUMNS = {
    "code-timeliness": (
        "Council",
        "Stage",
        "Responses sent",
        "% under the policy",
        "% under the Code",
        "% within the extension",
        "% within the Code's 5 days",
    ),
}
"""Tables shown with fewer columns in Word (all of them are in the Excel export)."""
NOT_IN_WORD = {"summary", "code-departures"}
"""Shown another way: the key figures at the top, the departures as a list."""


def kind_of_report(report: Report) -> str:
    days = (report.period.end - report.period.start).days + 1
    if days >= 365:
        return "Complaints annual report"
    if 89 <= days <= 92:
        return "Complaints quarterly report"
    return "Complaints report"


def write_docx(report: Report, path: Path) -> None:
    document = build_document(report)
    document.save(str(path))


def build_document(report: Report) -> DocumentObject:
    document = Document()
    _page_and_styles(document)
    title = kind_of_report(report)
    document.core_properties.title = f"{title}: {report.period.label}"
    document.core_properties.author = "Caseworker"
    document.core_properties.comments = "Counts only: no personal data."
    document.add_heading(title, level=0)
    lead = document.add_paragraph()
    lead.add_run(report.period.label).bold = True
    lead.add_run(
        f"\nCases: {report.scope}. Open actions and remedies as at {as_day(report.as_of)}."
    )
    document.add_paragraph(
        "This report gives the complaint figures for the period: how many complaints came in, "
        "what was decided, how quickly, what was put right and what was learnt, and how the "
        "complaints procedure compares with the Housing Ombudsman's and the Local Government and "
        "Social Care Ombudsman's Complaint Handling Code. It holds counts only: nobody who "
        "complained is named or can be identified from it."
    )

    document.add_heading("Key figures", level=1)
    _key_figures(document, report)

    pngs = charts.chart_pngs(report, dpi=200)
    figure_number = 0
    for section, chart, intro in SECTIONS:
        tables = [t for t in report.tables if t.section == section and t.key not in NOT_IN_WORD]
        if not tables:
            continue
        document.add_heading(section, level=1)
        document.add_paragraph(intro).paragraph_format.keep_with_next = True
        if chart is not None:
            figure_number += 1
            _picture(document, pngs[chart], f"Figure {figure_number}: {charts.CHARTS[chart][0]}")
        for table in tables:
            _table_section(document, table)

    _code_section(document, report)

    document.add_heading("How the figures are counted", level=1)
    for note in report.notes:
        document.add_paragraph(note, style="List Bullet")
    return document


def _page_and_styles(document: DocumentObject) -> None:
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    for name, size in (("Title", 24), ("Heading 1", 15), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)


def _key_figures(document: DocumentObject, report: Report) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Light List Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, heading in zip(table.rows[0].cells, ("Figure", "Value", "Out of"), strict=True):
        cell.text = heading
    table.rows[0].cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for headline in report.headlines:
        cells = table.add_row().cells
        cells[0].text = headline.label
        cells[1].text = headline.text()
        cells[2].text = headline.detail
        cells[1].paragraphs[0].runs[0].bold = True
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(table, (Cm(7.5), Cm(3.0), Cm(6.5)))
    _font(table, 9.5)


def _picture(document: DocumentObject, png: bytes, caption: str) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(16.5))
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set("descr", caption)  # alt text, read out by screen readers
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph = document.add_paragraph(caption)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.runs[0].italic = True
    paragraph.runs[0].font.size = Pt(9)


def _table_section(document: DocumentObject, table: Table) -> None:
    document.add_heading(table.title, level=2)
    if not table.rows:
        document.add_paragraph("Nothing to count in this period.")
        return
    columns, rows = _word_view(table)
    _grid(document, columns, rows)
    if table.note:
        note = document.add_paragraph(table.note)
        note.runs[0].italic = True
        note.runs[0].font.size = Pt(8.5)
        note.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _word_view(table: Table) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    columns = table.columns
    rows = [tuple(row) for row in table.rows]
    chosen = WORD_COLUMNS.get(table.key)
    if chosen is not None:
        indices = [columns.index(c) for c in chosen]
        columns = chosen
        rows = [tuple(row[i] for i in indices) for row in rows]
    if table.key in TRANSPOSED:
        heading = ("", *(str(row[0]) for row in rows))
        flipped = [(column, *(row[i] for row in rows)) for i, column in enumerate(columns) if i > 0]
        return heading, flipped
    return columns, rows


def _grid(document: DocumentObject, columns: Iterable[str], rows: list[tuple[Cell, ...]]) -> None:
    columns = tuple(columns)
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Light Grid Accent 1"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(grid.rows[0].cells, columns, strict=True):
        cell.text = name
    for row in rows:
        cells = grid.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = _cell_text(value)
            if index > 0 and isinstance(value, int | float | type(None)):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(grid, 8 if len(columns) > 6 else 9)
    first = Cm(7.0 if len(columns) <= 3 else (4.5 if len(columns) > 6 else 5.5))
    if not columns[0]:  # turned on its side: the first column names the measures
        first = Cm(6.0)
    rest = int((Cm(17.0) - first) / max(1, len(columns) - 1))
    _widths(grid, (first, *([rest] * (len(columns) - 1))))
    for cell in grid.rows[0].cells[1:]:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(grid)


def _cell_text(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _font(table: object, size: float) -> None:
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _widths(table: object, widths: Iterable[object]) -> None:
    """Fixed column widths, set on the grid and on every cell (Word reads one, LibreOffice the
    other)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    widths = list(widths)
    table.autofit = False  # type: ignore[attr-defined]
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table.columns, widths, strict=False):  # type: ignore[attr-defined]
        column.width = width
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _repeat_header(table: object) -> None:
    """The heading row repeats at the top of each page a long table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table.rows[0]._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _code_section(document: DocumentObject, report: Report, *, titled: bool = True) -> None:
    try:
        checks = report.table("code-departures")
    except KeyError:
        return
    if titled:
        document.add_heading(SECTION_CODE, level=1)
    document.add_paragraph(
        "The Complaint Handling Code (2024) sets the timescales and rules councils are measured "
        "against: stage 1 acknowledged within 5 working days and answered within 10 working days "
        "of the acknowledgement (extended by at most 10); stage 2 acknowledged within 5 and "
        "answered within 20 working days of the acknowledgement (extended by at most 20); a "
        "different person handles stage 2; nobody is asked to give reasons for escalating."
    )
    document.add_heading("Where the policy departs from the Code", level=2)
    council = checks.columns.index("Council")
    departures = [row for row in checks.rows if row[-1] == DEPARTS]
    if not departures:
        document.add_paragraph("The policy meets the Code on every point compared.")
    current = None
    for row in departures:
        if row[council] != current:
            current = row[council]
            heading = document.add_paragraph()
            heading.add_run(str(current)).bold = True
        _, route, stage, requirement, says, code_says, _ = row
        where = f"{route}, {str(stage).lower()}" if stage else str(route)
        what = str(requirement)
        document.add_paragraph(
            f"{where}: {what[0].lower()}{what[1:]}: the policy says {says}; the Code says "
            f"{code_says}.",
            style="List Bullet",
        )
    not_compared = sorted(
        {
            (str(row[0]), str(row[1]), str(row[4]))
            for row in checks.rows
            if row[-1] == "Not compared"
        }
    )
    if not_compared:
        note = document.add_paragraph(
            "Not compared: " + "; ".join(f"{c}, {r} ({why})" for c, r, why in not_compared) + "."
        )
        note.runs[0].italic = True
        note.runs[0].font.size = Pt(8.5)
    try:
        timeliness = report.table("code-timeliness")
    except KeyError:
        return
    _table_section(document, timeliness)


__all__ = ["build_document", "kind_of_report", "write_docx"]
