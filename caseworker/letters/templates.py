"""Word templates: where they are found, which fields they may hold, and refusing a bad one.

A template is an ordinary ``.docx`` that a complaints manager edits in Word. Fields are written in
double braces, ``{{ reference }}``. Two sorts:

* **inline fields** (:data:`INLINE_FIELDS`) are replaced where they stand and keep the look of the
  text around them: ``Our reference: {{ reference }}``;
* **block fields** (``{{ body }}`` and one per section, :data:`BLOCK_FIELDS`) must stand alone in
  their paragraph, which is replaced by the section's paragraphs in that paragraph's style.
  ``{{ body }}`` receives every section the template does not place itself, so nothing written in
  the draft can be left out of the letter.

A template with a field the builder does not know, a required field missing, a block field sharing
its paragraph, a field placed twice or an unclosed ``{{`` is refused with a message naming the
template and the field (:class:`TemplateError`).

Templates are looked up, first found wins, in:

1. ``<data folder>/letter_templates/<policy-id>/``  (a council's own, without touching the program)
2. ``<data folder>/letter_templates/``
3. the bundled ``letter_templates/<policy-id>/``
4. the bundled ``letter_templates/``

and in each folder ``<kind>-<outcome>.docx`` (e.g. ``outcome-settled.docx``), then ``<kind>.docx``
(e.g. ``decision.docx``), then ``letter.docx``, the one template every kind shares unless a more
specific one exists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from caseworker.domain.enums import LetterKind, Outcome
from caseworker.errors import UserError
from caseworker.letters.draft import SectionKey
from caseworker.resources import LETTER_TEMPLATES, bundled_dir

TEMPLATE_FOLDER = LETTER_TEMPLATES

INLINE_FIELDS: dict[str, str] = {
    "council": "the council's name, from the policy",
    "date": "the date of the letter, e.g. 3 March 2026",
    "reference": "the case reference, e.g. CW-2026-00042",
    "subject": "what the complaint is about (the Re: line)",
    "received": "the date the complaint, or the request for this stage, was received",
    "addressee": "the name and postal address of the person written to, one line each",
    "addressee_name": "the name of the person written to",
    "addressee_email": "the email address of the person written to",
    "salutation": "the words after Dear, e.g. Mrs Patel",
    "complainant_name": "the complainant's name (differs from the addressee when a "
    "representative or councillor is written to)",
    "signatory_name": "the officer signing the letter",
    "signatory_title": "the signing officer's job title",
    "signatory_email": "the signing officer's email address",
    "stage_number": "the stage number, e.g. 2",
    "formats_offer": "the offer of the letter in other formats, from the phrase book "
    "([footer.formats]; [footer.formats.large_print] on a letter already in large print)",
}

BODY = "body"

_SECTION_HELP = {
    SectionKey.OPENING: "the first line: thank you for your complaint, received on (date)",
    SectionKey.STAGE: "which stage of the procedure this letter is",
    SectionKey.APOLOGY: "the apology",
    SectionKey.UNDERSTANDING: "our understanding of the complaint",
    SectionKey.DECISION: "the plain statement of the outcome",
    SectionKey.STEPS: "the steps taken to investigate",
    SectionKey.EVIDENCE: "the information and evidence considered",
    SectionKey.ISSUES: "ISSUE 1, ISSUE 2 ...: each point, its finding and explanation",
    SectionKey.ACTIONS: "outstanding actions and when they will be done",
    SectionKey.CHANGES: "changes made so it does not happen again",
    SectionKey.SETTLEMENT: "the terms of a settlement",
    SectionKey.WITHDRAWAL: "confirmation of a withdrawal",
    SectionKey.EXTENSION: "the new date and the reason for it",
    SectionKey.MEETING: "what a meeting discussed and decided",
    SectionKey.DISCONTINUATION: "why the complaint has been discontinued",
    SectionKey.REFUSAL: "why the complaint is not taken on, and where it goes instead",
    SectionKey.ESCALATION: "the decision on a request for the next stage",
    SectionKey.ENQUIRY: "the answer to a Member/MP enquiry",
    SectionKey.ADJUSTMENTS: "reasonable adjustments agreed",
    SectionKey.NEXT_STEPS: "what happens now and when",
    SectionKey.CLOSING: "the closing paragraph",
    SectionKey.NEXT_STAGE: "how to go to the next stage, with the policy's contact details",
    SectionKey.OMBUDSMAN: "the right Ombudsman and their contact details",
}
BLOCK_FIELDS: dict[str, str] = {
    BODY: "every section of the letter the template does not place elsewhere, in order",
    **{key.value: _SECTION_HELP[key] for key in SectionKey},
}

ALL_FIELDS = {**INLINE_FIELDS, **BLOCK_FIELDS}
assert not set(INLINE_FIELDS) & set(BLOCK_FIELDS), "a field name must say which sort it is"

REQUIRED_FIELDS: frozenset[str] = frozenset(
    {"reference", "date", "addressee", "salutation", "subject", BODY}
)
"""Every template needs these: Appendix B's frame, and somewhere for the sections to go."""

REQUIRED_BY_KIND: dict[LetterKind, frozenset[str]] = {}
"""Fields a template for one kind needs beyond :data:`REQUIRED_FIELDS` (none at present: the date
the complaint was received is in the opening section, which the compliance check verifies)."""

FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
W_P = qn("w:p")
W_T = qn("w:t")


class TemplateError(UserError):
    """A template that cannot be used, with the template and the field named."""


@dataclass(frozen=True)
class FieldUse:
    name: str
    block: bool
    """True when the field stands alone in its paragraph."""
    paragraph: str
    """The paragraph's text, to say where the field is."""


@dataclass
class TemplateInfo:
    path: Path
    uses: list[FieldUse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {use.name for use in self.uses}


# -- where templates are -------------------------------------------------------------------


def bundled_template_dir() -> Path:
    """The templates shipped with the program (:func:`caseworker.resources.bundled_dir`: a
    wheel's or the desktop bundle's copy, else the repository's folder)."""
    return bundled_dir(TEMPLATE_FOLDER)


def user_template_dir() -> Path:
    """The folder in the user's data folder where a council keeps its own templates (on an
    offline copy, the copy's: :func:`~caseworker.storage.location.council_files_dir`)."""
    from caseworker.storage.location import council_files_dir

    return council_files_dir() / TEMPLATE_FOLDER


def search_dirs(policy_id: str, extra_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """The folders searched for a template, first match wins."""
    roots = [*extra_dirs, user_template_dir(), bundled_template_dir()]
    folders: list[Path] = []
    for root in roots:
        folders += [root / policy_id, root]
    return folders


GENERIC_TEMPLATE = "letter.docx"
"""The template every kind uses unless its folder has a more specific one."""


def template_names(kind: LetterKind, outcome: Outcome | None) -> list[str]:
    names = [f"{kind.value}-{outcome.value}.docx"] if outcome is not None else []
    return [*names, f"{kind.value}.docx", GENERIC_TEMPLATE]


def find_template(
    kind: LetterKind, outcome: Outcome | None, policy_id: str, extra_dirs: tuple[Path, ...] = ()
) -> Path:
    tried: list[Path] = []
    for folder in search_dirs(policy_id, extra_dirs):
        for name in template_names(kind, outcome):
            path = folder / name
            if path.is_file():
                return path
            tried.append(path)
    raise TemplateError(
        f"no template for {_a_letter(kind)}: looked for " + ", ".join(str(path) for path in tried)
    )


# -- reading a template's fields ----------------------------------------------------------


def xml_roots(document: object) -> Iterator[etree._Element]:
    """The XML of the body, every header and every footer of a python-docx document."""
    main = document.part  # type: ignore[attr-defined]
    yield main.element
    for rel in main.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if rel.reltype.endswith(("/header", "/footer")) and hasattr(part, "element"):
            yield part.element


def own_texts(paragraph: etree._Element) -> list[etree._Element]:
    """The ``w:t`` elements of ``paragraph`` itself (not of a text box nested inside it)."""
    return [t for t in paragraph.iter(W_T) if next(t.iterancestors(W_P), None) is paragraph]


def paragraph_fields(paragraph: etree._Element) -> tuple[str, list[re.Match[str]], str | None]:
    """The paragraph's text, its field matches, and a problem with its braces if any."""
    text = "".join(t.text or "" for t in own_texts(paragraph))
    if "{" not in text and "}" not in text:
        return text, [], None
    matches = list(FIELD.finditer(text))
    rest = FIELD.sub("", text)
    problem = None
    if "{{" in rest or "}}" in rest:
        problem = f"a field is not closed or not opened in the paragraph '{_short(text)}'"
    return text, matches, problem


def field_name(match: re.Match[str]) -> str:
    return match.group(1).strip()


def inspect_template(path: Path) -> TemplateInfo:
    """Every field the template uses and every problem with its braces or names.

    Remembered per file version (path, modification time, size): every letter would otherwise
    parse its template twice, and a template edited in Word is read afresh.
    """
    try:
        stat = path.stat()
    except OSError:
        return _inspect_template(path, 0, -1)
    return _inspect_template(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _inspect_template(path: Path, mtime_ns: int, size: int) -> TemplateInfo:
    info = TemplateInfo(path)
    try:
        document = Document(str(path))
    except Exception as error:  # a corrupt file, not a Word document, a locked file...
        info.problems.append(f"cannot be opened as a Word document ({error})")
        return info
    for root in xml_roots(document):
        for paragraph in root.iter(W_P):
            text, matches, problem = paragraph_fields(paragraph)
            if problem:
                info.problems.append(problem)
            for match in matches:
                name = field_name(match)
                alone = text.strip() == match.group(0) and len(matches) == 1
                info.uses.append(FieldUse(name, alone, _short(text)))
            info.problems += _foreign_fields(FIELD.sub("", text), text)
    return info


_MERGE_FIELD = re.compile(r"«([^»]{1,60})»")
_SINGLE_BRACE = re.compile(r"(?<!\{)\{\s*([A-Za-z_][\w ]{0,40}?)\s*\}(?!\})")


def _foreign_fields(rest: str, text: str) -> list[str]:
    """Fields Caseworker does not fill in, which would be printed as they stand: Word's
    mail-merge «fields» and fields in single braces."""
    problems = []
    for match in _MERGE_FIELD.finditer(rest):
        near = _suggest(match.group(1)) or match.group(1).strip().lower()
        problems.append(
            f"'«{match.group(1)}»' in '{_short(text)}' is a Word mail-merge field, which "
            f"Caseworker does not fill in: write '{{{{ {near} }}}}'"
        )
    for match in _SINGLE_BRACE.finditer(rest):
        near = _suggest(match.group(1)) or match.group(1).strip()
        problems.append(
            f"'{match.group(0)}' in '{_short(text)}' has single brackets: write "
            f"'{{{{ {near} }}}}' (two on each side)"
        )
    return problems


def validate_template(path: Path, kind: LetterKind) -> TemplateInfo:
    """Refuse ``path`` for ``kind`` with every problem named, or return what it uses."""
    info = inspect_template(path)
    problems = list(info.problems)
    counts: dict[str, int] = {}
    for use in info.uses:
        counts[use.name] = counts.get(use.name, 0) + 1
        if not _NAME.match(use.name) or use.name not in ALL_FIELDS:
            suggestion = _suggest(use.name)
            problems.append(
                f"unknown field '{{{{ {use.name} }}}}' in '{use.paragraph}'"
                + (f" (did you mean '{{{{ {suggestion} }}}}'?)" if suggestion else "")
            )
        elif use.name in BLOCK_FIELDS and not use.block:
            problems.append(
                f"field '{{{{ {use.name} }}}}' must be alone in its paragraph, "
                f"but the paragraph reads '{use.paragraph}'"
            )
    for name, count in counts.items():
        if name in BLOCK_FIELDS and count > 1:
            problems.append(f"field '{{{{ {name} }}}}' appears {count} times; it may appear once")
    for name in sorted(REQUIRED_FIELDS | REQUIRED_BY_KIND.get(kind, frozenset())):
        if name not in counts:
            problems.append(f"required field '{{{{ {name} }}}}' is missing ({ALL_FIELDS[name]})")
    if problems:
        raise TemplateError(
            f"template {path} cannot be used for {_a_letter(kind)}:\n  " + "\n  ".join(problems)
        )
    return info


def validate_all(policy_ids: list[str], extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Check every template any of these policies would use; the problems, one per template."""
    problems: list[str] = []
    seen: set[Path] = set()
    for policy_id in policy_ids:
        for kind in LetterKind:
            for outcome in [None, *Outcome]:
                try:
                    path = find_template(kind, outcome, policy_id, extra_dirs)
                except TemplateError as error:
                    if outcome is None:
                        problems.append(str(error))
                    continue
                if path in seen:
                    continue
                seen.add(path)
                try:
                    validate_template(path, kind)
                except TemplateError as error:
                    problems.append(str(error))
    return problems


def _a_letter(kind: LetterKind) -> str:
    """'an outcome letter', 'a decision letter'."""
    return f"{'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value} letter"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(name: str) -> str | None:
    import difflib

    lowered = name.strip().lower().replace(" ", "_").replace("-", "_")
    if lowered in ALL_FIELDS:
        return lowered
    close = difflib.get_close_matches(lowered, list(ALL_FIELDS), n=1)
    return close[0] if close else None
