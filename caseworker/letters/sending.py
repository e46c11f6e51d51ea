"""A letter whose checks fail is kept as evidence, or sent, only with the officer's reason.

:func:`why_not_keep` is the one rule for both: the app's Save and ``caseworker letter --record``
(kept), and "Response sent" on the Progress tab and emailing a kept letter (sent). The reason is
kept with the letter (``kept_despite`` in its draft; ``letters.sent_despite``), so the audit
trail holds it. A letter kept with a reason may be sent on that reason while nothing new fails.
"""

from __future__ import annotations

from caseworker.domain.refusals import LetterChecksFail
from caseworker.policy.schema import Policy
from caseworker.storage.models import Case, Letter


def why_not_keep(gaps: list[str] | tuple[str, ...], despite: str, doing: str = "kept") -> str:
    """Why a letter with these failing checks cannot be ``doing`` ("kept", "sent"): its checks
    fail and the officer has not said why. Empty when it can."""
    if not gaps or despite.strip():
        return ""
    first = gaps[0]
    more = f" (and {len(gaps) - 1} more)" if len(gaps) > 1 else ""
    return (
        f"the letter's checks fail: {first}{more}. Put it right, or record why the letter is "
        f"{doing} as it is"
    )


def kept_letter_gaps(letter: Letter, case: Case, policy: Policy) -> list[str]:
    """The checks' gaps of a kept letter: its draft checked against the case as it is now
    (none when its draft was not kept)."""
    from caseworker.letters.checks import check_letter
    from caseworker.letters.draft import LetterDraft

    if not letter.draft:
        return []
    draft = LetterDraft.from_dict(letter.draft)
    return [gap.message for gap in check_letter(draft, case, policy)]


def mark_sent_reason(letter: Letter, case: Case, policy: Policy, despite: str = "") -> str:
    """The reason a letter goes out despite its failing checks: ``despite``, else the reason it
    was kept for when nothing has failed since; empty when its checks pass. Raises
    :class:`LetterChecksFail` when its checks fail and there is no reason (nothing is sent)."""
    gaps = kept_letter_gaps(letter, case, policy)
    if not gaps:
        return ""
    given = " ".join(despite.split())
    if given:
        return given
    kept = (letter.draft or {}).get("kept_despite") or {}
    if kept.get("reason") and set(gaps) <= set(kept.get("gaps") or []):
        return str(kept["reason"])
    raise LetterChecksFail(why_not_keep(gaps, "", "sent"), tuple(gaps))
