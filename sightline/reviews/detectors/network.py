"""Network patterns: the same adult or place across children, and the peers of a known victim
(P4, P5, P19). P4 and P5 read intel's resolved entities (its mentions); intel raises their live
alerts (person, vehicle and place alerts), so here they are listed, not raised again."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from django.utils import timezone

from sightline.intel.rules import Link, entity_links, evaluate
from sightline.reviews.detectors.base import RAISED_LEVELS, Detector, Evidence, Hit, day
from sightline.reviews.detectors.history import History


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _same(links: list[Link], _entity_id: uuid.UUID) -> list[Link]:
    return links


def _no_vehicles(_entity_id: uuid.UUID) -> set[uuid.UUID]:
    return set()


def _intel_rule(h: History, p: dict[str, Any], types: tuple[str, ...], code: str) -> list[Hit]:
    """Intel's own alert rule (`intel.rules.evaluate`: households, not children; a place only
    in exploitation concerns within 90 days) replayed over the entity's links in date order:
    the first link after which the rule holds with this child among the children is the day
    the hit could first have been seen."""
    entities = {n.entity_id: n.entity_type for n in h.namings if n.entity_type in types}
    hits = []
    mine = str(h.child_id)
    for entity_id, entity_type in entities.items():
        links = sorted(entity_links(entity_id), key=lambda link: link.occurred_at)
        for k in range(2, len(links) + 1):
            upto = links[:k]
            held = evaluate(
                entity_type,
                entity_id,
                links_of=partial(_same, upto),
                vehicles_of=_no_vehicles,
            ).get(str(p["trigger"]))
            if held is None or not held.holds:
                continue
            if not any(c == mine for link in held.links for c, _r, _h in link.children):
                continue
            children = {c for link in held.links for c, _r, _h in link.children}
            agencies = {link.agency for link in held.links}
            what = "place" if code == "P5" else entity_type
            hits.append(Hit(
                code, h.child_id, h.child_ref, _local(upto[-1].occurred_at),
                f"{h.child_ref}: the same {what} is named about {len(children)} children by "
                f"{len(agencies)} agencies",
                tuple(Evidence("mention", link.referral_ref, link.agency, day(link.occurred_at))
                      for link in held.links),
            ))  # fmt: skip
            break
    return hits


def same_adult(h: History, p: dict[str, Any]) -> list[Hit]:
    """P4: the same adult or vehicle (resolved by intel: name, nickname, phone, registration)
    named about children in two households (intel's person and vehicle rule)."""
    return _intel_rule(h, p, ("person", "vehicle"), "P4")


def same_place(h: History, p: dict[str, Any]) -> list[Hit]:
    """P5: the same place named in exploitation concerns about children in two households
    within 90 days (intel's place rule)."""
    return _intel_rule(h, p, ("place",), "P5")


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
        "The same adult or vehicle (matched by name, nickname, phone or registration) named "
        "about children in two households (intel's rule; 'agencies2' asks for two agencies).",
        "Refer the adult to MACE as a person of concern; screen every child linked to them.",
        "Adults matched below intel's confidence threshold or rejected by a practitioner; "
        "names given only in free text.",
        {"trigger": "children2"}, same_adult,
        raised_by="intel (person and vehicle alerts)", group="network",
    ),
    Detector(
        "P5", "Same place across children",
        "The same place (address, takeaway, hotel, taxi firm, park) named in exploitation "
        "concerns about children in two households within 90 days (intel's rule).",
        "Take the place to MACE as a location of concern; consider disruption.",
        "Places named only in free text; places not resolved to one entity.",
        {"trigger": "children2"}, same_place,
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
