from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first answer to a request sent with an `Idempotency-Key`, kept at least 24 hours.
    A record is claimed (in flight) in its own short transaction, then completed in the same
    transaction as the referral it created, so an acknowledged referral and its record are
    committed together or not at all. A claim older than the lease is taken over."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    lease = models.CharField(max_length=36)
    claimed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key")]
        indexes = [models.Index(fields=["claimed_at"], name="idem_claimed_idx")]

    def __str__(self) -> str:
        return f"idempotency {self.pk}"
