"""Retention: what MACE meetings hold about children whose records are deleted (called by
the retention workflow, inside its transaction, before the children themselves go)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sightline.core.transactions import in_callers_transaction
from sightline.meetings.choices import SubjectType
from sightline.meetings.models import AgendaItem, ChildProposal, Discussion, Disruption


@in_callers_transaction
def meetings_children_purge(*, child_ids: Iterable[uuid.UUID]) -> None:
    """Delete proposals and discussions about these children and their agenda lines, and take
    them off disruption actions (the action, about an adult or a place, stays)."""
    ids = list(child_ids)
    ChildProposal.objects.filter(child_id__in=ids).delete()
    Discussion.objects.filter(child_id__in=ids).delete()
    AgendaItem.objects.filter(subject_type=SubjectType.CHILD, subject_id__in=ids).delete()
    Disruption.children.through.objects.filter(child_id__in=ids).delete()
