"""`{% stored_flags record.pk "field" %}`: the language flags kept with a stored text, shown
beside it (reviews/_stored_flags.html). For pages of apps below reviews, which cannot import
its selectors: call it only for a record the page already shows (scope is the record's)."""

from __future__ import annotations

from typing import Any

from django import template

from sightline.reviews.selectors import language_flags_of, record_flags

register = template.Library()


@register.inclusion_tag("reviews/_stored_flags.html")
def stored_flags(record_id: Any, field: str | None = None, suffix: Any = "") -> dict[str, Any]:
    """`suffix` is appended to the field's name (a challenge's "answer_stage_" and stage)."""
    name = f"{field}{suffix}" if field else None
    return {"flags": language_flags_of(record_id, name) if record_id else []}


@register.simple_tag
def records_flags(record_ids: Any) -> dict[Any, list[dict[str, Any]]]:
    """`{% records_flags ids as flags %}`: the stored flags of every record a list page shows,
    in one query (then `flags|get_item:record.pk` for each). Scope is the records' as for
    `stored_flags`: pass only ids of records the page already shows."""
    ids = [i for i in (record_ids or []) if i]
    return record_flags(record_ids=ids) if ids else {}
