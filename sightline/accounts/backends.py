from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from sightline.accounts.roles import role_has


class RoleBackend(ModelBackend):
    """Authenticates by username and password and answers has_perm from the role table.
    Inactive users cannot authenticate and their sessions end on the next request."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and role_has(getattr(user_obj, "role", ""), perm))
