"""The scheduler: enqueue each periodic task on its schedule, one process for the whole
installation (ADR 0005). It only enqueues; a worker (the database backend's, or RQ's across
machines) runs the tasks.

A periodic task is not enqueued again while its previous run is still waiting or running, so a
slow or stopped worker does not make a queue of identical sweeps. A run that has been waiting
or running for five of its periods is taken as lost (a worker killed mid-task leaves its row
RUNNING for ever) and another is enqueued; every periodic task is idempotent, so a duplicate
does no harm."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connection
from django_tasks import TaskResult
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from sightline.api.tasks import idempotency_purge_task
from sightline.audit.tasks import audit_seal_task
from sightline.core.tasks import outbox_relay_task
from sightline.escalation.tasks import sweep_task
from sightline.events.tasks import events_sweep_task
from sightline.intel.tasks import groups_refresh_task
from sightline.meetings.tasks import meetings_sweep_task
from sightline.reviews.tasks import missed_opportunities_sweep_task, recommendations_overdue_task

log = logging.getLogger("sightline.site")

# A run waiting or running for this many periods is presumed lost.
LOST_AFTER_PERIODS = 5
# The scheduler thread wakes at least this often to notice a stop.
LONGEST_NAP_SECONDS = 5.0


@dataclass(frozen=True)
class Periodic:
    task: Task[..., Any]
    every: dt.timedelta

    @property
    def name(self) -> str:
        return self.task.module_path


SCHEDULE: tuple[Periodic, ...] = (
    Periodic(audit_seal_task, dt.timedelta(seconds=60)),
    Periodic(sweep_task, dt.timedelta(seconds=60)),
    Periodic(outbox_relay_task, dt.timedelta(seconds=60)),
    Periodic(groups_refresh_task, dt.timedelta(minutes=10)),
    Periodic(idempotency_purge_task, dt.timedelta(minutes=10)),
    Periodic(recommendations_overdue_task, dt.timedelta(hours=1)),
    Periodic(meetings_sweep_task, dt.timedelta(minutes=10)),
    Periodic(events_sweep_task, dt.timedelta(minutes=10)),
    Periodic(missed_opportunities_sweep_task, dt.timedelta(minutes=10)),
)


@dataclass
class _Last:
    result: TaskResult[Any]
    enqueued_at: float  # on the scheduler's clock


class Scheduler:
    """Which periodic tasks are due, and enqueueing them. Every task is due at start."""

    def __init__(
        self,
        schedule: Sequence[Periodic] = SCHEDULE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.schedule = tuple(schedule)
        self._clock = clock
        start = clock()
        self._due_at = {job.name: start for job in self.schedule}
        self._last: dict[str, _Last] = {}

    def tick(self) -> list[TaskResult[Any]]:
        """Enqueue every task that is due and has no run still pending; returns the new runs."""
        now = self._clock()
        enqueued = []
        for job in self.schedule:
            if now < self._due_at[job.name]:
                continue
            if self._pending(job, now):
                log.info("%s: the previous run is still pending; not enqueued again", job.name)
            else:
                enqueued.append(self._enqueue(job, now))
            # Set only once enqueued: a failed enqueue leaves the task due for the next tick.
            self._due_at[job.name] = now + job.every.total_seconds()
        return enqueued

    def enqueue_all(self) -> list[TaskResult[Any]]:
        """Enqueue every periodic task now (skipping any whose last run is still pending)."""
        now = self._clock()
        return [self._enqueue(job, now) for job in self.schedule if not self._pending(job, now)]

    def seconds_to_next(self) -> float:
        return max(0.0, min(self._due_at.values()) - self._clock())

    def run(self, stop: threading.Event) -> None:
        """Tick until `stop` is set (the management command runs this in a thread)."""
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    self.tick()
                except Exception:  # a failed enqueue must not stop the schedule; next tick retries
                    log.exception("scheduler tick failed")
                stop.wait(min(self.seconds_to_next(), LONGEST_NAP_SECONDS))
        finally:
            connection.close()

    def _enqueue(self, job: Periodic, now: float) -> TaskResult[Any]:
        result = job.task.enqueue()
        self._last[job.name] = _Last(result=result, enqueued_at=now)
        return result

    def _pending(self, job: Periodic, now: float) -> bool:
        last = self._last.get(job.name)
        if last is None or last.result.is_finished:
            return False
        try:
            last.result.refresh()
        except TaskResultDoesNotExist:  # pruned or expired: nothing pending
            return False
        if last.result.is_finished:
            return False
        lost_after = LOST_AFTER_PERIODS * job.every.total_seconds()
        if now - last.enqueued_at >= lost_after:
            log.warning("%s: run %s presumed lost; enqueueing another", job.name, last.result.id)
            return False
        return True
