"""Email text pasted as the complainant's points, tidied of what is not theirs to say.

An officer pastes an email into the new-case form's points, and with it come the quoted earlier
messages ("> …", "On 3 May, X wrote:", "-----Original Message-----", Outlook's From/Sent/To
block), the signature ("-- ", "Kind regards" and the lines of name and phone after it) and
"Sent from my iPhone". :func:`tidy_pasted` takes those out and says which lines it took, so the
form can show the officer what went and put the original back (nothing is lost): the same
function for the form, the mail-to-case dialog and any other way in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENT_FROM = re.compile(
    r"^\s*(sent from (my )?(iphone|ipad|android|samsung|galaxy|mobile|phone|outlook|mail for "
    r"windows|yahoo mail|blackberry)|sent from outlook|get outlook for (ios|android))\b",
    re.I,
)
_ON_WROTE = re.compile(r"^\s*on\b.{3,200}\bwrote:\s*$", re.I)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|forwarded message|begin forwarded message)\b", re.I
)
_HEADER = re.compile(r"^\s*(from|sent|to|cc|date|subject):\s", re.I)
_SIGN_OFF = re.compile(
    r"^\s*(kind|best|warm|many)?\s*(regards|wishes|thanks|thank you)[,.!]?\s*$"
    r"|^\s*(yours\s+(sincerely|faithfully|truly)|cheers|best|thanks|many thanks|regards)[,.!]?\s*$",
    re.I,
)
_SIGNATURE_LINES = 6
"""A sign-off is a signature only when at most this many short lines follow it."""


@dataclass(frozen=True)
class Tidied:
    text: str
    """The text without quoted lines, signature and "Sent from my…" lines."""
    removed: tuple[str, ...]
    """The lines taken out, in order (empty when nothing was)."""

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    def summary(self) -> str:
        """What was taken out, for the officer: "Took out 3 lines: quoted email, …"."""
        if not self.removed:
            return ""
        count = len([line for line in self.removed if line.strip()])
        kinds = []
        if any(line.lstrip().startswith(">") or _ON_WROTE.match(line) for line in self.removed):
            kinds.append("quoted email")
        if any(_ORIGINAL.match(line) or _HEADER.match(line) for line in self.removed):
            kinds.append("an earlier message")
        if any(_SIGN_OFF.match(line) or line.strip() in ("--", "-- ") for line in self.removed):
            kinds.append("a signature")
        if any(_SENT_FROM.match(line) for line in self.removed):
            kinds.append("“Sent from my…”")
        what = ", ".join(kinds) or "email furniture"
        return f"Took out {count} line{'s' if count != 1 else ''} of {what}."


def _is_header_block(lines: list[str], i: int) -> bool:
    """An Outlook reply header: From: then Sent:/Date:/To: on the next lines."""
    if not re.match(r"^\s*from:\s", lines[i], re.I):
        return False
    following = lines[i + 1 : i + 4]
    return any(re.match(r"^\s*(sent|date|to):\s", line, re.I) for line in following)


def tidy_pasted(text: str) -> Tidied:
    """``text`` without what an email client added: see the module's description."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    removed: list[str] = []
    for i, line in enumerate(lines):
        bare = line.strip()
        # An earlier message starts here: it and everything after are not the complainant's.
        if _ORIGINAL.match(line) or _ON_WROTE.match(line) or _is_header_block(lines, i):
            removed += lines[i:]
            break
        if line.rstrip() in ("--", "-- ", "—"):
            removed += lines[i:]
            break
        if _SIGN_OFF.match(line):
            after = [rest for rest in lines[i + 1 :] if rest.strip()]
            if len(after) <= _SIGNATURE_LINES and all(len(rest) <= 60 for rest in after):
                removed += lines[i:]
                break
        if bare.startswith(">") or _SENT_FROM.match(line):
            removed.append(line)
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    tidied = re.sub(r"\n{3,}", "\n\n", "\n".join(kept))
    return Tidied(tidied, tuple(line for line in removed if line.strip()))
