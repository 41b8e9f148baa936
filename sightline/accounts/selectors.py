from __future__ import annotations

from django.db.models import QuerySet

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Role


def agency_list(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


def demo_user_list() -> QuerySet[User]:
    return (
        User.objects.filter(username__startswith="demo-")
        .select_related("agency", "team")
        .order_by("username")
    )


def role_choices() -> list[tuple[str, str]]:
    return list(Role.choices)
