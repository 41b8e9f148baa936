"""`{% stored_flags record.pk "field" %}`: the language flags kept with a stored text, shown
beside it (reviews/_stored_flags.html); one query, so for one record. Rows of a list use
`records_flags` once and `flags_from` per row. For pages of apps below reviews, which cannot import
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
def records_flags(records: Any, field: str | None = None) -> dict[Any, list[dict[str, Any]]]:
    """`{% records_flags rows "field" as flags %}`: the stored flags of every record a list
    shows (records or their ids), in one query whatever the number of rows; then
    `{% flags_from flags row.pk %}` beside each row. Scope is the records' as for
    `stored_flags`: pass only records the page already shows."""
    ids = [getattr(r, "pk", r) for r in (records or [])]
    ids = [i for i in ids if i]
    return record_flags(record_ids=ids, field=field) if ids else {}


@register.inclusion_tag("reviews/_stored_flags.html")
def flags_from(batch: Any, record_id: Any) -> dict[str, Any]:
    """One row's flags out of a `records_flags` batch (no query)."""
    return {"flags": (batch or {}).get(record_id) or []}
