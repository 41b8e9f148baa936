"""Recount the performance page's monthly summary from the raw rows (a back-fill after a
bulk load or an upgrade, or a repair), or fold its rows of differences."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sightline.escalation.services import performance_months_fold, performance_months_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the performance page's counts by month and agency from the referrals, "
        "decisions and clocks (or, with --fold, only fold the rows of differences)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fold", action="store_true", help="Fold, do not recount.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fold"]:
            result = {"rows_folded": performance_months_fold()}
        else:
            result = {"rows_written": performance_months_rebuild()}
        self.stdout.write(json.dumps(result))
