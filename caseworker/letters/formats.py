"""The formats a complainant asked for: large print (which Caseworker sets) and the others
(Braille, audio, Easy Read, another language), each a copy of every letter for the officer to
arrange, shown on the case and in Today until recorded as arranged. Light: no Word, no database.
"""

from __future__ import annotations

import re

from caseworker.letters.text import clean
from caseworker.storage.models import Case

_LARGE_PRINT = re.compile(r"large[\s-]*print|\b(1[6-9]|[2-9]\d)\s*-?\s*(pt|point)\b", re.I)
_OTHER_FORMATS = {
    "Braille": re.compile(r"\bbraille\b", re.I),
    "audio": re.compile(r"\baudio\b|\bon (a )?cd\b|\bspoken\b", re.I),
    "Easy Read": re.compile(r"\beasy[\s-]*read\b", re.I),
    "another language": re.compile(
        r"\b(translat\w*|interpret\w*|in (urdu|polish|punjabi|bengali|arabic|welsh|romanian|"
        r"somali|gujarati|chinese|mandarin|cantonese|portuguese|kurdish|farsi|tigrinya))\b",
        re.I,
    ),
}


def formats_asked(case: Case) -> tuple[bool, list[str]]:
    """Whether the complainant's agreed adjustments ask for large print, and the other formats
    they ask for (which the officer arranges: Caseworker writes only the printed letter)."""
    person = case.complainant
    # Either wording may say it: the officers' note or the words agreed for the letter.
    text = (
        clean(f"{person.reasonable_adjustments}\n{getattr(person, 'adjustments_public', '')}")
        if person
        else ""
    )
    others = [name for name, pattern in _OTHER_FORMATS.items() if pattern.search(text)]
    return bool(_LARGE_PRINT.search(text)), others


def formats_duty(case: Case) -> str:
    """What the officer is to know of the formats the complainant asked for, for the case file:
    "" when none. Large print is set by Caseworker; every other format is a copy of each letter
    for the officer to arrange (and a duty in Today once a letter is kept)."""
    large, others = formats_asked(case)
    parts = []
    if others:
        listed = " and ".join(others)
        parts.append(
            f"Letters in {listed}: arrange a copy of each letter (Caseworker makes only the "
            "printed one)."
        )
    if large:
        parts.append("Letters are set in large print.")
    return " ".join(parts)


def format_duty(formats: str, kind_label: str) -> str:
    """A Today line for a kept letter whose copies in other formats are to arrange: "Braille
    copy of the outcome letter to arrange" (``formats`` as kept, "Braille; audio")."""
    names = [name.strip() for name in formats.split(";") if name.strip()]
    copies = " and ".join(
        "a copy in another language" if name == "another language" else f"{name} copy"
        for name in names
    )
    copies = copies[:1].upper() + copies[1:]
    return f"{copies} of the {kind_label} to arrange"
