"""The ground truth: which mentions belong to which network adult or place, and counts.

For scoring linking and alerting only; it must never be written into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sightline.demo.generator.period import Calendar
from sightline.demo.generator.plans import Adult, ChildPlan, Network
from sightline.demo.generator.specs import PersonNamed, ReferralSpec
from sightline.demo.generator.vocab import AGENCIES, AGENCY_KINDS, BOROUGH_NAME


@dataclass
class TruthRecorder:
    """Mention keys recorded as referrals are composed, in chronological order."""

    adult_mentions: dict[str, list[str]] = field(default_factory=dict)
    place_mentions: dict[str, list[str]] = field(default_factory=dict)
    ordinary_persons: list[str] = field(default_factory=list)
    # each ordinary adult's mentions, by a key of the household unit and role ("u12/coach"):
    # who is who among the adults the matcher must keep apart, for precision at scale
    ordinary_adults: dict[str, list[str]] = field(default_factory=dict)
    ordinary_places: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Index:
    referral_of_mention: dict[str, ReferralSpec]
    person_by_key: dict[str, PersonNamed]

    @classmethod
    def of(cls, referrals: tuple[ReferralSpec, ...]) -> _Index:
        referral_of_mention: dict[str, ReferralSpec] = {}
        for referral in referrals:
            for person in referral.persons_named:
                referral_of_mention[person.mention_key] = referral
            for place in referral.places_named:
                referral_of_mention[place.mention_key] = referral
        person_by_key = {p.mention_key: p for r in referrals for p in r.persons_named}
        return cls(referral_of_mention, person_by_key)


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-10:]


def _first_alert(index: _Index, keys: list[str]) -> ReferralSpec | None:
    """The referral at which an adult has first been named about two children."""
    seen_children: set[str] = set()
    for mention_key in keys:  # in chronological order
        referral = index.referral_of_mention[mention_key]
        seen_children.update(referral.child_keys)
        if len(seen_children) >= 2:
            return referral
    return None


def _adult_truth(adult: Adult, keys: list[str], second: ReferralSpec | None) -> dict[str, Any]:
    return {
        "adult_key": adult.key,
        "canonical_name": f"{adult.given} {adult.family}",
        "nickname": adult.nickname,
        "sex": adult.sex,
        "age_at_start": adult.age,
        "phone": adult.phone,
        "phones": list(adult.phones),
        "vehicle_registration": adult.vehicle or "",
        "address": adult.address,
        "mention_keys": keys,
        "traits": list(adult.traits),
        # the referral at which a second child names the adult: the alert is due there
        "second_child_referral_key": second.key if second else None,
    }


def _network_truth(
    network: Network,
    referrals: tuple[ReferralSpec, ...],
    children: list[ChildPlan],
    recorder: TruthRecorder,
    index: _Index,
) -> dict[str, Any]:
    net_referrals = [r for r in referrals if r.network_key == network.key]
    alert_at: ReferralSpec | None = None
    adults_out: list[dict[str, Any]] = []
    vehicles: list[str] = []
    phones: list[str] = []
    for adult in network.adults:
        keys = recorder.adult_mentions.get(adult.key, [])
        first = _first_alert(index, keys)
        if first is not None and (alert_at is None or first.received_at < alert_at.received_at):
            alert_at = first
        mentions = [index.person_by_key[k] for k in keys]
        if adult.vehicle and any(m.vehicle_registration for m in mentions):
            vehicles.append(adult.vehicle)
        written = {_digits(m.phone) for m in mentions if m.phone}
        phones += [p for p in adult.phones if _digits(p) in written]
        adults_out.append(_adult_truth(adult, keys, first))
    return {
        "key": network.key,
        "adults": adults_out,
        "places": [
            {
                "place_key": place.key,
                "name": place.name,
                "kind": place.kind,
                "address": place.address,
                "postcode": place.postcode,
                "mention_keys": recorder.place_mentions.get(place.key, []),
            }
            for place in network.places
        ],
        "vehicles": vehicles,
        "phones": phones,
        "child_keys": [children[c].key for c in network.children],
        "referral_keys": [r.key for r in net_referrals],
        "agency_keys": sorted({r.agency_key for r in net_referrals}),
        "period": [network.start.isoformat(), network.end.isoformat()],
        "first_possible_alert_referral_key": alert_at.key if alert_at else None,
    }


def _counts(
    *,
    staff: int,
    children: int,
    referrals: tuple[ReferralSpec, ...],
    networks: list[dict[str, Any]],
    recorder: TruthRecorder,
) -> dict[str, Any]:
    by_agency: dict[str, int] = dict.fromkeys(AGENCY_KINDS, 0)
    for referral in referrals:
        by_agency[referral.agency_key] += 1
    return {
        "agencies": len(AGENCIES),
        "staff": staff,
        "children": children,
        "referrals": len(referrals),
        "sibling_referrals": sum(1 for r in referrals if len(r.child_keys) > 1),
        "networks": len(networks),
        "network_children": sum(len(n["child_keys"]) for n in networks),
        "network_referrals": sum(len(n["referral_keys"]) for n in networks),
        "person_mentions": sum(len(r.persons_named) for r in referrals),
        "network_person_mentions": sum(
            len(a["mention_keys"]) for n in networks for a in n["adults"]
        ),
        "ordinary_person_mentions": len(recorder.ordinary_persons),
        "place_mentions": sum(len(r.places_named) for r in referrals),
        "network_place_mentions": sum(
            len(p["mention_keys"]) for n in networks for p in n["places"]
        ),
        "ordinary_place_mentions": len(recorder.ordinary_places),
        "referrals_by_agency": by_agency,
    }


def truth_build(
    *,
    seed: int,
    calendar: Calendar,
    networks: list[Network],
    children: list[ChildPlan],
    staff: int,
    referrals: tuple[ReferralSpec, ...],
    recorder: TruthRecorder,
) -> dict[str, Any]:
    index = _Index.of(referrals)
    networks_out = [
        _network_truth(network, referrals, children, recorder, index) for network in networks
    ]
    return {
        "seed": seed,
        "borough": BOROUGH_NAME,
        "start": calendar.start.isoformat(),
        "end": calendar.end.isoformat(),
        "networks": networks_out,
        "ordinary_person_mentions": list(recorder.ordinary_persons),
        "ordinary_adults": {k: list(v) for k, v in recorder.ordinary_adults.items()},
        # every person mention's styles (writing.py's vocabulary), network and ordinary
        "mention_styles": {
            p.mention_key: list(p.styles) for r in referrals for p in r.persons_named
        },
        "ordinary_place_mentions": list(recorder.ordinary_places),
        "counts": _counts(
            staff=staff,
            children=len(children),
            referrals=referrals,
            networks=networks_out,
            recorder=recorder,
        ),
    }
