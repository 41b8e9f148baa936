"""Measuring linking and alerting against a synthetic borough's ground truth (tests, bench).

The truth never enters the database: mentions are matched back to the generator's mention
keys by referral narrative and the fields as written.

- Recall of planted adult-child links: for each planted adult, the entity holding most of
  their mentions is "theirs"; a planted (adult, child) pair is recovered when that entity is
  linked (origin, exact, probable or confirmed; nobody confirms anything) to the child.
- Precision: of the (entity, child) pairs of those entities, the share that are planted
  pairs of the adult the entity stands for (an ordinary adult or another network adult
  merged in counts against it).
- First alert: the referral at which the first person_multiple_children alert naming a
  network's adults fired, against the generator's earliest possible referral.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sightline.demo.generator import Borough
from sightline.intel.choices import AlertKind, EntityType
from sightline.intel.models import Alert, Mention
from sightline.referrals.models import PersonNamed, Referral, ReferralChild


@dataclass(frozen=True)
class Quality:
    recall: float
    precision: float
    planted_pairs: int
    linked_pairs: int  # (entity, child) pairs of the planted adults' entities
    first_alert_lag: dict[str, int | None]  # network -> referrals after the earliest possible
    networks_alerted: int
    networks: int
    alerts: int
    referrals: int
    # planted (adult key, child key) pairs not recovered, for reports and diagnosis
    missed: tuple[tuple[str, str], ...] = ()

    @property
    def alerts_per_100(self) -> float:
        return 100.0 * self.alerts / max(1, self.referrals)


def _key(p: Any) -> tuple[str, str, str, str]:
    return (p.name, p.nickname, p.phone, p.vehicle_registration.upper())


@dataclass(frozen=True)
class _Matched:
    """The loaded rows matched back to the borough's specs."""

    referral_order: dict[uuid.UUID, int]  # referral -> position in arrival order
    spec_key_of_ref: dict[uuid.UUID, str]  # referral -> the spec's key
    truth_of_named: dict[uuid.UUID, str]  # PersonNamed -> mention key
    child_key_by_id: dict[uuid.UUID, str]  # child -> the spec's child key


def _matched(borough: Borough) -> _Matched:
    spec_by_narrative = {r.narrative: r for r in borough.referrals}
    spec_by_key = {r.key: r for r in borough.referrals}
    spec_key_of_ref: dict[uuid.UUID, str] = {}
    for pk, narrative in Referral.objects.values_list("id", "narrative"):
        spec = spec_by_narrative.get(narrative)
        if spec is not None:
            spec_key_of_ref[pk] = spec.key
    truth_of_named: dict[uuid.UUID, str] = {}
    for named in PersonNamed.objects.all():
        spec_key = spec_key_of_ref.get(named.referral_id)
        if spec_key is None:
            continue
        for p in spec_by_key[spec_key].persons_named:
            if _key(p) == _key(named):
                truth_of_named[named.pk] = p.mention_key
                break
    child_key_by_id: dict[uuid.UUID, str] = {}
    for rc in ReferralChild.objects.select_related("child"):
        spec_key = spec_key_of_ref.get(rc.referral_id)
        if spec_key is not None:
            child_keys = spec_by_key[spec_key].child_keys
            if rc.position < len(child_keys):
                child_key_by_id[rc.child_id] = child_keys[rc.position]
    order = Referral.objects.order_by("received_at", "reference").values_list("id", flat=True)
    referral_order = {pk: i for i, pk in enumerate(order)}
    return _Matched(referral_order, spec_key_of_ref, truth_of_named, child_key_by_id)


def _planted(borough: Borough) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """The planted (adult key, child key) pairs, and the adult key of each network mention."""
    mention_spec = {p.mention_key: r for r in borough.referrals for p in r.persons_named}
    adult_of_mention: dict[str, str] = {}
    planted: set[tuple[str, str]] = set()
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            for key in adult["mention_keys"]:
                adult_of_mention[key] = adult["adult_key"]
                for child in mention_spec[key].child_keys:
                    planted.add((adult["adult_key"], child))
    return planted, adult_of_mention


def _entities(
    matched: _Matched, adult_of_mention: dict[str, str]
) -> tuple[dict[uuid.UUID, set[str]], dict[str, Counter[uuid.UUID]]]:
    """Each person entity's children, and for each planted adult the entities holding their
    mentions (with how many)."""
    entity_children: dict[uuid.UUID, set[str]] = defaultdict(set)
    entity_labels: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    children_of_referral: dict[uuid.UUID, list[str]] = defaultdict(list)
    for rid, cid in ReferralChild.objects.values_list("referral_id", "child_id"):
        if cid in matched.child_key_by_id:
            children_of_referral[rid].append(matched.child_key_by_id[cid])
    for entity_id, named_id, referral_id in Mention.objects.filter(
        entity_type=EntityType.PERSON
    ).values_list("entity_id", "person_named_id", "referral_id"):
        label = adult_of_mention.get(matched.truth_of_named.get(named_id, ""), "ordinary")
        entity_labels[entity_id][label] += 1
        entity_children[entity_id].update(children_of_referral[referral_id])
    adult_entities: dict[str, Counter[uuid.UUID]] = defaultdict(Counter)
    for entity_id, labels in entity_labels.items():
        for label, n in labels.items():
            if label != "ordinary":
                adult_entities[label][entity_id] += n
    return entity_children, adult_entities


def _first_alert_lag(
    borough: Borough, matched: _Matched, adult_entities: dict[str, Counter[uuid.UUID]]
) -> dict[str, int | None]:
    ref_order = matched.referral_order
    spec_order = {k: ref_order[pk] for pk, k in matched.spec_key_of_ref.items()}
    person_alerts = list(
        Alert.objects.filter(kind=AlertKind.PERSON_MULTIPLE_CHILDREN).values_list(
            "entity_id", "fired_by_id"
        )
    )
    lag: dict[str, int | None] = {}
    for network in borough.truth["networks"]:
        adults = {a["adult_key"] for a in network["adults"]}
        ents = {e for a in adults for e in adult_entities.get(a, {})}
        fired = [ref_order[f] for e, f in person_alerts if e in ents and f in ref_order]
        earliest = network["first_possible_alert_referral_key"]
        if earliest is None or earliest not in spec_order:
            continue
        lag[network["key"]] = (min(fired) - spec_order[earliest]) if fired else None
    return lag


def measure(borough: Borough) -> Quality:
    matched = _matched(borough)
    planted, adult_of_mention = _planted(borough)
    entity_children, adult_entities = _entities(matched, adult_of_mention)
    predicted = 0
    found: set[tuple[str, str]] = set()
    for adult, counts in adult_entities.items():
        entity_id = counts.most_common(1)[0][0]  # the entity that stands for the adult
        kids = entity_children[entity_id]
        found |= {(adult, c) for a, c in planted if a == adult and c in kids}
        predicted += len(kids)
    lag = _first_alert_lag(borough, matched, adult_entities)
    return Quality(
        recall=round(len(found) / max(1, len(planted)), 4),
        precision=round(len(found) / max(1, predicted), 4),
        planted_pairs=len(planted),
        linked_pairs=predicted,
        first_alert_lag=lag,
        networks_alerted=sum(1 for v in lag.values() if v is not None),
        networks=len(lag),
        alerts=Alert.objects.count(),
        referrals=len(matched.referral_order),
        missed=tuple(sorted(planted - found)),
    )
