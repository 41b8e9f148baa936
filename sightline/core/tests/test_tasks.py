"""The outbox task sends every pending message once: a second run finds nothing to send."""

from __future__ import annotations

import pytest
from django.core import mail

from sightline.core.models import OutboxMessage
from sightline.core.outbox import outbox_enqueue
from sightline.core.tasks import RELAY_BATCH, outbox_relay_task


@pytest.mark.django_db
def test_outbox_task_sends_every_batch_then_nothing_twice() -> None:
    for n in range(RELAY_BATCH + 5):
        outbox_enqueue(
            kind="test",
            dedupe_key=f"test-{n}",
            subject="A test message",
            body="Body",
            recipient_email=f"person{n}@example.invalid",
        )
    assert outbox_relay_task.call() == RELAY_BATCH + 5
    assert outbox_relay_task.call() == 0
    assert len(mail.outbox) == RELAY_BATCH + 5
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
