"""The second backend: a real Sightline task enqueued on RQ against the Redis on 127.0.0.1:6379
and run by an RQ burst worker, as production across several machines does (ADR 0005)."""

from __future__ import annotations

import datetime as dt
import signal
import uuid
from collections.abc import Iterator
from typing import Any

import django_rq
import pytest
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_rq import Job

from sightline.escalation.models import Escalation
from sightline.escalation.tasks import sweep_task
from sightline.escalation.tests.factories import ladder_users, received

UTC = dt.UTC
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def rq_queue() -> Iterator[str]:
    """A queue of its own on the RQ backend (alias "rq"), emptied and removed afterwards."""
    name = f"sightline-test-{uuid.uuid4().hex[:12]}"
    tasks = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]},
    }
    # The backend reads results back through the RQ queue named "default".
    queues = {name: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        queue = django_rq.get_queue(name, job_class=Job)
        redis = queue.connection
        try:
            yield name
        finally:
            jobs = [
                *queue.get_job_ids(),
                *queue.finished_job_registry.get_job_ids(),
                *queue.failed_job_registry.get_job_ids(),
            ]
            for job_id in jobs:
                redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
            redis.delete(*redis.scan_iter(f"*{name}*"))
            queue.delete(delete_jobs=True)


@pytest.mark.django_db
def test_sweep_runs_on_rq_through_redis(rq_queue: str, agencies: Any, police_officer: Any) -> None:
    ladder_users(agencies["csc"])
    received(police_officer, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    at = "2026-03-04T09:00:00+00:00"

    result = sweep_task.using(backend="rq", queue_name=rq_queue).enqueue(at=at)
    assert result.backend == "rq"
    assert result.status == TaskResultStatus.READY
    assert Escalation.objects.count() == 0  # only queued in Redis so far

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    worker = django_rq.get_worker(rq_queue, job_class=Job, worker_class="rq.SimpleWorker")
    try:
        assert worker.work(burst=True)  # in this process, so it sees the test's database
    finally:
        worker.connection.delete(worker.key)
        for sig, handler in before.items():
            signal.signal(sig, handler)

    result.refresh()  # read back from Redis
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value["at"] == at
    assert result.return_value["escalations_raised"] == 2
    assert Escalation.objects.count() == 2
