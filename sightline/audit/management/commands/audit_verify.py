from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sightline.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Check every audit row against its sealed checkpoint, and the checkpoints against "
        "their external copy; name the first broken row or checkpoint. Exits non-zero when "
        "something is broken, or when rows have waited for the sealer longer than "
        "SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES (ADR 0006)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at {report.where}: {report.problem} "
                f"({report.checked} rows verified before it)."
            )
        lag = report.lag
        unsealed = lag.rows if lag else 0
        summary = (
            f"Audit chain intact: {report.checked} rows verified "
            f"({report.sealed} sealed in {report.checkpoints} checkpoints, {unsealed} unsealed)."
        )
        if lag is not None and lag.is_alarm:
            raise CommandError(
                f"{summary} ALARM: {lag.rows} rows are not sealed, the oldest (row "
                f"#{lag.oldest_seq}) for {lag.seconds / 60:.0f} minutes (limit "
                f"{lag.alarm_minutes}); is `manage.py audit_seal` running?"
            )
        self.stdout.write(summary)
