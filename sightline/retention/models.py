"""Legal holds, tombstones of deleted records, and saved versions of the retention schedule.
`__str__` of anything about a child is its reference."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.retention.choices import HoldKind, RecordType


class LegalHold(BaseModel):
    """Stops deletion of one child's records while a review, litigation or inquiry needs
    them. A released hold outlives the child (SET_NULL) and keeps the child's reference, so
    the history of holds stays readable after the child's deletion."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    child_reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=HoldKind.choices)
    matter = models.CharField(max_length=200, help_text="The review, claim or inquiry.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["child", "released_at"], name="hold_child_idx")]

    def __str__(self) -> str:
        return f"hold {self.kind} on {self.child_reference}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class Tombstone(models.Model):
    """What is left of a record deleted under the schedule: its type, reference, dates and
    the rule, never its content."""

    id = models.BigAutoField(primary_key=True)
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    reference = models.CharField(max_length=40, db_index=True)
    record_id = models.UUIDField()
    created_on = models.DateField()
    last_activity_on = models.DateField()
    due_on = models.DateField()
    deleted_at = models.DateTimeField(db_index=True)
    rule = models.CharField(max_length=40)
    why = models.CharField(max_length=300)
    schedule_version = models.CharField(max_length=64)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"tombstone {self.record_type} {self.reference}"


class ScheduleVersion(models.Model):
    """A schedule saved by an administrator; the newest is in force. With none, the file
    sightline/retention/data/schedule.yaml is."""

    id = models.BigAutoField(primary_key=True)
    text = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"schedule {self.pk}"
