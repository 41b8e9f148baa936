from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from sightline.accounts.models import Agency, ApiToken, User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound


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


# ---- Audited reads for the administrators' console and API (no case content): each writes
# its access row here, in the caller's transaction or one of its own.


def user_list_read(
    *,
    user: Any,
    agency: str = "",
    active: bool | None = None,
    order_by: Sequence[str] = ("username",),
    limit: int = 1000,
) -> list[User]:
    """Users (of the agency with code `agency`, else all), the listing recorded."""
    rows = User.objects.select_related("agency", "team").order_by(*order_by)
    if agency:
        rows = rows.filter(agency__code=agency)
    if active is not None:
        rows = rows.filter(is_active=active)
    with transaction.atomic():
        listed = list(rows[:limit])
        _listed(user, ObjectType.USER, agency=agency or "all", count=len(listed))
    return listed


def token_list_read(
    *,
    user: Any,
    agency: str = "",
    order_by: Sequence[str] = ("agency__code", "-created_at"),
    limit: int = 1000,
) -> list[ApiToken]:
    """API tokens (never their secrets) of the agency with code `agency`, else all, the
    listing recorded."""
    rows = ApiToken.objects.select_related("user", "agency").order_by(*order_by)
    if agency:
        rows = rows.filter(agency__code=agency)
    with transaction.atomic():
        listed = list(rows[:limit])
        _listed(user, ObjectType.API_TOKEN, agency=agency or "all", count=len(listed))
    return listed


def _listed(user: Any, object_type: str, **details: Any) -> None:
    audit_record(actor=user, action=Action.LIST, object_type=object_type, details=details)


def user_read(*, user: Any, username: str) -> tuple[User, list[ApiToken]]:
    """The account `username` and its API tokens, the view recorded; NotFound if none."""
    target = User.objects.select_related("agency", "team").filter(username=username).first()
    if target is None:
        raise NotFound("No such user.")
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=target).order_by("-created_at"))
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.USER, object_id=target.pk,
            object_ref=target.username[:40],
        )  # fmt: skip
    return target, tokens
