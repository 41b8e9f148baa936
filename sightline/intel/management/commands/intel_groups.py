from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sightline.intel.services import groups_refresh


class Command(BaseCommand):
    help = "Recompute connected groups across the partnership (run by the worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{groups_refresh()} connected groups.")
