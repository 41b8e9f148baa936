"""Test clients for a signed-in user (pages) and a bearer token (API), shared by every app's
tests."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from sightline.accounts.services import api_token_issue


def signed_in(user: Any) -> Client:
    """A client with a signed-in session. The session limit middleware ends any session
    without `signed_in_at` (set by the sign-in view), so force_login alone is not enough."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["signed_in_at"] = time.time()
    session.save()
    return client


def token_client(user: Any) -> Client:
    """A client that sends a fresh bearer token for `user` on every request."""
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
