"""The append-only audit trail. Rows are only ever inserted, by audit_record(); on
PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE. Each row carries the hash of the
row before it, so any edit, deletion or reordering breaks the chain (see audit_verify)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from sightline.audit.choices import Action


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
    object_type = models.CharField(max_length=40, blank=True)
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
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            pgtrigger.Trigger(
                name="audit_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                # Test databases are emptied between transactional tests with TRUNCATE; they
                # connect with sightline.audit_truncate_allowed=on. Nothing else sets it.
                func=(
                    "IF current_setting('sightline.audit_truncate_allowed', true) = 'on' "
                    "THEN RETURN NULL; END IF; "
                    "RAISE EXCEPTION 'The audit trail is append-only: TRUNCATE refused.';"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"audit #{self.seq} {self.action} {self.object_ref or self.object_id}"

    @property
    def action_label(self) -> str:
        return str(dict(Action.choices).get(self.action, self.action))


class AuditChainHead(models.Model):
    """A single row holding the hash of the newest event, locked FOR UPDATE while a new event
    is appended so that concurrent writers extend the chain one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_seq}"
