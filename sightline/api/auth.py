from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sightline.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sl_…` tokens issued by `manage.py api_token USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user
