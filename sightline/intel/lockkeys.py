"""The keys an intake or a partner event locks before it reads the picture (ADR 0218): what
identifies each place, phone, plate and adult it names. Pure; `core.keylocks` takes them."""

from __future__ import annotations

from collections.abc import Iterable

from sightline.intel.keys import identifying
from sightline.intel.normalise import Plate
from sightline.intel.places import place_name_key
from sightline.people.matching import normalise_postcode


def picture_keys(
    *,
    places: Iterable[tuple[str, str]],
    numbers: Iterable[str],
    plates: Iterable[Plate | None],
    person_keys: Iterable[str],
) -> set[str]:
    """`places`: (name, postcode) of each place named; `numbers`: normalised phone numbers
    ("" for none); `plates`: normalised plates (None for none); `person_keys`: the search keys
    of the adults named, of which the identifying ones are locked."""
    keys: set[str] = set()
    for name, postcode in places:
        name_key, code = place_name_key(name), normalise_postcode(postcode)
        if name_key:
            keys.add(f"pl:n:{name_key}")
        if code:
            keys.add(f"pl:p:{code}")
    keys |= {f"tel:{n}" for n in numbers if n}
    keys |= {f"vrm:{p.anchor}:{p.value}" for p in plates if p is not None}
    return keys | identifying(person_keys)
