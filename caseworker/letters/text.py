"""Making any typed or pasted text safe for a Word document, and splitting it into paragraphs.

Word's XML cannot hold most control characters (NUL, the escape codes email clients and old
systems leave behind...), and python-docx refuses them outright. :func:`clean` keeps everything a
reader could see and turns the invisible characters that mean something into what they mean:

* ``\\r\\n`` and ``\\r`` (Windows and old Mac line ends) and U+2028 become a line break;
  U+2029 and form feed become a paragraph break; vertical tab (Word's own line break when its text
  is pasted elsewhere) and NEL (U+0085) become a line break.
* The C1 codes U+0080 to U+009F almost always come from Windows text decoded as Latin-1, so they
  are read as Windows-1252 (U+0092 becomes ’); the five codes that table leaves undefined go.
* A lone surrogate (text cut in the middle of a character) becomes U+FFFD, the replacement mark.
* Every other character XML 1.0 forbids is removed; :func:`removed_characters` counts them so the
  officer is told (see :mod:`caseworker.letters.plain`), never silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x85": "\n", "\u2028": "\n"}
_PARAGRAPH_BREAKS = {"\x0c": "\n\n", "\u2029": "\n\n"}

# XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[^\t\n\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_C1 = re.compile("[\x80-\x9f]")
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def _cp1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:
        return ""


def _normalise(text: str) -> str:
    text = _BREAKS.sub(
        lambda m: _LINE_BREAKS.get(m.group(), _PARAGRAPH_BREAKS.get(m.group(), "\n")), text
    )
    text = _SURROGATE.sub("\ufffd", text)
    return _C1.sub(_cp1252, text)


def clean(text: str | None) -> str:
    """``text`` with line ends normalised and nothing a Word document cannot hold."""
    if not text:
        return ""
    return _ILLEGAL.sub("", _normalise(text))


def removed_characters(text: str | None) -> int:
    """How many characters :func:`clean` leaves out of ``text`` (line ends do not count)."""
    if not text:
        return 0
    undefined_c1 = sum(1 for ch in _C1.findall(text) if ord(ch) in _CP1252_UNDEFINED)
    return undefined_c1 + len(_ILLEGAL.findall(_normalise(text)))


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of ``text``: a blank line separates paragraphs; a single newline stays as a
    line break inside its paragraph. Leading and trailing blank lines are not paragraphs."""
    text = clean(text)
    parts = re.split(r"\n[ \t]*\n(?:[ \t]*\n)*", text)
    return [part.strip("\n") for part in parts if part.strip()]


def is_blank(text: str | None) -> bool:
    return not clean(text).strip()


# Direction: a paragraph whose first letter is Hebrew, Arabic, Syriac, Thaana, N'Ko... is laid
# out right to left; within any paragraph, runs of right-to-left letters are marked as such so
# Word shapes and orders them correctly.

_RTL = {"R", "AL"}
_LTR = {"L"}


def first_strong_is_rtl(text: str) -> bool:
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        if direction in _RTL:
            return True
        if direction in _LTR:
            return False
    return False


@dataclass(frozen=True, slots=True)
class Chunk:
    text: str
    rtl: bool


def direction_chunks(text: str) -> list[Chunk]:
    """``text`` cut where its strong direction changes; neutral characters (spaces, digits,
    punctuation, emoji) stay with the chunk they follow."""
    chunks: list[Chunk] = []
    current: list[str] = []
    rtl = first_strong_is_rtl(text)
    for ch in text:
        direction = unicodedata.bidirectional(ch)
        strong_rtl = direction in _RTL
        if (strong_rtl and not rtl) or (direction in _LTR and rtl):
            if current:
                chunks.append(Chunk("".join(current), rtl))
                current = []
            rtl = strong_rtl
        current.append(ch)
    if current:
        chunks.append(Chunk("".join(current), rtl))
    return chunks
