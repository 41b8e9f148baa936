"""How pure the persons of concern are at scale: of the mentions the matcher has put on one
person, how many are truly one adult (issue 12: at 100,000 referrals one person held 11,265
mentions of hundreds of adults, joined merge by merge).

Every person mention has an identity in the generator's truth: a network adult
(``networks[].adults[].mention_keys``) or an ordinary adult (``ordinary_adults``, keyed by
household and role). Against the loaded and indexed borough this counts:

- pairwise precision: of the pairs of mentions on one person, the share that are one adult;
- pairwise recall: of the pairs of mentions of one adult, the share on one person;
- the largest person: its mentions, and how many adults they are;
- persons holding more than one adult, and more than five.

With ``events`` the partner events' person mentions count too: each names one network adult
(``truth["events"]["adult_by_event"]``), and at 100,000 referrals the events' phase grew two
persons to hundreds of mentions after the referrals' index had kept them apart.

Measurement for tests and bench/ only; the truth never enters the database."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sightline.demo.generator import Borough
from sightline.demo.quality import _matched
from sightline.events.models import Event
from sightline.intel.choices import EntityType
from sightline.intel.models import Mention


@dataclass(frozen=True)
class Purity:
    mentions: int  # person mentions matched back to the truth
    adults: int  # distinct adults among them
    persons: int  # persons of concern holding them
    pair_precision: float
    pair_recall: float
    largest_mentions: int
    largest_adults: int
    persons_of_several: int  # persons holding more than one adult
    persons_of_many: int  # persons holding more than five adults

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def identities(truth: dict[str, Any]) -> dict[str, str]:
    """Mention key -> the adult it names ("n1/a2" network, "u12/coach" ordinary)."""
    out: dict[str, str] = {}
    for network in truth["networks"]:
        for adult in network["adults"]:
            out.update(dict.fromkeys(adult["mention_keys"], adult["adult_key"]))
    for key, mentions in truth.get("ordinary_adults", {}).items():
        out.update(dict.fromkeys(mentions, key))
    return out


def purity_of(held: dict[uuid.UUID, Counter[str]]) -> Purity:
    """The figures from each person's count of mentions by adult."""
    by_adult: Counter[str] = Counter()
    for counts in held.values():
        by_adult.update(counts)
    together = sum(_pairs(n) for counts in held.values() for n in counts.values())
    on_persons = sum(_pairs(sum(counts.values())) for counts in held.values())
    of_adults = sum(_pairs(n) for n in by_adult.values())
    largest = max(held.values(), key=lambda c: (sum(c.values()), len(c)), default=Counter())
    return Purity(
        mentions=sum(by_adult.values()),
        adults=len(by_adult),
        persons=len(held),
        pair_precision=round(together / on_persons, 4) if on_persons else 1.0,
        pair_recall=round(together / of_adults, 4) if of_adults else 1.0,
        largest_mentions=sum(largest.values()),
        largest_adults=len(largest),
        persons_of_several=sum(1 for c in held.values() if len(c) > 1),
        persons_of_many=sum(1 for c in held.values() if len(c) > 5),
    )


def _event_adults(borough: Borough) -> dict[uuid.UUID, str]:
    """Stored event id -> the network adult its person mention names (each event names one)."""
    by_key = borough.truth.get("events", {}).get("adult_by_event", {})
    rows = Event.objects.filter(source_id__in=list(by_key)).values_list("pk", "source_id")
    return {pk: by_key[key] for pk, key in rows.iterator(chunk_size=5000)}


def person_purity(borough: Borough, *, events: bool = False) -> Purity:
    """Over the referrals' person mentions, and with `events` the partner events' too."""
    identity = identities(borough.truth)
    matched = _matched(borough)
    by_event = _event_adults(borough) if events else {}
    held: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    rows = Mention.objects.filter(entity_type=EntityType.PERSON).values_list(
        "entity_id", "person_named_id", "source_kind", "source_id"
    )
    for entity_id, named_id, kind, source_id in rows.iterator(chunk_size=5000):
        if kind == "event":
            adult = by_event.get(source_id) if source_id is not None else None
        else:
            adult = identity.get(matched.truth_of_named.get(named_id, ""))
        if adult is not None:
            held[entity_id][adult] += 1
    return purity_of(held)
