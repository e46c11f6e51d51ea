"""How a letter names a person: the words after "Dear", the name in the body, the address line.

One small set of rules, used for the complainant, the representative and the councillor or MP:

* **"How they like to be addressed"**, where recorded, wins, as written ("Dear Jo", "Dear
  Father Brendan").
* **The whole surname is kept**: particles and Irish and Welsh forms belong to it ("Mrs van der
  Berg", "Mr Ó Ceallaigh", "Ms Nic Giolla Phádraig", "Mr ap Gwilym"); a hyphenated surname is
  one word.
* **Sir and Dame** go with the first name ("Dear Sir Paddy", "Dear Dame Mary").
* **No title**: the full name ("Dear Asha Patel"), never a guessed Mr or Ms.
* **No usable name** (anonymous, blank, a placeholder such as "Firstname Surname"): "Dear Sir or
  Madam", and "the complainant" in the body.
* **Capitals**: a name typed all in lower (or all in upper) case is given capitals where that is
  safe ("siân o'brien" → "Siân O'Brien", "mcdonald" → "McDonald", "van der berg" keeps its
  particles small); a name typed in mixed case is left exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseworker.domain.enums import ReferrerRole
from caseworker.letters.text import clean

TITLES = {
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "dr": "Dr",
    "doctor": "Dr",
    "prof": "Professor",
    "professor": "Professor",
    "rev": "Revd",
    "revd": "Revd",
    "reverend": "Reverend",
    "sir": "Sir",
    "dame": "Dame",
    "lady": "Lady",
    "lord": "Lord",
    "cllr": "Councillor",
    "councillor": "Councillor",
}
"""Titles recognised at the start of a name or in the title field, as the letter spells them."""

OFFERED_TITLES = (
    "",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Professor",
    "Revd",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
)
"""The titles a form offers (any other can be typed)."""

FIRST_NAME_TITLES = frozenset({"Sir", "Dame"})
"""Titles used with the first name, not the surname."""

PARTICLES = frozenset(
    {
        # Dutch, German, French, Italian, Spanish, Portuguese
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "des",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "le",
        "la",
        "ten",
        "ter",
        "zu",
        # Welsh
        "ap",
        "ab",
        "ferch",
        "verch",
        # Arabic
        "bin",
        "ibn",
        "al",
        "el",
    }
)
"""Words that start a surname and stay in lower case (when not the first word)."""

IRISH = {
    "ó": "Ó",
    "o": "O",
    "ní": "Ní",
    "nic": "Nic",
    "mac": "Mac",
    "mc": "Mc",
    "uí": "Uí",
    "ua": "Ua",
    "mhic": "Mhic",
    "bean": "Bean",
}
"""Irish (and Scottish) surname words written apart from the name that follows, capitalised."""

PLACEHOLDERS = frozenset(
    {
        "",
        "anonymous",
        "anon",
        "anonymous complainant",
        "unknown",
        "not known",
        "not given",
        "none",
        "n/a",
        "na",
        "name withheld",
        "withheld",
        "firstname surname",
        "first name surname",
        "first name last name",
        "firstname lastname",
        "forename surname",
        "name surname",
        "the complainant",
        "complainant",
        "the resident",
        "resident",
        "the occupier",
        "occupier",
        "tbc",
        "test",
        "x",
    }
)
"""Names that are not a person's name: the letter says "Dear Sir or Madam" instead."""

NO_NAME_SALUTATION = "Sir or Madam"
NO_NAME_BODY = "the complainant"


def _norm(text: str) -> str:
    return " ".join(clean(text or "").split())


def is_placeholder(name: str) -> bool:
    """``name`` is no name a letter can use (blank, "Anonymous", "Firstname Surname"...)."""
    bare = _norm(name).lower().strip(".,;:-–—()[]<>")
    bare = re.sub(r"[\s_]+", " ", bare)
    return bare in PLACEHOLDERS or not re.search(r"[^\W\d_]", bare)


def title_word(title: str) -> str:
    """A title as the letter spells it ("mrs" → "Mrs", "dr." → "Dr"); unknown ones as typed,
    first letter in capitals."""
    bare = _norm(title).rstrip(".")
    if not bare:
        return ""
    known = TITLES.get(bare.lower())
    if known:
        return known
    return bare[0].upper() + bare[1:]


def _cap(part: str) -> str:
    return part[:1].upper() + part[1:]


def _word_capitals(word: str, *, first: bool, last: bool) -> str:
    low = word.lower()
    if not first and not last and low in PARTICLES:
        return low
    if low in IRISH and not last:
        return IRISH[low]
    pieces = []
    for piece in low.split("-"):
        # O'Brien, D'Arcy; McDonald (Mc is always a prefix; Mac is not: Mackintosh, Macey)
        m = re.fullmatch(r"([od])['’](.+)", piece)
        if m:
            piece = f"{m.group(1).upper()}'{_cap(m.group(2))}"
        elif piece.startswith("mc") and len(piece) > 3:
            piece = "Mc" + _cap(piece[2:])
        else:
            piece = _cap(piece)
        pieces.append(piece)
    return "-".join(pieces)


def tidy_capitals(name: str) -> str:
    """``name`` with capitals where it was typed all in lower or all in upper case (where that
    is safe); a name with any mixed case is the person's own spelling and is kept."""
    name = _norm(name)
    letters = [c for c in name if c.isalpha()]
    if not letters or not (name == name.lower() or name == name.upper()):
        return name
    words = name.split()
    return " ".join(
        _word_capitals(w, first=i == 0, last=i == len(words) - 1) for i, w in enumerate(words)
    )


@dataclass(frozen=True)
class Name:
    """A person's name read into its parts."""

    title: str
    """As the letter spells it ("Mrs"), from the title field or the front of the name."""
    given: tuple[str, ...]
    """First and middle names."""
    surname: str
    """The whole surname, particles and all ("van der Berg", "Ó Ceallaigh")."""
    addressed_as: str = ""
    """How they like to be addressed, as recorded ("Jo", "Father Brendan")."""
    unnamed: bool = False
    """No usable name: anonymous, blank or a placeholder."""

    @property
    def full(self) -> str:
        """The name for the address block: "Mrs Anna van der Berg"."""
        if self.unnamed:
            return ""
        return " ".join(p for p in (self.title, *self.given, self.surname) if p)

    @property
    def salutation(self) -> str:
        """The words after "Dear"."""
        if self.addressed_as:
            return self.addressed_as
        if self.unnamed:
            return NO_NAME_SALUTATION
        if self.title in FIRST_NAME_TITLES:
            if self.given:
                return f"{self.title} {self.given[0]}"
            return NO_NAME_SALUTATION  # "Sir Ashdown" would be wrong: see :func:`problem`
        if self.title:
            return f"{self.title} {self.surname}".strip()
        return " ".join(p for p in (*self.given, self.surname) if p)

    @property
    def in_body(self) -> str:
        """The name in a sentence ("on behalf of Mrs van der Berg")."""
        if self.unnamed and not self.addressed_as:
            return NO_NAME_BODY
        if self.salutation == NO_NAME_SALUTATION and not self.addressed_as:
            return self.full
        return self.salutation

    @property
    def problem(self) -> str:
        """Why the letter cannot greet this person by name, or ""."""
        if self.addressed_as:
            return ""
        if self.unnamed:
            return 'no usable name is recorded, so the letter says "Dear Sir or Madam"'
        if self.title in FIRST_NAME_TITLES and not self.given:
            return (
                f"{self.title} is used with the first name, and only one name is recorded "
                f"({self.full}): record the full name or how they like to be addressed"
            )
        return ""


def read_name(name: str, title: str = "", addressed_as: str = "") -> Name:
    """Read ``name`` (with the ``title`` and ``addressed_as`` fields, where recorded)."""
    addressed = tidy_capitals(addressed_as) if _norm(addressed_as) else ""
    if is_placeholder(name):
        return Name(title_word(title), (), "", addressed, unnamed=True)
    words = tidy_capitals(name).split()
    found_title = ""
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        found_title = found_title or title_word(words[0])
        words = words[1:]
    chosen = title_word(title) or found_title
    if len(words) == 1:
        if chosen in FIRST_NAME_TITLES:
            return Name(chosen, (), words[0], addressed)
        return Name(chosen, (), words[0], addressed)
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        low = words[i].lower()
        if low in PARTICLES or low in IRISH:
            start = i
            break
    return Name(chosen, tuple(words[:start]), " ".join(words[start:]), addressed)


def salutation(name: str, title: str = "", addressed_as: str = "") -> str:
    """The words after "Dear" for this person."""
    return read_name(name, title, addressed_as).salutation


def in_body(name: str, title: str = "", addressed_as: str = "") -> str:
    """The name as a sentence gives it."""
    return read_name(name, title, addressed_as).in_body


def full_name(name: str, title: str = "") -> str:
    """The name for the address block (title, then the name with its capitals tidied)."""
    return read_name(name, title).full


def councillor_salutation(name: str, addressed_as: str = "") -> str:
    """ "Councillor van der Berg": a councillor is addressed by office and whole surname."""
    if _norm(addressed_as):
        return tidy_capitals(addressed_as)
    read = read_name(re.sub(r"^(councillor|cllr\.?)\s+", "", _norm(name), flags=re.I))
    if read.unnamed:
        return "Councillor"
    return f"Councillor {read.surname}"


def referrer_salutation(
    name: str, role: ReferrerRole | None, title: str = "", addressed_as: str = ""
) -> str:
    """The words after "Dear" for the councillor or MP a complaint came through."""
    if role == ReferrerRole.COUNCILLOR:
        return councillor_salutation(name, addressed_as)
    if role == ReferrerRole.MP:
        return mp_salutation(name, title, addressed_as)
    return salutation(name, title, addressed_as)


def mp_salutation(name: str, title: str = "", addressed_as: str = "") -> str:
    """An MP: by title and surname where the title is recorded ("Mr Ashdown", "Sir Paddy"),
    else the full name followed by MP."""
    bare = re.sub(r"\s+MP$", "", _norm(name))
    read = read_name(bare, title, addressed_as)
    if read.addressed_as or read.title:
        return read.salutation
    if read.unnamed:
        return NO_NAME_SALUTATION
    return f"{read.full} MP"
