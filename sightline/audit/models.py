"""The append-only audit trail. Rows are only ever inserted, by audit_record(); on
PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE. Each row carries a hash of its own
content (seq included); the sealer (audit.sealing) chains committed rows in seq order into
checkpoints under a keyed MAC, so an edit, deletion, insertion or reordering of a sealed row
is found by audit_verify (ADR 0006)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from sightline.audit.choices import Action, ObjectType


def _append_only(prefix: str) -> list[pgtrigger.Trigger]:
    """UPDATE and DELETE refused; TRUNCATE refused unless the connection set
    sightline.audit_truncate_allowed=on, which only the test settings do (Django empties
    tables between transactional tests with TRUNCATE). Nothing in production sets it."""
    return [
        pgtrigger.Protect(
            name=f"{prefix}_append_only", operation=pgtrigger.Update | pgtrigger.Delete
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_no_truncate",
            operation=pgtrigger.Truncate,
            level=pgtrigger.Statement,
            when=pgtrigger.Before,
            func=(
                "IF current_setting('sightline.audit_truncate_allowed', true) = 'on' "
                "THEN RETURN NULL; END IF; "
                "RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE refused.';"
            ),
        ),
    ]


class AuditEvent(models.Model):
    seq = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=40, db_index=True)  # an Action value
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=40, blank=True)
    actor_role = models.CharField(max_length=40, blank=True)
    object_type = models.CharField(max_length=40, blank=True, choices=ObjectType.choices)
    object_id = models.CharField(max_length=64, blank=True)
    object_ref = models.CharField(max_length=40, blank=True)
    # Explicit keys (not a generic relation) so "who has seen this child" is one indexed query.
    child_id = models.UUIDField(null=True, blank=True, db_index=True)
    referral_id = models.UUIDField(null=True, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    # Empty on rows written since ADR 0006; rows written under ADR 0003 keep the hash of the
    # row they were chained to, and their row_hash covers it.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        triggers = _append_only("audit")

    def __str__(self) -> str:
        return f"audit #{self.seq} {self.action} {self.object_ref or self.object_id}"

    @property
    def action_label(self) -> str:
        return str(dict(Action.choices).get(self.action, self.action))


class AuditCheckpoint(models.Model):
    """A sealed run of audit rows, first_seq..last_seq, with the seqs that no transaction will
    ever fill (gaps, as [first, last] ranges) and the HMAC of every row's (seq, row_hash)
    chained to the previous checkpoint's MAC. Written only by audit_seal(); the key is a
    setting, never stored in the database; each checkpoint is also appended to an external
    sink (audit.sinks)."""

    number = models.BigIntegerField(primary_key=True)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField(unique=True)
    row_count = models.PositiveIntegerField()
    gaps = models.JSONField(default=list, blank=True)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        triggers = _append_only("checkpoint")

    def __str__(self) -> str:
        return f"audit checkpoint {self.number}: #{self.first_seq}-#{self.last_seq}"

    def as_record(self) -> dict[str, object]:
        """The checkpoint as written to the external sink (and compared with it)."""
        return {
            "number": self.number,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "row_count": self.row_count,
            "gaps": self.gaps,
            "prev_mac": self.prev_mac,
            "mac": self.mac,
            "created_at": self.created_at.isoformat(),
        }
