"""Normalising identifiers and reading them out of free text. Pure functions, no database.

- Phone numbers: UK numbers in any common written form to E.164 (`+447700900123`).
- Vehicle registrations: current ("AB12 CDE"), prefix ("A123 BCD"), suffix ("ABC 123D") and
  dateless formats; partial plates ("AB12", "…CDE") kept as patterns.
- Names: ASCII-folded lower case, phonetic keys (metaphone), and a given-name equivalence table
  (`data/nicknames.csv`, spelling variants and short forms).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jellyfish

from sightline.people.matching import normalise_name, normalise_postcode

DATA_DIR = Path(__file__).resolve().parent / "data"

# ---- names ---------------------------------------------------------------------------------

_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx"}


def fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 '\-.]", " ", text.lower())).strip()


@dataclass(frozen=True)
class NameParts:
    given: str  # normalised ("" when not known)
    family: str
    initial: str  # "b" when written "B. Berry"

    @property
    def is_empty(self) -> bool:
        return not (self.given or self.family or self.initial)


def split_name(value: str) -> NameParts:
    """'Eric Richards' -> (eric, richards); 'B. Berry' -> initial b; 'Henry' -> given only."""
    words = [w for w in fold(value).replace("-", " ").split() if w.strip(".'") not in _TITLES]
    words = [w for w in words if w.strip(".'")]
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        only = normalise_name(words[0])
        return NameParts(only, "", only[:1]) if len(only) > 1 else NameParts("", "", only)
    first, last = words[0], words[-1]
    family = normalise_name(last)
    if len(first.strip(".")) == 1:
        return NameParts("", family, first[0])
    given = normalise_name(first)
    return NameParts(given, family, given[:1])


def phonetic(value: str) -> str:
    clean = normalise_name(value)
    return jellyfish.metaphone(clean)[:20] if clean else ""


@cache
def given_name_groups() -> dict[str, frozenset[str]]:
    """Each given name to the set of names it may be written as (including itself)."""
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


def given_key(value: str) -> str:
    """A blocking key for a given name: the alphabetically first name of its group, so that
    Steven, Stephen and Steve share one key."""
    name = normalise_name(value)
    if not name:
        return ""
    group = given_name_groups().get(name)
    return min(group) if group else name


def given_names_equivalent(a: str, b: str) -> bool:
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return False
    return a == b or b in given_name_groups().get(a, frozenset())


def normalise_nickname(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value))


# ---- phones --------------------------------------------------------------------------------

PHONE_RE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?|0044\s?|0)(?:\d[\s\-]?){9,10}(?!\d)")


def normalise_phone(value: str) -> str:
    """UK number to E.164 (+44…); '' when it is not a plausible UK number."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0044"):
        national = digits[4:]
    elif raw.startswith("+") or (digits.startswith("44") and len(digits) in (11, 12)):
        if not digits.startswith("44"):
            return ""
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return ""
    national = national[1:] if national.startswith("0") else national
    if len(national) not in (9, 10) or national[0] not in "123578":
        return ""
    return "+44" + national


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


def normalise_plate(value: str) -> Plate | None:
    raw = (value or "").strip().upper()
    if not raw:
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


def plate_keys(compact: str) -> list[str]:
    """Blocking keys a full plate is found by: itself, its front four and its last three."""
    keys = [f"full:{compact}"]
    if _CURRENT.match(compact):
        keys += [f"start:{compact[:4]}", f"end:{compact[4:]}"]
    return keys


# ---- reading the narrative -----------------------------------------------------------------

_REG_TEXT = re.compile(
    r"\b(?:[A-Z]{2}[0-9]{2} ?[A-Z]{3}|[A-HJ-NP-Y][0-9]{1,3} ?[A-Z]{3}"
    r"|[A-Z]{3} ?[0-9]{1,3}[A-HJ-NP-Y])\b"
)
_PARTIAL_TEXT = re.compile(
    r"(?:registration|reg|plate)[^.]{0,40}?(?:partial(?:ly)?|began|begins|starting|ending|ends)"
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


def read_narrative(text: str) -> list[Found]:
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
