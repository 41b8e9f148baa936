"""Where a merged person went, and which persons a practitioner split apart (ADR 0205).
Unscoped reads for the intel services, selectors and search; the caller applies the user's
scope to what they answer."""

from __future__ import annotations

import uuid

from django.db.models import Q

from sightline.intel.choices import PersonChangeKind
from sightline.intel.models import PersonChange, PersonOfConcern


def persons_kept_apart(a: uuid.UUID, b: uuid.UUID) -> bool:
    """A practitioner split one of these persons from the other: indexing does not merge
    them again (ADR 0205)."""
    return PersonChange.objects.filter(
        Q(from_person=a, into_person=b) | Q(from_person=b, into_person=a),
        kind=PersonChangeKind.SPLIT,
    ).exists()


def person_survivor(person_id: uuid.UUID, *, hops: int = 20) -> uuid.UUID | None:
    """The active person a merged-away (inactive) person's mentions went to, followed through
    later merges; None when the person is active, unknown or was never merged. Unscoped: the
    caller applies the user's scope to the answer (ADR 0205)."""
    current = person_id
    for _ in range(hops):
        row = PersonOfConcern.objects.filter(pk=current).values_list("is_active", flat=True)
        if not row:
            return None
        if row[0]:
            return None if current == person_id else current
        into = (
            PersonChange.objects.filter(from_person=current, kind=PersonChangeKind.MERGE)
            .order_by("-created_at")
            .values_list("into_person", flat=True)
            .first()
        )
        if into is None:
            return None
        current = into
    return None
