"""The intelligence half of the search: persons of concern by the blocking keys of
`intel.resolution.search_keys` scored with `intel.resolution.compare` (places, vehicles and
phones: `reporting.search_entities`). Each statement carries the intel scope as a condition
(`Scope.intel`, compiled once per search), never as an early return (reporting.search, ADR 0301)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from sightline.intel.history import person_survivor
from sightline.intel.models import PersonKey, PersonOfConcern
from sightline.intel.normalise import normalise_nickname, phonetic
from sightline.intel.resolution import (
    CANDIDATE,
    CAPPED_KEYS,
    PersonFeatures,
    Profile,
    Score,
    compare,
    search_keys,
)
from sightline.reporting.choices import SearchType
from sightline.reporting.scope import Scope, column, table
from sightline.reporting.search_query import PER_TYPE, Hit, ParsedQuery, url_of

PERSON_BLOCK = 200  # persons found by a strong key
WEAK_KEY = 20  # persons found by each weak key (a surname or a first name alone)


@dataclass(frozen=True)
class PersonLookup:
    """A person search by name, nickname, phone or registration: the blocking keys to look up
    and what each candidate is scored against."""

    features: PersonFeatures
    keys: list[str]
    single_word: bool


def person_lookup(q: ParsedQuery, today: dt.date) -> PersonLookup | None:
    """The keys of a query that is not a reference, or None if it gives no key."""
    features = _person_features(q, today)
    keys = search_keys(features)
    if not q.family and q.given:  # one word: a surname as well as a first name or nickname
        keys.append(f"fam:{phonetic(q.given)}"[:60])
    if q.reference or not keys:
        return None
    return PersonLookup(features, keys, single_word=not q.family and bool(q.given))


def search_persons(scope: Scope, q: ParsedQuery, today: dt.date) -> list[Hit]:
    """Persons of concern alone: by reference, or by their keys in one statement (in an
    all-types search the keys are parts of `search_entities`' one statement instead)."""
    if q.reference:
        return _person_by_reference(scope, q.reference)
    lookup = person_lookup(q, today)
    if lookup is None:
        return []
    parts, params = person_parts(scope, lookup.keys, 0)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return person_hits(lookup, rows)


def person_hits(lookup: PersonLookup, rows: Iterable[tuple[Any, ...]]) -> list[Hit]:
    """The rows of `person_parts` scored, best first; a hit built only for the PER_TYPE shown.
    Names and nicknames are decoded only for those (the profile, which scoring reads, for
    every candidate)."""
    scored: list[tuple[float, str, dict[str, Any], Score]] = []
    for person, strong in _person_candidates(rows).values():
        score = compare(lookup.features, Profile.from_json(_json(person["profile"])))
        if score.score >= CANDIDATE or strong or lookup.single_word:
            scored.append((round(score.score, 3), person["reference"], person, score))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [_person_hit(p, score.score, tuple(score.reasons)) for *_, p, score in scored[:PER_TYPE]]


def _person_by_reference(scope: Scope, reference: str) -> list[Hit]:
    visible = PersonOfConcern.objects.filter(scope.intel(PersonOfConcern), is_active=True)
    rows = list(visible.filter(reference=reference).values(*PERSON_FIELDS)[:PER_TYPE])
    if rows:
        return [_person_hit(p, 1.0, ("same reference",)) for p in rows]
    # A merged person's old reference finds the person it was merged into (ADR 0205).
    old = PersonOfConcern.objects.filter(reference=reference, is_active=False).first()
    survivor = person_survivor(old.pk) if old is not None else None
    if survivor is None:
        return []
    return [
        _person_hit(p, 1.0, (f"merged from {reference}",))
        for p in visible.filter(pk=survivor).values(*PERSON_FIELDS)[:1]
    ]


PERSON_FIELDS = ("id", "reference", "names", "nicknames", "profile")


def person_parts(scope: Scope, keys: list[str], kind: int) -> tuple[list[str], list[Any]]:
    """As intel.entities.person_candidates: the strong keys (a full name, nickname, phone or
    registration) in one lookup of at most PERSON_BLOCK rows, each weak key (a surname or a
    first name alone) capped at WEAK_KEY rows; each row with its person's names, nicknames and
    profile (as text) and whether a strong key found it. Scope is a condition of every part,
    inside its limit.

    Each part is a limited subquery (`SELECT * FROM (... LIMIT n)`: SQLite cannot limit the
    parts of a compound statement themselves) for one `UNION ALL`, in the row shape of
    `search_entities` (`kind` first, a flag, a position) so that the persons' parts and the
    places', vehicles' and phones' can be one statement. Written as SQL around the scope
    condition `Scope.intel` compiled from the selector: a queryset per part, each cloned,
    joined and compiled by the ORM, cost more Python than the statement takes to run."""
    strong_keys = [k for k in keys if not k.startswith(CAPPED_KEYS)]
    lookups = [(strong_keys, 1, PERSON_BLOCK)] if strong_keys else []
    lookups += [([k], 0, WEAK_KEY) for k in keys if k not in strong_keys]
    scoped = scope.intel(PersonKey, "person")
    person = PersonOfConcern
    # Table and column names from the models, the compiled scope, numbers; every key is a
    # parameter.
    select = ", ".join(
        [f"{kind} AS kind", column(person, "id"), column(person, "reference")]
        + [f"CAST({column(person, f)} AS text) AS t{n}" for n, f in enumerate(PERSON_TEXTS)]
    )
    join = (
        f" FROM {table(PersonKey)} INNER JOIN {table(person)}"
        f" ON {column(PersonKey, 'person')} = {column(person, 'id')}"
        f" WHERE ({scoped.sql}) AND {column(person, 'is_active')} AND {column(PersonKey, 'key')}"
    )
    parts, params = [], []
    for i, (part_keys, strong, limit) in enumerate(lookups):
        places = ", ".join(["%s"] * len(part_keys))
        lookup = f"SELECT {select}, {strong} AS flag, 0 AS pos{join} IN ({places}) LIMIT {limit}"
        parts.append(f"SELECT * FROM ({lookup}) AS part_{kind}_{i}")  # noqa: S608
        params += [*scoped.params, *part_keys]
    return parts, params


PERSON_TEXTS = ("names", "nicknames", "profile")


def _person_candidates(
    rows: Iterable[tuple[Any, ...]],
) -> dict[uuid.UUID, tuple[dict[str, Any], bool]]:
    """Each person of `person_parts`' rows once, and whether a strong key found it."""
    found: dict[uuid.UUID, tuple[dict[str, Any], bool]] = {}
    for _kind, pk, reference, names, nicknames, profile, strong, _pos in rows:
        person_id = pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk)
        found_person = {"id": person_id, "reference": reference, "names": names,
                        "nicknames": nicknames, "profile": profile}  # fmt: skip
        earlier = found.get(person_id)
        found[person_id] = (found_person, bool(strong) or (earlier is not None and earlier[1]))
    return found


def _json(value: Any) -> Any:
    """A JSON column read by a cursor: text on either database (Django reads PostgreSQL's
    jsonb as text and decodes it in the field)."""
    return json.loads(value) if isinstance(value, str) else value


def _person_features(q: ParsedQuery, today: dt.date) -> PersonFeatures:
    age = q.age
    if q.date_of_birth is not None:
        age = today.year - q.date_of_birth.year
    name = " ".join(q.words)
    return PersonFeatures.from_named(
        name=name,
        nickname=normalise_nickname(q.given) if len(q.words) == 1 else "",
        approximate_age=age,
        year=today.year,
        phone=q.phone,
        vehicle_registration=("…" if q.plate_anchor == "end" else "") + q.plate,
    )


def _person_hit(person: dict[str, Any], score: float, reasons: tuple[str, ...]) -> Hit:
    names = [str(n) for n in _json(person["names"])][:3]
    nicknames = [f"“{n}”" for n in _json(person["nicknames"])][:3]
    return Hit(
        type=SearchType.PERSON,
        id=person["id"],
        reference=person["reference"],
        title=", ".join(names) or ", ".join(nicknames) or person["reference"],
        detail=", ".join(nicknames) if names else "",
        url=url_of("intel:person")(person["id"]),
        score=round(score, 3),
        reasons=reasons,
    )
