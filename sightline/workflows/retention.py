"""Retention: delete what the schedule says is due, app by app, in batches. One transaction
per batch; each record's deletion calls each app's own purge service in the order the
foreign keys need (what PROTECTs a row goes before it), writes a tombstone and one audit row
per deleted record, and never touches an audit row (ADR 0801)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.casework.services.purge import casework_purge
from sightline.escalation.services.purge import referral_records_purge
from sightline.events.services.purge import events_purge
from sightline.intel.models import PersonOfConcern
from sightline.intel.purge import person_purge, referral_intel_purge, source_intel_purge
from sightline.meetings.services.purge import meetings_children_purge
from sightline.people.models import Child
from sightline.people.services import child_purge
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.services.purge import referral_children_purge, referrals_purge
from sightline.retention.choices import RecordType
from sightline.retention.models import LegalHold
from sightline.retention.schedule import Schedule, schedule_current
from sightline.retention.selectors import Due, due_list, held_child_ids
from sightline.retention.services import tombstone_write
from sightline.screening.services import screenings_purge


@dataclass
class RetentionResult:
    due: list[Due]
    dry_run: bool
    deleted: dict[str, int] = field(default_factory=dict)
    skipped_held: list[str] = field(default_factory=list)
    batches: int = 0


def _with_superseded(child: Child) -> list[Child]:
    """The child and every record merged into it (superseded_by PROTECTs the survivor, so
    the merged records go first)."""
    found: list[Child] = []
    frontier = [child]
    while frontier:
        found.extend(frontier)
        frontier = list(Child.objects.filter(superseded_by__in=frontier))
    return list(reversed(found))


def _child_delete(
    *, acting_user: Any, due: Due, schedule: Schedule, result: RetentionResult
) -> None:
    child = Child.objects.select_for_update().filter(pk=due.record_id).first()
    if child is None:
        return
    if LegalHold.objects.filter(child=child, released_at__isnull=True).exists() or (
        child.pk in held_child_ids()
    ):
        result.skipped_held.append(due.reference)
        return
    family = _with_superseded(child)
    ids = {c.pk for c in family}
    links = list(ReferralChild.objects.filter(child_id__in=ids).values_list("pk", "referral_id"))
    referral_ids = {r for _pk, r in links}
    # A referral goes only when every child on it goes; otherwise only this child's link.
    shared = set(
        ReferralChild.objects.filter(referral_id__in=referral_ids)
        .exclude(child_id__in=ids)
        .values_list("referral_id", flat=True)
    )
    whole = referral_ids - shared
    whole_links = ReferralChild.objects.filter(referral_id__in=whole).values_list("pk", flat=True)
    link_ids = {pk for pk, _r in links} | set(whole_links)
    casework_purge(child_ids=ids, referral_ids=whole)
    screenings_purge(referral_child_ids=link_ids)
    referral_records_purge(referral_ids=whole)
    referral_intel_purge(referral_ids=whole, child_ids=ids)
    referral_children_purge(referral_child_ids=[pk for pk, r in links if r in shared])
    gone = list(Referral.objects.filter(pk__in=whole).values_list("pk", "reference"))
    referrals_purge(referral_ids=whole)
    for pk, reference in gone:
        tombstone_write(
            acting_user=acting_user, due=due, record_type=RecordType.REFERRAL,
            reference=reference, record_id=pk, schedule=schedule, referral_id=pk,
        )  # fmt: skip
        result.deleted[RecordType.REFERRAL] = result.deleted.get(RecordType.REFERRAL, 0) + 1
    # Partner events and what MACE meetings hold about these children go first.
    source_intel_purge(source_ids=events_purge(child_ids=ids))
    meetings_children_purge(child_ids=ids)
    for member in family:
        child_purge(child=member)
        tombstone_write(
            acting_user=acting_user, due=due, record_type=RecordType.CHILD,
            reference=member.reference, record_id=member.pk, schedule=schedule,
            child_id=member.pk,
        )  # fmt: skip
        result.deleted[RecordType.CHILD] = result.deleted.get(RecordType.CHILD, 0) + 1


def _person_delete(
    *, acting_user: Any, due: Due, schedule: Schedule, result: RetentionResult
) -> None:
    person = PersonOfConcern.objects.select_for_update().filter(pk=due.record_id).first()
    if person is None:
        return
    person_purge(person=person)
    tombstone_write(
        acting_user=acting_user, due=due, record_type=RecordType.PERSON_OF_CONCERN,
        reference=due.reference, record_id=due.record_id, schedule=schedule,
    )  # fmt: skip
    key = RecordType.PERSON_OF_CONCERN
    result.deleted[key] = result.deleted.get(key, 0) + 1


def _batches(items: list[Due], size: int) -> Iterator[list[Due]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def retention_due(*, today: dt.date | None = None) -> list[Due]:
    return due_list(schedule=schedule_current(), today=today or timezone.localdate())


def retention_run(
    *, acting_user: Any, dry_run: bool, today: dt.date | None = None, batch_size: int | None = None
) -> RetentionResult:
    """List what is due (dry run) or delete it. Each batch is one transaction: a failure
    rolls back that batch only, and a hold placed while a run goes on is seen (the child's
    row is locked by both)."""
    schedule = schedule_current()
    due = due_list(schedule=schedule, today=today or timezone.localdate())
    result = RetentionResult(due=due, dry_run=dry_run)
    if dry_run:
        return result
    for batch in _batches(due, batch_size or schedule.batch_size):
        with transaction.atomic():
            for item in batch:
                delete = _child_delete if item.record_type == RecordType.CHILD else _person_delete
                delete(acting_user=acting_user, due=item, schedule=schedule, result=result)
        result.batches += 1
    return result
