"""Core's background task: deliver the e-mail outbox. The scheduler
(`sightline.site.scheduler`) enqueues it every minute."""

from __future__ import annotations

import logging

from django_tasks import task

from sightline.core.outbox import outbox_relay

log = logging.getLogger("sightline.core")

RELAY_BATCH = 100


@task()
def outbox_relay_task() -> int:
    """Send every pending outbox message, a batch at a time, and return how many were sent.

    Idempotent: a message is marked sent in the transaction that sends it and rows are claimed
    with SKIP LOCKED, so a second run (or two at once) finds nothing left to send; a message
    that failed is retried by the next run, at most ten attempts in all."""
    sent = 0
    while (batch := outbox_relay(batch=RELAY_BATCH)) > 0:
        sent += batch
    log.info("e-mails sent: %d", sent)
    return sent
