"""Telling people: an in-app inbox item and an e-mail (through the transactional outbox,
sent by the worker's relay with Django's mail backend). Both run inside the caller's
transaction and are idempotent by dedupe key. Bodies carry references, never names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.core.models import OutboxMessage
from sightline.core.outbox import outbox_enqueue
from sightline.escalation.models import InboxItem

MAX_RECIPIENTS = 50


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    subject: str,
    body: str,
    dedupe_key: str,
    at: dt.datetime,
    referral: Any = None,
    escalation: Any = None,
    challenge: Any = None,
) -> int:
    """Inbox item + e-mail to each user; returns how many users were newly told."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the transaction of the change")
    told = 0
    for user in users:
        key = f"{dedupe_key}:{user.pk}"[:200]
        _item, created = InboxItem.objects.get_or_create(
            dedupe_key=key,
            defaults={
                "user": user,
                "kind": kind,
                "subject": subject[:200],
                "body": body,
                "referral": referral,
                "escalation": escalation,
                "challenge": challenge,
                "delivered_at": at,
            },
        )
        if created:
            told += 1
            outbox_enqueue(
                kind=f"escalation.{kind}",
                dedupe_key=key,
                recipient=user,
                subject=subject,
                body=body + "\n\nSign in to Sightline to see it.",
                payload={"referral": getattr(referral, "reference", "")},
            )
    return told


def people_in_role(
    role: str, *, agency_id: Any = None, team_id: Any = None, partnership_wide: bool = False
) -> list[Any]:
    """Active users holding `role`: in the team if it has any, else in the agency, else
    (for the partnership's safeguarding lead) anywhere in the partnership."""
    base: QuerySet[User] = User.objects.filter(is_active=True, role=role).order_by("username")
    if partnership_wide or role == Role.SAFEGUARDING_LEAD:
        return list(base[:MAX_RECIPIENTS])
    if team_id is not None:
        in_team = list(base.filter(team_id=team_id)[:MAX_RECIPIENTS])
        if in_team:
            return in_team
    if agency_id is not None:
        return list(base.filter(agency_id=agency_id)[:MAX_RECIPIENTS])
    return list(base[:MAX_RECIPIENTS])


class NotificationBuffer:
    """Inbox items and e-mails collected during a sweep batch and written with two bulk
    inserts at its end (same transaction). Duplicates by dedupe key are skipped, as
    `notify` would skip them; the sweep's state machine means there are none in practice."""

    def __init__(self) -> None:
        self.items: list[InboxItem] = []
        self.messages: list[OutboxMessage] = []

    def add(
        self,
        *,
        users: Iterable[Any],
        kind: str,
        subject: str,
        body: str,
        dedupe_key: str,
        at: dt.datetime,
        referral: Any = None,
        escalation: Any = None,
    ) -> int:
        told = 0
        for user in users:
            key = f"{dedupe_key}:{user.pk}"[:200]
            self.items.append(
                InboxItem(
                    user=user,
                    kind=kind,
                    subject=subject[:200],
                    body=body,
                    referral=referral,
                    escalation=escalation,
                    delivered_at=at,
                    dedupe_key=key,
                )
            )
            self.messages.append(
                OutboxMessage(
                    kind=f"escalation.{kind}",
                    dedupe_key=key,
                    recipient=user,
                    recipient_email=getattr(user, "email", "") or "",
                    subject=subject[:200],
                    body=body + "\n\nSign in to Sightline to see it.",
                    payload={"referral": getattr(referral, "reference", "")},
                )
            )
            told += 1
        return told

    def flush(self) -> None:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("notifications are written inside the sweep's transaction")
        InboxItem.objects.bulk_create(self.items, ignore_conflicts=True)
        OutboxMessage.objects.bulk_create(self.messages, ignore_conflicts=True)
        self.items, self.messages = [], []
