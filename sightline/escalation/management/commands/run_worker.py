"""The worker: sweep clocks and challenge stages every 60 seconds and send queued e-mail.
`--once` runs one cycle. SIGTERM and SIGINT finish the current cycle, then stop."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from sightline.api.idempotency import idempotency_purge
from sightline.core.outbox import outbox_relay
from sightline.escalation.services import sweep
from sightline.intel.services import groups_refresh

log = logging.getLogger("sightline.escalation")

# Every tenth cycle (ten minutes): recompute the intelligence picture's connected groups and
# purge idempotency keys older than two days (they are kept at least 24 hours).
GROUPS_EVERY_CYCLES = 10


class Command(BaseCommand):
    help = "Run the background worker: escalation sweeps and the e-mail outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one cycle and exit.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between sweeps.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def _stop(signum: int, _frame: Any) -> None:
            log.info("worker received signal %s; stopping after this cycle", signum)
            stop.set()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while True:
                self.cycle()
                if options["once"] or stop.wait(options["interval"]):
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("worker stopped")

    cycles = 0

    def cycle(self) -> None:
        self._fresh_connection()
        try:
            report = sweep()
            sent = 0
            while (batch := outbox_relay(batch=100)) > 0:
                sent += batch
            line = f"swept: {report.as_dict()}; e-mails sent: {sent}"
            if self.cycles % GROUPS_EVERY_CYCLES == 0:
                line += f"; connected groups: {groups_refresh()}"
                line += f"; expired idempotency keys purged: {idempotency_purge()}"
            self.cycles += 1
            self.stdout.write(line)
        except Exception:  # a failed cycle must not kill the worker; the next one retries
            log.exception("worker cycle failed")
        finally:
            self._fresh_connection()

    @staticmethod
    def _fresh_connection() -> None:
        """Drop a broken or expired connection between cycles (never inside a transaction,
        which is only the case when a test runs a cycle)."""
        if not connection.in_atomic_block:
            close_old_connections()
