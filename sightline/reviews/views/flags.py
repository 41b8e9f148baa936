"""The language flags of a text just saved, told to its author on the page the save leads to
(the flags never block saving; the manager sees them again at sign-off)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from sightline.reviews.selectors import language_flags_of


def tell_flags(
    request: HttpRequest, record_id: Any, field: str | None = None
) -> list[dict[str, Any]]:
    """Add a warning naming each flagged phrase and what to write instead; answers the flags."""
    flags = language_flags_of(record_id, field)
    if flags:
        phrases = "; ".join(
            f"“{f['phrase']}” ({f['category_name'].lower()}): instead, “{f['alternatives'][0]}”"
            if f["alternatives"]
            else f"“{f['phrase']}” ({f['category_name'].lower()})"
            for f in flags
        )
        messages.warning(
            request,
            f"Saved. Check your wording, kept with the record for your manager: {phrases}.",
        )
    return flags
