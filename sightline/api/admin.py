"""Administration API for the system administrator: users and per-agency API tokens. No case
content is read or returned. A user is named in paths by username (unique, and not a
sequential key); a token by its UUID."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Agency, ApiToken, Team, User
from sightline.accounts.roles import Cap, Role
from sightline.accounts.selectors import token_list_read, user_list_read
from sightline.accounts.services import admin as services
from sightline.accounts.services import api_token_revoke
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError, Conflict, Invalid, NotFound

router = Router(tags=["administration"])

ROLE_HELP = "One of: " + ", ".join(Role.values) + "."


class UserOut(Schema):
    username: str
    given_name: str
    family_name: str
    email: str
    job_title: str
    role: str
    agency: str | None
    team: str | None
    is_active: bool
    last_login: dt.datetime | None


class UserIn(InputSchema):
    username: str = Field(..., min_length=3, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str = Field(..., min_length=1, max_length=200)
    agency: str = Field(..., max_length=40, description="The agency's code.")
    role: str = Field(..., max_length=40, description=ROLE_HELP)
    team: str | None = Field(None, max_length=200, description="A team of that agency, by name.")
    given_name: str = Field("", max_length=150)
    family_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    job_title: str = Field("", max_length=200)


class UserPatch(InputSchema):
    role: str | None = Field(None, max_length=40, description=ROLE_HELP)
    agency: str | None = Field(None, max_length=40)
    team: str | None = Field(None, max_length=200, description="Empty string: no team.")
    given_name: str | None = Field(None, max_length=150)
    family_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    job_title: str | None = Field(None, max_length=200)


class AdminReasonIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=1000)


class UserFilter(Schema):
    agency: str = ""
    active: bool | None = None


class TokenOut(Schema):
    id: uuid.UUID
    prefix: str
    name: str
    username: str
    agency: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="Shown once; only its digest is stored.")


class TokenIn(InputSchema):
    username: str = Field(..., max_length=150)
    name: str = Field("api", max_length=100)


class TokenFilter(Schema):
    agency: str = ""


def _admin(request: AuthenticatedHttpRequest) -> Any:
    user = request.user
    if not user.has_capability(Cap.USER_MANAGE):
        raise ApiError(403, "Your role cannot administer users or tokens.")
    return user


def user_out(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "given_name": user.first_name,
        "family_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "agency": user.agency.code if user.agency else None,
        "team": user.team.name if user.team else None,
        "is_active": user.is_active,
        "last_login": user.last_login,
    }


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "name": token.name,
        "username": token.user.username,
        "agency": token.agency.code,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip()).first()
    if agency is None:
        raise Invalid({"agency": f"No agency has the code {code.strip()[:40]!r}."})
    return agency


def _team(agency: Agency, name: str | None) -> Team | None:
    if not name:
        return None
    team = Team.objects.filter(agency=agency, name=name.strip()).first()
    if team is None:
        raise Invalid({"team": f"{agency.code} has no team named {name.strip()[:60]!r}."})
    return team


def _user(username: str) -> User:
    user = User.objects.select_related("agency", "team").filter(username=username).first()
    if user is None:
        raise NotFound("No such user.")
    return user


@router.get(
    "/admin/users",
    response={200: list[UserOut], 403: Detail},
    summary="Users, with their role, agency and team (no case content)",
)
def users_list(
    request: AuthenticatedHttpRequest, filters: Query[UserFilter]
) -> list[dict[str, Any]]:
    admin = _admin(request)
    users = user_list_read(user=admin, agency=filters.agency[:40], active=filters.active)
    return [user_out(u) for u in users]


@router.post(
    "/admin/users",
    response={201: UserOut, 403: Detail, 409: Detail, 422: Detail},
    summary="Create a user in an agency with a role that fits it",
)
def user_create(request: AuthenticatedHttpRequest, payload: UserIn) -> Status[dict[str, Any]]:
    admin = _admin(request)
    agency = _agency(payload.agency)
    team = _team(agency, payload.team)
    try:
        validate_password(payload.password, User(username=payload.username))
    except ValidationError as exc:
        raise Invalid({"password": list(exc.messages)}) from exc
    user = services.user_admin_create(
        acting_user=admin, username=payload.username, password=payload.password, agency=agency,
        role=payload.role, team=team, given_name=payload.given_name,
        family_name=payload.family_name, email=payload.email, job_title=payload.job_title,
    )  # fmt: skip
    return Status(201, user_out(user))


@router.patch(
    "/admin/users/{username}",
    response={200: UserOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Change a user's role, agency, team or details",
)
def user_change(
    request: AuthenticatedHttpRequest, username: str, payload: UserPatch
) -> dict[str, Any]:
    admin = _admin(request)
    user = _user(username)
    data = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    if data.get("agency") is not None:
        changes["agency"] = _agency(data["agency"])
    if "team" in data:
        changes["team"] = _team(changes.get("agency") or user.agency, data["team"])  # type: ignore[arg-type]
    if data.get("role") is not None:
        changes["role"] = data["role"]
    names = {"given_name": "first_name", "family_name": "last_name"}
    for field in ("given_name", "family_name", "email", "job_title"):
        if data.get(field) is not None:
            changes[names.get(field, field)] = data[field]
    if not changes:
        raise Invalid("Send at least one field to change.")
    return user_out(services.user_change(acting_user=admin, user=user, **changes))


@router.post(
    "/admin/users/{username}/deactivate",
    response={200: UserOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Deactivate a user: their sessions and API tokens end at once",
)
def user_deactivate(
    request: AuthenticatedHttpRequest, username: str, payload: AdminReasonIn
) -> dict[str, Any]:
    admin = _admin(request)
    user = services.user_deactivate(acting_user=admin, user=_user(username), reason=payload.reason)
    return user_out(user)


@router.get(
    "/admin/tokens",
    response={200: list[TokenOut], 403: Detail},
    summary="API tokens, by agency (never their secrets)",
)
def tokens_list(
    request: AuthenticatedHttpRequest, filters: Query[TokenFilter]
) -> list[dict[str, Any]]:
    admin = _admin(request)
    tokens = token_list_read(user=admin, agency=filters.agency[:40])
    return [token_out(t) for t in tokens]


@router.post(
    "/admin/tokens",
    response={201: TokenCreatedOut, 403: Detail, 409: Detail, 422: Detail},
    summary="Issue an API token for a member of an agency (the secret is shown once)",
)
def token_create(request: AuthenticatedHttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    admin = _admin(request)
    user = User.objects.select_related("agency").filter(username=payload.username).first()
    if user is None:
        raise Invalid({"username": "No such user."})
    token, secret = services.agency_token_issue(acting_user=admin, user=user, name=payload.name)
    token = ApiToken.objects.select_related("user", "agency").get(pk=token.pk)
    return Status(201, {**token_out(token), "secret": secret})


@router.delete(
    "/admin/tokens/{token_id}",
    response={200: TokenOut, 403: Detail, 404: Detail, 409: Detail},
    summary="Revoke an API token",
)
def token_revoke(request: AuthenticatedHttpRequest, token_id: uuid.UUID) -> dict[str, Any]:
    admin = _admin(request)
    token = ApiToken.objects.select_related("user", "agency").filter(pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is not None:
        raise Conflict("That token is already revoked.")
    with transaction.atomic():
        api_token_revoke(acting_user=admin, token=token, reason="Revoked by an administrator.")
    return token_out(token)
