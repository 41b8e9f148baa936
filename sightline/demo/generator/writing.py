"""How a referrer writes an adult down: the name in every order and form practitioners use,
phone numbers in every format, registrations full, partial, in words and misread.

Each function returns the text and the style it was written in; the styles go into the ground
truth (``Borough.truth["mention_styles"]``) so that the linking benchmark can report recall and
the earliest alert per style. The style names are the vocabulary below (``NAME_STYLES`` and so
on) and are stable: bench/README.md reports them."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final

from sightline.demo.generator.helpers import weighted
from sightline.demo.generator.names import NAME_VARIANTS, surname_typo
from sightline.demo.generator.people import first_syllable, short_forms

# How a network adult's name is written, with weights ("none": nickname or identifiers only).
NAME_STYLES: Final[tuple[tuple[str, float], ...]] = (
    ("full", 12.0),  # Given Surname
    ("variant", 5.0),  # a spelling variant or known short form: "Steve Smith"
    ("short_form", 7.0),  # an unseen short form: "Kev Smith", "Seun Adeyemi"
    ("typo", 6.0),  # one letter of the surname wrong
    ("surname_first", 6.0),  # police style: "SMITH Kevin"
    ("surname_comma", 5.0),  # "Smith, Kevin"
    ("title", 5.0),  # "Mr Smith"
    ("initial_dot", 4.0),  # "K. Smith"
    ("initial", 4.0),  # "K Smith"
    ("hyphen_half", 5.0),  # "Kevin Boateng" for Kevin Attwell-Boateng
    ("title_hyphenated", 3.0),  # "Mr Attwell-Boateng"
    ("title_hyphen_half", 2.0),  # "Mr Attwell"
    ("given_only", 6.0),
    ("none", 30.0),
)
_HYPHEN_STYLES: Final = {"hyphen_half", "title_hyphenated", "title_hyphen_half"}

# An ordinary adult (a parent's partner, a neighbour): mostly written in full.
ORDINARY_NAME_STYLES: Final[tuple[tuple[str, float], ...]] = (
    ("full", 62.0),
    ("variant", 6.0),
    ("surname_first", 10.0),
    ("surname_comma", 8.0),
    ("initial_dot", 7.0),
    ("title", 4.0),
    ("initial", 3.0),
)

PHONE_STYLES: Final[tuple[tuple[str, float], ...]] = (
    ("spaced", 20.0),  # 07700 900123
    ("digits", 12.0),  # 07700900123
    ("spaced_3", 8.0),  # 07700 900 123
    ("dashed", 8.0),  # 07700-900-123
    ("intl_spaced", 10.0),  # +44 7700 900123
    ("intl", 8.0),  # +447700900123
    ("intl_zero", 6.0),  # +44 (0)7700 900123
    ("intl_0044", 8.0),  # 0044 7700 900123
    ("no_zero", 12.0),  # 7700 900123
)

PLATE_STYLES: Final[tuple[tuple[str, float], ...]] = (
    ("full", 30.0),  # AB12 CDE
    ("joined", 10.0),  # AB12CDE
    ("first_part", 8.0),  # AB12
    ("last_part", 7.0),  # …CDE
    ("words_starts", 10.0),  # starts AB12
    ("words_ends", 10.0),  # ends in CDE
    ("misread", 15.0),  # A812 CDE: one of 0/O, 1/I, 5/S, 8/B confused
)
# Plates written with all seven characters (an unnamed mention needs one, or a phone).
WHOLE_PLATE_STYLES: Final = frozenset({"full", "joined"})
CONFUSED: Final[dict[str, str]] = {
    "0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8",
}  # fmt: skip


def _title(rng: random.Random, sex: str) -> str:
    return "Mr" if sex == "male" else rng.choice(("Ms", "Mrs", "Miss"))


def _half(rng: random.Random, family: str) -> str:
    return rng.choice(family.split("-"))


def _short(rng: random.Random, given: str, family: str) -> str:
    forms = [f for f in short_forms(given) if f != family] or [first_syllable(given)]
    return rng.choice(forms)


def written_name(
    rng: random.Random,
    given: str,
    family: str,
    sex: str,
    styles: tuple[tuple[str, float], ...] = NAME_STYLES,
) -> tuple[str, str]:
    """(the name as written, its style)."""
    style = weighted(rng, styles)
    if style in _HYPHEN_STYLES and "-" not in family:
        style = "full"
    if style == "variant" and given not in NAME_VARIANTS:
        style = "short_form" if styles is NAME_STYLES else "full"
    makers: dict[str, Callable[[], str]] = {
        "full": lambda: f"{given} {family}",
        "variant": lambda: f"{rng.choice(NAME_VARIANTS.get(given, (given,)))} {family}",
        "short_form": lambda: f"{_short(rng, given, family)} {family}",
        "typo": lambda: f"{given} {surname_typo(rng, family)}",
        "surname_first": lambda: f"{family.upper()} {given}",
        "surname_comma": lambda: f"{family}, {given}",
        "title": lambda: f"{_title(rng, sex)} {family}",
        "initial_dot": lambda: f"{given[0]}. {family}",
        "initial": lambda: f"{given[0]} {family}",
        "hyphen_half": lambda: f"{given} {_half(rng, family)}",
        "title_hyphenated": lambda: f"{_title(rng, sex)} {family}",
        "title_hyphen_half": lambda: f"{_title(rng, sex)} {_half(rng, family)}",
        "given_only": lambda: given,
        "none": lambda: "",
    }
    return makers[style](), style


def written_phone(rng: random.Random, canonical: str) -> tuple[str, str]:
    """``canonical`` ("07700 900123") as a referrer writes it, and the style."""
    style = weighted(rng, PHONE_STYLES)
    return phone_as(canonical, style), style


def phone_as(canonical: str, style: str) -> str:
    """``canonical`` ("07700 900123") written in ``style`` (one of ``PHONE_STYLES``)."""
    digits = canonical.replace(" ", "")
    national = digits[1:]  # 7700900123
    return {
        "spaced": canonical,
        "digits": digits,
        "spaced_3": f"{digits[:5]} {digits[5:8]} {digits[8:]}",
        "dashed": f"{digits[:5]}-{digits[5:8]}-{digits[8:]}",
        "intl_spaced": f"+44 {national[:4]} {national[4:]}",
        "intl": f"+44{national}",
        "intl_zero": f"+44 (0){national[:4]} {national[4:]}",
        "intl_0044": f"0044 {national[:4]} {national[4:]}",
        "no_zero": f"{national[:4]} {national[4:]}",
    }[style]


def _misread(rng: random.Random, plate: str) -> str | None:
    positions = [i for i, ch in enumerate(plate) if ch in CONFUSED]
    if not positions:
        return None
    i = rng.choice(positions)
    return plate[:i] + CONFUSED[plate[i]] + plate[i + 1 :]


def written_plate(rng: random.Random, plate: str) -> tuple[str, str]:
    """``plate`` ("AB12 CDE") as a witness or referrer notes it (at most 12 characters, the
    referral form's limit), and the style."""
    first, last = plate.split(" ")
    style = weighted(rng, PLATE_STYLES)
    if style == "misread":
        misread = _misread(rng, plate)
        if misread is not None:
            return misread, style
        style = "full"
    text = {
        "full": plate,
        "joined": first + last,
        "first_part": first,
        "last_part": "\u2026" + last,
        "words_starts": f"{rng.choice(('starts', 'begins'))} {first}",
        "words_ends": f"{rng.choice(('ends in', 'ends'))} {last}",
    }[style]
    return text, style
