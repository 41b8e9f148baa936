"""Vehicle registrations: current ("AB12 CDE"), prefix ("A123 BCD"), suffix ("ABC 123D") and
dateless formats; partial plates ("AB12", "…CDE", "starts EC51") kept as patterns; characters
witnesses misread (0/O, 1/I, 5/S) made one; the blocking keys a plate is found by. Pure
functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
