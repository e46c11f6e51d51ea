"""Word templates: the bundled ones work, bad ones are refused with the template and field named,
fields Word splits over runs are filled, and a council's own templates win without code."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject

from caseworker.domain.enums import Finding, LetterKind, Outcome
from caseworker.letters.builder import build_draft
from caseworker.letters.draft import LetterDraft
from caseworker.letters.examples import base_case, bin_issues
from caseworker.letters.render import document_text, render_letter
from caseworker.letters.templates import (
    INLINE_FIELDS,
    TemplateError,
    bundled_template_dir,
    find_template,
    validate_all,
    validate_template,
)
from caseworker.policy.loader import get_policy, load_policies

FRAME = [
    "{{ addressee }}",
    "Our ref {{ reference }}, {{ date }}",
    "Dear {{ salutation }}",
    "Re: {{ subject }}",
    "{{ body }}",
    "Yours sincerely",
]


def make(path: Path, paragraphs: list[str] | None = None, *, build=None) -> Path:  # noqa: ANN001
    document = Document()
    for text in paragraphs if paragraphs is not None else FRAME:
        document.add_paragraph(text)
    if build is not None:
        build(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def upheld_draft(policy_id: str = "stockport", outcome: Outcome = Outcome.UPHELD) -> LetterDraft:
    case = base_case(policy_id=policy_id, outcome=outcome, settlement_terms="A refund.")
    case.issues = bin_issues(Finding.UPHELD)
    return build_draft(case, get_policy(policy_id), date=dt.date(2026, 3, 27))


def test_the_bundled_templates_can_be_used_by_every_policy() -> None:
    assert validate_all(sorted(load_policies())) == []
    folder = bundled_template_dir()
    assert (folder / "letter.docx").is_file() and (folder / "README.md").is_file()
    for kind in LetterKind:
        validate_template(find_template(kind, None, "stockport"), kind)


def test_the_bundled_template_uses_only_known_fields() -> None:
    info = validate_template(bundled_template_dir() / "letter.docx", LetterKind.OUTCOME)
    assert info.names <= set(INLINE_FIELDS) | {"body"}
    assert {"council", "reference", "addressee", "signatory_name"} <= info.names


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (
            FRAME + ["{{ refrence }}"],
            "unknown field '{{ refrence }}' in '{{ refrence }}' (did you mean '{{ reference }}'?)",
        ),
        (FRAME + ["Dear {{ Salutation }}"], "unknown field '{{ Salutation }}'"),
        (FRAME + ["{{ complainant name }}"], "(did you mean '{{ complainant_name }}'?)"),
        ([p for p in FRAME if "reference" not in p], "required field '{{ reference }}' is missing"),
        ([p for p in FRAME if "body" not in p], "required field '{{ body }}' is missing"),
        (
            FRAME + ["Here: {{ issues }}"],
            "field '{{ issues }}' must be alone in its paragraph, but "
            "the paragraph reads 'Here: {{ issues }}'",
        ),
        (FRAME + ["{{ body }}"], "field '{{ body }}' appears 2 times; it may appear once"),
        (
            FRAME + ["Yours, «Signatory_Name»"],
            "'«Signatory_Name»' in 'Yours, «Signatory_Name»' is a Word mail-merge field, which "
            "Caseworker does not fill in: write '{{ signatory_name }}'",
        ),
        (
            FRAME + ["Dated {date}"],
            "'{date}' in 'Dated {date}' has single brackets: write '{{ date }}' (two on each side)",
        ),
        (
            FRAME + ["Our ref {{ reference"],
            "a field is not closed or not opened in the paragraph 'Our ref {{ reference'",
        ),
    ],
)
def test_a_bad_template_is_refused_naming_template_and_field(
    tmp_path: Path, paragraphs: list[str], message: str
) -> None:
    path = make(tmp_path / "bad.docx", paragraphs)
    with pytest.raises(TemplateError) as caught:
        render_letter(upheld_draft(), path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_a_file_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(TemplateError, match="cannot be opened as a Word document"):
        render_letter(upheld_draft(), path)


def test_a_field_split_over_runs_by_word_is_filled_and_keeps_its_look(tmp_path: Path) -> None:
    def split(document: DocumentObject) -> None:
        paragraph = document.add_paragraph("Case: ")
        first = paragraph.add_run("{{ refe")
        first.bold = True
        paragraph.add_run("rence }")
        paragraph.add_run("} received {{")
        paragraph.add_run(" received }}.")

    path = make(tmp_path / "split.docx", build=split)
    document = Document(io.BytesIO(render_letter(upheld_draft(), path)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Case: "))
    assert paragraph.text == "Case: CW-2026-00042 received 2\u00a0March\u00a02026."  # one line
    bold = [run.text for run in paragraph.runs if run.bold]
    assert bold == ["CW-2026-00042"]


def test_multi_line_values_become_line_breaks(tmp_path: Path) -> None:
    path = make(tmp_path / "t.docx")
    lines = document_text(render_letter(upheld_draft(), path))
    assert lines[0] == "Mrs Asha Patel\n12 Acacia Avenue\nHeaton Moor\nStockport\nSK4 2AB"


def test_a_template_may_place_a_section_itself(tmp_path: Path) -> None:
    paragraphs = FRAME[:-1] + ["We value your feedback.", "{{ next_stage }}", "Yours sincerely"]
    path = make(tmp_path / "t.docx", paragraphs)
    lines = document_text(render_letter(upheld_draft(), path))
    fixed = lines.index("We value your feedback.")
    stage2 = next(i for i, line in enumerate(lines) if line.startswith("If you are still unhappy"))
    closing = next(i for i, line in enumerate(lines) if line.startswith("Thank you for bringing"))
    assert closing < fixed < stage2 < lines.index("Yours sincerely")
    assert sum(line.startswith("If you are still unhappy") for line in lines) == 1


def test_block_fields_in_table_cells_headers_and_footers(tmp_path: Path) -> None:
    def extras(document: DocumentObject) -> None:
        cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
        cell.paragraphs[0].text = "{{ ombudsman }}"  # empty for this letter: cell stays valid
        section = document.sections[0]
        section.header.paragraphs[0].text = "{{ council }} complaints"
        section.footer.paragraphs[0].text = "Ref {{ reference }}"

    path = make(tmp_path / "t.docx", build=extras)
    data = render_letter(upheld_draft(), path)
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Stockport Council complaints"
    assert document.sections[0].footer.paragraphs[0].text == "Ref CW-2026-00042"
    cell = document.tables[0].rows[0].cells[0]
    assert [p.text for p in cell.paragraphs] == [""]


def test_a_councils_own_template_in_the_data_folder_wins(isolated_home: Path) -> None:
    own = make(
        isolated_home / "letter_templates" / "stockport" / "letter.docx",
        ["STOCKPORT OWN LETTERHEAD", *FRAME],
    )
    assert find_template(LetterKind.OUTCOME, Outcome.UPHELD, "stockport") == own
    assert "STOCKPORT OWN LETTERHEAD" in document_text(render_letter(upheld_draft()))
    stoke = render_letter(upheld_draft("stoke-on-trent"))
    assert "STOCKPORT OWN LETTERHEAD" not in document_text(stoke)


def test_a_template_for_one_outcome_wins_over_the_kind_and_the_generic_one(
    isolated_home: Path,
) -> None:
    folder = isolated_home / "letter_templates"
    make(folder / "letter.docx", ["GENERIC", *FRAME])
    make(folder / "outcome.docx", ["OUTCOME LETTERS", *FRAME])
    make(folder / "outcome-settled.docx", ["SETTLED LETTERS", *FRAME])
    assert "SETTLED LETTERS" in document_text(render_letter(upheld_draft(outcome=Outcome.SETTLED)))
    assert "OUTCOME LETTERS" in document_text(render_letter(upheld_draft()))
    case = base_case()
    acknowledgement = build_draft(
        case, get_policy("stockport"), LetterKind.ACKNOWLEDGEMENT, date=dt.date(2026, 3, 3)
    )
    assert "GENERIC" in document_text(render_letter(acknowledgement))


def test_a_bad_council_template_is_reported_by_validate_all(isolated_home: Path) -> None:
    make(
        isolated_home / "letter_templates" / "stockport" / "decision.docx",
        FRAME + ["{{ nonsense }}"],
    )
    problems = validate_all(["stockport", "stoke-on-trent"])
    assert len(problems) == 1
    assert "stockport/decision.docx" in problems[0] and "nonsense" in problems[0]


def test_the_readme_lists_every_field_and_no_other() -> None:
    import re

    from caseworker.letters.templates import ALL_FIELDS

    readme = (bundled_template_dir() / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `\{\{ ([a-z_]+) \}\}`", readme, re.M))
    assert listed == set(ALL_FIELDS)
