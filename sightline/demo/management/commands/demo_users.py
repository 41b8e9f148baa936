from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sightline.accounts.selectors import demo_user_list
from sightline.demo.users import demo_password


class Command(BaseCommand):
    help = "List the demo users: username, role, agency and password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "agency": u.agency.code if u.agency else None,
                "password": demo_password(u.username),
            }
            for u in demo_user_list()
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=1))
            return
        width = max((len(str(r["username"])) for r in rows), default=10)
        for r in rows:
            self.stdout.write(
                f"{r['username']:<{width}}  {r['password']}  {r['role']} ({r['agency']})"
            )
