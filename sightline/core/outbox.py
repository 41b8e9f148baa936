"""The transactional outbox: `outbox_enqueue` inside the caller's transaction, and a relay
that sends what is pending through Django's mail backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Required, TypedDict, Unpack

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from sightline.core.models import OutboxMessage


class MessageFields(TypedDict, total=False):
    """A message's fields, as `outbox_message` and `outbox_enqueue` take them."""

    kind: Required[str]
    dedupe_key: Required[str]
    subject: Required[str]
    body: Required[str]
    recipient: Any
    recipient_email: str
    payload: dict[str, Any] | None


def outbox_message(**fields: Unpack[MessageFields]) -> OutboxMessage:
    """A message to queue (unsaved): what `outbox_enqueue` stores, for `outbox_enqueue_many`."""
    recipient = fields.get("recipient")
    return OutboxMessage(
        dedupe_key=fields["dedupe_key"][:200],
        kind=fields["kind"],
        recipient=recipient,
        recipient_email=fields.get("recipient_email") or getattr(recipient, "email", "") or "",
        subject=fields["subject"][:200],
        body=fields["body"],
        payload=fields.get("payload") or {},
    )


def outbox_enqueue(**fields: Unpack[MessageFields]) -> OutboxMessage:
    # Insert unless the key is already queued, returning the new row's id: one statement
    # and no savepoint (get_or_create costs four); only when the key was queued already is
    # the stored message read back. A concurrent enqueue of the same key waits for the
    # first and keeps it.
    message = outbox_message(**fields)
    if outbox_enqueue_many([message]):
        return message
    return OutboxMessage.objects.get(dedupe_key=message.dedupe_key)


def outbox_enqueue_many(messages: Sequence[OutboxMessage]) -> int:
    """Queue messages made by `outbox_message`, skipping each whose key is already queued (or
    comes earlier in `messages`): one INSERT ... ON CONFLICT (dedupe_key) DO NOTHING for as
    many rows as the database takes in one statement, no read back. The messages stored are
    marked saved; returns how many were stored."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_enqueue must run inside the transaction of the change")
    fields = OutboxMessage._meta.concrete_fields
    size = max(1, connection.ops.bulk_batch_size(list(fields), list(messages)))
    stored = 0
    for start in range(0, len(messages), size):
        stored += _insert_unless_queued(messages[start : start + size])
    return stored


def _insert_unless_queued(messages: Sequence[OutboxMessage]) -> int:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id: how many were stored."""
    fields = OutboxMessage._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    row = "(" + ", ".join("%s" for _ in fields) + ")"
    values = [
        f.get_db_prep_save(f.pre_save(message, add=True), connection)
        for message in messages
        for f in fields
    ]
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join(row for _ in messages)} "  # noqa: S608 - names from the model
            'ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"',
            values,
        )
        ids = {OutboxMessage._meta.pk.to_python(r[0]) for r in cursor.fetchall()}
    for message in messages:
        if message.pk in ids:
            message._state.adding = False
            message._state.db = connection.alias
    return len(ids)


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
