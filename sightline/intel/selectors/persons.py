"""Reads of merged and split persons (ADR 0205): the person a merged person's mentions went
to, and the merges and splits a person took part in."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q

from sightline.accounts.roles import Cap
from sightline.intel.choices import EntityType
from sightline.intel.history import person_survivor
from sightline.intel.models import Entity, PersonChange, PersonOfConcern
from sightline.intel.selectors.entities import entity_get
from sightline.intel.selectors.scope import _can


def person_moved_to(*, user: Any, person_id: Any) -> Entity | None:
    """The person a merged person's mentions went to (followed through later merges), if the
    user may see it; None when the person is still active, was never merged, or the
    surviving person is out of the user's view. An old reference keeps finding its person."""
    if not _can(user, Cap.INTEL_VIEW):
        return None
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        return None
    survivor = person_survivor(pk)
    if survivor is None:
        return None
    return entity_get(user=user, entity_type=EntityType.PERSON, entity_id=survivor)


def person_changes(*, user: Any, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The merges and splits this person took part in, oldest first, with both references."""
    if not _can(user, Cap.INTEL_VIEW):
        return []
    rows = list(
        PersonChange.objects.filter(Q(from_person=person_id) | Q(into_person=person_id))
        .select_related("decided_by")
        .order_by("created_at")[:100]
    )
    ids = {r.from_person for r in rows} | {r.into_person for r in rows}
    refs = dict(PersonOfConcern.objects.filter(pk__in=ids).values_list("pk", "reference"))
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "at": r.created_at,
            "from_person": {"id": r.from_person, "reference": refs.get(r.from_person, "")},
            "into_person": {"id": r.into_person, "reference": refs.get(r.into_person, "")},
            "mentions": len(r.mention_ids),
            "reason": r.reason,
            "by": r.decided_by.display_name if r.decided_by else "",
        }
        for r in rows
    ]
