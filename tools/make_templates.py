"""Write the bundled Word letter templates in ``letter_templates/``.

    python tools/make_templates.py            # rewrite letter_templates/*.docx
    python tools/make_templates.py OUT_DIR    # write them somewhere else

The committed .docx files are what councils edit in Word; this script is how the bundled ones
were made, so that they can be made again (for example after a change to the fields). It is not
run by the program. A council's own templates are never touched by it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
FONT = "Arial"
DARK = RGBColor(0x1F, 0x2A, 0x44)
GREY = RGBColor(0x55, 0x55, 0x55)

ACCESSIBLE = "{{ formats_offer }}"
"""The offer of other formats, in the council's words from the phrase book ([footer.formats],
or [footer.formats.large_print] on a letter already in large print)."""


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.05

    heading = document.styles.add_style("Letter Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = normal
    heading.next_paragraph_style = normal
    heading.font.bold = True
    heading.font.color.rgb = DARK
    heading.paragraph_format.space_before = Pt(10)
    heading.paragraph_format.space_after = Pt(3)
    heading.paragraph_format.keep_with_next = True

    small = document.styles.add_style("Letter Small", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9)
    small.font.color.rgb = GREY
    small.paragraph_format.space_after = Pt(0)


def _page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)


def _bottom_rule(paragraph) -> None:  # noqa: ANN001
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "1F2A44")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


def _page_field(paragraph, instruction: str) -> None:  # noqa: ANN001
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_footer(document: Document) -> None:
    header = document.sections[0].header
    council = header.paragraphs[0]
    run = council.add_run("{{ council }}")
    run.bold = True
    run.font.size = Pt(18)
    run.font.color.rgb = DARK
    council.paragraph_format.space_after = Pt(6)
    _bottom_rule(council)

    footer = document.sections[0].footer
    line = footer.paragraphs[0]
    line.style = document.styles["Letter Small"]
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run("Reference {{ reference }}  ·  Page ")
    _page_field(line, "PAGE")
    line.add_run(" of ")
    _page_field(line, "NUMPAGES")
    note = footer.add_paragraph(ACCESSIBLE, style="Letter Small")
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _address_table(document: Document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(10), Cm(6)
    left.paragraphs[0].add_run("{{ addressee }}")
    right.paragraphs[0].add_run("Our reference: {{ reference }}")
    right.add_paragraph("Date: {{ date }}")
    for paragraph in [*left.paragraphs, *right.paragraphs]:
        paragraph.paragraph_format.space_after = Pt(2)


def make_template(path: Path, re_line: str) -> None:
    document = Document()
    _styles(document)
    _page(document)
    _header_footer(document)
    # Document() starts with no paragraph in the body; the address table comes first.
    _address_table(document)
    document.add_paragraph()
    document.add_paragraph("Dear {{ salutation }}")
    re_paragraph = document.add_paragraph()
    re_paragraph.add_run(re_line).bold = True
    document.add_paragraph("{{ body }}")
    closing = document.add_paragraph("Yours sincerely")
    closing.paragraph_format.space_before = Pt(6)
    closing.paragraph_format.space_after = Pt(30)
    closing.paragraph_format.keep_with_next = True
    name = document.add_paragraph()
    name.add_run("{{ signatory_name }}").bold = True
    name.paragraph_format.space_after = Pt(0)
    name.paragraph_format.keep_with_next = True
    title = document.add_paragraph("{{ signatory_title }}")
    title.paragraph_format.space_after = Pt(0)
    title.paragraph_format.keep_with_next = True
    document.add_paragraph("{{ signatory_email }}")

    # python-docx's starter file carries a picture of a blank page as its thumbnail; Word and
    # file browsers would show that for every letter, so it goes.
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)

    props = document.core_properties
    props.title = f"Letter template: {path.stem}"
    props.author = "Caseworker"
    props.last_modified_by = "Caseworker"
    props.comments = (
        "Fields in double braces are filled in by Caseworker: see README.md in this folder."
    )
    props.created = props.modified = dt.datetime(2026, 1, 1, 9, 0)
    props.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


TEMPLATES = {
    "letter.docx": "Re: {{ subject }} – our reference {{ reference }}",
    "member-reply.docx": "Re: Your enquiry on behalf of {{ complainant_name }}: {{ subject }} – "
    "our reference {{ reference }}",
}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "letter_templates"
    for name, re_line in TEMPLATES.items():
        make_template(out / name, re_line)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
