"""The pieces of a letter for a stored case: build it, and add it to the case.

Each takes a unit of work and commits nothing: what a person does with letters (preview one, keep
one on the case) is :mod:`caseworker.services.letters`, which authorises the acting officer and
commits, so the stored document and its audit entry are written together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseworker.domain.enums import LetterKind
from caseworker.errors import UserError
from caseworker.letters.builder import build_draft
from caseworker.letters.checks import Gap, check_letter
from caseworker.letters.draft import LetterDraft
from caseworker.letters.plain import PlainEnglish, plain_english
from caseworker.policy.schema import Policy
from caseworker.services.uow import UnitOfWork
from caseworker.storage.models import Case, Issue, Letter

PolicyLookup = Callable[[str], Policy]


def installed_policy(policy_id: str) -> Policy:
    """The policy with this id: the bundled ones and the council's own folder."""
    from caseworker.policy.loader import get_policy, user_policy_dir

    return get_policy(policy_id, [user_policy_dir()])


@dataclass
class BuiltLetter:
    case: Case
    policy: Policy
    draft: LetterDraft
    gaps: list[Gap]
    plain: PlainEnglish
    content: bytes | None = None

    def filename(self) -> str:
        return letter_filename(self.draft)


def letter_filename(draft: LetterDraft) -> str:
    outcome = f"-{draft.outcome.value}" if draft.outcome else ""
    return (
        f"{draft.reference}-stage{draft.stage}-{draft.kind.value}{outcome}-"
        f"{draft.date.isoformat()}.docx"
    )


def load_case(uow: UnitOfWork, reference: str) -> Case:
    case = uow.session.scalars(
        select(Case)
        .where(Case.reference == reference.strip())
        .options(
            selectinload(Case.complainant),
            selectinload(Case.representative),
            selectinload(Case.officer),
            selectinload(Case.issues).selectinload(Issue.notes),
            selectinload(Case.extensions),
            selectinload(Case.interviews),
            selectinload(Case.contact_attempts),
            selectinload(Case.subjects),
        )
    ).one_or_none()
    if case is None:
        raise UserError(f"no case with reference '{reference}'")
    return case


def build_letter(
    uow: UnitOfWork,
    reference: str,
    kind: LetterKind | None = None,
    stage: int | None = None,
    *,
    date: dt.date | None = None,
    render: bool = True,
    template: Path | None = None,
    policy_lookup: PolicyLookup = installed_policy,
) -> BuiltLetter:
    """The draft of a letter for the stored case ``reference``, checked, and (``render``) the
    Word document made from it."""
    case = load_case(uow, reference)
    policy = policy_lookup(case.policy_id)
    draft = build_draft(case, policy, kind, stage, date=date)
    built = BuiltLetter(
        case, policy, draft, check_letter(draft, case, policy), plain_english(draft)
    )
    if render:
        # python-docx and lxml (about 70 ms) when a letter is written, not when a case window,
        # which builds and checks drafts, opens (caseworker.letters.fields)
        from caseworker.letters.render import render_letter

        built.content = render_letter(draft, template)
    return built


def record_letter(
    uow: UnitOfWork,
    case: Case,
    draft: LetterDraft,
    content: bytes,
    kept_despite: dict[str, object] | None = None,
) -> Letter:
    """Add the document to its case as evidence (kind, stage, outcome, who made it, the draft,
    and ``kept_despite``: the failing checks and the officer's reason for keeping it anyway);
    the caller commits, and the audit trail records the new letter in the same transaction."""
    letter = Letter(
        kind=draft.kind,
        stage=draft.stage,
        outcome=draft.outcome,
        filename=letter_filename(draft),
        content=content,
        draft={**draft.to_dict(), **({"kept_despite": kept_despite} if kept_despite else {})},
        created_by=uow.actor,
        formats="; ".join(draft.formats),
    )
    case.letters.append(letter)
    uow.session.flush()
    return letter
