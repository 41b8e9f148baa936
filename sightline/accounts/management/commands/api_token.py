from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.accounts.models import User
from sightline.accounts.services import (
    TokenNotFound,
    api_token_issue,
    api_token_list,
    api_token_revoke_by_prefix,
)


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value else "-"


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (the secret is shown once and stored hashed); "
        "with --list, show the user's tokens; with --revoke PREFIX, revoke one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="A label for a new token.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--list",
            action="store_true",
            help="List the user's tokens: prefix, name, created, last used, revoked.",
        )
        action.add_argument(
            "--revoke",
            metavar="PREFIX",
            help="Revoke the user's active token whose secret starts sl_PREFIX_.",
        )
        parser.add_argument(
            "--reason",
            default="Revoked with manage.py api_token.",
            help="Why the token is revoked (recorded in the audit trail).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if options["list"] or options["revoke"]:
            # Revoking or listing works for inactive users too (a leaver's token).
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user called {username!r}.")
            if options["list"]:
                self._list(user)
            else:
                self._revoke(user, options["revoke"], options["reason"])
            return
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        try:
            _token, secret = api_token_issue(acting_user=None, user=user, name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(secret)

    def _list(self, user: User) -> None:
        tokens = api_token_list(acting_user=None, user=user)
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        self.stdout.write(f"{'prefix':<10} {'created':<26} {'last used':<26} {'revoked':<26} name")
        for token in tokens:
            self.stdout.write(
                f"{token.prefix:<10} {_when(token.created_at):<26} "
                f"{_when(token.last_used_at):<26} {_when(token.revoked_at):<26} {token.name}"
            )

    def _revoke(self, user: User, prefix: str, reason: str) -> None:
        if not reason.strip():
            raise CommandError("Give a --reason for revoking the token.")
        try:
            token = api_token_revoke_by_prefix(
                acting_user=None, user=user, prefix=prefix, reason=reason
            )
        except TokenNotFound as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Revoked token {token.prefix} of {user.username}.")
