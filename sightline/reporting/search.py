"""One search across children, persons of concern, places, vehicles and phones (ADR 0301).

The query is read once (`parse`): a record reference, a phone number, a registration, a
postcode, or words that are a name with an optional date of birth or age. Each type then runs
its queries, built from the matching the project already has:

- children: the phonetic family-name key and the date of birth that `people.matching` and
  `people.selectors.child_match_candidates` block on, the given-name equivalence table of
  `intel.normalise` (Steve, Steven, Stephen), scored with `people.matching.name_similarity`;
- persons of concern: the blocking keys of `intel.resolution.search_keys` (the `PersonKey`
  table), scored with `intel.resolution.compare`;
- places, vehicles, phones: their normalised identifiers (`intel.normalise`).

The children's name block is one statement (`search_block`); persons, places, vehicles and
phones are the parts of one more (`search_entities`), so a name search of every type runs two.
Scope is a condition of the same SQL statement (the child scope of `referrals.selectors`, the
intel scope of `intel.selectors.intel_referrals`), never an early return: a query that matches
only records the user may not see runs exactly the statements one that matches nothing does.
What the user may search for at all follows from their capabilities, not from the records.

`search_record` runs the search and writes its one audit row (purpose, types and count; never
the terms) in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import fields as fields_of
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid, NotPermitted
from sightline.intel.normalise import (
    given_names_equivalent,
)
from sightline.people.matching import name_similarity, normalise_name
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild
from sightline.reporting.choices import SearchType
from sightline.reporting.scope import Scope
from sightline.reporting.search_block import child_block, dates
from sightline.reporting.search_entities import INTEL_TYPES, search_entities
from sightline.reporting.search_query import (
    MAX_QUERY,
    PER_TYPE,
    Hit,
    ParsedQuery,
    born_between,
    parse,
    url_of,
    validate,
)

__all__ = [
    "MAX_QUERY",
    "PER_TYPE",
    "Hit",
    "ParsedQuery",
    "SearchResult",
    "parse",
    "search",
    "search_record",
    "validate",
]

CHILD_BLOCK = 300  # rows of a name block scored in Python, best-ordered by SQL first
NAME_THRESHOLD = 0.8

CAPABILITY_FOR: dict[str, str] = {
    SearchType.CHILD: Cap.CHILD_VIEW,
    SearchType.PERSON: Cap.INTEL_VIEW,
    SearchType.PLACE: Cap.INTEL_VIEW,
    SearchType.VEHICLE: Cap.INTEL_VIEW,
    SearchType.PHONE: Cap.INTEL_VIEW,
}


@dataclass
class SearchResult:
    purpose: str
    types: list[str]
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)

    def of_type(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.type == kind]


def searchable_types(user: Any) -> list[str]:
    return [t for t in SearchType.values if user.has_capability(CAPABILITY_FOR[t])]


def resolve_types(*, user: Any, requested: Iterable[str] | None) -> list[str]:
    allowed = searchable_types(user)
    wanted = [t.strip() for t in (requested or []) if t.strip()]
    if not wanted:
        return allowed
    unknown = sorted(set(wanted) - set(SearchType.values))
    if unknown:
        raise Invalid(
            f"Unknown type {', '.join(unknown)}: choose from {', '.join(SearchType.values)}."
        )
    refused = [t for t in wanted if t not in allowed]
    if refused:
        raise NotPermitted(f"Your role cannot search for {', '.join(refused)}.")
    return [t for t in SearchType.values if t in wanted]


def search(
    *, user: Any, text: str, purpose: str, types: list[str], today: dt.date | None = None
) -> SearchResult:
    """The search itself (no audit row: `search_record` writes it)."""
    query = parse(text)
    day = today or timezone.localdate()
    result = SearchResult(purpose=purpose, types=types)
    scope = Scope(user)  # each scope condition compiled once, for every type searched
    # Persons, places, vehicles and phones: one statement for those of them asked for.
    intel = search_entities(scope, query, day, [t for t in types if t in INTEL_TYPES])
    for kind in types:
        found = _children(scope, query, day) if kind == SearchType.CHILD else intel[kind]
        result.hits += found[:PER_TYPE]
    return result


def search_record(
    *, user: Any, query: str, purpose: str | None, types: Iterable[str] | None
) -> SearchResult:
    """Validate, search and audit in one transaction: one row (purpose, types, count)."""
    text = validate(query=query, purpose=purpose)
    kinds = resolve_types(user=user, requested=types)
    assert purpose is not None  # validate() refused anything else
    with transaction.atomic():
        result = search(user=user, text=text, purpose=purpose, types=kinds)
        audit_record(
            actor=user,
            action=Action.SEARCH,
            object_type="search",
            details={"purpose": purpose, "types": kinds, "count": result.count},
        )
    return result


# ---- children -----------------------------------------------------------------------------


def _children(in_scope: Scope, q: ParsedQuery, today: dt.date) -> list[Hit]:
    scope = in_scope.children()
    if q.reference:
        if q.reference.startswith("SL-"):  # a referral: the children on it
            named = ReferralChild.objects.filter(referral__reference=q.reference)
            rows = scope.filter(pk__in=named.values("child_id"))
        else:
            rows = scope.filter(reference=q.reference)
        return [_child_hit(c, 1.0, ("same reference",)) for c in _rows(rows, PER_TYPE)]
    if q.postcode:
        rows = scope.filter(postcode_key=q.postcode).order_by("family_name", "given_name")
        return [_child_hit(c, 1.0, ("same postcode",)) for c in _rows(rows, PER_TYPE)]
    if not (q.words or q.date_of_birth or q.age is not None):
        return []
    narrowed = scope
    if q.age is not None:
        earliest, latest = born_between(q.age, today)
        narrowed = narrowed.filter(date_of_birth__range=(earliest, latest))
    if not q.words:
        assert q.date_of_birth is not None or q.age is not None
        if q.date_of_birth is not None:
            narrowed = narrowed.filter(date_of_birth__in=dates(q.date_of_birth))
        by_name = _rows(narrowed.order_by("family_name", "given_name"), PER_TYPE)
        return [_child_hit(c, 1.0, _dob_reasons(q, c)) for c in by_name]
    condition = in_scope.children_condition()
    born = born_between(q.age, today) if q.age is not None else None
    found = [] if condition is None else child_block(condition, q, born, CHILD_BLOCK)
    block = [_ChildRow(_uuid(row[0]), *row[1:]) for row in found]
    names = _NameScores()
    scored = [(s, c) for c in block if (s := _child_score(q, c, names))[0] >= NAME_THRESHOLD]
    scored.sort(key=lambda sc: (-sc[0][0], sc[1].reference))
    # Only the hits shown are built (a URL each): search() keeps PER_TYPE of each type.
    return [_child_hit(c, s, reasons) for (s, reasons), c in scored[:PER_TYPE]]


def _uuid(pk: Any) -> uuid.UUID:
    return pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk)


@dataclass(frozen=True, slots=True)
class _ChildRow:
    """What scoring and a hit read of a child, fetched as a tuple: a model instance costs
    several times as much, which a block of 300 rows pays 300 times."""

    pk: uuid.UUID
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    date_of_birth_is_estimated: bool


def _rows(qs: QuerySet[Child], limit: int) -> list[_ChildRow]:
    fields = [f.name for f in fields_of(_ChildRow)]
    return [_ChildRow(*row) for row in qs.values_list(*fields)[:limit]]


class _NameScores:
    """The name comparisons of one search, each pair of names worked out once: a block of up
    to 300 rows holds few distinct names (the same family names, a few given names). Kept for
    the one search only, so no name outlives the request in memory."""

    def __init__(self) -> None:
        self.given = cache(_given_similarity)
        self.family = cache(name_similarity)
        self.variant = cache(_given_variant)


def _given_variant(a: str, b: str) -> bool:
    """A short form or spelling variant: equivalent names that are not the same name."""
    return given_names_equivalent(a, b) and normalise_name(a) != normalise_name(b)


def _child_score(
    q: ParsedQuery, child: _ChildRow, names: _NameScores
) -> tuple[float, tuple[str, ...]]:
    reasons: list[str] = []
    if q.family:
        given = names.given(q.given, child.given_name)
        family = names.family(q.family, child.family_name)
        swapped = (
            names.given(q.family, child.given_name) + names.family(q.given, child.family_name)
        ) / 2
        name = max((given + family) / 2, swapped * 0.95)
        if swapped * 0.95 > (given + family) / 2:
            reasons.append("given and family names swapped")
        if names.variant(q.given, child.given_name):
            reasons.append("short form or spelling variant of the given name")
    else:
        name = max(
            names.given(q.given, child.given_name),
            names.family(q.given, child.family_name),
        )
    variant = "short form or spelling variant of the given name" in reasons
    reasons.insert(0, "same name" if name >= 0.99 and not variant else "similar name")
    if q.date_of_birth is not None:
        if child.date_of_birth in dates(q.date_of_birth):
            reasons.append("same date of birth")
        else:
            name -= 0.1  # a name that fits with a date of birth that does not
    elif q.age is not None:
        reasons.append(f"aged {q.age}")
    return round(name, 3), tuple(reasons)


def _given_similarity(a: str, b: str) -> float:
    return 1.0 if given_names_equivalent(a, b) else name_similarity(a, b)


def _dob_reasons(q: ParsedQuery, child: _ChildRow) -> tuple[str, ...]:
    if q.date_of_birth is not None:
        exact = child.date_of_birth == q.date_of_birth
        return ("same date of birth" if exact else "date of birth with day and month swapped",)
    return (f"aged {q.age}",)


def _child_hit(child: _ChildRow, score: float, reasons: tuple[str, ...]) -> Hit:
    born = (
        f"born {child.date_of_birth:%d/%m/%Y}" if child.date_of_birth else "date of birth not known"
    )
    if child.date_of_birth and child.date_of_birth_is_estimated:
        born += " (estimated)"
    return Hit(
        type=SearchType.CHILD,
        id=child.pk,
        reference=child.reference,
        title=f"{child.given_name} {child.family_name}",
        detail=born,
        url=url_of("children:detail")(child.pk),
        score=score,
        reasons=reasons,
    )
