"""`manage.py detect --from 2024-01-01 --to 2026-12-31 [--child ID ...] [--json]`: run every
missed-opportunity detector over history (as of each date) and list every hit: the pattern,
the child, the date it could first have been seen, the evidence and the agencies holding it.
Reads only; chunked, with progress on stderr."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sightline.people.models import Child
from sightline.reviews.detectors import histories_for, hits_for

CHUNK = 200


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "List every missed-opportunity detector hit over a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument(
            "--child", action="append", default=[], help="A child's id or reference"
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per hit")

    def handle(self, *args: Any, **opts: Any) -> None:
        start, end = _date(opts["start"]), _date(opts["end"])
        if end < start:
            raise CommandError("--to is before --from")
        ids = self._children(opts["child"])
        total = len(ids)
        count = 0
        for i in range(0, total, CHUNK):
            with transaction.atomic():
                hits = hits_for(histories_for(ids[i : i + CHUNK]).values(), start=start, end=end)
            for hit in hits:
                count += 1
                row = hit.as_dict()
                if opts["json"]:
                    self.stdout.write(json.dumps(row))
                else:
                    held = "; ".join(
                        f"{e['type']} {e['reference']} ({e['agency'] or '?'})"
                        for e in row["evidence"]
                    )
                    self.stdout.write(
                        f"{row['first_visible_on']}  {row['pattern']:<4} {row['child']}  "
                        f"{row['summary']}  [{held}]"
                    )
            self.stderr.write(f"\r{min(total, i + CHUNK)}/{total} children", ending="")
        self.stderr.write(f"\n{count} hits")

    @staticmethod
    def _children(given: list[str]) -> list[uuid.UUID]:
        if not given:
            return list(Child.objects.order_by("pk").values_list("pk", flat=True))
        out = []
        for value in given:
            try:
                child = Child.objects.filter(pk=uuid.UUID(value)).first()
            except ValueError:
                child = Child.objects.filter(reference=value).first()
            if child is None:
                raise CommandError(f"No child {value!r}")
            out.append(child.pk)
        return out
