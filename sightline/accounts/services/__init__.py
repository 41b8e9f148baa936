from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sightline.accounts.choices import CIN_SOURCE_CODES, CIN_SOURCE_DEFAULTS, AgencyKind
from sightline.accounts.models import Agency, ApiToken, Team, User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.core.rows import first_of


def agency_create(
    *, acting_user: Any, name: str, code: str, kind: str, cin_source_code: str | None = None
) -> Agency:
    if kind not in AgencyKind.values:
        raise ValueError(f"Unknown kind of agency {kind!r}.")
    source = cin_source_code or CIN_SOURCE_DEFAULTS[kind]
    if source not in CIN_SOURCE_CODES:
        raise ValueError(f"{source!r} is not a CIN census referral-source code.")
    with transaction.atomic():
        agency = Agency.objects.create(name=name, code=code, kind=kind, cin_source_code=source)
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="agency",
            object_id=agency.pk,
            object_ref=agency.code,
            actor_username="system",
        )
    return agency


def team_create(*, acting_user: Any, agency: Agency, name: str) -> Team:
    with transaction.atomic():
        team = Team.objects.create(agency=agency, name=name)
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="team",
            object_id=team.pk,
            object_ref=name[:40],
            actor_username="system",
        )
    return team


def user_create(
    *,
    acting_user: Any,
    username: str,
    password: str,
    agency: Agency,
    role: str,
    team: Team | None = None,
    given_name: str = "",
    family_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}.")
    with transaction.atomic():
        user = User(
            username=username,
            agency=agency,
            team=team,
            role=role,
            first_name=given_name,
            last_name=family_name,
            email=email,
            job_title=job_title,
        )
        user.set_password(password)
        user.save()
        audit_record(
            actor=acting_user,
            action=Action.USER_CREATED,
            object_type="user",
            object_id=user.pk,
            object_ref=username[:40],
            details={"role": role, "agency": agency.code},
            actor_username="system",
        )
    return user


def api_token_issue(*, acting_user: Any, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """Make a new token for `user`; the secret is returned once and never stored."""
    if user.agency_id is None:
        raise ValueError("A user must belong to an agency before an API token can be issued.")
    prefix = secrets.token_hex(4)
    secret = f"sl_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            agency_id=user.agency_id,
            name=name,
            prefix=prefix,
            digest=ApiToken.digest_of(secret),
        )
        audit_record(
            actor=acting_user,
            action=Action.TOKEN_ISSUED,
            object_type="api_token",
            object_id=token.pk,
            object_ref=prefix,
            details={"for_user": user.username},
            actor_username="system",
        )
    return token, secret


def api_token_revoke(*, acting_user: Any, token: ApiToken, reason: str) -> ApiToken:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=acting_user,
            action=Action.TOKEN_REVOKED,
            object_type="api_token",
            object_id=token.pk,
            object_ref=token.prefix,
            reason=reason,
            actor_username="system",
        )
    return token


class TokenNotFound(NotFound):
    """No active token of this user has that prefix."""


def api_token_revoke_by_prefix(
    *, acting_user: Any, user: User, prefix: str, reason: str
) -> ApiToken:
    """Revoke the user's active token whose secret starts `sl_<prefix>_`."""
    tokens = list(
        ApiToken.objects.filter(user=user, prefix=prefix.strip(), revoked_at__isnull=True)[:2]
    )
    if len(tokens) != 1:
        raise TokenNotFound(
            f"{user.username} has no active token with prefix {prefix!r}."
            if not tokens
            else f"More than one active token of {user.username} has prefix {prefix!r}."
        )
    return api_token_revoke(acting_user=acting_user, token=tokens[0], reason=reason)


def api_token_list(*, acting_user: Any, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included; the listing is audited."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "prefix"))
        audit_record(
            actor=acting_user,
            action=Action.LIST,
            object_type="api_token",
            object_ref=user.username[:40],
            details={"for_user": user.username, "count": len(tokens)},
            actor_username="system",
        )
    return tokens


# A token's last use is written at most once in this interval, not on every request.
TOKEN_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_authenticate(secret: str) -> User | None:
    """The active user behind a token, or None. Used by the API's bearer authentication."""
    if not secret.startswith("sl_"):
        return None
    token = first_of(  # the digest is unique
        ApiToken.objects.select_related("user", "user__agency").filter(
            digest=ApiToken.digest_of(secret), revoked_at__isnull=True
        )
    )
    if token is None or not token.user.is_active or token.user.agency_id != token.agency_id:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_LAST_USED_RESOLUTION:
        # A conditional UPDATE, so that concurrent requests write it once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user


def sign_in_recorded(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action=Action.SIGN_IN, object_type="user", object_id=user.pk)


def sign_in_failure_recorded(*, locked_out: bool) -> None:
    """Failed sign-ins are recorded without the username typed (it may be anyone's name)."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.LOCKED_OUT if locked_out else Action.SIGN_IN_FAILED,
            object_type="user",
            actor_username="(unknown)",
        )


def sign_out_recorded(*, user: User) -> None:
    with transaction.atomic():
        audit_record(actor=user, action=Action.SIGN_OUT, object_type="user", object_id=user.pk)


def totp_device_for(*, user: User) -> Any:
    """The user's TOTP device, creating an unconfirmed one on first use."""

    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_verify(*, user: User, device: Any, token: str) -> bool:
    """Check a code (each code works once: django-otp refuses a replayed time step)."""
    ok = token.isdigit() and len(token) == 6 and bool(device.verify_token(token))
    with transaction.atomic():
        if ok and not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        audit_record(
            actor=user,
            action=Action.TWO_FACTOR if ok else Action.TWO_FACTOR_FAILED,
            object_type="user",
            object_id=user.pk,
        )
    return ok


def totp_secret_text(*, device: Any) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_data_uri(*, device: Any) -> str:

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
