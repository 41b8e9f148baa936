"""The scheduler: each periodic task on its period, never a second run queued behind one that
is still pending, and a run pending for five periods taken as lost."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sightline.site.scheduler import SCHEDULE, Scheduler


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def queued_paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def finish_all() -> None:
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)


@pytest.mark.django_db
def test_every_task_is_enqueued_at_start_then_on_its_period() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock=clock)
    first = scheduler.tick()
    assert sorted(r.task.module_path for r in first) == sorted(j.name for j in SCHEDULE)
    assert len(queued_paths()) == len(SCHEDULE)
    finish_all()

    clock.now += 30
    assert scheduler.tick() == []
    clock.now += 30  # one minute: the sweep and the outbox, not the ten-minute tasks
    assert sorted(r.task.name for r in scheduler.tick()) == ["outbox_relay_task", "sweep_task"]
    finish_all()

    clock.now += 9 * 60  # ten minutes from the start: everything again
    assert len(scheduler.tick()) == len(SCHEDULE)
    assert len(queued_paths()) == 2 * len(SCHEDULE) + 2  # the two one-minute tasks ran twice


@pytest.mark.django_db
def test_a_task_still_queued_is_not_enqueued_again() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock=clock)
    scheduler.tick()
    # Nothing ran the first runs (a stopped or slow worker): the next minutes add nothing.
    for _ in range(3):
        clock.now += 60
        assert scheduler.tick() == []
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    DBTaskResult.objects.filter(task_path__endswith="sweep_task").update(
        status=TaskResultStatus.SUCCESSFUL
    )
    clock.now += 60
    assert [r.task.name for r in scheduler.tick()] == ["sweep_task"]


@pytest.mark.django_db
def test_a_run_pending_for_five_periods_is_taken_as_lost() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock=clock)
    scheduler.tick()
    # A worker killed mid-task leaves its run RUNNING for ever.
    DBTaskResult.objects.filter(task_path__endswith="sweep_task").update(
        status=TaskResultStatus.RUNNING
    )
    clock.now += 4 * 60
    assert "sweep_task" not in [r.task.name for r in scheduler.tick()]
    clock.now += 60
    assert "sweep_task" in [r.task.name for r in scheduler.tick()]


@pytest.mark.django_db
def test_enqueue_all_skips_a_task_whose_run_is_pending() -> None:
    scheduler = Scheduler(clock=FakeClock())
    assert len(scheduler.enqueue_all()) == len(SCHEDULE)
    assert scheduler.enqueue_all() == []
    finish_all()
    assert len(scheduler.enqueue_all()) == len(SCHEDULE)
