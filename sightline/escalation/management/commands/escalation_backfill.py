"""Start clocks for referrals that have none (bulk-loaded or older than the clocks)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sightline.escalation.services.backfill import clocks_backfill


class Command(BaseCommand):
    help = "Create the statutory clocks (and re-referral marks) for referrals without clocks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo-history",
            action="store_true",
            help="Synthetic demo only: complete older assessments on made-up dates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = clocks_backfill(acting_user=None, demo_history=options["demo_history"])
        self.stdout.write(json.dumps(result))
