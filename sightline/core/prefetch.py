"""Rows a step has just written, handed to the next step as if they had been prefetched.

A step that saves an object's related rows (intake saving a referral's persons and places
named) already holds them; `prefetched` puts them where `prefetch_related_objects` would,
so that `obj.<related_name>.all()` in a later step answers them without reading them back.
Only for rows that are exactly what the database now holds for that relation (the whole
set, as just written in this transaction), in the relation's order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def prefetched(obj: Any, **relations: Iterable[Any]) -> None:
    """For each `related_name=rows`, make `obj.related_name.all()` answer `rows` (no query),
    the way Django's prefetch stores them (`_prefetched_objects_cache`)."""
    cache: dict[str, Any] = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in relations.items():
        cache.pop(name, None)
        queryset = getattr(obj, name).all()  # builds the related queryset; runs no query
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
