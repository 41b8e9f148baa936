"""Network patterns: the same adult or place across children, and the peers of a known victim
(P4, P5, P19). P4 and P5 read intel's resolved entities (its mentions); intel raises their live
alerts (person, vehicle and place alerts), so here they are listed, not raised again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from django.utils import timezone

from sightline.reviews.detectors.base import RAISED_LEVELS, Detector, Evidence, Hit, day
from sightline.reviews.detectors.history import History, Naming


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _shared(h: History, p: dict[str, Any], types: tuple[str, ...], code: str) -> list[Hit]:
    by_entity: dict[uuid.UUID, list[Naming]] = defaultdict(list)
    for n in [*h.namings, *h.shared]:
        if n.entity_type in types:
            by_entity[n.entity_id].append(n)
    hits = []
    for namings in by_entity.values():
        namings.sort(key=lambda n: n.at)
        children: set[uuid.UUID] = set()
        agencies: set[str] = set()
        upto: list[Naming] = []
        for n in namings:
            children.add(n.child_id)
            agencies.add(n.agency)
            upto.append(n)
            if (
                h.child_id in children
                and len(children) >= int(p["children"])
                and len(agencies) >= int(p["agencies"])
            ):
                break
        else:
            continue
        what = "place" if code == "P5" else namings[0].entity_type
        hits.append(Hit(
            code, h.child_id, h.child_ref, _local(upto[-1].at),
            f"{h.child_ref}: the same {what} is named about {len(children)} children by "
            f"{len(agencies)} agencies",
            tuple(Evidence("mention", n.source_ref, n.agency, day(n.at)) for n in upto),
        ))  # fmt: skip
    return hits


def same_adult(h: History, p: dict[str, Any]) -> list[Hit]:
    """P4: the same adult (resolved by name, nickname, phone, vehicle or handle) named about
    this child and at least one other, by at least two agencies."""
    return _shared(h, p, ("person", "vehicle", "phone", "handle"), "P4")


def same_place(h: History, p: dict[str, Any]) -> list[Hit]:
    """P5: the same place named about this child and others."""
    return _shared(h, p, ("place",), "P5")


def peers_not_screened(h: History, p: dict[str, Any]) -> list[Hit]:
    """P19: this child screened medium or high, and a sibling or peer on the same referral
    with no CSE screening within N days."""
    raised = [s for s in h.screenings if s.level in RAISED_LEVELS]
    if not raised:
        return []
    first = raised[0]
    by = first.screened_at + dt.timedelta(days=int(p["days"]))
    if by > timezone.now():
        return []
    missed = {}
    for pid, pref, ref, at in h.peers:
        if at > by:
            continue
        if any(t <= by for t in h.peer_screened.get(pid, [])):
            continue
        missed[pid] = (pref, ref, at)
    if not missed:
        return []
    return [Hit(
        "P19", h.child_id, h.child_ref, _local(by),
        f"{h.child_ref} was screened {first.level}; {len(missed)} sibling(s) or peer(s) on the "
        f"same referrals not screened within {p['days']} days: "
        + ", ".join(sorted(v[0] for v in missed.values())),
        (Evidence("screening", first.reference, first.agency, day(first.screened_at)),
         *(Evidence("referral", ref, "", day(at)) for _pref, ref, at in missed.values())),
    )]  # fmt: skip


DETECTORS = [
    Detector(
        "P4", "Same adult across children",
        "The same adult (matched by name, nickname, phone, vehicle or online handle) named "
        "about two or more children, by two or more agencies.",
        "Refer the adult to MACE as a person of concern; screen every child linked to them.",
        "Adults matched below intel's confidence threshold or rejected by a practitioner; "
        "names given only in free text.",
        {"children": 2, "agencies": 2}, same_adult,
        raised_by="intel (person and vehicle alerts)", group="network",
    ),
    Detector(
        "P5", "Same place across children",
        "The same place (address, takeaway, hotel, taxi firm, park) named about two or more "
        "children, by two or more agencies.",
        "Take the place to MACE as a location of concern; consider disruption.",
        "Places named only in free text; places not resolved to one entity.",
        {"children": 2, "agencies": 2}, same_place,
        raised_by="intel (place alerts)", group="network",
    ),
    Detector(
        "P19", "Siblings or peers of a victim not screened",
        "A child screened medium or high, and a sibling or peer on the same referrals with no "
        "CSE screening within N days.",
        "Screen the siblings and peers; share the concern with their schools.",
        "Peers named only in narratives or events (no child record); friendship groups known "
        "to the police only.",
        {"days": 30}, peers_not_screened, live_on=frozenset({"sweep"}), group="network",
    ),
]  # fmt: skip
