"""The worker: the scheduler (a thread that enqueues the periodic tasks on their schedule) and
the database backend's worker loop (which runs them, and any other queued task) in one process.

`--once` enqueues every periodic task once, runs the queue empty and exits (tests and CI).
SIGTERM and SIGINT let the task that is running finish, then stop; a second signal stops at
once. When the default backend is not the database (RQ on Redis across machines), only the
scheduler runs here: the backend's own workers run the tasks (ADR 0005)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResult, TaskResultStatus, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from sightline.site.scheduler import Scheduler

log = logging.getLogger("sightline.site")

RETRY_SECONDS = 5.0


class Command(BaseCommand):
    help = "Run the background worker: the task scheduler and a database task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue every periodic task once, run the queue empty and exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds the worker waits before looking again at an empty queue.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        worker = None
        if isinstance(backend, DatabaseBackend):
            worker = Worker(
                queue_names=sorted(backend.queues),
                interval=options["interval"],
                batch=options["once"],
                backend_name=backend.alias,
                startup_delay=False,
                max_tasks=None,
                worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
                excluded_queue_names=[],
            )
        else:
            self.stdout.write(f"tasks go to {type(backend).__name__}: running the scheduler only")
        scheduler = Scheduler()
        if options["once"]:
            self._once(scheduler, worker)
        else:
            self._forever(scheduler, worker)
        self.stdout.write("worker stopped")

    def _once(self, scheduler: Scheduler, worker: Worker | None) -> None:
        if worker is not None and connection.in_atomic_block:
            # The worker closes and reopens connections between tasks, which would end the
            # caller's transaction (a test needs django_db(transaction=True)).
            raise CommandError("run_worker --once cannot run inside a transaction")
        results = scheduler.enqueue_all()
        if worker is not None:
            worker.run()
        for result in results:
            self.stdout.write(self._describe(result))

    def _forever(self, scheduler: Scheduler, worker: Worker | None) -> None:
        stop = threading.Event()

        def _stop(signum: int, _frame: Any) -> None:
            if stop.is_set():
                raise SystemExit(f"worker received signal {signum} again; stopping now")
            log.info("worker received signal %s; stopping after the running task", signum)
            stop.set()
            if worker is not None:
                worker.running = False

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        thread = threading.Thread(target=scheduler.run, args=(stop,), name="scheduler")
        thread.start()
        try:
            while not stop.is_set():
                try:
                    if worker is not None:
                        worker.run()  # returns once a signal has cleared worker.running
                    else:
                        stop.wait(1.0)
                except DatabaseError:  # the database restarting must not end the worker
                    log.exception("worker lost the database; trying again shortly")
                    stop.wait(RETRY_SECONDS)
        finally:
            stop.set()
            thread.join()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @staticmethod
    def _describe(result: TaskResult[Any]) -> str:
        if result.task.get_backend().supports_get_result:
            result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return f"{result.task.name}: {result.return_value}"
        return f"{result.task.name}: {result.status.lower()}"
