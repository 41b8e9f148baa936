"""The transactional outbox: `outbox_enqueue` inside the caller's transaction, and a relay
that sends what is pending through Django's mail backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sightline.core.models import OutboxMessage


def outbox_enqueue(
    *,
    kind: str,
    dedupe_key: str,
    subject: str,
    body: str,
    recipient: Any = None,
    recipient_email: str = "",
    payload: dict[str, Any] | None = None,
) -> OutboxMessage:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction of the change")
    # Insert unless the key is already queued, then read back the stored message: two
    # statements and no savepoint (get_or_create costs four), and a concurrent enqueue of the
    # same key waits for the first and keeps it.
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                dedupe_key=dedupe_key[:200],
                kind=kind,
                recipient=recipient,
                recipient_email=recipient_email or getattr(recipient, "email", "") or "",
                subject=subject[:200],
                body=body,
                payload=payload or {},
            )
        ],
        ignore_conflicts=True,
    )
    return OutboxMessage.objects.get(dedupe_key=dedupe_key[:200])


def outbox_relay(*, batch: int = 100) -> int:
    """Send pending messages; returns how many were sent. Safe to run from several workers:
    rows are claimed with SKIP LOCKED on PostgreSQL."""
    sent = 0
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=10)
            .order_by("created_at")[:batch]
        )
        for message in rows:
            message.attempts += 1
            try:
                if message.recipient_email:
                    send_mail(
                        message.subject,
                        message.body,
                        settings.DEFAULT_FROM_EMAIL,
                        [message.recipient_email],
                    )
                message.sent_at = timezone.now()
                sent += 1
            except Exception as exc:
                message.last_error = str(exc)[:300]
            message.save(update_fields=["attempts", "sent_at", "last_error"])
    return sent
