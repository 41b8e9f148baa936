"""Base model and the reference counter. No domain logic lives here."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key (never a sequential id in a URL) and created/updated times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ReferenceCounter(models.Model):
    """One row per (prefix, year). On SQLite its value is the last reference number issued;
    on PostgreSQL it names the (prefix, year)'s sequence, core_reference_<id>, and its value is
    only where that sequence started (core.references)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="uniq_reference_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class OutboxMessage(models.Model):
    """A notification to send, written in the same transaction as the change that causes it
    (transactional outbox). A relay sends it and marks it sent; delivery is at least once,
    so `dedupe_key` lets a consumer drop repeats. Bodies carry references, never names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="outbox_messages",
        null=True,
        blank=True,
    )
    recipient_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    payload = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.dedupe_key}"
