"""Queueing messages: many in one statement, a key already queued (or repeated in the batch)
stored once, and the message of a queued key read back by `outbox_enqueue`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.core.models import OutboxMessage
from sightline.core.outbox import outbox_enqueue, outbox_enqueue_many, outbox_message

pytestmark = pytest.mark.django_db


def _message(key: str, subject: str = "A test message") -> OutboxMessage:
    return outbox_message(
        kind="test",
        dedupe_key=key,
        subject=subject,
        body="Body",
        recipient_email=f"{key}@example.invalid",
    )


def test_many_messages_are_queued_in_one_statement_each_key_once() -> None:
    outbox_enqueue(kind="test", dedupe_key="k-0", subject="First", body="Body")
    batch = [_message("k-0", "Again"), _message("k-1"), _message("k-2"), _message("k-1", "Dup")]
    with CaptureQueriesContext(connection) as captured:
        stored = outbox_enqueue_many(batch)
    assert len(captured) == 1
    assert stored == 2
    assert [m._state.adding for m in batch] == [True, False, False, True]
    queued = dict(OutboxMessage.objects.values_list("dedupe_key", "subject"))
    assert queued == {"k-0": "First", "k-1": "A test message", "k-2": "A test message"}
    assert OutboxMessage.objects.get(dedupe_key="k-2").recipient_email == "k-2@example.invalid"


def test_a_batch_larger_than_one_statement_takes_is_all_queued() -> None:
    batch = [_message(f"many-{n}") for n in range(1200)]
    assert outbox_enqueue_many(batch) == 1200
    assert OutboxMessage.objects.filter(kind="test").count() == 1200


def test_enqueueing_a_queued_key_answers_the_stored_message() -> None:
    first = outbox_enqueue(kind="test", dedupe_key="same", subject="First", body="Body")
    again = outbox_enqueue(kind="test", dedupe_key="same", subject="Second", body="Body")
    assert again.pk == first.pk
    assert again.subject == "First"
