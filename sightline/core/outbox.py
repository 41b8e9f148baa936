"""The transactional outbox: `outbox_enqueue` inside the caller's transaction, and a relay
that sends what is pending through Django's mail backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
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
    # Insert unless the key is already queued, returning the new row's id: one statement
    # and no savepoint (get_or_create costs four); only when the key was queued already is
    # the stored message read back. A concurrent enqueue of the same key waits for the
    # first and keeps it.
    message = OutboxMessage(
        dedupe_key=dedupe_key[:200],
        kind=kind,
        recipient=recipient,
        recipient_email=recipient_email or getattr(recipient, "email", "") or "",
        subject=subject[:200],
        body=body,
        payload=payload or {},
    )
    if _insert_unless_queued(message):
        return message
    return OutboxMessage.objects.get(dedupe_key=dedupe_key[:200])


def _insert_unless_queued(message: OutboxMessage) -> bool:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id: True if it was stored."""
    fields = OutboxMessage._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    values = [f.get_db_prep_save(f.pre_save(message, add=True), connection) for f in fields]
    placeholders = ", ".join("%s" for _ in fields)
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model
            'ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"',
            values,
        )
        stored = cursor.fetchone() is not None
    if stored:
        message._state.adding = False
        message._state.db = connection.alias
    return stored


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
