"""The intelligence types of a search in one statement: persons of concern by their keys,
places, vehicles and phones by their identifiers (reporting.search, ADR 0301, "persons,
places, vehicles and phones in one statement").

Each type that has something to look up in the query is one or more parts of a `UNION ALL`:
its own lookup, its own order and limit and the intel scope condition (`Scope.intel`, compiled
once per search) inside that limit, exactly as the statement of each type had them; a type
with nothing to look up has no part, whoever asks. The parts share one row shape (type, id,
reference, three text columns, a flag, and the row's place in its type's order), so the hits
are built as before and kept in each type's order. Written as SQL around the compiled scope: a
queryset per type cost more Python than its statement took to run. Table and column names
come from the models, the LIKE operators and casts from the database backend (as the ORM
writes them); every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Model

from sightline.intel.models import Phone, Place, Vehicle
from sightline.intel.normalise import display_phone, display_plate
from sightline.intel.places import place_name_key
from sightline.reporting.choices import SearchType
from sightline.reporting.scope import Scope, column, table
from sightline.reporting.search_intel import (
    person_hits,
    person_lookup,
    person_parts,
    search_persons,
)
from sightline.reporting.search_query import PER_TYPE, Hit, ParsedQuery, url_of

INTEL_TYPES = (SearchType.PERSON, SearchType.PLACE, SearchType.VEHICLE, SearchType.PHONE)

# type: (model, the three text columns read, the order of the type's hits)
_SHAPE: dict[str, tuple[type[Model], tuple[str, str, str], tuple[str, ...]]] = {
    SearchType.PLACE: (Place, ("name", "address", "postcode"), ("name", "reference")),
    SearchType.VEHICLE: (Vehicle, ("registration", "colour", "make"), ("registration",)),
    SearchType.PHONE: (Phone, ("number", "number", "number"), ()),
}


def _like(model: type[Model], field: str, lookup: str, value: str) -> tuple[str, str]:
    """`field <lookup> value` for contains, startswith or endswith, as the ORM writes it for
    the default database (PostgreSQL casts to text, SQLite escapes), and its parameter."""
    ops = connection.ops
    internal = model._meta.get_field(field).get_internal_type()
    lhs = ops.lookup_cast(lookup, internal) % column(model, field)
    escaped = ops.prep_for_like_query(value)
    pattern = {"contains": "%{}%", "startswith": "{}%", "endswith": "%{}"}[lookup]
    operator = connection.operators[lookup] % "%s"  # type: ignore[attr-defined]
    return f"{lhs} {operator}", pattern.format(escaped)


def _lookup(kind: str, q: ParsedQuery) -> tuple[str, str] | None:
    """The condition that finds `kind` for this query, with its one parameter, or None: as
    the queryset of each type had it (a reference finds any type)."""
    model = _SHAPE[kind][0]
    if q.reference:
        return f"{column(model, 'reference')} = %s", q.reference
    if kind == SearchType.PLACE:
        return _place_lookup(q)
    if kind == SearchType.VEHICLE and q.plate:
        if q.plate_anchor == "full":
            return f"{column(model, 'registration')} = %s", q.plate
        like = "startswith" if q.plate_anchor == "start" else "endswith"
        return _like(model, "registration", like, q.plate)
    if kind == SearchType.PHONE and q.phone:
        return f"{column(model, 'number')} = %s", q.phone
    return None


def _place_lookup(q: ParsedQuery) -> tuple[str, str] | None:
    if q.postcode:
        return f"{column(Place, 'postcode_key')} = %s", q.postcode
    if q.words and len(key := place_name_key(" ".join(q.words))) >= 3:
        return _like(Place, "name_key", "contains", key)
    return None


def search_entities(
    scope: Scope, q: ParsedQuery, today: dt.date, kinds: Iterable[str]
) -> dict[str, list[Hit]]:
    """The hits of each of `kinds` (persons, places, vehicles, phones), at most PER_TYPE of
    each: one statement for all of them, none if no type has anything to look up. Persons
    come in it by their keys (`search_intel.person_parts`, scored as `search_persons` scores
    them); a person's reference is looked up by `search_persons` on its own, as before."""
    kinds = list(kinds)
    hits: dict[str, list[Hit]] = {kind: [] for kind in kinds}
    parts: list[str] = []
    params: list[Any] = []
    persons = None
    for i, kind in enumerate(kinds):
        if kind == SearchType.PERSON:
            persons = person_lookup(q, today)
            if persons is None:  # a reference, or nothing to look a person up by
                hits[kind] = search_persons(scope, q, today)
            else:
                more, more_params = person_parts(scope, persons.keys, i)
                parts += more
                params += more_params
            continue
        found = _lookup(kind, q)
        if found is not None:
            part, part_params = _part(scope, i, kind, found)
            parts.append(part)
            params += part_params
    if not parts:
        return hits
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = sorted(cursor.fetchall(), key=lambda r: (r[0], r[-1]))
    for i, kind in enumerate(kinds):
        if kind == SearchType.PERSON and persons is not None:
            hits[kind] = person_hits(persons, [r for r in rows if r[0] == i])
    for i, pk, reference, t0, t1, t2, flag, _pos in rows:
        kind = kinds[i]
        if kind != SearchType.PERSON:
            hits[kind].append(_BUILD[kind](_uuid(pk), reference, t0, t1, t2, bool(flag)))
    return hits


def _part(scope: Scope, i: int, kind: str, found: tuple[str, str]) -> tuple[str, list[Any]]:
    """Type `kind`'s part of the statement: its lookup, scope and order, limited to PER_TYPE
    (a subquery, so that SQLite accepts the limit inside a UNION ALL)."""
    model, texts, order = _SHAPE[kind]
    scoped = scope.intel(model)
    by = f" ORDER BY {', '.join(column(model, f) for f in order)}" if order else ""
    partial = column(model, "is_partial") if model is Vehicle else "1 = 0"
    selected = ", ".join(
        [f"{i} AS kind", column(model, "id"), column(model, "reference")]
        + [f"{column(model, f)} AS t{n}" for n, f in enumerate(texts)]
        + [f"CASE WHEN {partial} THEN 1 ELSE 0 END AS flag", f"ROW_NUMBER() OVER ({by}) AS pos"]
    )
    where = f"({found[0]}) AND ({scoped.sql}) AND {column(model, 'is_active')}"
    sql = f"SELECT * FROM (SELECT {selected} FROM {table(model)} WHERE {where}{by}"  # noqa: S608
    return f"{sql} LIMIT {PER_TYPE}) AS part_{i}", [found[1], *scoped.params]


def _uuid(pk: Any) -> uuid.UUID:
    return pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk)


def _place(pk: uuid.UUID, reference: str, name: str, address: str, postcode: str, _: bool) -> Hit:
    return Hit(
        type=SearchType.PLACE,
        id=pk,
        reference=reference,
        title=name or reference,
        detail=" ".join(x for x in (address, postcode) if x),
        url=url_of("intel:place")(pk),
        score=1.0,
    )


def _vehicle(
    pk: uuid.UUID, reference: str, plate: str, colour: str, make: str, partial: bool
) -> Hit:
    return Hit(
        type=SearchType.VEHICLE,
        id=pk,
        reference=reference,
        title=display_plate(plate) + (" (partial)" if partial else ""),
        detail=" ".join(x for x in (colour, make) if x),
        url=url_of("intel:vehicle")(pk),
        score=1.0,
    )


def _phone(pk: uuid.UUID, reference: str, number: str, *_: Any) -> Hit:
    return Hit(
        type=SearchType.PHONE,
        id=pk,
        reference=reference,
        title=display_phone(number),
        detail="",
        url=url_of("intel:network", "phone")(pk),
        score=1.0,
    )


_BUILD = {SearchType.PLACE: _place, SearchType.VEHICLE: _vehicle, SearchType.PHONE: _phone}
