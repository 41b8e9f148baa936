"""Longer than 400 lines because names, phones and plates are read here together, each with
its tables; splitting them would scatter one reading of a person mention.

Normalising identifiers and reading them out of free text. Pure functions, no database.

- Phone numbers: UK numbers in any common written form to E.164 (`+447700900123`).
- Vehicle registrations: current ("AB12 CDE"), prefix ("A123 BCD"), suffix ("ABC 123D") and
  dateless formats; partial plates ("AB12", "…CDE") kept as patterns.
- Names: parsed with `nameparser` (order, titles, hyphenated surnames), phonetic keys
  (metaphone), and given-name equivalences from our table and the `nicknames` package
  (`data/nicknames.csv`, spelling variants and short forms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jellyfish
import phonenumbers
from nameparser import HumanName
from nicknames import NickNamer

from sightline.people.matching import normalise_name, normalise_postcode

DATA_DIR = Path(__file__).resolve().parent / "data"

# ---- names ---------------------------------------------------------------------------------

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


# ---- phones --------------------------------------------------------------------------------

PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+44\s?\(?0?\)?|0044\s?|0|(?<=\b)(?=7\d{3}\s?\d{3}\s?\d{3}\b))"
    r"(?:\d[\s\-]?){9,10}(?!\d)"
)


def normalise_phone(value: str) -> str:
    """A phone number in any written form to E.164, read with `phonenumbers` (Google's
    libphonenumber) with the UK as the default region: '07700 900123', '+44 7700 900123',
    '0044 7700 900123', '7700 900123' (the leading 0 left off) and international numbers.
    '' when it is not a possible number."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 9 or len(digits) > 15:
        return ""
    if not raw.startswith(("+", "0")) and len(digits) == 10 and digits[0] in "1237":
        raw = "0" + digits  # a UK number written without its leading 0
    elif not raw.startswith("+") and digits.startswith("44") and len(digits) in (11, 12):
        raw = "+" + digits
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164.startswith("+44") and (len(e164) not in (12, 13) or e164[3] not in "123578"):
        return ""
    return e164


def display_phone(e164: str) -> str:
    if e164.startswith("+44") and len(e164) == 13:
        national = "0" + e164[3:]
        return f"{national[:5]} {national[5:]}"
    return e164


# ---- vehicles ------------------------------------------------------------------------------

_CURRENT = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z]{3}$")
_PREFIX = re.compile(r"^[A-HJ-NP-Y][0-9]{1,3}[A-Z]{3}$")
_SUFFIX = re.compile(r"^[A-Z]{3}[0-9]{1,3}[A-HJ-NP-Y]$")
_DATELESS = re.compile(r"^(?:[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3})$")


@dataclass(frozen=True)
class Plate:
    value: str  # compact upper case, no spaces
    is_partial: bool
    anchor: str  # "full", "start" (first characters known) or "end" (last characters known)

    def matches(self, full: str) -> bool:
        if not self.is_partial:
            return self.value == full
        return full.startswith(self.value) if self.anchor == "start" else full.endswith(self.value)

    def fits(self, full: str) -> str:
        """'exact' when this (partial) plate fits a full one, 'confusable' when it fits but
        for misread characters, '' otherwise."""
        if self.matches(full):
            return "exact"
        n = len(self.value)
        if not self.is_partial or n > len(full):
            return plates_agree(self.value, full)
        part = full[:n] if self.anchor == "start" else full[-n:]
        return plates_agree(self.value, part)


# How a partial plate is said in words: "starts EC51", "begins with EC51", "first part EC51",
# "ends in KDA", "last three KDA".
_PLATE_WORDS = re.compile(
    r"^\s*(?:(?P<start>starts?|starting|begins?|beginning|began|first\s+(?:part|half|bit|\w+))"
    r"|(?P<end>ends?|ending|ended|last\s+(?:part|half|bit|\w+)))"
    r"(?:\s+(?:with|in|as|on|of|is|was|were))*[:\s]+(?P<value>[A-Za-z0-9 ]{2,8}?)\s*"
    r"(?:\.{3}|…)?\s*$",
    re.IGNORECASE,
)
# Characters witnesses and typists confuse on a plate: each to one representative.
_CONFUSABLE = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
)


def plate_shape(value: str) -> str:
    """A plate with its confusable characters (0/O, 1/I, 5/S, 8/B, 2/Z) made one."""
    return value.upper().translate(_CONFUSABLE)


def plates_agree(a: str, b: str) -> str:
    """'exact', 'confusable' (the same but for characters that are misread) or ''."""
    if a == b:
        return "exact"
    if len(a) == len(b) and plate_shape(a) == plate_shape(b):
        return "confusable"
    return ""


def normalise_plate(value: str) -> Plate | None:  # noqa: PLR0911 (each way a plate is written answers at once)
    raw = (value or "").strip().upper()
    if not raw:
        return None
    worded = _PLATE_WORDS.match(raw)
    if worded:
        compact = re.sub(r"[^A-Z0-9]", "", worded.group("value").upper())
        if 2 <= len(compact) <= 7:
            return Plate(compact, True, "start" if worded.group("start") else "end")
        return None
    ends_known = raw[:1] in "…*?." or raw.startswith("...")
    starts_known = raw[-1:] in "…*?." or raw.endswith("...")
    compact = re.sub(r"[^A-Z0-9]", "", raw)
    if not compact or len(compact) > 8:
        return None
    front_half = re.fullmatch(r"[A-Z]{2}[0-9]{2}", compact) is not None
    if not (ends_known or starts_known or front_half) and is_full_plate(compact):
        return Plate(compact, False, "full")
    if len(compact) < 2:
        return None
    if ends_known:
        return Plate(compact, True, "end")
    if starts_known:
        return Plate(compact, True, "start")
    # An unmarked fragment: "AB12" is the front half of a current plate, "CDE" its back half.
    if front_half:  # "AB12": read as the front half of a current plate, not a dateless one
        return Plate(compact, True, "start")
    if re.fullmatch(r"[A-Z]{3}", compact):
        return Plate(compact, True, "end")
    if len(compact) == 7 and re.fullmatch(r"[A-Z0-9]{2}[0-9OISBZ]{2}[A-Z0-9]{3}", compact):
        return Plate(compact, False, "full")  # a current plate with a misread character
    return Plate(compact, True, "start")


def is_full_plate(compact: str) -> bool:
    return bool(
        _CURRENT.match(compact)
        or _PREFIX.match(compact)
        or _SUFFIX.match(compact)
        or (_DATELESS.match(compact) and len(compact) >= 4)
    )


def display_plate(compact: str) -> str:
    if _CURRENT.match(compact):
        return f"{compact[:4]} {compact[4:]}"
    return compact


_AS_DIGIT = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
)
_AS_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})


def plate_shape_current(compact: str) -> str:
    """A 7-character plate read as a current one (two letters, two digits, three letters),
    its misread characters put back where the format wants a letter or a digit."""
    if len(compact) != 7:
        return compact
    return (
        compact[:2].translate(_AS_LETTER)
        + compact[2:4].translate(_AS_DIGIT)
        + compact[4:].translate(_AS_LETTER)
    )


def plate_keys(compact: str) -> list[str]:
    """Blocking keys a full plate is found by: itself, its front four and its last three, as
    written and read as a current plate ("EMI3 TYM" is also found by "starts EM13")."""
    keys = [f"full:{compact}"]
    shaped = plate_shape_current(compact)
    if _CURRENT.match(compact) or (not is_full_plate(compact) and _CURRENT.match(shaped)):
        for value in dict.fromkeys((compact, shaped)):
            keys += [f"start:{value[:4]}", f"end:{value[4:]}"]
    return list(dict.fromkeys(keys))


def partial_shape(plate: Plate) -> str:
    """A partial plate read as the front four or last three of a current plate ("EMI3" ->
    "EM13"), or unchanged when it cannot be one."""
    if plate.anchor == "start" and len(plate.value) == 4:
        return plate.value[:2].translate(_AS_LETTER) + plate.value[2:].translate(_AS_DIGIT)
    if plate.anchor == "end" and len(plate.value) == 3:
        return plate.value.translate(_AS_LETTER)
    return plate.value


# ---- reading the narrative -----------------------------------------------------------------

_REG_TEXT = re.compile(
    r"\b(?:[A-Z]{2}[0-9]{2} ?[A-Z]{3}|[A-HJ-NP-Y][0-9]{1,3} ?[A-Z]{3}"
    r"|[A-Z]{3} ?[0-9]{1,3}[A-HJ-NP-Y])\b"
)
_PARTIAL_TEXT = re.compile(
    r"(?:registration|reg|plate)[^.]{0,40}?"
    r"(?:partial(?:ly)?|began|begins|starting|starts|ending|ends|first part|last part)"
    r"[^.]{0,20}?\b(?:with |as |in )?([…*]?[A-Z0-9]{2,4}[…*]?)(?![A-Za-z0-9])"
)
_ELLIPSIS_TEXT = re.compile(r"[…]([A-Z0-9]{2,4})\b|\b([A-Z0-9]{2,4})[…]")
POSTCODE_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b")
_HANDLE_TEXT = re.compile(r"(?<![\w@.])@([A-Za-z0-9_][A-Za-z0-9_.]{2,29})\b")
_PLATFORM_TEXT = re.compile(
    r"\b(?:snapchat|instagram|tiktok|telegram|whatsapp|facebook|discord)\b[^.]{0,25}?"
    r"\b(?:as|is|called|name|handle|username)[: ]+[\"']?([A-Za-z0-9_][A-Za-z0-9_.]{2,29})",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“]([A-Za-z][A-Za-z' .\-]{1,30})[\"”]")
_CAPITAL_PAIR = re.compile(r"\b([A-Z][a-z]+|[A-Z]\.)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


@dataclass(frozen=True)
class Found:
    kind: str  # vehicle | phone | postcode | handle | name | nickname
    text: str  # as written
    value: str  # normalised


def read_narrative(text: str) -> list[Found]:  # noqa: PLR0912 (a branch per kind of identifier)
    """Identifiers and name-like phrases in a narrative, de-duplicated, in order of appearance.
    Names are returned as candidates only: the caller keeps those that match known persons."""
    found: list[Found] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, written: str, value: str) -> None:
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            found.append(Found(kind, written.strip(), value))

    postcodes = {m.group(1) for m in POSTCODE_TEXT.finditer(text)}
    for m in _REG_TEXT.finditer(text):
        if m.group(0) in postcodes:
            continue
        plate = normalise_plate(m.group(0))
        if plate is not None and not plate.is_partial:
            add("vehicle", m.group(0), plate.value)
    for m in _PARTIAL_TEXT.finditer(text):
        plate = normalise_plate(m.group(1))
        marked = m.group(1)[:1] in "…*"
        if plate is not None and (marked or any(ch.isdigit() for ch in plate.value)):
            add("vehicle", m.group(1), ("…" if plate.anchor == "end" else "") + plate.value)
    for m in _ELLIPSIS_TEXT.finditer(text):
        written = m.group(0)
        plate = normalise_plate(written)
        if plate is not None:
            add("vehicle", written, ("…" if plate.anchor == "end" else "") + plate.value)
    for m in PHONE_RE.finditer(text):
        add("phone", m.group(0), normalise_phone(m.group(0)))
    for code in POSTCODE_TEXT.finditer(text):
        add("postcode", code.group(1), normalise_postcode(code.group(1)))
    for m in _HANDLE_TEXT.finditer(text):
        add("handle", "@" + m.group(1), m.group(1).lower().rstrip("."))
    for m in _PLATFORM_TEXT.finditer(text):
        add("handle", m.group(1), m.group(1).lower().rstrip("."))
    for m in _QUOTED.finditer(text):
        add("nickname", m.group(1), normalise_nickname(m.group(1)))
    for m in _CAPITAL_PAIR.finditer(text):
        add("name", m.group(0), f"{m.group(1).lower().rstrip('.')} {m.group(2).lower()}")
    return found


_STOP = {"a", "an", "and", "the", "with", "of", "in", "on", "his", "her", "their", "wears"}


def description_tokens(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", fold(text))
    return frozenset(w for w in words if len(w) > 2 and w not in _STOP)


def description_details(text: str) -> frozenset[str]:
    """The separate details of a description as written ("curly black hair, baseball cap" is
    two): split at punctuation, "and" and "with", each folded to its words."""
    out = set()
    for part in re.split(r"[,;.:/\n]|\band\b|\bwith\b", text.lower()):
        words = [w for w in re.findall(r"[a-z]+", fold(part)) if w not in _STOP]
        if words:
            out.add(" ".join(words))
    return frozenset(out)
