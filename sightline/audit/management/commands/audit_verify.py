from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sightline.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain and name the first broken row."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at row #{report.first_bad_seq}: {report.problem} "
                f"({report.checked} rows verified before it)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} rows verified.")
