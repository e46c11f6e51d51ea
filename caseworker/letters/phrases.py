"""The council's wording: every sentence a letter says, read from phrase books beside the templates.

A phrase book is a plain text file, ``phrases.txt``, that a complaints manager edits in Notepad::

    # a note, never printed
    [apology.upheld]
    I am sorry that the Council did not provide the service it should have ...

Each phrase runs from its ``[name]`` to the next; a blank line inside one starts a new paragraph.
Fields in double braces (``{{ complaint }}``) are filled in from the case; a field written with a
capital (``{{ Complaint }}``) is filled in with a capital.

The shared book is ``letter_templates/phrases.txt``; a council's own is
``letter_templates/<policy-id>/phrases.txt`` and needs to hold only the phrases it changes. The
folders are those of the templates (:func:`caseworker.letters.templates.search_dirs`): the data
folder's before the bundled ones, a council's folder before the shared one; for each phrase the
first book that has it wins.

A book is refused, by file, line, phrase and why, when it names a phrase Caseworker does not know,
uses a field the phrase cannot have (with the nearest right name), holds a Word-style ``«field»``
or a single-brace ``{field}``, leaves a ``{{`` open, says a phrase twice, or no longer says what
Stockport's Appendix A requires of that phrase (an apology that does not say sorry, an upheld
statement that does not say upheld). A letter is never made from a refused book.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from caseworker.errors import UserError

PHRASE_FILE = "phrases.txt"

COMMON_FIELDS: dict[str, str] = {
    "complaint": "“your complaint”, or “the complaint” when writing to someone else",
    "complaint_first": "“your complaint”, or “the complaint you made on behalf of Mrs Patel”",
    "you": "“you”, or the complainant's name when writing to someone else",
    "you_have": "“you have”, or “Mrs Patel has”",
    "you_feel": "“you feel”, or “Mrs Patel feels”",
    "if_unhappy": "“If you are still unhappy”, or “If you or Mrs Patel are still unhappy”",
    "name": "the complainant's name, e.g. Mrs Patel",
    "council": "the council's name, from the policy",
    "stage": "the stage of the complaints procedure this letter is about, e.g. 2",
    "received": "the date the complaint, or the request for this stage, was received",
    "subject": "what the complaint is about, as it reads after “your complaint about”",
    "date": "the date of the letter",
}
"""Fields every phrase may use."""


@dataclass(frozen=True)
class Rule:
    """What Appendix A (or a council's policy) requires a phrase to keep saying."""

    pattern: re.Pattern[str]
    why: str


def _rule(pattern: str, why: str) -> Rule:
    return Rule(re.compile(pattern, re.I | re.S), why)


_SORRY = r"\bsorry\b|\bapologi[sz]e"
_UPHELD = r"(?<!not )(?<!partially )(?<!partly )\bupheld\b"
_PARTLY_UPHELD = r"\b(partially|partly)\s+upheld\b|\bupheld\s+(part|some)\b"
_NOT_UPHELD = r"\bnot\s+(been\s+)?upheld\b|\bnot\s+to\s+uphold\b"

EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "late": ("due",),
    "late.extended": ("new_date", "reason", "due"),
    "next_steps.handler": ("handler",),
    "next_steps.by": ("due",),
    "next_steps.within": ("days",),
    "next_steps.late": ("due",),
    "extension.new_date": ("new_date",),
    "meeting.opening": ("held",),
    "discontinuation.decided": ("decided_by",),
    "discontinuation.reopen_by": ("authorised_by",),
    "withdrawal.thanks": ("told",),
    "escalation.thanks": ("asked",),
    "escalation.accepted": ("handler",),
    "member.formal_complaint": ("contact",),
    "next_stage": ("contact", "number"),
    "next_stage.after_withdrawal": ("contact", "number"),
    "next_stage.within": ("window",),
    "tenants_panel": ("number",),
    "ombudsman.final": ("ombudsman",),
    "ombudsman.refused": ("ombudsman",),
    "ombudsman.closed": ("ombudsman",),
    "ombudsman.not_taken_on": ("ombudsman",),
    "ombudsman.extension": ("ombudsman",),
    "ombudsman.any_time": ("ombudsman",),
    "issue.heading": ("issue_number",),
    "issue.to_do": ("by_when",),
    "issue.done": ("done_on",),
}
"""Fields only some phrases may use (what they mean is in the README's table)."""

FIELD_HELP: dict[str, str] = {
    **COMMON_FIELDS,
    "due": "the date we said we would reply by",
    "new_date": "the new date given in an extension",
    "reason": "the reason recorded for an extension",
    "handler": "who looks into the complaint at this stage, from the policy",
    "days": "the working days the policy gives for a response",
    "held": "the date of the meeting",
    "decided_by": "who decided to discontinue (from the policy), e.g. “a Service Manager has”",
    "authorised_by": "who decides on reopening, from the policy",
    "told": "“ on 3 March 2026 by email”: when and how the complainant told us",
    "asked": "“ of 3 March 2026”: the date of the request, when recorded",
    "contact": "who to contact, e.g. the Corporate Complaints Manager",
    "number": "the number of the next stage",
    "window": "how long they have to ask, e.g. 20 working days",
    "ombudsman": "the right Ombudsman, e.g. the Local Government and Social Care Ombudsman",
    "issue_number": "the issue's number in the letter: 1, 2…",
    "by_when": "“ (by 30 April 2026)”: when an action is due, or nothing where its own words say",
    "done_on": "the date an action was recorded as done",
}

RULES: dict[str, Rule] = {
    "apology.upheld": _rule(_SORRY, "Appendix A: an upheld letter apologises"),
    "apology.partially-upheld": _rule(_SORRY, "Appendix A: a partially upheld letter apologises"),
    "apology.not-upheld": _rule(
        _SORRY, "Appendix A: a not upheld letter says sorry for how the complainant feels"
    ),
    "decision.upheld": _rule(
        _UPHELD, "Appendix A: the letter says plainly that the complaint is upheld"
    ),
    "decision.partially-upheld": _rule(
        _PARTLY_UPHELD,
        "Appendix A: the letter says plainly that the complaint is partially upheld",
    ),
    "decision.not-upheld": _rule(
        _NOT_UPHELD,
        "Appendix A: the letter says plainly that the complaint is not upheld",
    ),
    "issue.upheld": _rule(_UPHELD, "Appendix A: each issue says plainly that it is upheld"),
    "issue.partially-upheld": _rule(
        _PARTLY_UPHELD,
        "Appendix A: each issue says plainly that it is partially upheld",
    ),
    "issue.not-upheld": _rule(
        _NOT_UPHELD,
        "Appendix A: each issue says plainly that it is not upheld",
    ),
    "footer.formats.large_print": _rule(
        r"^(?!.*\blarge[\s-]*print\b)",
        "the letter is already in large print: the footer does not offer it again",
    ),
    "refusal.decided": _rule(
        r"\b(cannot|can ?not|will not|won't|unable|not able)\b",
        "Stoke: the refusal letter says plainly that the complaint is not taken on",
    ),
    "withdrawal.misunderstood": _rule(
        r"misunderst",
        "the withdrawal letter asks to be told at once if we misunderstood (Warwickshire 8)",
    ),
}
"""The statements a phrase must keep making, whatever the council's wording."""

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "next_stage": ("contact", "number"),
    "next_stage.after_withdrawal": ("contact", "number"),
    "member.formal_complaint": ("contact",),
    "extension.new_date": ("new_date",),
    "ombudsman.final": ("ombudsman",),
    "ombudsman.refused": ("ombudsman",),
    "ombudsman.closed": ("ombudsman",),
    "ombudsman.not_taken_on": ("ombudsman",),
    "ombudsman.extension": ("ombudsman",),
    "ombudsman.any_time": ("ombudsman",),
    "opening.complaint": ("received",),
    "opening.stage_request": ("received",),
    "late": ("due",),
    "late.extended": ("new_date",),
    "next_steps.by": ("due",),
    "issue.heading": ("issue_number",),
}
"""Fields a phrase must keep: the date the complaint was received, the new date, the contact."""

MAY_BE_EMPTY = frozenset(
    {
        "discontinuation.reopen_by",
        "understanding.misunderstood_or_more",
        "footer.formats",
        "footer.formats.large_print",
    }
)
"""Phrases a council may blank out (the sentence is then left out)."""

_FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
_HEADER = re.compile(r"^\[\s*([^\]]*?)\s*\]\s*$")


@dataclass(frozen=True)
class Phrase:
    key: str
    text: str
    path: Path
    line: int


@dataclass
class PhraseBook:
    phrases: dict[str, Phrase] = field(default_factory=dict)

    def say(self, key: str, **values: object) -> str:
        """The phrase ``key`` with its fields filled in; a blank line between paragraphs."""
        phrase = self.phrases.get(key)
        if phrase is None:
            raise UserError(f"no phrase [{key}] in any phrase book ({PHRASE_FILE})")

        def fill(match: re.Match[str]) -> str:
            name = match.group(1).strip()
            value = str(values.get(name.lower(), ""))
            return value[:1].upper() + value[1:] if name[:1].isupper() else value

        return _FIELD.sub(fill, phrase.text).strip()


class PhraseError(UserError):
    """A phrase book that cannot be used, with every problem found."""


def known_keys() -> set[str]:
    """Every phrase a letter uses: the names in the bundled shared book."""
    return set(_parse(bundled_phrase_file())[0])


def bundled_phrase_file() -> Path:
    from caseworker.letters.templates import bundled_template_dir

    return bundled_template_dir() / PHRASE_FILE


def phrase_files(policy_id: str, extra_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """The books for a policy's letters, first to win first."""
    from caseworker.letters.templates import search_dirs

    return [folder / PHRASE_FILE for folder in search_dirs(policy_id, extra_dirs)]


def phrase_book(policy_id: str, extra_dirs: tuple[Path, ...] = ()) -> PhraseBook:
    """The phrases for ``policy_id``'s letters; :class:`PhraseError` when a book is refused."""
    files = [path for path in phrase_files(policy_id, extra_dirs) if path.is_file()]
    stamps = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    return _book(stamps)


@functools.lru_cache(maxsize=32)
def _book(stamps: tuple[tuple[Path, int, int], ...]) -> PhraseBook:
    known = known_keys()
    problems: list[str] = []
    book = PhraseBook()
    for path, _, _ in stamps:
        phrases, found = _parse(path)
        problems += found
        for key, phrase in phrases.items():
            problems += _validate(phrase, known)
            book.phrases.setdefault(key, phrase)
    missing = sorted(known - set(book.phrases))
    problems += [f"[{key}] is in no phrase book: put it back in {PHRASE_FILE}" for key in missing]
    if problems:
        raise PhraseError("the letter wording cannot be used:\n  " + "\n  ".join(problems))
    return book


def validate_books(policy_ids: list[str], extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Every problem in the books these policies' letters would use, one line each."""
    problems: list[str] = []
    for policy_id in policy_ids:
        try:
            phrase_book(policy_id, extra_dirs)
        except PhraseError as error:
            for line in str(error).splitlines()[1:]:
                if line.strip() and line.strip() not in problems:
                    problems.append(line.strip())
    return problems


def _parse(path: Path) -> tuple[dict[str, Phrase], list[str]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"{path}: cannot be read ({error})"]
    phrases: dict[str, Phrase] = {}
    problems: list[str] = []
    key, start = "", 0
    body: list[str] = []

    def close() -> None:
        if not key:
            return
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(body)).strip()
        # Lines of one paragraph join with a space; a blank line keeps the paragraphs apart.
        text = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
        if key in phrases:
            problems.append(
                f"{path}, line {start}: [{key}] is given twice "
                f"(first at line {phrases[key].line}): keep one"
            )
        phrases[key] = Phrase(key, text, path, start)

    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        header = _HEADER.match(line.strip())
        if header:
            close()
            key, start, body = header.group(1), number, []
            continue
        if not key:
            if line.strip():
                problems.append(
                    f"{path}, line {number}: text before the first phrase name "
                    "(start a phrase with its name in square brackets, e.g. [apology.upheld])"
                )
            continue
        body.append(line)
    close()
    return phrases, problems


def _validate(phrase: Phrase, known: set[str]) -> list[str]:
    where = f"{phrase.path}, line {phrase.line}: [{phrase.key}]"
    if phrase.key not in known:
        close = difflib.get_close_matches(phrase.key, sorted(known), n=1)
        hint = f" (did you mean [{close[0]}]?)" if close else ""
        return [f"{where} is not a phrase Caseworker uses{hint}"]
    problems: list[str] = []
    text = phrase.text
    allowed = set(COMMON_FIELDS) | set(EXTRA_FIELDS.get(phrase.key, ()))
    used: set[str] = set()
    for match in _FIELD.finditer(text):
        raw = match.group(1).strip()
        name = raw.lower() if raw[:1].isupper() and raw[1:].islower() else raw
        if name in allowed:
            used.add(name)
            continue
        near = _nearest(name, allowed)
        hint = f": did you mean {{{{ {near} }}}}?" if near else ""
        if name.lower() in FIELD_HELP and name.lower() not in allowed:
            hint = f": this phrase cannot use it (it may use {', '.join(sorted(allowed))})"
        problems.append(f"{where}: unknown field {{{{ {raw} }}}}{hint}")
    rest = _FIELD.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append(f"{where}: a field's brackets are not closed ({{{{ without }}}})")
    for word in re.findall(r"«([^»]*)»", rest):
        problems.append(
            f"{where}: «{word}» is a Word mail-merge field, which Caseworker does not fill in: "
            f"write {{{{ {_nearest(word, allowed) or word.strip().lower()} }}}}"
        )
    for word in re.findall(r"(?<!\{)\{([^{}]*)\}(?!\})", rest):
        problems.append(
            f"{where}: {{{word}}} has single brackets: write {{{{ {word.strip()} }}}} "
            "(two on each side)"
        )
    if not text.strip():
        if phrase.key not in MAY_BE_EMPTY:
            problems.append(f"{where} is empty: every letter that uses it needs these words")
        return problems
    for name in REQUIRED_FIELDS.get(phrase.key, ()):
        if name not in used:
            problems.append(
                f"{where} must keep {{{{ {name} }}}} ({FIELD_HELP.get(name, name)}): "
                "the letter is incomplete without it"
            )
    rule = RULES.get(phrase.key)
    if rule is not None and not rule.pattern.search(_FIELD.sub("", text)):
        problems.append(f"{where} no longer says what it must: {rule.why}")
    return problems


def _nearest(name: str, allowed: set[str]) -> str | None:
    lowered = name.strip().lower().replace(" ", "_").replace("-", "_")
    if lowered in allowed:
        return lowered
    near = difflib.get_close_matches(lowered, sorted(allowed), n=1)
    return near[0] if near else None
