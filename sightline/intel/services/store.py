"""Where indexing reads and writes the picture. `index_referral` runs the same steps against
either store: `DatabaseStore` (intake, one referral in the caller's transaction) or the bulk
indexer's `MemoryStore`, which holds the picture in memory and writes it once at the end.
Same steps, same answers; only where the rows live differs."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from sightline.intel import entities, places
from sightline.intel.history import persons_kept_apart
from sightline.intel.models import MatchCandidate, Mention, PersonChange, Place, Suggestion
from sightline.intel.normalise import Plate
from sightline.intel.resolution import PersonFeatures
from sightline.intel.services.suggest import suggest
from sightline.referrals.models import PersonNamed, PlaceNamed, Referral, ReferralChild

PlaceFound = tuple[Place, str, float, tuple[str, ...], list[entities.Ranked]]


class Store(Protocol):
    def children(self, referral: Referral) -> set[uuid.UUID]: ...

    def persons_named(self, referral: Referral) -> list[PersonNamed]: ...

    def places_named(self, referral: Referral) -> list[PlaceNamed]: ...

    def place_resolve(self, *, name: str, kind: str, address: str, postcode: str) -> PlaceFound: ...

    def person_candidates(
        self, features: PersonFeatures, *, context: frozenset[uuid.UUID]
    ) -> list[entities.Ranked]: ...

    def person_create(self, features: PersonFeatures) -> uuid.UUID: ...

    def person_refresh(self, person_id: uuid.UUID) -> None: ...

    def mentions_of(self, entity_id: uuid.UUID) -> list[Mention]: ...

    def mentions_moved(self, moving: list[Mention]) -> None: ...

    def phone_resolve(self, value: str) -> tuple[Any, str]: ...

    def vehicle_resolve(self, plate: Plate) -> tuple[Any, str, float, tuple[str, ...]]: ...

    def mention_add(self, **fields: Any) -> Mention: ...

    def candidates_add(
        self, rows: list[MatchCandidate], *, ignore_conflicts: bool = False
    ) -> list[MatchCandidate]: ...

    def suggest(self, referral: Referral, mentions: list[Mention]) -> list[Suggestion]: ...

    def edges_rebuild(self, referral_ids: list[uuid.UUID]) -> None: ...

    def person_merged(self, change: PersonChange) -> None: ...

    def kept_apart(self, a: uuid.UUID, b: uuid.UUID) -> bool: ...


class DatabaseStore:
    """The picture in the database: each step reads and writes rows as it goes."""

    def __init__(self) -> None:
        self._persons: int | None = None

    def children(self, referral: Referral) -> set[uuid.UUID]:
        return set(
            ReferralChild.objects.filter(referral=referral).values_list("child_id", flat=True)
        )

    def persons_named(self, referral: Referral) -> list[PersonNamed]:
        return list(referral.persons_named.all())

    def places_named(self, referral: Referral) -> list[PlaceNamed]:
        return list(referral.places_named.all())

    def place_resolve(self, *, name: str, kind: str, address: str, postcode: str) -> PlaceFound:
        return places.place_resolve(name=name, kind=kind, address=address, postcode=postcode)

    def person_candidates(
        self, features: PersonFeatures, *, context: frozenset[uuid.UUID]
    ) -> list[entities.Ranked]:
        if self._persons is None:  # once a record: a mention or two more do not matter
            self._persons = entities.persons_on_record()
        return entities.person_candidates(features, context=context, persons=self._persons)

    def person_create(self, features: PersonFeatures) -> uuid.UUID:
        return entities.person_create(features).pk

    def person_refresh(self, person_id: uuid.UUID) -> None:
        entities.person_refresh(person_id)

    def mentions_of(self, entity_id: uuid.UUID) -> list[Mention]:
        return list(Mention.objects.filter(entity_id=entity_id))

    def mentions_moved(self, moving: list[Mention]) -> None:
        Mention.objects.bulk_update(
            moving, ["entity_id", "link_status", "reasons", "score", "origin_entity_id"]
        )

    def phone_resolve(self, value: str) -> tuple[Any, str]:
        return entities.phone_resolve(value)

    def vehicle_resolve(self, plate: Plate) -> tuple[Any, str, float, tuple[str, ...]]:
        return entities.vehicle_resolve(plate)

    def mention_add(self, **fields: Any) -> Mention:
        return Mention.objects.create(**fields)

    def candidates_add(
        self, rows: list[MatchCandidate], *, ignore_conflicts: bool = False
    ) -> list[MatchCandidate]:
        return MatchCandidate.objects.bulk_create(rows, ignore_conflicts=ignore_conflicts)

    def suggest(self, referral: Referral, mentions: list[Mention]) -> list[Suggestion]:
        return suggest(referral, mentions)

    def edges_rebuild(self, referral_ids: list[uuid.UUID]) -> None:
        entities.edges_rebuild(referral_ids)

    def person_merged(self, change: PersonChange) -> None:
        change.save()

    def kept_apart(self, a: uuid.UUID, b: uuid.UUID) -> bool:
        return persons_kept_apart(a, b)
