"""Demo users: one per role. Passwords are derived from this installation's own secret key,
so every installation has different ones and none is stored in clear."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def demo_username(role: str) -> str:
    return "demo-" + role.replace("_", "-")


def demo_password(username: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).hexdigest()
    return f"sightline-{digest[:6]}-{digest[6:12]}-{digest[12:18]}"
