"""The plain-English check (Stockport 4.5: "clear, succinct and avoid jargon"): advice, not a block.

It gives the Flesch reading ease of the letter's own words (contact blocks left out) and flags
sentences over :data:`LONG_SENTENCE` words, paragraphs over :data:`LONG_PARAGRAPH` words, words
and phrases from a list of jargon with a plainer choice, and invisible characters pasted in from
elsewhere that the document will leave out.

Flesch reading ease = 206.835 − 1.015 × (words per sentence) − 84.6 × (syllables per word);
60 or more reads easily for most adults, under 50 is hard going. Syllables are counted by vowel
groups with the usual English corrections, which is close enough for advice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from caseworker.letters.draft import LetterDraft, SectionKey
from caseworker.letters.text import paragraphs, removed_characters

LONG_SENTENCE = 25
LONG_PARAGRAPH = 120
HARD_SCORE = 50.0

JARGON: dict[str, str] = {
    "aforementioned": "this, that",
    "ascertain": "find out",
    "at this moment in time": "now",
    "commence": "start",
    "deem": "think, consider",
    "endeavour": "try",
    "expedite": "speed up",
    "facilitate": "help, make possible",
    "forthwith": "now, at once",
    "going forward": "from now on",
    "hereby": "(leave out)",
    "herewith": "with this letter",
    "heretofore": "until now",
    "in accordance with": "under, as",
    "in receipt of": "have received",
    "in relation to": "about",
    "in respect of": "about",
    "inter alia": "among other things",
    "leverage": "use",
    "notwithstanding": "despite",
    "per se": "(leave out)",
    "prior to": "before",
    "pursuant to": "under",
    "remit": "responsibility",
    "signpost": "point you to, refer",
    "stakeholder": "the people involved",
    "subsequently": "later",
    "thereof": "of it",
    "touch base": "talk, contact",
    "utilise": "use",
    "utilize": "use",
    "vis-à-vis": "about",
    "whilst": "while",
    "with regard to": "about",
    "with reference to": "about",
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "and so on (or list them)",
    "n/a": "(say what you mean)",
    "asap": "as soon as possible",
}

ABBREVIATIONS: dict[str, str] = {
    "LGSCO": "the Local Government and Social Care Ombudsman",
    "LGO": "the Ombudsman",
    "HOS": "the Housing Ombudsman Service",
    "FOI": "Freedom of Information",
    "SAR": "subject access request",
    "ASB": "antisocial behaviour",
    "KPI": "(say what is measured)",
    "SLA": "(say what was promised)",
    "CTAX": "Council Tax",
}

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[A-Z0-9\"'‘“(£])")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ']+(?:-[A-Za-zÀ-ÖØ-öø-ÿ']+)*|\d[\d,.:]*")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Advice:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class PlainEnglish:
    score: float | None
    """Flesch reading ease of the letter's own text; None when there is no text to score."""
    words: int
    sentences: int
    advice: list[Advice] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.score is None:
            return "no text to score"
        if self.score >= 60:
            return "easy to read"
        if self.score >= HARD_SCORE:
            return "fairly hard to read"
        return "hard to read"


def syllables(word: str) -> int:
    word = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", word.lower().strip("'"))
        if not unicodedata.combining(ch)
    )
    if not word:
        return 0
    if not word.isascii() or not word.isalpha():
        return max(1, len(_VOWELS.findall(word)))
    if len(word) <= 3:
        return 1
    stripped = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    stripped = re.sub(r"^y", "", stripped)
    return max(1, len(_VOWELS.findall(stripped)))


def sentences(text: str) -> list[str]:
    result = []
    for paragraph in paragraphs(text):
        for line in paragraph.split("\n"):
            line = line.strip().lstrip("•-* ").strip()
            if line:
                result += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return result


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def flesch(text: str) -> tuple[float | None, int, int]:
    said = sentences(text)
    counted = [w for s in said for w in words(s)]
    if not said or not counted:
        return None, len(counted), len(said)
    per_sentence = len(counted) / len(said)
    per_word = sum(syllables(w) for w in counted) / len(counted)
    score = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    return round(score, 1), len(counted), len(said)


_SKIP = (SectionKey.NEXT_STAGE, SectionKey.OMBUDSMAN)
"""Contact blocks are addresses and numbers, not prose: they are not scored."""


def prose(draft: LetterDraft) -> list[tuple[str, str]]:
    skip = {
        _label(section.heading, section.key) for section in draft.sections if section.key in _SKIP
    }
    return [(where, text) for where, text in draft.all_text() if where not in skip]


def _label(heading: str, key: SectionKey) -> str:
    return heading or key.value.replace("_", " ").capitalize()


def plain_english(draft: LetterDraft) -> PlainEnglish:
    pieces = prose(draft)
    score, word_count, sentence_count = flesch("\n\n".join(text for _, text in pieces))
    report = PlainEnglish(score, word_count, sentence_count)
    advise = report.advice.append
    if score is not None and score < HARD_SCORE:
        advise(
            Advice(
                "Whole letter",
                f"reading ease {score:.0f} is hard going; aim for 60 or "
                "more with shorter sentences and everyday words",
            )
        )
    addressee = [
        ("Addressee name", draft.addressee.name),
        ("Addressee address", draft.addressee.address),
    ]
    for where, text in [*addressee, *draft.all_text()]:
        dropped = removed_characters(text)
        if dropped:
            advise(
                Advice(
                    where,
                    f"{dropped} invisible control character"
                    f"{'s' if dropped != 1 else ''} (from pasted text) will be left out",
                )
            )
    for where, text in pieces:
        for sentence in sentences(text):
            count = len(words(sentence))
            if count > LONG_SENTENCE:
                advise(
                    Advice(
                        where,
                        f"a sentence of {count} words ('{_start(sentence)}'): try splitting it",
                    )
                )
        for paragraph in paragraphs(text):
            count = len(words(paragraph))
            if count > LONG_PARAGRAPH:
                advise(
                    Advice(
                        where,
                        f"a paragraph of {count} words ('{_start(paragraph)}'): try breaking it up",
                    )
                )
        lowered = text.lower()
        for term, better in JARGON.items():
            pattern = (
                rf"(?<![\w]){re.escape(term)}(?![\w])"
                if term[-1].isalnum()
                else rf"(?<![\w]){re.escape(term)}"
            )
            if re.search(pattern, lowered):
                advise(Advice(where, f"'{term}' is jargon; try '{better}'"))
        for abbreviation, better in ABBREVIATIONS.items():
            if re.search(rf"\b{abbreviation}\b", text):
                advise(Advice(where, f"'{abbreviation}' may not be understood; try '{better}'"))
    report.advice = _once(report.advice)
    return report


def _once(advice: list[Advice]) -> list[Advice]:
    """Each piece of advice once: the same advice for several parts names them all together."""
    places: dict[str, list[str]] = {}
    for item in advice:
        where = places.setdefault(item.message, [])
        if item.where not in where:
            where.append(item.where)
    return [Advice(", ".join(where), message) for message, where in places.items()]


def _start(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
