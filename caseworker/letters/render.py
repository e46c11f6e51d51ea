"""Filling a Word template from a :class:`~caseworker.letters.draft.LetterDraft`.

Inline fields take the look of the text they replace (Word often splits ``{{ reference }}`` over
several runs; the replacement goes in the run where the field starts). A block field's paragraph is
replaced by the section's paragraphs, each copying that paragraph's style and spacing; headings use
the template's "Letter Heading" paragraph style when it has one, else bold text kept with the
next paragraph. Every text is passed through :func:`caseworker.letters.text.clean` first, so any
typed or pasted text makes a valid document.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from caseworker.letters.draft import IssueResponse, LetterDraft, Section, SectionKey
from caseworker.letters.fields import by_when, draft_fields, format_date
from caseworker.letters.phrases import phrase_book
from caseworker.letters.templates import (
    BLOCK_FIELDS,
    BODY,
    W_P,
    W_T,
    TemplateError,
    field_name,
    find_template,
    own_texts,
    paragraph_fields,
    validate_template,
    xml_roots,
)
from caseworker.letters.text import clean, direction_chunks, first_strong_is_rtl, paragraphs

HEADING_STYLE = "Letter Heading"
_BIDI_SUCCESSORS = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


# -- the letter as paragraphs --------------------------------------------------------------


@dataclass
class Span:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    spans: list[Span] = field(default_factory=list)
    heading: bool = False


Say = Callable[..., str]
"""A phrase of the letter's council with its fields filled in: ``say(key, **values)``."""


def issue_words(draft: LetterDraft, extra_dirs: tuple[Path, ...] = ()) -> Say:
    """The council's phrases for each issue's lines (``[issue.heading]``, ``[issue.upheld]``,
    the lead-ins...), filled with the fields the builder kept with the draft. A draft kept
    before it kept them says "your complaint" or "the complaint" as it did then."""
    book = phrase_book(draft.policy_id, extra_dirs)
    common: dict[str, object] = dict(draft.wording) or {
        "complaint": "your complaint"
        if draft.addressee.recipient == "complainant"
        else "the complaint",
        **draft_fields(draft),
    }
    return lambda key, **values: book.say(key, **{**common, **values})


def issue_paras(
    issue: IssueResponse, say: Say, *, lessons: bool = True, actions: bool = True
) -> list[Para]:
    """ISSUE n: the point, the finding, the explanation, then how it is put right, in the
    council's words (``say``, :func:`issue_words`). Lessons and outstanding actions are left to
    the ``changes`` and ``actions`` sections when the letter has them (``lessons``/``actions``
    False), so nothing is said twice."""
    paras = [Para([Span(say("issue.heading", issue_number=issue.number))], heading=True)]
    for text in paragraphs(issue.summary):
        paras.append(Para([Span(text, italic=True)]))
    if issue.finding is not None:
        paras.append(Para([Span(say(f"issue.{issue.finding.value}"))]))
    paras += [Para([Span(text)]) for text in paragraphs(issue.explanation)]
    paras += _led(say("issue.put_right"), issue.remedy)
    if lessons:
        paras += _led(say("issue.changed"), issue.lesson)
    if issue.action.strip() and issue.action_completed is None:
        if not actions:
            return paras
        paras += _led(
            say("issue.to_do", by_when=by_when(issue.action, issue.action_due)), issue.action
        )
    elif issue.action.strip():
        paras += _led(say("issue.done", done_on=format_date(issue.action_completed)), issue.action)
    return paras


def _led(lead: str, text: str) -> list[Para]:
    parts = paragraphs(text)
    if not parts:
        return []
    first = Para([Span(f"{lead} ", bold=True), Span(parts[0])])
    return [first, *(Para([Span(part)]) for part in parts[1:])]


def section_paras(section: Section, draft: LetterDraft, say: Say) -> list[Para]:
    if section.key == SectionKey.ISSUES:
        lessons = draft.section(SectionKey.CHANGES) is None
        actions = draft.section(SectionKey.ACTIONS) is None
        return [
            para
            for issue in draft.issues
            for para in issue_paras(issue, say, lessons=lessons, actions=actions)
        ]
    body = [Para([Span(text)]) for text in paragraphs(section.text)]
    if not body:
        return []
    if section.heading.strip():
        return [Para([Span(clean(section.heading).strip())], heading=True), *body]
    return body


def inline_values(draft: LetterDraft) -> dict[str, str]:
    return {
        "council": draft.council,
        "date": format_date(draft.date),
        "reference": draft.reference,
        "subject": draft.subject,
        "received": format_date(draft.received),
        "addressee": draft.addressee.block(),
        "addressee_name": draft.addressee.name,
        "addressee_email": draft.addressee.email,
        "salutation": draft.addressee.salutation,
        "complainant_name": draft.complainant_name,
        "signatory_name": draft.signatory.name,
        "signatory_title": draft.signatory.title,
        "signatory_email": draft.signatory.email,
        "stage_number": str(draft.stage),
        "formats_offer": draft.formats_offer,
    }


# -- filling the template ------------------------------------------------------------------


def render_letter(
    draft: LetterDraft, template: Path | None = None, extra_dirs: tuple[Path, ...] = ()
) -> bytes:
    """The letter as the bytes of a .docx file, from ``template`` or the one the draft's kind,
    outcome and policy call for."""
    path = template or find_template(draft.kind, draft.outcome, draft.policy_id, extra_dirs)
    info = validate_template(path, draft.kind)
    document = Document(str(path))
    placed = {use.name for use in info.uses if use.name in BLOCK_FIELDS and use.name != BODY}
    blocks: dict[str, list[Para]] = {name: [] for name in BLOCK_FIELDS}
    last_section_start = 0
    say = issue_words(draft, extra_dirs)
    for section in draft.sections:
        target = section.key.value if section.key.value in placed else BODY
        paras = section_paras(section, draft, say)
        if target == BODY and paras:
            last_section_start = len(blocks[BODY])
        blocks[target] += paras
    # The body's last part (usually the stage 2 or Ombudsman paragraph with its contact details)
    # stays on the page with "Yours sincerely" when it is short, so the signature never stands
    # alone and the way to complain further is read as one piece.
    # The paragraph before it comes too, so that a second page never holds only the contact
    # details of the Ombudsman or of the next stage.
    tail = len(blocks[BODY]) - last_section_start
    keep_from = max(0, last_section_start - 1) if tail <= 4 else len(blocks[BODY]) - 1
    values = {name: clean(value) for name, value in inline_values(draft).items()}
    values["reference"] = values["reference"].replace("-", NO_BREAK_HYPHEN)
    values = {name: unbroken_dates(value) for name, value in values.items()}
    heading_style = _style_id(document, HEADING_STYLE)
    for root in xml_roots(document):
        for paragraph in list(root.iter(W_P)):
            _fill(paragraph, values, blocks, heading_style, path, keep_from)
    if draft.large_print:
        large_print(document, heading_style)
    _set_properties(document, draft)
    out = io.BytesIO()
    document.save(out)
    return same_bytes_every_time(out.getvalue(), draft.date)


def same_bytes_every_time(data: bytes, day: dt.date) -> bytes:
    """The .docx with every part stamped with the letter's date rather than the moment it was
    saved, so the same draft always makes the same file (the example letters in ``docs/letters``
    change in git only when a letter does)."""
    stamp = (day.year, day.month, day.day, 9, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


NO_BREAK_HYPHEN = "\u2011"
NO_BREAK_SPACE = "\u00a0"
_DATE = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (\d{4})\b"
)


def unbroken_dates(text: str) -> str:
    """A date as :func:`format_date` writes it, kept on one line ("16 March 2026" is never split
    into "16" at the end of one line and "March 2026" on the next, as happens in large print)."""
    return _DATE.sub(lambda m: NO_BREAK_SPACE.join(m.groups()), text)


"""Written into the reference so that Word and LibreOffice never break it across lines; the
document holds Word's own non-breaking hyphen (``w:noBreakHyphen``)."""

LARGE_PRINT_PT = 16
LARGE_HEADING_PT = 18


def large_print(document: object, heading_style: str | None) -> None:
    """Set the whole document, its header and footer included, in at least 16pt, with headings
    (the heading style, and bold paragraphs standing alone) at least 18pt (RNIB's Clear Print
    guidance: large print is 16pt or more)."""
    body, heading = LARGE_PRINT_PT * 2, LARGE_HEADING_PT * 2  # Word counts half-points
    styles = document.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        _at_least(rpr, body)
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            style.append(rpr)
        _at_least(rpr, heading if style.get(qn("w:styleId")) == heading_style else body)
    for root in xml_roots(document):
        for paragraph in root.iter(W_P):
            ppr = paragraph.find(qn("w:pPr"))
            style = ppr.find(qn("w:pStyle")) if ppr is not None else None
            is_heading = style is not None and style.get(qn("w:val")) == heading_style
            runs = paragraph.findall(qn("w:r"))
            if not is_heading and runs and heading_style is None:
                is_heading = (
                    all(
                        run.find(qn("w:rPr")) is not None
                        and run.find(qn("w:rPr")).find(qn("w:b")) is not None
                        for run in runs
                    )
                    and len("".join(run.xpath("string(.)") for run in runs)) < 80
                )
            for run in runs:
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    run.insert(0, rpr)
                _at_least(rpr, heading if is_heading else body)


def _at_least(rpr: etree._Element, half_points: int) -> None:
    size = rpr.get_or_add_sz()  # type: ignore[attr-defined]  # python-docx keeps schema order
    if int(size.get(qn("w:val")) or 0) < half_points:
        size.set(qn("w:val"), str(half_points))
    complex_size = rpr.find(qn("w:szCs"))
    if complex_size is None:
        complex_size = OxmlElement("w:szCs")
        size.addnext(complex_size)
    if int(complex_size.get(qn("w:val")) or 0) < half_points:
        complex_size.set(qn("w:val"), str(half_points))


def _style_id(document: object, name: str) -> str | None:
    for style in document.styles:  # type: ignore[attr-defined]
        if style.type == 1 and style.name == name:  # WD_STYLE_TYPE.PARAGRAPH
            return style.style_id
    return None


def _fill(
    paragraph: etree._Element,
    values: dict[str, str],
    blocks: dict[str, list[Para]],
    heading_style: str | None,
    path: Path,
    keep_from: int,
) -> None:
    text, matches, problem = paragraph_fields(paragraph)
    if problem:
        raise TemplateError(f"template {path}: {problem}")
    if not matches:
        return
    if len(matches) == 1 and field_name(matches[0]) in BLOCK_FIELDS:
        name = field_name(matches[0])
        _replace_block(
            paragraph, blocks[name], heading_style, keep_from=keep_from if name == BODY else None
        )
        return
    texts = own_texts(paragraph)
    for match in reversed(matches):
        name = field_name(match)
        if name not in values:
            raise TemplateError(f"template {path}: unknown field '{{{{ {name} }}}}'")
        _replace_span(texts, match.start(), match.end(), values[name])
    for node in texts:
        _expand_breaks(node)


def _replace_span(texts: list[etree._Element], start: int, end: int, value: str) -> None:
    position = 0
    first = True
    for node in texts:
        content = node.text or ""
        low, high = position, position + len(content)
        position = high
        if high <= start or low >= end:
            continue
        cut_from, cut_to = max(start, low) - low, min(end, high) - low
        if first:
            node.text = content[:cut_from] + value + content[cut_to:]
            first = False
        else:
            node.text = content[:cut_from] + content[cut_to:]
        node.set(qn("xml:space"), "preserve")


def _expand_breaks(node: etree._Element) -> None:
    """A ``w:t`` holding newlines or tabs becomes text, ``w:br`` and ``w:tab`` elements."""
    content = node.text or ""
    if "\n" not in content and "\t" not in content and NO_BREAK_HYPHEN not in content:
        return
    parent = node.getparent()
    index = parent.index(node)
    parent.remove(node)
    for offset, element in enumerate(_text_elements(content)):
        parent.insert(index + offset, element)


def _text_elements(content: str) -> list[etree._Element]:
    elements: list[etree._Element] = []
    for line_number, line in enumerate(content.split("\n")):
        if line_number:
            elements.append(OxmlElement("w:br"))
        for tab_number, piece in enumerate(line.split("\t")):
            if tab_number:
                elements.append(OxmlElement("w:tab"))
            for hyphen_number, part in enumerate(piece.split(NO_BREAK_HYPHEN)):
                if hyphen_number:
                    elements.append(OxmlElement("w:noBreakHyphen"))
                if part:
                    t = OxmlElement("w:t")
                    t.text = part
                    t.set(qn("xml:space"), "preserve")
                    elements.append(t)
    return elements


def _replace_block(
    paragraph: etree._Element,
    paras: list[Para],
    heading_style: str | None,
    *,
    keep_from: int | None = None,
) -> None:
    """Put ``paras`` where ``paragraph`` is. ``keep_from``: the paragraphs from this index on
    stay on the page with what follows the block."""
    parent = paragraph.getparent()
    template_ppr = paragraph.find(qn("w:pPr"))
    first_text = next(iter(own_texts(paragraph)), None)
    run = first_text.getparent() if first_text is not None else None
    template_rpr = run.find(qn("w:rPr")) if run is not None and run.tag == qn("w:r") else None
    section_break = template_ppr.find(qn("w:sectPr")) if template_ppr is not None else None

    new = [_make_paragraph(para, template_ppr, template_rpr, heading_style) for para in paras]
    if not new and parent.tag == qn("w:tc") and len(parent.findall(W_P)) == 1:
        new = [_make_paragraph(Para(), template_ppr, template_rpr, heading_style)]
    if section_break is not None:
        if not new:
            new = [_make_paragraph(Para(), template_ppr, template_rpr, heading_style)]
        new[-1].get_or_add_pPr().append(copy.deepcopy(section_break))
    if keep_from is not None and paras:
        for element in new[keep_from:]:
            element.get_or_add_pPr().get_or_add_keepNext()
    index = parent.index(paragraph)
    parent.remove(paragraph)
    for offset, element in enumerate(new):
        parent.insert(index + offset, element)


def _make_paragraph(
    para: Para,
    template_ppr: etree._Element | None,
    template_rpr: etree._Element | None,
    heading_style: str | None,
) -> etree._Element:
    p = OxmlElement("w:p")
    if template_ppr is not None:
        ppr = copy.deepcopy(template_ppr)
        for unwanted in ("w:sectPr", "w:pPrChange"):
            for element in ppr.findall(qn(unwanted)):
                ppr.remove(element)
        p.append(ppr)
    ppr = p.get_or_add_pPr()
    text = "".join(span.text for span in para.spans)
    if para.heading:
        if heading_style:
            ppr.get_or_add_pStyle().val = heading_style
        ppr.get_or_add_keepNext()
    elif text.rstrip().endswith(":"):
        ppr.get_or_add_keepNext()  # a lead-in stays on the page with what it introduces
    if 0 < text.count("\n") <= 12:
        ppr.get_or_add_keepLines()  # an address or a short list is not split over two pages
    if first_strong_is_rtl(text) and ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_BIDI_SUCCESSORS)
    for span in para.spans:
        bold = span.bold or (para.heading and not heading_style)
        for chunk in direction_chunks(unbroken_dates(clean(span.text))):
            p.append(_make_run(chunk.text, template_rpr, bold, span.italic, chunk.rtl))
    return p


def _make_run(
    text: str, template_rpr: etree._Element | None, bold: bool, italic: bool, rtl: bool
) -> etree._Element:
    r = OxmlElement("w:r")
    if template_rpr is not None:
        r.append(copy.deepcopy(template_rpr))
    if bold or italic or rtl:
        rpr = r.get_or_add_rPr()
        if bold:
            rpr.get_or_add_b().val = True
        if italic:
            rpr.get_or_add_i().val = True
        if rtl:
            rpr.get_or_add_rtl().val = True
    for element in _text_elements(text):
        r.append(element)
    return r


def _set_properties(document: object, draft: LetterDraft) -> None:
    """Document properties that say what the file is, the same every time for the same draft."""
    props = document.core_properties  # type: ignore[attr-defined]
    when = dt.datetime.combine(draft.date, dt.time(9, 0))
    props.title = clean(f"{draft.reference}: {draft.kind.value} letter")
    props.subject = clean(draft.subject)[:255]
    props.author = clean(draft.council)
    props.last_modified_by = clean(draft.signatory.name or draft.council)
    props.created = when
    props.modified = when
    props.revision = 1
    props.keywords = clean(
        f"{draft.reference}; stage {draft.stage}; {draft.kind.value}"
        + (f"; {draft.outcome.value}" if draft.outcome else "")
    )


def document_text(data: bytes) -> list[str]:
    """The paragraphs of a .docx (body, tables, headers and footers), for tests and checks."""
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for root in xml_roots(document):
        for paragraph in root.iter(W_P):
            lines.append(_paragraph_text(paragraph))
    return lines


def _paragraph_text(paragraph: etree._Element) -> str:
    pieces: list[str] = []
    for element in paragraph.iter(W_T, qn("w:br"), qn("w:tab"), qn("w:noBreakHyphen")):
        if next(element.iterancestors(W_P), None) is not paragraph:
            continue
        if element.tag == W_T:  # a letter's no-break space reads as a space
            pieces.append((element.text or "").replace(NO_BREAK_SPACE, " "))
        elif element.tag == qn("w:noBreakHyphen"):
            pieces.append("-")
        elif element.tag == qn("w:br"):
            pieces.append("\n")
        else:
            pieces.append("\t")
    return "".join(pieces)
