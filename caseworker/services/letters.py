"""Letters from the case file: a preview of the text with its checks, saving it as a Word
document kept on the case, and writing a stored one out to open in a word processor.

The letter is built from what is stored on the case (the issues, findings, understanding, steps
taken...) by :mod:`caseworker.letters`; the officer improves it by improving the case, which is
saved as they type, so no letter text exists only on the screen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from caseworker.domain.enums import LetterKind
from caseworker.domain.refusals import LetterChecksFail, Refused
from caseworker.errors import UserError
from caseworker.letters.draft import LetterDraft
from caseworker.letters.sending import why_not_keep
from caseworker.letters.service import BuiltLetter, build_letter, record_letter
from caseworker.services.context import Context
from caseworker.services.permissions import Action, authorise, check
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Letter

KIND_LABELS = {
    LetterKind.ACKNOWLEDGEMENT: "Acknowledgement",
    LetterKind.OUTCOME: "Outcome (stage 1 response)",
    LetterKind.DECISION: "Decision (stage 2 response)",
    LetterKind.REFUSAL: "Refusal (not taken on)",
    LetterKind.EXTENSION: "Extension: the response will be late",
    LetterKind.MEETING: "Confirming a meeting",
    LetterKind.WITHDRAWAL: "Confirming a withdrawal",
    LetterKind.DISCONTINUATION: "Discontinuing the complaint",
    LetterKind.ESCALATION_ACCEPTED: "Next stage accepted",
    LetterKind.ESCALATION_REFUSED: "Next stage refused",
    LetterKind.MEMBER_REPLY: "Reply to a councillor or MP",
}


@dataclass(frozen=True)
class LetterPreview:
    kind: LetterKind
    stage: int
    filename: str
    text: str
    """The letter's paragraphs as the Word document will hold them."""
    gaps: tuple[str, ...]
    """What Appendix A or the policy requires that the letter still lacks."""
    score: float | None
    verdict: str
    words: int
    sentences: int
    advice: tuple[str, ...]
    reference: str = ""
    addressee: str = ""
    """Who the letter is to (the complainant, their representative, the Member/MP)."""
    content: bytes = b""
    """The Word document."""
    notes: tuple[str, ...] = ()
    """What the officer should know about the document (large print; a format to arrange)."""


@dataclass(frozen=True)
class SavedLetter:
    id: int
    filename: str
    letter: LetterPreview | None = None
    """The letter as it was kept (its document in ``letter.content``)."""


AFTER_CLOSURE_LETTERS = {
    LetterKind.ESCALATION_ACCEPTED: Action.DECIDE_ESCALATION,
    LetterKind.ESCALATION_REFUSED: Action.DECIDE_ESCALATION,
}
"""Letters that answer a request for the next stage, often made after the case closed: whoever
decides that request sends them. Every other letter is working on the case."""


def letter_action(kind: LetterKind) -> Action:
    """What saving a letter of ``kind`` does to its case, for the permission check."""
    return AFTER_CLOSURE_LETTERS.get(kind, Action.WORK)


def case_with_reference(ctx: Context, reference: str) -> int:
    """The id of the case with this reference (the ``caseworker letter`` command names cases by
    reference); what it holds is shown only through the functions below, which authorise."""
    with ctx.unit() as uow:
        case_id = uow.session.scalar(select(Case.id).where(Case.reference == reference.strip()))
    if case_id is None:
        raise UserError(f"no case with reference '{reference}'")
    return case_id


def _reference(uow: UnitOfWork, case_id: int) -> str:
    """The case's reference, once the person at the keyboard may read it."""
    _, case = authorise(uow, case_id, Action.VIEW)
    return case.reference


def letter_text(content: bytes) -> str:
    """A Word letter's text: a blank line between paragraphs (lines broken inside one, like the
    address, stay together)."""
    from caseworker.letters.render import document_text  # python-docx: when a letter is read

    paragraphs = [line.rstrip() for line in document_text(content) if line.strip()]
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(paragraphs)).strip()


def _build(
    ctx: Context,
    uow: UnitOfWork,
    case_id: int,
    kind: LetterKind | None,
    stage: int | None,
    date: dt.date | None,
    template: Path | None,
) -> BuiltLetter:
    built = build_letter(
        uow,
        _reference(uow, case_id),
        kind,
        stage,
        date=date or ctx.today(),
        template=template,
        policy_lookup=ctx.policy,
    )
    assert built.content is not None
    return built


def _preview(built: BuiltLetter) -> LetterPreview:
    assert built.content is not None
    plain = built.plain
    return LetterPreview(
        kind=built.draft.kind,
        stage=built.draft.stage,
        filename=built.filename(),
        text=letter_text(built.content),
        gaps=tuple(str(gap) for gap in built.gaps),
        score=plain.score,
        verdict=plain.verdict,
        words=plain.words,
        sentences=plain.sentences,
        advice=tuple(str(advice) for advice in plain.advice),
        reference=built.draft.reference,
        addressee=built.draft.addressee.name,
        content=built.content,
        notes=format_notes(built.draft),
    )


def format_notes(draft: LetterDraft) -> tuple[str, ...]:
    """The agreed formats, as the officer is told of them beside the letter's checks."""
    notes = []
    if draft.large_print:
        notes.append("Set in large print (16pt, headings 18pt), as agreed with the complainant.")
    for name in draft.formats:
        notes.append(
            f"The complainant asked for letters in {name}: arrange it as well "
            "(Caseworker makes only the printed letter)."
        )
    return tuple(notes)


def preview_letter(
    ctx: Context,
    case_id: int,
    kind: LetterKind | None = None,
    *,
    stage: int | None = None,
    date: dt.date | None = None,
    template: Path | None = None,
) -> LetterPreview:
    """The letter ``kind`` (by default the one the case needs now) as it would be saved on
    ``date`` (by default today), with its checks, to an officer who may see the case."""
    with ctx.unit() as uow:
        return _preview(_build(ctx, uow, case_id, kind, stage, date, template))


@dataclass(frozen=True)
class KindChoice:
    kind: LetterKind
    label: str
    why_not: str
    """Why the case cannot have this letter now; empty when it can."""


def letter_kinds(ctx: Context, case_id: int) -> list[KindChoice]:
    """Every kind of letter, each with the reason the case cannot have it yet (the app shows
    them all and lets the officer choose only those without a reason)."""
    from caseworker.letters.service import load_case

    with ctx.unit() as uow:
        case = load_case(uow, _reference(uow, case_id))
        policy = ctx.policy(case.policy_id)
        return [
            KindChoice(kind, label, _safe_why_not(case, policy, kind))
            for kind, label in KIND_LABELS.items()
        ]


def _safe_why_not(case: Case, policy: object, kind: LetterKind) -> str:
    from caseworker.letters.preconditions import why_not

    try:
        return why_not(case, policy, kind)  # type: ignore[arg-type]
    except (KeyError, UserError) as error:
        return str(error)


def why_not_record(gaps: tuple[str, ...] | list[str], despite: str) -> str:
    """Why a letter cannot be kept as evidence: its checks fail and the officer has not said
    why it is to be kept all the same. Empty when it can (the rule:
    :func:`caseworker.letters.sending.why_not_keep`)."""
    return why_not_keep(gaps, despite, "kept")


def save_letter(
    ctx: Context,
    case_id: int,
    kind: LetterKind | None = None,
    *,
    stage: int | None = None,
    date: dt.date | None = None,
    template: Path | None = None,
    despite: str = "",
) -> SavedLetter:
    """Make the Word document and keep it on the case (with its draft, as evidence): the app's
    Save and ``caseworker letter --record``. Keeping a letter is working on the case (a letter
    answering a request for the next stage: deciding it). A letter whose checks fail is kept
    only with the officer's reason (``despite``), which is kept with it and audited."""
    with ctx.unit() as uow:
        # The letter the case needs now is never an answer to a request for the next stage.
        officer, _ = authorise(uow, case_id, letter_action(kind) if kind else Action.WORK)
        built = _build(ctx, uow, case_id, kind, stage, date, template)
        check(officer, letter_action(built.draft.kind), built.case)
        gaps = [str(gap) for gap in built.gaps]
        reason = why_not_record(gaps, despite)
        if reason:
            raise LetterChecksFail(reason, tuple(gaps))
        kept: dict[str, object] | None = (
            {"reason": " ".join(despite.split()), "gaps": gaps} if gaps else None
        )
        letter = record_letter(uow, built.case, built.draft, built.content or b"", kept)
        uow.commit()
        return SavedLetter(letter.id, letter.filename, _preview(built))


def why_not_arrange(formats: str, arranged: dt.date | None) -> str:
    """Why a kept letter's copies in other formats cannot be recorded as arranged now (the
    Letters tab greys its button with it); empty when they can."""
    if not formats.strip():
        return "the complainant asked for no other format when this letter was kept"
    if arranged is not None:
        return f"its copies ({formats}) were recorded as arranged on {arranged.isoformat()}"
    return ""


def record_formats_arranged(ctx: Context, letter_id: int, *, on: dt.date | None = None) -> None:
    """Record that a kept letter's copies in the formats the complainant asked for (Braille,
    audio, another language…) are arranged: its line leaves Today. Working on the case; audited."""
    with ctx.unit() as uow:
        letter = uow.session.get(Letter, letter_id)
        if letter is None:
            raise Refused(f"there is no stored letter with id {letter_id}")
        authorise(uow, letter.case_id, letter_action(letter.kind))
        why = why_not_arrange(letter.formats, letter.formats_arranged)
        if why:
            raise Refused(why)
        letter.formats_arranged = on or ctx.today()
        uow.commit()


def export_letter(ctx: Context, letter_id: int, folder: Path | None = None) -> Path:
    """Write a stored letter to ``folder`` (by default ``letters`` in the data folder) to open
    in a word processor; the file's path. An existing file of that name is replaced."""
    with ctx.unit() as uow:
        letter = uow.session.get(Letter, letter_id)
        if letter is None or letter.content is None:
            raise Refused(f"there is no stored letter with id {letter_id}")
        authorise(uow, letter.case_id, Action.VIEW)
        content, filename = letter.content, letter.filename
    if folder is None:
        from caseworker.storage.database import data_dir

        folder = data_dir() / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(filename or f"letter-{letter_id}.docx").name
    path = folder / name
    path.write_bytes(content)
    return path
