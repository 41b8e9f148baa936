"""`manage.py import_events --kind missing_episode --agency police FILE.csv [--accept-valid]`:
a partner system's CSV (docs/imports.md, "Partner events") checked row by row, then stored
2,000 rows to a transaction (workflows.events_bulk) with a progress bar. A file with errors
stores nothing (unless --accept-valid) and prints the row report; re-importing the same file
changes nothing."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Role
from sightline.core.collection import few_collections
from sightline.events.choices import EventKind
from sightline.events.imports import rows_parse
from sightline.workflows import events_import


class Progress:
    """A bar on stderr: `label [#####.....] n/total rate/s`."""

    def __init__(self, label: str, total: int, width: int = 30) -> None:
        self.label, self.total, self.width, self.start = label, max(total, 1), width, time.time()
        self.stream = sys.stderr

    def show(self, done: int) -> None:
        filled = int(self.width * done / self.total)
        rate = done / max(time.time() - self.start, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{self.total} {rate:,.0f}/s"
        )
        self.stream.flush()
        if done >= self.total:
            self.stream.write("\n")


class _Counter:
    """Counts the SQL statements the import sends (reported beside its time)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Import a CSV of partner events of one kind for one agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=EventKind.values)
        parser.add_argument("--agency", required=True, help="The sending agency's code.")
        parser.add_argument("--as-user", default="", help="Username recorded as the sender.")
        parser.add_argument("--accept-valid", action="store_true")
        parser.add_argument("--no-notify", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with code {options['agency']!r}.")
        user = self._sender(agency, options["as_user"])
        data = Path(options["file"]).read_bytes()
        started = time.time()
        with few_collections():  # parsing makes 100,000 long-lived rows too (ADR 0910)
            self._import(options, agency, user, data, started)

    def _import(
        self, options: dict[str, Any], agency: Agency, user: User, data: bytes, started: float
    ) -> None:
        parsed = rows_parse(kind=options["kind"], data=data)
        report = parsed.report()
        if parsed.errors and not (options["accept_valid"] and parsed.valid):
            self.stdout.write(json.dumps({**report, "stored": 0}, indent=2))
            raise CommandError(f"{parsed.rejected_rows or 'The file'} row(s) with errors.")
        rows = [event for _line, event in parsed.valid]
        bar = Progress("storing", len(rows))
        statements = _Counter()
        with connection.execute_wrapper(statements):
            result = events_import(
                acting_user=user,
                agency=agency,
                rows=rows,
                filename=Path(options["file"]).name,
                notify=not options["no_notify"],
                progress=bar.show,
            )
        totals = {
            "stored": result.stored,
            "already_stored": result.already_stored,
            "children_created": result.children_created,
            "alerts": len(result.alerts),
            "statements": statements.count,
        }
        seconds = time.time() - started
        summary = {**report, **totals, "seconds": round(seconds, 1)}
        summary["rows_per_second"] = round(len(rows) / max(seconds, 1e-6))
        self.stdout.write(json.dumps(summary, indent=2))

    def _sender(self, agency: Agency, username: str) -> User:
        users = User.objects.filter(agency=agency, is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active user {username!r} in that agency.")
            return found
        lead = {
            AgencyKind.POLICE: Role.POLICE_ANALYST,
            AgencyKind.HEALTH: Role.HEALTH_LEAD,
            AgencyKind.EDUCATION: Role.EDUCATION_LEAD,
        }.get(AgencyKind(agency.kind), Role.TEAM_MANAGER)
        found = users.filter(role=lead).order_by("username").first() or users.first()
        if found is None:
            raise CommandError("That agency has no active user to record as the sender.")
        return found
