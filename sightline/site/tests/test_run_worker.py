"""`manage.py run_worker`: the periodic tasks go through the database queue and the database
backend's worker runs them; SIGTERM lets the running task finish, then stops everything."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import threading
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult

from sightline.api.models import IdempotencyRecord
from sightline.core.models import OutboxMessage
from sightline.escalation.models import Escalation
from sightline.escalation.tests.factories import ladder_users, received
from sightline.site.scheduler import SCHEDULE

UTC = dt.UTC


@pytest.mark.django_db(transaction=True)
def test_once_runs_every_periodic_task_through_the_database_queue(
    agencies: Any, police_officer: Any
) -> None:
    people = ladder_users(agencies["csc"])
    received(police_officer, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    IdempotencyRecord.objects.create(
        user=police_officer,
        key="old",
        request_hash="0" * 64,
        lease="gone",
        claimed_at=timezone.now() - dt.timedelta(days=3),
    )
    out = io.StringIO()
    call_command("run_worker", once=True, stdout=out)

    rows = DBTaskResult.objects.order_by("task_path")
    assert [(r.task_path, r.status) for r in rows] == [
        (path, TaskResultStatus.SUCCESSFUL) for path in sorted(j.name for j in SCHEDULE)
    ]
    assert "sightline.escalation.tasks.sweep_task" in {r.task_path for r in rows}
    assert all(r.worker_ids for r in rows)  # claimed and run by the worker
    sweep_row = rows.get(task_path="sightline.escalation.tasks.sweep_task")
    assert sweep_row.return_value is not None
    assert sweep_row.return_value["escalations_raised"] == 2
    assert Escalation.objects.count() == 2
    assert people["lead"].email in {a for m in mail.outbox for a in m.to}
    assert not IdempotencyRecord.objects.exists()
    printed = out.getvalue()
    assert "idempotency_purge_task: 1" in printed
    sent = OutboxMessage.objects.filter(sent_at__isnull=False).count()
    assert sent >= len(mail.outbox) > 0
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert f"outbox_relay_task: {sent}" in printed
    assert printed.rstrip().endswith("worker stopped")


@pytest.mark.django_db
def test_once_refuses_to_run_inside_a_transaction() -> None:
    with transaction.atomic(), pytest.raises(CommandError, match="inside a transaction"):
        call_command("run_worker", once=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_task_finish_then_stops(
    agencies: Any, police_officer: Any
) -> None:
    ladder_users(agencies["csc"])
    received(police_officer, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def stop_after_the_sweep(sender: Any, task_result: Any, **kwargs: Any) -> None:
        if task_result.task.name == "sweep_task":
            os.kill(os.getpid(), signal.SIGTERM)  # as a service manager stopping the worker

    # A safety net so that a broken worker fails this test instead of hanging the run.
    safety = threading.Timer(60, os.kill, args=(os.getpid(), signal.SIGTERM))
    task_finished.connect(stop_after_the_sweep)
    safety.start()
    out = io.StringIO()
    try:
        call_command("run_worker", interval=0.1, stdout=out)
    finally:
        task_finished.disconnect(stop_after_the_sweep)
        safety.cancel()

    assert "worker stopped" in out.getvalue()
    sweep_row = DBTaskResult.objects.get(task_path="sightline.escalation.tasks.sweep_task")
    assert sweep_row.status == TaskResultStatus.SUCCESSFUL  # finished, not cut short
    assert Escalation.objects.count() == 2
    assert not any(t.name == "scheduler" for t in threading.enumerate())
    assert {sig: signal.getsignal(sig) for sig in before} == before
