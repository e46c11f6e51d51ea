"""Generated letters opened with python-docx: what the complainant reads, per outcome, stage and
policy; any pasted text gives a valid document; the output is compared part by part with a
reference (timestamps ignored)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from caseworker.domain.enums import Finding, LetterKind, Outcome, RouteId
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import check_letter
from caseworker.letters.draft import LetterDraft, SectionKey
from caseworker.letters.examples import EXAMPLES, base_case, bin_issues
from caseworker.letters.fields import format_date
from caseworker.letters.render import (
    NO_BREAK_HYPHEN,
    document_text,
    render_letter,
)
from caseworker.letters.text import clean
from caseworker.policy.loader import get_policy, load_policies

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).parent / "test_letters_reference"
UPDATE = os.environ.get("CASEWORKER_UPDATE_REFERENCE") == "1"


def rendered(draft: LetterDraft) -> tuple[bytes, list[str]]:
    data = render_letter(draft)
    return data, document_text(data)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_letter_reads_right(example) -> None:  # noqa: ANN001
    case = example.case()
    policy = get_policy(example.policy_id)
    draft = build_draft(case, policy, example.kind, date=example.date)
    data, lines = rendered(draft)
    whole = "\n".join(lines)

    assert draft.addressee.name in lines[0]
    for line in draft.addressee.address.splitlines():
        assert line in whole
    assert f"Dear {draft.addressee.salutation}" in lines
    assert f"Our reference: {case.reference}" in lines
    assert f"Date: {format_date(example.date)}" in lines
    assert any(line.startswith("Re: ") and case.reference in line for line in lines)
    assert policy.council in whole  # the letterhead
    assert "{{" not in whole and "}}" not in whole
    if draft.kind in (
        LetterKind.OUTCOME,
        LetterKind.DECISION,
        LetterKind.ACKNOWLEDGEMENT,
        LetterKind.MEMBER_REPLY,
        LetterKind.WITHDRAWAL,
    ):
        assert format_date(draft.received) in whole
    if draft.section(SectionKey.ISSUES) is not None:
        headings = [line for line in lines if re.fullmatch(r"ISSUE \d+", line)]
        assert headings == [f"ISSUE {issue.number}" for issue in case.issues]
    route = policy.route(case.route)
    stage = policy.stage(case.route, draft.stage)
    if draft.section(SectionKey.NEXT_STAGE) is not None:
        contact = policy.contacts[stage.next_contact]
        assert contact.name in whole
        for detail in (contact.phone, contact.email, contact.website):
            if detail:
                assert detail in whole
    if draft.section(SectionKey.OMBUDSMAN) is not None:
        ombudsman = policy.contacts[route.ombudsman]
        assert ombudsman.name in whole
        other = "Housing Ombudsman" if route.ombudsman == "lgsco" else "Local Government"
        assert other not in whole
    assert draft.signatory.name in lines


def _policy_routes() -> list[tuple[str, RouteId]]:
    return [
        (policy.id, route.id)
        for policy in load_policies().values()
        for route in policy.routes
        if route.id != RouteId.MEMBER_ENQUIRY
    ]


@pytest.mark.parametrize(("policy_id", "route"), _policy_routes())
def test_each_policy_gives_its_own_contacts_and_the_right_ombudsman(
    policy_id: str, route: RouteId
) -> None:
    policy = get_policy(policy_id)
    stages = policy.route(route).stages
    ombudsman = policy.contacts[policy.route(route).ombudsman]
    for number in range(1, len(stages) + 1):
        case = base_case(
            policy_id=policy_id,
            route=route,
            stage=number,
            outcome=Outcome.PARTIALLY_UPHELD,
            escalation_requested=dt.date(2026, 4, 14) if number > 1 else None,
            understanding="You say the bin was missed.",
            steps_taken="I read the records.",
            evidence_considered="The crew sheets.",
        )
        case.issues = bin_issues(Finding.UPHELD, Finding.NOT_UPHELD)
        draft = build_draft(case, policy, date=dt.date(2026, 5, 12))
        _, lines = rendered(draft)
        whole = "\n".join(lines)
        assert ["ISSUE 1", "ISSUE 2"] == [line for line in lines if line.startswith("ISSUE")]
        if number < len(stages):
            contact = policy.contacts[stages[number - 1].next_contact]
            assert f"stage {number + 1}" in whole
            assert contact.name in whole
            details = (contact.phone, contact.email, contact.website, *contact.address)
            assert all(d in whole for d in details if d)
            placeholder = [line for line in contact.address if line.startswith("(")]
            gaps = [gap.code for gap in check_letter(draft, case, policy)]
            assert ("contact-placeholder" in gaps) == bool(placeholder), (policy_id, gaps)
        else:
            assert ombudsman.name in whole, (policy_id, route, number)
            assert any(d in whole for d in (ombudsman.phone, ombudsman.website) if d)
            assert "final response" in whole


def test_issue_headings_use_the_templates_heading_style() -> None:
    example = next(e for e in EXAMPLES if e.name == "stage1-upheld")
    data = render_letter(build_draft(example.case(), get_policy("stockport"), date=example.date))
    document = Document(io.BytesIO(data))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["ISSUE 1"] == "Letter Heading"
    assert styles["ISSUE 2"] == "Letter Heading"
    assert styles["What we still need to do"] == "Letter Heading"


def test_right_to_left_text_is_marked_right_to_left() -> None:
    case = base_case(outcome=Outcome.NOT_UPHELD)
    case.issues = bin_issues(Finding.NOT_UPHELD)
    case.issues[0].explanation = "شكراً لك على رسالتك. Reference CW-2026-00042."
    data = render_letter(build_draft(case, get_policy("stockport"), date=dt.date(2026, 3, 27)))
    document = Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("شكراً"))
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    runs = paragraph.runs
    assert runs[0]._r.rPr.find(qn("w:rtl")) is not None
    assert runs[-1]._r.rPr is None or runs[-1]._r.rPr.find(qn("w:rtl")) is None
    assert paragraph.text == "شكراً لك على رسالتك. Reference CW-2026-00042."


# -- any text makes a valid letter -----------------------------------------------------------

THOROUGH = [
    "",
    " ",
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x1a\x1b\x1f\x7f",
    "Line one\r\nLine two\rLine three\nLine four",
    "Para one\n\n\n\nPara two\x0cPara three\u2029Para four",
    "Col 1\tCol 2\t\tCol 3",
    "It\x92s \x93quoted\x94 \x96 \x85 \x81",
    "caf\ud800e \udfff",
    "Zoë Ó Súilleabháin · Łódź · Ελληνικά · Русский · 中文 · 日本語 · 한국어 · हिन्दी · தமிழ்",
    "עברית עם English בתוך המשפט",
    "العربية مع English في الجملة 123",
    "\u202eRIGHT-TO-LEFT OVERRIDE\u202c and \u200dzero width joiner\ufeff",
    "👍🏽 🏳️‍🌈 👨‍👩‍👧‍👦 🎉 \U0001f4a9",
    "<w:t>not xml</w:t> & &amp; ]]> <![CDATA[ x ]]> \" ' {{ reference }} {% if %}",
    "word " * 5000,
    "x" * 20000,
    "\n".join(f"Line {n}" for n in range(500)),
]


def _messy_draft(text: str) -> LetterDraft:
    case = base_case(
        outcome=Outcome.PARTIALLY_UPHELD, summary=text or "Missed bins", understanding=text
    )
    case.complainant.name = f"Mrs {text[:200]} Patel"
    case.complainant.address = text[:500] or "1 High Street"
    case.issues = bin_issues(Finding.UPHELD, Finding.NOT_UPHELD)
    case.issues[0].explanation = text
    case.issues[1].summary = text
    case.settlement_terms = text
    draft = build_draft(case, get_policy("stockport"), date=dt.date(2026, 3, 27))
    draft.set_text(SectionKey.CLOSING, text)
    return draft


def _visible(text: str) -> str:
    """What of ``text`` the letter shows, as ``document_text`` reads it back: a typed
    non-breaking hyphen becomes Word's own (``w:noBreakHyphen``), which reads as "-"."""
    return "".join(clean(text).replace(NO_BREAK_HYPHEN, "-").split())


def _assert_valid_and_kept(draft: LetterDraft, text: str) -> None:
    data = render_letter(draft)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))  # well-formed XML, every part
    lines = document_text(data)  # python-docx opens it
    flat = "".join("".join(lines).split())
    assert _visible(text) in flat


@pytest.mark.parametrize("text", THOROUGH, ids=range(len(THOROUGH)))
def test_any_typed_or_pasted_text_makes_a_valid_letter(text: str) -> None:
    _assert_valid_and_kept(_messy_draft(text), text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(), st.sampled_from(THOROUGH[2:14])), max_size=8).map("".join))
def test_random_text_makes_a_valid_letter(text: str) -> None:
    _assert_valid_and_kept(_messy_draft(text), text)


# -- compared with a reference, timestamps ignored (novelWriter's way) ------------------------


def _make_templates_module():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "tools" / "make_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPARED = ("word/document.xml", "word/header1.xml", "word/footer1.xml")
"""The parts the builder writes; the rest (styles, theme, settings) is the template's own."""


def _parts(data: bytes) -> dict[str, str]:
    """The written parts, pretty-printed, and the list of every part (document properties,
    which carry times, are left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = sorted(name for name in package.namelist() if not name.startswith("docProps/"))
        parts = {"parts.txt": "\n".join(names) + "\n"}
        for name in COMPARED:
            tree = etree.fromstring(package.read(name))
            parts[name] = etree.tostring(tree, pretty_print=True, encoding="unicode")
    return parts


@pytest.mark.parametrize("name", ["stage1-upheld", "stage2-decision-housing", "member-reply"])
def test_letter_matches_the_reference(tmp_path: Path, name: str) -> None:
    make_templates = _make_templates_module()
    for template, re_line in make_templates.TEMPLATES.items():
        make_templates.make_template(tmp_path / template, re_line)
    example = next(e for e in EXAMPLES if e.name == name)
    draft = build_draft(
        example.case(), get_policy(example.policy_id), example.kind, date=example.date
    )
    template = tmp_path / (
        "member-reply.docx" if draft.kind == LetterKind.MEMBER_REPLY else "letter.docx"
    )
    parts = _parts(render_letter(draft, template))
    folder = REFERENCE / name
    if UPDATE:
        for part, text in parts.items():
            target = folder / part
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    assert sorted(parts) == sorted(expected), "set CASEWORKER_UPDATE_REFERENCE=1 to refresh"
    for part, text in parts.items():
        assert text == expected[part], f"{part} differs from {folder / part}"
