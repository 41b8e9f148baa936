from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sightline.intel.services import intel_bulk_index


class Command(BaseCommand):
    help = (
        "Index every referral not yet indexed (oldest first, as intake would have), raising "
        "alerts where they would have fired, then refresh connected groups."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = intel_bulk_index()
        self.stdout.write(
            f"Indexed {counts['referrals']} referrals: {counts['mentions']} mentions, "
            f"{counts['alerts']} alert changes, {counts['suggestions']} suggestions."
        )
