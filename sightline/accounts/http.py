"""The request a signed-in view or an authenticated API handler receives: its user is a
Sightline user (never anonymous), so views and handlers are typed without `Any`."""

from __future__ import annotations

from django.http import HttpRequest

from sightline.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest after sign-in (pages: `capability_required`; API: the token auth)."""

    user: User
