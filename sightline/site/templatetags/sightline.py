from __future__ import annotations

from typing import Any

from django import template

from sightline.referrals.choices import ConcernCategory

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    has = getattr(user, "has_capability", None)
    return bool(has and has(capability))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def concern_labels(values: Any) -> str:
    labels = dict(ConcernCategory.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])
