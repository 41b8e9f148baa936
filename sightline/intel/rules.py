"""Alert rules (practice reference §7.3 P4 and P5), evaluated for one entity at a time inside
the transaction of the intake or link decision that changed it.

- person_multiple_children: an adult linked to children in two households, from two
  referrals. Again, at high priority, for a third household (`children3`), a second agency
  (`agencies2`), or a vehicle of theirs seen with two households' children (`vehicle`).
- place_hotspot: a place named in exploitation concerns (`concerns.py`: a category ticked, a
  medium or high screening, or the narrative's indicators) about children in two households
  within 90 days (`children2`); again at three (`children3`).
- vehicle_multiple_children: a vehicle seen with children in two households (`children2`).

Children of one household (siblings at one address) count once: an adult named on two
siblings' referrals is a family matter already held by one worker, and counting them twice
made most of the false alerts on a borough with no planted networks.

A rule that holds only because of a probable (unconfirmed) link fires as *probable*; once it
holds on origin, exact and confirmed links alone it is *confirmed*.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from sightline.intel.choices import AlertKind, CandidateStatus, EntityType, LinkStatus, Priority
from sightline.intel.concerns import CONCERN_KEY, EXPLOITATION_CATEGORIES
from sightline.intel.models import MatchCandidate, Mention
from sightline.intel.normalise import fold
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild

HOTSPOT_DAYS = 90

KIND_FOR = {
    EntityType.PERSON: AlertKind.PERSON_MULTIPLE_CHILDREN,
    EntityType.PLACE: AlertKind.PLACE_HOTSPOT,
    EntityType.VEHICLE: AlertKind.VEHICLE_MULTIPLE_CHILDREN,
}
PRIORITY_FOR = {
    "children2": Priority.STANDARD,
    "children3": Priority.HIGH,
    "agencies2": Priority.HIGH,
    "vehicle": Priority.HIGH,
}


@dataclass(frozen=True)
class Link:
    mention_id: uuid.UUID
    referral_id: uuid.UUID
    referral_ref: str
    agency: str
    occurred_at: dt.datetime
    status: str
    score: float
    reasons: tuple[str, ...]
    said: str
    categories: frozenset[str]
    children: tuple[tuple[str, str, str], ...]  # (child id, reference, household)
    # each comparison's part in the link's probability (Mention.explanation["contributions"])
    contributions: tuple[dict[str, object], ...] = ()
    # an exploitation concern (concerns.py): a category ticked, the narrative's indicators or a
    # medium or high screening, as flagged on the mention
    concern: bool = False

    @property
    def households(self) -> set[str]:
        return {h for _c, _r, h in self.children}

    def evidence(self) -> dict[str, object]:
        return {
            "mention": str(self.mention_id),
            "referral": self.referral_ref,
            "agency": self.agency,
            "on": self.occurred_at.date().isoformat(),
            "children": [ref for _c, ref, _h in self.children],
            "link": self.status,
            "score": self.score,
            "probability": self.score,
            "contributions": list(self.contributions),
            "reasons": list(self.reasons),
            "said": self.said[:300],
        }


@dataclass
class Outcome:
    holds: bool = False
    confirmed: bool = False
    links: list[Link] = field(default_factory=list)
    # when the rule first held on these links, in the order they happened: a late link (the
    # second mention joined only when a third arrives) dates the alert to the second (§3)
    possible_at: dt.datetime | None = None


def household(address: str, postcode: str, family: str, child_id: uuid.UUID) -> str:
    addr = fold(address)
    if addr:
        return f"a:{addr}"
    if postcode:
        return f"p:{postcode.replace(' ', '').upper()}:{fold(family)}"
    return f"c:{child_id}"


def entity_links(entity_id: uuid.UUID) -> list[Link]:
    """The entity's mentions as links, with the ambiguous mentions that fit it (a mention
    fitting two persons about equally is linked to neither, and reaches both: it counts here
    as a probable link)."""
    # The ambiguous fits read first, as a list: `entity_id = x OR pk IN (subquery)` made
    # PostgreSQL scan every mention and hash every referral (0.5 s a call at 100,000
    # referrals, run for each entity an imported partner event touches).
    ambiguous = list(
        MatchCandidate.objects.filter(
            entity_id=entity_id, status=CandidateStatus.AMBIGUOUS
        ).values_list("mention_id", flat=True)
    )
    wanted = Q(entity_id=entity_id) | Q(pk__in=ambiguous) if ambiguous else Q(entity_id=entity_id)
    rows = list(
        Mention.objects.filter(wanted)
        .select_related("referral", "agency")
        .order_by("occurred_at", "created_at")
    )
    for m in rows:
        if m.entity_id != entity_id:
            m.link_status = LinkStatus.PROBABLE
    kids: dict[uuid.UUID, list[tuple[str, str, str]]] = {}
    for rid, cid, ref, address, postcode, family in ReferralChild.objects.filter(
        referral_id__in={m.referral_id for m in rows if m.referral_id is not None}
    ).values_list(
        "referral_id",
        "child_id",
        "child__reference",
        "child__address",
        "child__postcode",
        "child__family_name",
    ):
        kids.setdefault(rid, []).append((str(cid), ref, household(address, postcode, family, cid)))
    sourced = [m for m in rows if m.referral_id is None]
    if sourced:
        _source_children(sourced, kids)
    return [_link(m, kids) for m in rows]


def _source_children(
    mentions: list[Mention], kids: dict[uuid.UUID, list[tuple[str, str, str]]]
) -> None:
    """The children of mentions from another source (a partner event), keyed by source id."""
    wanted = {c for m in mentions for c in m.child_ids}
    found = {
        str(cid): (str(cid), ref, household(address, postcode, family, cid))
        for cid, ref, address, postcode, family in Child.objects.filter(pk__in=wanted).values_list(
            "pk", "reference", "address", "postcode", "family_name"
        )
    }
    for m in mentions:
        if m.source_id is not None:
            kids[m.source_id] = [found[c] for c in m.child_ids if c in found]


def _link(m: Mention, kids: dict[uuid.UUID, list[tuple[str, str, str]]]) -> Link:
    referral = m.referral
    source = m.source_key
    return Link(
        mention_id=m.pk,
        referral_id=source,
        referral_ref=referral.reference if referral is not None else m.source_ref,
        agency=m.agency.code,
        occurred_at=m.occurred_at,
        status=m.link_status,
        score=m.score,
        reasons=tuple(m.reasons),
        said=m.said,
        categories=frozenset(
            (referral.concern_categories if referral is not None else m.details.get("categories"))
            or ()
        ),
        children=tuple(kids.get(source, ())),
        contributions=tuple(m.explanation.get("contributions", ()) if m.explanation else ()),
        concern=bool((m.details or {}).get(CONCERN_KEY)),
    )


def _count_ok(links: list[Link], households: int, agencies: int = 1) -> bool:
    held = set().union(*(link.households for link in links)) if links else set()
    return (
        len(held) >= households
        and len({link.referral_id for link in links}) >= 2
        and len({link.agency for link in links}) >= agencies
    )


def _outcome(links: list[Link], households: int, agencies: int = 1) -> Outcome:
    if not _count_ok(links, households, agencies):
        return Outcome()
    firm = [link for link in links if link.status != LinkStatus.PROBABLE]
    return Outcome(
        True,
        _count_ok(firm, households, agencies),
        links,
        possible_at(links, lambda some: _count_ok(some, households, agencies)),
    )


def possible_at(links: list[Link], holds: Callable[[list[Link]], bool]) -> dt.datetime | None:
    """The time of the earliest link by which the rule held, counting every link known now."""
    ordered = sorted(links, key=lambda link: link.occurred_at)
    for i, link in enumerate(ordered):
        if holds(ordered[: i + 1]):
            return link.occurred_at
    return None


def _windowed(links: list[Link], households: int) -> Outcome:
    """The rule over any 90-day window (the latest window that satisfies it is the evidence)."""
    best = Outcome()
    span = dt.timedelta(days=HOTSPOT_DAYS)
    for end in links:
        window = [
            link for link in links if end.occurred_at - span <= link.occurred_at <= end.occurred_at
        ]
        result = _outcome(window, households)
        if result.holds and (not best.holds or result.confirmed or not best.confirmed):
            best = result
    return best


def vehicles_given_with(person_id: uuid.UUID) -> set[uuid.UUID]:
    """The vehicles named as this person's on some referral."""
    return set(
        Mention.objects.filter(
            via__entity_id=person_id, entity_type=EntityType.VEHICLE
        ).values_list("entity_id", flat=True)
    )


def evaluate(
    entity_type: str,
    entity_id: uuid.UUID,
    *,
    links_of: Callable[[uuid.UUID], list[Link]] = entity_links,
    vehicles_of: Callable[[uuid.UUID], set[uuid.UUID]] = vehicles_given_with,
) -> dict[str, Outcome]:
    """Which triggers hold for this entity now, with the links that make them hold.
    `links_of` and `vehicles_of` read the picture (the database unless the bulk indexer
    passes its own, in memory)."""
    links = links_of(entity_id)
    if entity_type == EntityType.PERSON:
        result = {
            "children2": _outcome(links, 2),
            "children3": _outcome(links, 3),
            "agencies2": _outcome(links, 2, agencies=2),
        }
        vehicle = Outcome()
        base = result["children2"]
        if base.holds:
            # Every vehicle of theirs is looked at (a set has no order): the rule is confirmed
            # when any vehicle is seen with two households' children on firm links alone.
            seen = [_outcome(links_of(vid), 2) for vid in sorted(vehicles_of(entity_id))]
            if any(s.holds for s in seen):
                firm = any(s.holds and s.confirmed for s in seen)
                vehicle = Outcome(True, base.confirmed and firm, base.links, base.possible_at)
        result["vehicle"] = vehicle
        return result
    if entity_type == EntityType.PLACE:
        concerns = [
            link for link in links if link.concern or link.categories & EXPLOITATION_CATEGORIES
        ]
        return {"children2": _windowed(concerns, 2), "children3": _windowed(concerns, 3)}
    if entity_type == EntityType.VEHICLE:
        return {"children2": _outcome(links, 2), "children3": _outcome(links, 3)}
    return {}
