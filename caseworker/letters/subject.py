"""What the complaint is about, as a letter says it: "your complaint about <subject>".

The subject is its own field on the case (``cases.complaint_subject``), phrased by the officer to
read after "your complaint about…" ("the repairs to your kitchen ceiling"). It is never the case
list's summary, which is a note officers write for each other. A case without one (every case
recorded before the field existed) reads "your complaint about the Planning service", and the
letter check asks for the subject (:func:`missing_subject`).
"""

from __future__ import annotations

import re

from caseworker.letters.text import clean

_LEAD = re.compile(r"^\s*(re:\s*)?((your|the|a|my)\s+)?complaint\s+about\s+", re.I)


def phrase(text: str) -> str:
    """A subject as typed, made to read after "your complaint about": one line, no full stop,
    no "your complaint about" of its own, first letter lowered unless the first word is a name
    or an abbreviation ("Planning", "CCTV" and "Mrs Patel's garden" keep their capitals)."""
    text = " ".join(clean(text or "").split()).rstrip(" .;:,")
    while _LEAD.match(text):
        text = _LEAD.sub("", text, count=1)
    words = text.split()
    first_is_plain = words[0][1:].islower() or words[0] in ("A", "I") if words else False
    if (
        len(words) >= 2
        and words[0] != "I"
        and words[0][:1].isupper()
        and first_is_plain
        and words[1][:1].islower()
    ):
        return text[0].lower() + text[1:]
    return text


def service_phrase(service_area: str) -> str:
    """The fallback subject: "the Planning service" (never "the Planning service service")."""
    area = " ".join(clean(service_area or "").split())
    if not area:
        return "the Council's services"
    if area.lower().startswith("the "):
        area = area[4:]
    if re.search(r"\b(service|services|team|department)$", area, re.I):
        return f"the {area}"
    return f"the {area} service"


def about(case: object) -> str:
    """What follows "your complaint about" for ``case``: its subject, else its service."""
    recorded = phrase(getattr(case, "complaint_subject", "") or "")
    return recorded or service_phrase(getattr(case, "service_area", "") or "")


def re_line(case: object, *, theirs: bool = False) -> str:
    """The Re: line: "Your complaint about the repairs to your kitchen ceiling" (whole, never
    cut off with "…"); ``theirs``: "Complaint about…", to someone writing for the complainant."""
    return f"{'Complaint' if theirs else 'Your complaint'} about {about(case)}"


def missing_subject(case: object) -> str:
    """Why the letter's subject is a fallback ("" when the case records one)."""
    if phrase(getattr(case, "complaint_subject", "") or ""):
        return ""
    return (
        "No subject of the complaint is recorded: the letter says "
        f"“your complaint about {about(case)}”. Record what the complaint is about, "
        "as it reads after “your complaint about…”"
    )
