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


SCREENING_MIN_AGE_CEILING = 12


class PartnershipSetting(models.Model):
    """The partnership's configuration, one row (pk 1). Absent, the Django settings are the
    defaults. Only accounts.services.config writes it (audited)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    screening_min_age = models.PositiveSmallIntegerField(
        help_text="Every referral of a child this age or older is screened for CSE (at most 12)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(screening_min_age__lte=SCREENING_MIN_AGE_CEILING),
                name="screening_min_age_at_most_12",
            ),
            models.CheckConstraint(condition=models.Q(id=1), name="partnership_setting_one_row"),
        ]

    def __str__(self) -> str:
        return "partnership settings"


class AlertThreshold(models.Model):
    """A named threshold other apps read (for example how many children linked to one person
    of concern raise an alert). Read through core.config.threshold(key, default)."""

    key = models.SlugField(max_length=60, primary_key=True)
    value = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
