"""Administration of users, agencies, teams and API tokens by a system administrator (no case
content). Every change is audited with its old and new values (`details={"old", "new"}`);
a refused change stores nothing and leaves one `record.change_refused` row of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sightline.accounts.models import Agency, ApiToken, Team, User
from sightline.accounts.roles import Role
from sightline.accounts.rules import role_fit_message
from sightline.accounts.services import agency_create, api_token_issue, user_create
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid


class UserChangeInvalid(Invalid):
    """The change breaks a rule (a role that does not fit the agency, a team of another)."""


def _refuse(*, acting_user: Any, target: str, attempted: dict[str, Any], message: str) -> None:
    """Record the refusal in a transaction of its own, then raise: nothing else is stored."""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=Action.CHANGE_REFUSED,
            object_type="user",
            object_ref=target[:40],
            reason=message,
            details={"attempted": attempted},
        )
    raise UserChangeInvalid(message, audited=True)


def _check_fit(
    *, acting_user: Any, target: str, role: str, agency: Agency, team: Team | None
) -> None:
    attempted = {"role": role, "agency": agency.code, "team": team.name if team else None}
    if role not in Role.values:
        _refuse(acting_user=acting_user, target=target, attempted=attempted,
                message=f"{role!r} is not a role.")  # fmt: skip
    message = role_fit_message(role, agency.kind)
    if message:
        _refuse(acting_user=acting_user, target=target, attempted=attempted, message=message)
    if team is not None and team.agency_id != agency.pk:
        _refuse(acting_user=acting_user, target=target, attempted=attempted,
                message=f"The team {team.name} belongs to another agency.")  # fmt: skip
    if not agency.is_active:
        _refuse(acting_user=acting_user, target=target, attempted=attempted,
                message=f"The agency {agency.code} is no longer active.")  # fmt: skip


def user_admin_create(
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
    _check_fit(acting_user=acting_user, target=username, role=role, agency=agency, team=team)
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise Conflict(f"A user named {username} already exists.")
    with transaction.atomic():
        return user_create(
            acting_user=acting_user, username=username, password=password, agency=agency,
            role=role, team=team, given_name=given_name, family_name=family_name, email=email,
            job_title=job_title,
        )  # fmt: skip


def _sessions_end(user: User) -> int:
    """Delete every stored session of `user` (database sessions: each is decoded to find its
    user, which an administrator's click can afford)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _tokens_revoke(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )


USER_FIELDS = ("role", "agency", "team", "first_name", "last_name", "email", "job_title")


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "role": user.role,
        "agency": user.agency.code if user.agency_id and user.agency else None,
        "team": user.team.name if user.team_id and user.team else None,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "is_active": user.is_active,
    }


def user_change(*, acting_user: Any, user: User, **changes: Any) -> User:
    """Change a user's role, agency, team or details. Moving a user to another agency ends
    their API tokens (a token belongs to an agency) and their sessions."""
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise UserChangeInvalid(f"These fields cannot be changed here: {sorted(unknown)}.")
    agency = changes.get("agency", user.agency)
    team = changes.get("team", user.team if "agency" not in changes else None)
    if agency is None:
        raise UserChangeInvalid("A user must belong to an agency.")
    if "agency" in changes and "team" not in changes and user.team_id:
        team = user.team if user.team and user.team.agency_id == agency.pk else None
    role = changes.get("role", user.role)
    _check_fit(acting_user=acting_user, target=user.username, role=role, agency=agency, team=team)
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .select_related("agency", "team")
            .get(pk=user.pk)
        )
        old = _snapshot(user)
        moved = agency.pk != user.agency_id
        user.role, user.agency, user.team = role, agency, team
        for name in ("first_name", "last_name", "email", "job_title"):
            if name in changes:
                setattr(user, name, str(changes[name]).strip())
        user.save()
        new = _snapshot(user)
        changed = [k for k in new if new[k] != old[k]]
        details: dict[str, Any] = {
            "old": {k: old[k] for k in changed},
            "new": {k: new[k] for k in changed},
        }
        if moved:
            details["tokens_revoked"] = _tokens_revoke(user)
            details["sessions_ended"] = _sessions_end(user)
        audit_record(
            actor=acting_user,
            action=Action.USER_CHANGED,
            object_type="user",
            object_id=user.pk,
            object_ref=user.username[:40],
            details=details,
        )
    return user


def user_deactivate(*, acting_user: Any, user: User, reason: str) -> User:
    """The user can no longer sign in; their sessions and API tokens end at once."""
    if not reason.strip():
        raise UserChangeInvalid("Give a reason for deactivating the user.")
    if acting_user is not None and getattr(acting_user, "pk", None) == user.pk:
        raise UserChangeInvalid("You cannot deactivate your own account.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Conflict(f"{user.username} is already deactivated.")
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=acting_user,
            action=Action.USER_DEACTIVATED,
            object_type="user",
            object_id=user.pk,
            object_ref=user.username[:40],
            reason=reason.strip(),
            details={
                "old": {"is_active": True},
                "new": {"is_active": False},
                "tokens_revoked": _tokens_revoke(user),
                "sessions_ended": _sessions_end(user),
            },
        )
    return user


def user_two_factor_reset(*, acting_user: Any, user: User, reason: str) -> User:
    """Remove the user's authenticator: they enrol a new one at their next sign-in. Their
    current sessions end (each was verified with the old device)."""
    if not reason.strip():
        raise UserChangeInvalid("Give a reason for resetting two-factor.")
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=acting_user,
            action=Action.TWO_FACTOR_RESET,
            object_type="user",
            object_id=user.pk,
            object_ref=user.username[:40],
            reason=reason.strip(),
            details={
                "old": {"devices": removed},
                "new": {"devices": 0},
                "sessions_ended": _sessions_end(user),
            },
        )
    return user


def agency_admin_create(*, acting_user: Any, name: str, code: str, kind: str) -> Agency:
    if Agency.objects.filter(code=code).exists() or Agency.objects.filter(name=name).exists():
        raise Conflict("An agency with that name or code already exists.")
    try:
        with transaction.atomic():
            return agency_create(acting_user=acting_user, name=name, code=code, kind=kind)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc


def team_admin_create(*, acting_user: Any, agency: Agency, name: str) -> Team:
    name = name.strip()
    if not name:
        raise Invalid("Give the team a name.")
    if Team.objects.filter(agency=agency, name=name).exists():
        raise Conflict(f"{agency.code} already has a team named {name}.")
    with transaction.atomic():
        team = Team.objects.create(agency=agency, name=name)
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="team",
            object_id=team.pk,
            object_ref=name[:40],
            details={"old": None, "new": {"agency": agency.code, "name": name}},
        )
    return team


def agency_token_issue(*, acting_user: Any, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """A token for a member of an agency (a partner system's account); secret shown once."""
    if not user.is_active:
        raise Conflict(f"{user.username} is deactivated: no token can be issued.")
    if user.agency_id is None:
        raise Invalid("The user belongs to no agency.")
    with transaction.atomic():
        return api_token_issue(acting_user=acting_user, user=user, name=name.strip() or "api")
