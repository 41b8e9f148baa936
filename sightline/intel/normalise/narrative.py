"""Reading a narrative: the vehicles, phones, postcodes, handles, nicknames and name-like
phrases written in free text, and the words and details of a description. Pure functions,
no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sightline.intel.normalise.names import fold, normalise_nickname
from sightline.intel.normalise.phones import PHONE_RE, normalise_phone
from sightline.intel.normalise.plates import normalise_plate
from sightline.people.matching import normalise_postcode

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
