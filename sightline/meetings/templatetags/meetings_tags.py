"""Footnote markers for the pack: `{% fn numbers %}` renders [1, 2] as superscript."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def fn(numbers: list[int] | None) -> str:
    if not numbers:
        return ""
    return format_html('<sup class="fn">[{}]</sup>', ", ".join(str(n) for n in numbers))
