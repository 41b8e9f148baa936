"""`{% stored_flags record.pk "field" %}`: the language flags kept with a stored text, shown
beside it (reviews/_stored_flags.html). For pages of apps below reviews, which cannot import
its selectors: call it only for a record the page already shows (scope is the record's)."""

from __future__ import annotations

from typing import Any

from django import template

from sightline.reviews.selectors import language_flags_of

register = template.Library()


@register.inclusion_tag("reviews/_stored_flags.html")
def stored_flags(record_id: Any, field: str | None = None, suffix: Any = "") -> dict[str, Any]:
    """`suffix` is appended to the field's name (a challenge's "answer_stage_" and stage)."""
    name = f"{field}{suffix}" if field else None
    return {"flags": language_flags_of(record_id, name) if record_id else []}
