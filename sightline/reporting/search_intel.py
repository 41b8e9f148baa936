"""The intelligence half of the search: persons of concern by the blocking keys of
`intel.resolution.search_keys` scored with `intel.resolution.compare` (places, vehicles and
phones: `reporting.search_entities`). Each statement carries the intel scope as a condition
(`Scope.intel`, compiled once per search), never as an early return (reporting.search, ADR 0301)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
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


def search_persons(scope: Scope, q: ParsedQuery, today: dt.date) -> list[Hit]:
    if q.reference:
        return _person_by_reference(scope, q.reference)
    features = _person_features(q, today)
    keys = search_keys(features)
    if not q.family and q.given:  # one word: a surname as well as a first name or nickname
        keys.append(f"fam:{phonetic(q.given)}"[:60])
    if not keys:
        return []
    single_word = not q.family and bool(q.given)
    scored: list[tuple[float, str, dict[str, Any], Score]] = []
    for person, strong in _person_candidates(scope, keys).values():
        score = compare(features, Profile.from_json(person["profile"]))
        if score.score >= CANDIDATE or strong or single_word:
            scored.append((round(score.score, 3), person["reference"], person, score))
    scored.sort(key=lambda s: (-s[0], s[1]))
    # Only the hits shown are built (a URL each): search() keeps PER_TYPE of each type.
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


def _person_candidates(
    scope: Scope, keys: list[str]
) -> dict[uuid.UUID, tuple[dict[str, Any], bool]]:
    """As intel.entities.person_candidates: the strong keys (a full name, nickname, phone or
    registration) in one lookup of at most PERSON_BLOCK rows, each weak key (a surname or a
    first name alone) capped at WEAK_KEY rows; each person once, with its profile and whether
    a strong key found it. Scope is a condition of every part, inside its limit.

    One statement on either database: each limited lookup, joined to its person, is a
    subquery (`SELECT * FROM (... LIMIT n)`), the subqueries joined by UNION ALL (SQLite
    cannot limit the parts of a compound statement themselves). It is written as SQL around
    the scope condition `Scope.intel` compiled from the selector: a queryset per part, each
    cloned, joined and compiled by the ORM, cost more Python than the statement takes to run."""
    strong_keys = [k for k in keys if not k.startswith(CAPPED_KEYS)]
    lookups = [(strong_keys, 1, PERSON_BLOCK)] if strong_keys else []
    lookups += [([k], 0, WEAK_KEY) for k in keys if k not in strong_keys]
    scoped = scope.intel(PersonKey, "person")
    person = PersonOfConcern
    # Table and column names from the models, the compiled scope, numbers; every key is a
    # parameter.
    select = ", ".join(column(person, f) for f in PERSON_FIELDS)
    join = (
        f" FROM {table(PersonKey)} INNER JOIN {table(person)}"
        f" ON {column(PersonKey, 'person')} = {column(person, 'id')}"
        f" WHERE ({scoped.sql}) AND {column(person, 'is_active')} AND {column(PersonKey, 'key')}"
    )
    parts, params = [], []
    for i, (part_keys, strong, limit) in enumerate(lookups):
        places = ", ".join(["%s"] * len(part_keys))
        lookup = f"SELECT {select}, {strong} AS strong{join} IN ({places}) LIMIT {limit}"
        parts.append(f"SELECT * FROM ({lookup}) AS part_{i}")  # noqa: S608
        params += [*scoped.params, *part_keys]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    found: dict[uuid.UUID, tuple[dict[str, Any], bool]] = {}
    for pk, reference, names, nicknames, profile, strong in rows:
        person_id = pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk)
        found_person = {"id": person_id, "reference": reference, "names": _json(names),
                        "nicknames": _json(nicknames), "profile": _json(profile)}  # fmt: skip
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
    names = [str(n) for n in person["names"]][:3]
    nicknames = [f"“{n}”" for n in person["nicknames"]][:3]
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
