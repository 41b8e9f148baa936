from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sightline.intel.services import intel_bulk_index
from sightline.intel.services.bulk import intel_index_one_by_one


class Command(BaseCommand):
    help = (
        "Index every referral not yet indexed (oldest first, as intake would have), raising "
        "alerts where they would have fired, then refresh connected groups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--one-by-one",
            action="store_true",
            help="Read and write the database referral by referral, as intake does (slow; "
            "the reference the bulk path is held to).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        index = intel_index_one_by_one if options["one_by_one"] else intel_bulk_index
        counts = index()
        self.stdout.write(
            f"Indexed {counts['referrals']} referrals: {counts['mentions']} mentions, "
            f"{counts['alerts']} alert changes, {counts['suggestions']} suggestions in "
            f"{time.perf_counter() - began:.1f}s."
        )
