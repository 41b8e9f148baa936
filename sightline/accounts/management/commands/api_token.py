from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.accounts.models import User
from sightline.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (the secret is shown once and stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="A label for the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}.")
        try:
            _token, secret = api_token_issue(acting_user=None, user=user, name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(secret)
