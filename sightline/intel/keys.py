"""Blocking keys for the online candidate search (ADR 0206): the keys a person of concern is
stored under (`person_keys`, one `PersonKey` row each) and those a mention is looked up by
(`search_keys`). Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sightline.intel.normalise import (
    given_key,
    normalise_nickname,
    partial_shape,
    phonetic,
    plate_keys,
)

if TYPE_CHECKING:
    from sightline.intel.resolution import PersonFeatures

# Blocking keys (ADR 0206). Exact identifiers (`nm:`, `nick:`, `tel:`, `vrm:`, `adr:`) are
# looked up together; the broader name keys (`CAPPED_KEYS`) each read a bounded number of
# rows, so a common surname or first name costs one bounded index scan. `gp:` (first-name
# group and the surname's first three letters; `gpy:` with the birth decade, looked up
# instead when an age is given) finds a misspelt surname; `iy:` (initial, surname sound and
# birth decade) finds a short form the table does not know, or an initial. `gvo:` (a first
# name written with no surname: "Ikechukwu") is looked up by a full name with that first name,
# so that the full name finds the person first named by the first name alone (ADR 0211).
CAPPED_KEYS = ("fam:", "giv:", "ini:", "gp:", "gpy:", "iy:", "gvo:")
# The keys that identify a person (ADR 0218): a name with its sound, a nickname, a phone, a
# plate, an address, a first name given alone. Not the broad ones (a surname's sound, an
# initial, a birth decade), which many unrelated people share.
_BROAD = ("fam:", "ini:", "gp:", "gpy:", "iy:", "gvo:")


def identifying(keys: Iterable[str]) -> set[str]:
    """Of a person's search keys, those that identify them: what an intake locks."""
    return {k for k in keys if not k.startswith(_BROAD)}


def _decades(year: int, spread: int = 0) -> list[int]:
    return sorted({(year - spread) // 10, (year + spread) // 10})


def _name_keys(f: PersonFeatures, spread: int) -> list[str]:
    keys: list[str] = []
    sound = phonetic(f.family) if f.family else ""
    group = given_key(f.given) if f.given else ""
    if sound:
        keys.append(f"fam:{sound}")
        keys += [f"fam:{phonetic(part)}" for part in f.family_parts]
        if group:
            keys += [f"nm:{group}:{sound}", f"gp:{group}:{f.family[:3]}"]
            if f.birth_year:
                keys += [f"gpy:{group}:{f.family[:3]}:{d}" for d in _decades(f.birth_year, spread)]
        if f.initial:
            keys.append(f"ini:{f.initial}:{sound}")
            if f.birth_year:
                keys += [f"iy:{f.initial}:{sound}:{d}" for d in _decades(f.birth_year, spread)]
    if group:
        keys.append(f"giv:{group}")
        if not sound:
            keys.append(f"gvo:{group}")
    return keys


def nickname_key(nickname: str) -> str:
    """The key a (normalised) nickname is stored and looked up under, and counted by when many
    persons go by it (`ranking.generic_values`)."""
    return f"nick:{nickname}"[:60]


def person_keys(f: PersonFeatures) -> list[str]:
    """The blocking keys a mention is stored under once linked (and searched by)."""

    keys = _name_keys(f, 0)
    if f.nickname:
        keys.append(nickname_key(f.nickname))
    if f.phone:
        keys.append(f"tel:{f.phone}")
    if f.plate is not None:
        if f.plate.is_partial:
            keys.append(f"vrm:{f.plate.anchor}:{f.plate.value}")
        else:
            keys += [f"vrm:{k}" for k in plate_keys(f.plate.value)]
            keys.append(f"vrm:read:{plate_read_key(f.plate.value)}")
    if f.address:
        keys.append(f"adr:{f.address[:50]}")
    return list(dict.fromkeys(k[:60] for k in keys))


_MISREAD = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "Q": "0"})


def plate_read_key(compact: str) -> str:
    """A registration with the characters witnesses and typists confuse (O/0, I/1, S/5, B/8,
    Z/2) made one, so "AB12 CDE" and "A812 CDE" share a key."""
    return compact.translate(_MISREAD)


def search_keys(f: PersonFeatures) -> list[str]:
    """Keys to look up for a mention: its own; a partial plate's full-plate halves; the name
    read the other way round ("SMITH John": surname first); the birth decades within five
    years of the age given (an estimate). A first name alone is looked up only when no
    surname is given, an initial and surname only when no age is."""
    keys = [k for k in person_keys(f) if not k.startswith(("iy:", "gpy:", "giv:", "ini:", "gvo:"))]
    if f.plate is not None and f.plate.is_partial:
        keys.append(f"vrm:{f.plate.anchor}:{f.plate.value}")
        keys.append(f"vrm:{f.plate.anchor}:{partial_shape(f.plate)}")
    if f.plate is not None and not f.plate.is_partial and len(f.plate.value) == 7:
        keys += [f"vrm:start:{f.plate.value[:4]}", f"vrm:end:{f.plate.value[4:]}"]
    if f.given and f.family:
        keys.append(f"nm:{given_key(f.family)}:{phonetic(f.given)}")
    keys += [k for k in _name_keys(f, 5) if k.startswith(("iy:", "gpy:"))]
    if f.birth_year:  # the age-banded surname-prefix key stands for the plain one
        keys = [k for k in keys if not k.startswith("gp:")]
    if f.given and not f.family:
        keys.append(f"giv:{given_key(f.given)}")
    # the same name written once as a first name and once as a nickname (ADR 0211)
    if f.nickname and not f.given:
        keys.append(f"giv:{given_key(f.nickname)}")
    if f.given and normalise_nickname(f.given):
        keys.append(nickname_key(normalise_nickname(f.given)))
    if f.given and f.family:  # persons first named by this first name alone
        keys.append(f"gvo:{given_key(f.given)}")
    if f.initial and f.family and not f.birth_year:
        keys.append(f"ini:{f.initial}:{phonetic(f.family)}")
    return list(dict.fromkeys(k[:60] for k in keys))
