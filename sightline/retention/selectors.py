"""What the schedule says is due for deletion on a day, and why; and the holds. Reads across
the lower apps' models (people, referrals, intel, reviews): it decides nothing is deleted by
itself, the retention workflow deletes through each app's own service."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.intel.models import Edge, Mention, PersonOfConcern
from sightline.people.models import Child
from sightline.retention import rules
from sightline.retention.choices import RecordType
from sightline.retention.models import LegalHold, Tombstone
from sightline.retention.schedule import Schedule
from sightline.reviews.models import ReviewChild


@dataclass(frozen=True)
class Due:
    record_type: str
    record_id: uuid.UUID
    reference: str
    created_on: dt.date
    last_activity_on: dt.date
    due_on: dt.date
    rule: str
    why: str

    def as_dict(self) -> dict[str, object]:
        return {
            "record_type": self.record_type,
            "reference": self.reference,
            "created_on": self.created_on,
            "last_activity_on": self.last_activity_on,
            "due_on": self.due_on,
            "rule": self.rule,
            "why": self.why,
        }


def held_child_ids() -> set[uuid.UUID]:
    """Children under an active legal hold, or named in a case review (a review is a hold by
    its nature: its chronology reads the child's records)."""
    held = set(
        LegalHold.objects.filter(released_at__isnull=True).values_list("child_id", flat=True)
    )
    return held | set(ReviewChild.objects.values_list("child_id", flat=True))


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _children_due(schedule: Schedule, today: dt.date) -> list[Due]:
    held = held_child_ids()
    # A superseded record goes with the record that replaced it (workflows.retention).
    latest_birth = rules.years_after(today, -schedule.child_keep_until_age)
    quiet_since = rules.years_after(today, -schedule.child_years_after_last_activity)
    candidates = (
        Child.objects.filter(superseded_by__isnull=True, created_at__date__lte=quiet_since)
        .filter(
            Q(date_of_birth__lte=latest_birth)
            | Q(date_of_birth__isnull=True, created_at__date__lte=latest_birth)
        )
        .annotate(
            last_received=Max("referral_links__referral__received_at"),
            last_decided=Max("referral_links__referral__decision__decided_at"),
            last_superseded=Max("superseded__referral_links__referral__received_at"),
        )
        .order_by("created_at", "id")
    )
    due: list[Due] = []
    for child in candidates.iterator():
        if child.pk in held:
            continue
        created = child.created_at.date()
        dates = [created] + [
            d
            for d in (
                _date(child.last_received),
                _date(child.last_decided),
                _date(child.last_superseded),
            )
            if d is not None
        ]
        last = max(dates)
        due_on = rules.child_due_on(
            date_of_birth=child.date_of_birth,
            created_on=created,
            last_activity_on=last,
            keep_until_age=schedule.child_keep_until_age,
            years_after_last_activity=schedule.child_years_after_last_activity,
        )
        if due_on <= today:
            due.append(
                Due(
                    RecordType.CHILD, child.pk, child.reference, created, last, due_on, "child",
                    f"past age {schedule.child_keep_until_age} and "
                    f"{schedule.child_years_after_last_activity} years after the last referral "
                    "or decision",
                )
            )  # fmt: skip
    return due


def _persons_due(schedule: Schedule, today: dt.date) -> list[Due]:
    cutoff = rules.years_after(today, -schedule.person_years_after_last_activity)
    mentioned = Mention.objects.filter(entity_type="person").values("entity_id")
    linked = Edge.objects.filter(b_type="child").values("a_id")
    persons = (
        PersonOfConcern.objects.filter(updated_at__date__lte=cutoff)
        .exclude(pk__in=mentioned)
        .exclude(pk__in=linked)
        .order_by("updated_at", "id")
    )
    return [
        Due(
            RecordType.PERSON_OF_CONCERN, p.pk, p.reference, p.created_at.date(),
            p.updated_at.date(),
            rules.years_after(p.updated_at.date(), schedule.person_years_after_last_activity),
            "person_of_concern",
            f"linked to no child held and unchanged for "
            f"{schedule.person_years_after_last_activity} years",
        )
        for p in persons.iterator()
    ]  # fmt: skip


def due_list(*, schedule: Schedule, today: dt.date) -> list[Due]:
    """Everything due on `today`, children first (their deletion may free persons of concern,
    who fall due on a later run)."""
    return _children_due(schedule, today) + _persons_due(schedule, today)


def due_list_read(*, user: Any, schedule: Schedule, today: dt.date) -> list[Due]:
    """`due_list`, its listing recorded (for the administrators' page and API)."""
    with transaction.atomic():
        due = due_list(schedule=schedule, today=today)
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type=ObjectType.RETENTION_DUE,
            details={"count": len(due), "schedule": schedule.version},
        )
    return due


def hold_list() -> QuerySet[LegalHold]:
    return LegalHold.objects.select_related("child", "placed_by", "released_by").order_by(
        "released_at", "-created_at"
    )


def tombstone_list() -> QuerySet[Tombstone]:
    return Tombstone.objects.all()
