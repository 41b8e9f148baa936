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


def measure(borough: Borough) -> Quality:
    spec_by_narrative = {r.narrative: r for r in borough.referrals}
    referrals = {r.pk: r for r in Referral.objects.only("id", "reference", "narrative")}
    spec_key_of_ref: dict[uuid.UUID, str] = {}
    for pk, ref in referrals.items():
        spec = spec_by_narrative.get(ref.narrative)
        if spec is not None:
            spec_key_of_ref[pk] = spec.key
    spec_by_key = {r.key: r for r in borough.referrals}
    # mention key for each PersonNamed row
    truth_of_named: dict[uuid.UUID, str] = {}
    for named in PersonNamed.objects.all():
        spec_key = spec_key_of_ref.get(named.referral_id)
        if spec_key is None:
            continue
        for p in spec_by_key[spec_key].persons_named:
            if _key(p) == _key(named):
                truth_of_named[named.pk] = p.mention_key
                break
    adult_of_mention: dict[str, str] = {}
    network_of_adult: dict[str, str] = {}
    planted: set[tuple[str, str]] = set()
    child_key_by_id: dict[uuid.UUID, str] = {}
    by_child_ref = {c.key: c for c in borough.children}
    _ = by_child_ref
    for rc in ReferralChild.objects.select_related("child"):
        spec_key = spec_key_of_ref.get(rc.referral_id)
        if spec_key is not None:
            spec = spec_by_key[spec_key]
            if rc.position < len(spec.child_keys):
                child_key_by_id[rc.child_id] = spec.child_keys[rc.position]
    mention_spec = {p.mention_key: r for r in borough.referrals for p in r.persons_named}
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            network_of_adult[adult["adult_key"]] = network["key"]
            for key in adult["mention_keys"]:
                adult_of_mention[key] = adult["adult_key"]
                for child in mention_spec[key].child_keys:
                    planted.add((adult["adult_key"], child))
    # entity -> children, entity -> truth labels of its mentions
    entity_children: dict[uuid.UUID, set[str]] = defaultdict(set)
    entity_labels: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    children_of_referral: dict[uuid.UUID, list[str]] = defaultdict(list)
    for rid, cid in ReferralChild.objects.values_list("referral_id", "child_id"):
        if cid in child_key_by_id:
            children_of_referral[rid].append(child_key_by_id[cid])
    for m in Mention.objects.filter(entity_type=EntityType.PERSON).values_list(
        "entity_id", "person_named_id", "referral_id"
    ):
        entity_id, named_id, referral_id = m
        label = adult_of_mention.get(truth_of_named.get(named_id, ""), "ordinary")
        entity_labels[entity_id][label] += 1
        entity_children[entity_id].update(children_of_referral[referral_id])
    adult_entities: dict[str, Counter[uuid.UUID]] = defaultdict(Counter)
    for entity_id, labels in entity_labels.items():
        for label, n in labels.items():
            if label != "ordinary":
                adult_entities[label][entity_id] += n
    predicted = 0
    found: set[tuple[str, str]] = set()
    for adult, counts in adult_entities.items():
        entity_id = counts.most_common(1)[0][0]
        kids = entity_children[entity_id]
        found |= {(adult, c) for a, c in planted if a == adult and c in kids}
        predicted += len(kids)
    recall = len(found) / max(1, len(planted))
    precision = len(found) / max(1, predicted)
    # first alerts
    ref_order = {
        pk: i
        for i, pk in enumerate(
            Referral.objects.order_by("received_at", "reference").values_list("id", flat=True)
        )
    }
    spec_order = {k: ref_order[pk] for pk, k in spec_key_of_ref.items()}
    lag: dict[str, int | None] = {}
    person_alerts = list(
        Alert.objects.filter(kind=AlertKind.PERSON_MULTIPLE_CHILDREN).values_list(
            "entity_id", "fired_by_id"
        )
    )
    for network in borough.truth["networks"]:
        adults = {a["adult_key"] for a in network["adults"]}
        ents = {e for a in adults for e in adult_entities.get(a, {})}
        fired = [ref_order[f] for e, f in person_alerts if e in ents and f in ref_order]
        earliest = network["first_possible_alert_referral_key"]
        if earliest is None or earliest not in spec_order:
            continue
        lag[network["key"]] = (min(fired) - spec_order[earliest]) if fired else None
    return Quality(
        recall=round(recall, 4),
        precision=round(precision, 4),
        planted_pairs=len(planted),
        linked_pairs=predicted,
        first_alert_lag=lag,
        networks_alerted=sum(1 for v in lag.values() if v is not None),
        networks=len(lag),
        alerts=Alert.objects.count(),
        referrals=len(referrals),
        missed=tuple(sorted(planted - found)),
    )
