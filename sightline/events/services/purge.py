"""Retention: the partner events of children whose records are deleted (called by the
retention workflow, inside its transaction, before the children themselves go)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sightline.core.transactions import in_callers_transaction
from sightline.events.models import Event, EventAlert, EventChildCandidate


@in_callers_transaction
def events_purge(*, child_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """Delete the events about these children (episodes and interviews go with them), their
    detector alerts, and candidate matches naming them. Returns the deleted events' ids, so
    the intelligence made from them can go too."""
    ids = list(child_ids)
    event_ids = list(Event.objects.filter(child_id__in=ids).values_list("pk", flat=True))
    EventAlert.objects.filter(child_id__in=ids).delete()
    EventChildCandidate.objects.filter(candidate_id__in=ids).delete()
    Event.objects.filter(pk__in=event_ids).delete()
    return event_ids
