"""Places named in concerns: the same place found again by name or by address and postcode,
similar names offered as candidates, an approximate position from the postcode. Runs inside
the caller's transaction; writes no audit rows."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from django.db.models import Q
from rapidfuzz.distance import JaroWinkler

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.entities import Ranked, new_reference
from sightline.intel.models import Place
from sightline.intel.normalise import fold
from sightline.people.matching import normalise_postcode


def place_name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))[:200]


# Synthetic postcode centroids (the demo borough's invented NB outward codes). A deployment
# would geocode from the ONS Postcode Directory instead.
_CENTROIDS = {
    "NB1": (53.480, -2.240),
    "NB2": (53.492, -2.205),
    "NB3": (53.466, -2.200),
    "NB4": (53.455, -2.260),
    "NB5": (53.505, -2.260),
    "NB6": (53.470, -2.290),
    "NB7": (53.515, -2.220),
    "NB8": (53.440, -2.225),
    "NB9": (53.498, -2.300),
}


def approximate_position(postcode: str) -> tuple[float, float] | None:
    code = normalise_postcode(postcode)
    centre = _CENTROIDS.get(code[:-3]) if len(code) >= 5 else None
    if centre is None:
        return None
    digest = hashlib.sha256(code.encode()).digest()
    return (
        round(centre[0] + (digest[0] - 128) / 128 * 0.008, 5),
        round(centre[1] + (digest[1] - 128) / 128 * 0.012, 5),
    )


def place_resolve(
    *, name: str, kind: str, address: str, postcode: str
) -> tuple[Place, str, float, tuple[str, ...], list[Ranked]]:
    """The place a mention names: the same name (and no conflicting postcode), or the same
    address and postcode, is the same place; similar names are offered as candidates."""
    key, pc = place_name_key(name), normalise_postcode(postcode)
    block = Q(pk__in=[])
    if key:
        block |= Q(name_key=key)
    if pc:
        block |= Q(postcode_key=pc)
    found = Place.objects.filter(block, is_active=True)[:100]
    best, reasons, others = place_match(found, key=key, pc=pc, address=address)
    if best is not None:
        if place_fill(best, postcode=postcode, address=address):
            best.save()
        return best, LinkStatus.EXACT, 1.0, reasons, others
    place = place_new(name=name, kind=kind, address=address, postcode=postcode)
    place.save()
    return place, LinkStatus.ORIGIN, 1.0, (), others


def place_match(
    places: Iterable[Place], *, key: str, pc: str, address: str
) -> tuple[Place | None, tuple[str, ...], list[Ranked]]:
    """The first of `places` (those sharing the name key or postcode) that is the same place,
    with its reasons, and the similar names worth offering."""
    addr = fold(address)
    best: Place | None = None
    reasons: tuple[str, ...] = ()
    others: list[Ranked] = []
    for place in places:
        same_name = bool(key) and place.name_key == key
        same_pc = bool(pc) and place.postcode_key == pc
        conflict = bool(pc and place.postcode_key and place.postcode_key != pc)
        same_addr = bool(addr) and fold(place.address) == addr
        if same_name and not conflict:
            if best is None:
                why = ["same place name"] + (["same postcode"] if same_pc else [])
                best, reasons = place, tuple(why)
        elif not key and same_pc and same_addr:
            if best is None:
                best, reasons = place, ("same address and postcode",)
        elif same_pc and key and place.name_key:
            sim = float(JaroWinkler.similarity(key, place.name_key))
            if sim >= 0.85:
                others.append(
                    Ranked(place.pk, place.reference, round(0.4 + sim / 2, 3), ("similar name",))
                )
    return best, reasons, others


def place_fill(place: Place, *, postcode: str, address: str) -> bool:
    """Fill a known place's missing postcode (and position) or address; True if it changed."""
    pc = normalise_postcode(postcode)
    changed = False
    if pc and not place.postcode:
        place.postcode, place.postcode_key, changed = postcode.strip().upper(), pc, True
        position = approximate_position(pc)
        if position and place.latitude is None:
            place.latitude, place.longitude = position
    if address and not place.address:
        place.address, changed = address.strip(), True
    return changed


def place_new(*, name: str, kind: str, address: str, postcode: str, reference: str = "") -> Place:
    """A new place (unsaved), its reference taken now unless given."""
    pc = normalise_postcode(postcode)
    position = approximate_position(pc) if pc else None
    return Place(
        reference=reference or new_reference(EntityType.PLACE),
        name=name.strip(),
        name_key=place_name_key(name),
        kind=kind or "other",
        address=address.strip(),
        postcode=postcode.strip().upper(),
        postcode_key=pc,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
    )
