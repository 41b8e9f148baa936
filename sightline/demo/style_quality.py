"""Linking and alerting measured by how each mention was written (issue 12 section 5).

The generator records each person mention's styles in ``truth["mention_styles"]``
("name:surname_first", "phone:no_zero", "plate:words_starts", "ordinary:shares_surname").
Against the loaded and indexed borough this counts, per style:

- joined: network mentions of the style on the entity that stands for their adult (the entity
  holding most of the adult's mentions, as ``quality.measure`` takes it), over all network
  mentions of the style. This is recall as a practitioner sees it: this way of writing the
  adult reached the adult's record.
- wrong: mentions of the style on an adult's entity that are not that adult's (an ordinary
  namesake or another network adult), over all mentions of the style on adults' entities:
  1 - precision.
- on time: for each planted adult, the referral at which a second child names them
  (``second_child_referral_key``); the alert is on time when a person alert on one of the
  adult's entities was fired by that referral or earlier (probable or confirmed; a late link
  that dates its alert to that referral counts). Counted under the styles of the adult's
  mention on that referral.
- false person alerts: alerts on entities that stand for no planted adult, under the name
  styles of the mentions on them (on a no-network borough, every alert is false).

Everything here is measurement for tests and bench/; the truth never enters the database."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sightline.demo.generator import Borough
from sightline.demo.quality import _Matched, _matched
from sightline.intel.choices import AlertKind, AlertStatus, EntityType
from sightline.intel.models import Alert, Mention

ANY = "any"  # counted for every mention, whatever its style


@dataclass
class StyleCounts:
    mentions: Counter[str] = field(default_factory=Counter)
    joined: Counter[str] = field(default_factory=Counter)
    on_adults: Counter[str] = field(default_factory=Counter)
    wrong: Counter[str] = field(default_factory=Counter)
    due: Counter[str] = field(default_factory=Counter)
    on_time: Counter[str] = field(default_factory=Counter)
    dated_back: Counter[str] = field(default_factory=Counter)
    false_alerts: Counter[str] = field(default_factory=Counter)
    adults: int = 0
    adults_on_time: int = 0
    adults_dated_back: int = 0  # alerted later, dated back to that referral (a late link)
    person_alerts: int = 0
    false_person_alerts: int = 0
    # mentions that did not reach their adult's entity, for the failure notes
    misses: list[dict[str, Any]] = field(default_factory=list)
    late: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {k: (dict(v) if isinstance(v, Counter) else v) for k, v in self.__dict__.items()}


def _entity_of_mention(matched: _Matched) -> dict[str, uuid.UUID]:
    out: dict[str, uuid.UUID] = {}
    rows = Mention.objects.filter(entity_type=EntityType.PERSON).values_list(
        "entity_id", "person_named_id"
    )
    for entity_id, named_id in rows:
        key = matched.truth_of_named.get(named_id)
        if key is not None:
            out[key] = entity_id
    return out


def _written(borough: Borough) -> dict[str, dict[str, str]]:
    return {
        p.mention_key: {
            k: v
            for k, v in (
                ("name", p.name),
                ("nickname", p.nickname),
                ("phone", p.phone),
                ("plate", p.vehicle_registration),
            )
            if v
        }
        for r in borough.referrals
        for p in r.persons_named
    }


def _adult_entities(
    borough: Borough, entity_of: dict[str, uuid.UUID]
) -> dict[str, tuple[uuid.UUID | None, set[uuid.UUID]]]:
    """Each planted adult's own entity (most of their mentions) and every entity they are on."""
    out: dict[str, tuple[uuid.UUID | None, set[uuid.UUID]]] = {}
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            held = Counter(entity_of[k] for k in adult["mention_keys"] if k in entity_of)
            own = held.most_common(1)[0][0] if held else None
            out[adult["adult_key"]] = (own, set(held))
    return out


@dataclass(frozen=True)
class _Fired:
    order: int  # arrival position of the referral that fired the alert
    possible_at: datetime | None  # when the rule first held, where the matcher records it


def _alerts_fired(matched: _Matched) -> dict[uuid.UUID, list[_Fired]]:
    """Entity -> the person alerts on it (not withdrawn)."""
    fired: dict[uuid.UUID, list[_Fired]] = defaultdict(list)
    alerts = Alert.objects.filter(kind=AlertKind.PERSON_MULTIPLE_CHILDREN).exclude(
        status=AlertStatus.WITHDRAWN
    )
    for alert in alerts:
        if alert.fired_by_id in matched.referral_order:
            at = matched.referral_order[alert.fired_by_id]
            fired[alert.entity_id].append(_Fired(at, getattr(alert, "possible_at", None)))
    return fired


def _linking(
    borough: Borough, styles: dict[str, list[str]], entity_of: dict[str, uuid.UUID]
) -> tuple[StyleCounts, dict[str, tuple[uuid.UUID | None, set[uuid.UUID]]], set[uuid.UUID]]:
    """Mentions joined to their adult's record and mentions wrongly on an adult's record."""
    written = _written(borough)
    adults = _adult_entities(borough, entity_of)
    owner: dict[uuid.UUID, str] = {own: a for a, (own, _) in adults.items() if own is not None}
    adult_of, canonical = {}, {}
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            canonical[adult["adult_key"]] = adult["canonical_name"]
            adult_of.update(dict.fromkeys(adult["mention_keys"], adult["adult_key"]))
    out = StyleCounts()
    for key, entity in entity_of.items():
        adult = adult_of.get(key)
        if adult is not None:
            out.mentions.update(styles[key])
            if entity == adults[adult][0]:
                out.joined.update(styles[key])
            else:
                out.misses.append(
                    {"adult": canonical[adult], "written": written[key], "styles": styles[key]}
                )
        if entity in owner:
            out.on_adults.update(styles[key])
            if adult != owner[entity]:
                out.wrong.update(styles[key])
    return out, adults, set(owner)


def _earliest(
    out: StyleCounts,
    borough: Borough,
    styles: dict[str, list[str]],
    adults: dict[str, tuple[uuid.UUID | None, set[uuid.UUID]]],
    fired: dict[uuid.UUID, list[_Fired]],
    spec_order: dict[str, int],
) -> None:
    """Adults alerted at the referral naming their second child: by the alert that referral
    (or an earlier one) fired, and also by a later alert dated back to it (a late link)."""
    written = _written(borough)
    received = {r.key: r.received_at for r in borough.referrals}
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            second = adult["second_child_referral_key"]
            if second is None or second not in spec_order:
                continue
            key = next(k for k in adult["mention_keys"] if k.startswith(second + "-"))
            out.adults += 1
            out.due.update(styles[key])
            alerts = [f for e in adults[adult["adult_key"]][1] for f in fired.get(e, ())]
            if any(f.order <= spec_order[second] for f in alerts):
                out.adults_on_time += 1
                out.on_time.update(styles[key])
            elif any(f.possible_at and f.possible_at <= received[second] for f in alerts):
                out.adults_dated_back += 1
                out.dated_back.update(styles[key])
            else:
                out.late.append(
                    {"adult": adult["canonical_name"], "written": written[key],
                     "styles": styles[key]}
                )  # fmt: skip


def measure_styles(borough: Borough) -> StyleCounts:
    matched = _matched(borough)
    styles = {k: [*v, ANY] for k, v in borough.truth["mention_styles"].items()}
    entity_of = _entity_of_mention(matched)
    out, adults, owned = _linking(borough, styles, entity_of)
    spec_order = {k: matched.referral_order[pk] for pk, k in matched.spec_key_of_ref.items()}
    fired = _alerts_fired(matched)
    _earliest(out, borough, styles, adults, fired, spec_order)
    by_entity: dict[uuid.UUID, set[str]] = defaultdict(set)
    for key, entity in entity_of.items():
        by_entity[entity].update(
            s for s in styles[key] if s.startswith(("name:", "ordinary:")) or s == ANY
        )
    for entity, alerts in fired.items():
        out.person_alerts += len(alerts)
        if entity not in owned:
            out.false_person_alerts += len(alerts)
            for style in by_entity.get(entity, {"unknown"}):
                out.false_alerts[style] += len(alerts)
    return out
