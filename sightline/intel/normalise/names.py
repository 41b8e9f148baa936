"""Names: parsing a name as practitioners write it (`nameparser`: order, titles, hyphenated
surnames), phonetic keys (metaphone), and given-name equivalences from our table and the
`nicknames` package (`data/nicknames.csv`, spelling variants and short forms), street forms
of first names included. Pure functions, no database; `fold` is the text folding the other
readers share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jellyfish
from nameparser import HumanName
from nicknames import NickNamer

from sightline.people.matching import normalise_name

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx", "master", "sir", "prof"}
# Surname particles kept with the surname ("van der Berg", "De Souza", "Al Amin").
_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "da",
    "di",
    "du",
    "la",
    "le",
    "al",
    "el",
    "bin",
    "ibn",
}


def fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 '\-.]", " ", text.lower())).strip()


@dataclass(frozen=True)
class NameParts:
    given: str  # normalised ("" when not known)
    family: str  # the whole surname, hyphens and particles joined ("attwellboateng")
    initial: str  # "b" when written "B. Berry"
    middle: str = ""
    title: str = ""
    nickname: str = ""  # a nickname written inside the name ('Kwame "KB" Boateng')
    family_parts: tuple[str, ...] = ()  # each half of a hyphenated surname, as alternatives

    @property
    def is_empty(self) -> bool:
        return not (self.given or self.family or self.initial)

    @property
    def families(self) -> tuple[str, ...]:
        """The surname and its alternatives (each part of a hyphenated surname)."""
        return tuple(dict.fromkeys(f for f in (self.family, *self.family_parts) if f))


def _ascii(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip()


def _is_shouted(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", word)
    return len(letters) > 2 and letters.isupper()


def _surname_first(raw: str) -> str:
    """'ATTWELL-BOATENG Kwame' -> 'Kwame ATTWELL-BOATENG': police style writes the surname
    first in capitals; a comma ('Boateng, Kwame') is read by the parser itself."""
    words = raw.split()
    if "," in raw or len(words) < 2:
        return raw
    lead = [w for w in words if w.strip(".").lower() not in _TITLES]
    titles = [w for w in words if w.strip(".").lower() in _TITLES]
    shouted = [i for i, w in enumerate(lead) if _is_shouted(w)]
    if shouted and shouted == list(range(len(shouted))) and len(shouted) < len(lead):
        return " ".join(titles + lead[len(shouted) :] + lead[: len(shouted)])
    return raw


@lru_cache(maxsize=4096)  # a pure function of the text; the parser is the slow part
def split_name(value: str) -> NameParts:
    """A name as practitioners write it, read with `nameparser`: 'Eric Richards',
    'RICHARDS Eric', 'Richards, Eric', 'Mr Richards' (a surname), 'B. Berry' (initial b),
    'Henry' (a first name), 'Kwame Attwell-Boateng' (surname whole, each half an alternative)."""
    raw = _ascii(value).replace("“", '"').replace("”", '"')
    if not re.sub(r"[^A-Za-z]", "", raw):
        return NameParts("", "", "")
    parsed = HumanName(_surname_first(raw))
    title = normalise_name(parsed.title)
    nickname = normalise_nickname(parsed.nickname)
    first = parsed.first.strip()
    middle = parsed.middle.strip()
    last = parsed.last.strip()
    if first.strip(".").lower() in _PARTICLES and last and not middle:
        first, last = "", f"{first} {last}"
    if not last and first and title:  # "Mr Richards": a title before one word is a surname
        first, last = "", first
    family_words = [w for w in re.split(r"[\s]+", last) if w]
    family = normalise_name("".join(family_words))
    parts = tuple(p for p in (normalise_name(x) for x in re.split(r"[-\s]+", last)) if len(p) > 1)
    parts = tuple(p for p in parts if p != family and p not in _PARTICLES)
    bare = first.strip(".")
    if len(bare) == 1 or (len(bare) == 2 and "." in first and first.count(".") >= 1):
        initial = normalise_name(bare)[:1]
        return NameParts("", family, initial, normalise_name(middle), title, nickname, parts)
    given = normalise_name(first)
    if len(given) == 1:
        return NameParts("", family, given, "", title, nickname, parts)
    return NameParts(given, family, given[:1], normalise_name(middle), title, nickname, parts)


def phonetic(value: str) -> str:
    clean = normalise_name(value)
    return jellyfish.metaphone(clean)[:20] if clean else ""


@cache
def given_name_groups() -> dict[str, frozenset[str]]:
    """Each given name to the set of names it may be written as (including itself), from
    `data/nicknames.csv` (our own table, with short forms of the borough's communities)."""
    table: dict[str, set[str]] = {}
    path = DATA_DIR / "nicknames.csv"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        names = {normalise_name(n) for n in line.split(",") if normalise_name(n)}
        for name in names:
            table.setdefault(name, set()).update(names)
    return {k: frozenset(v) for k, v in table.items()}


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def _package_relatives(name: str) -> frozenset[str]:
    """Names the `nicknames` package relates to this one: its short forms, the names it is a
    short form of, and the other short forms of those (Bob ~ Robert ~ Rob)."""
    namer = _nicknamer()
    canonicals = set(namer.canonicals_of(name)) | {name}
    out = set(canonicals)
    for canonical in canonicals:
        out |= set(namer.nicknames_of(canonical))
    return frozenset(normalise_name(n) for n in out if normalise_name(n))


def given_key(value: str) -> str:
    """A blocking key for a given name: the alphabetically first name of its group, so that
    Steven, Stephen and Steve share one key."""
    name = normalise_name(value)
    if not name:
        return ""
    group = given_name_groups().get(name)
    return min(group) if group else name


def given_names_equivalent(a: str, b: str) -> bool:
    """The same name, a spelling variant or a short form: our table or the `nicknames`
    package relates them."""
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return False
    if a == b or b in given_name_groups().get(a, frozenset()):
        return True
    return b in _package_relatives(a) or a in _package_relatives(b)


def given_short_form(a: str, b: str) -> bool:
    """One name is the start of the other, three letters or more ('Abdi', 'Abdirahman'), or
    its end, four or more ('Karim', 'Abdikarim'): a short form no table lists, weaker evidence
    than one it does."""
    a, b = normalise_name(a), normalise_name(b)
    short, long = sorted((a, b), key=len)
    if short == long:
        return False
    # the start ("Abdi" of "Abdirahman"), or the end of a compound name ("Karim" of
    # "Abdikarim", "Rahman" of "Abdulrahman")
    return (
        (len(short) >= 3 and long.startswith(short))
        or (len(short) >= 4 and long.endswith(short))
        or street_short_of(a, b)
        or street_short_of(b, a)
    )


# The endings of British street forms of a first name: the name up to its first vowel or a
# little past it, then "z" or "o" (Baz for Barry, Gazza for Gary, Dez for Dennis, Jonno for
# Jonathan, Robbo for Robert, Stevo for Steven), the last letter sometimes doubled.
_STREET_ENDINGS = ("z", "zz", "zza", "o")


def street_short_of(short: str, long: str) -> bool:
    """`short` is a street form of `long` (both normalised): a start of `long` running through
    its first vowel, then one of `_STREET_ENDINGS` ("Briz" of Brian, "Olivo" of Oliver). Not
    "-y" or "-ie": those make names in their own right (Jay, Kelly) and the tables list the
    usual ones (Jimmy, Davie)."""
    vowel = next((i for i, ch in enumerate(long) if i > 0 and ch in "aeiouy"), 0)
    if not vowel or len(short) >= len(long) + 2:
        return False
    for cut in range(vowel + 1, min(len(long), len(short))):
        stem, rest = long[:cut], short[cut:]
        if not short.startswith(stem) or short[: cut + 1] == long[: cut + 1]:
            continue
        if rest[:1] == stem[-1]:  # Robbo, Jonno: the last letter of the stem doubled
            rest = rest[1:]
        if rest in _STREET_ENDINGS:
            return True
    return False


def normalise_nickname(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value))
