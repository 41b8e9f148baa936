"""API tokens: revoking by prefix, listing, and the last time a token was used."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from sightline.accounts.models import ApiToken
from sightline.accounts.services import (
    TokenNotFound,
    api_token_issue,
    api_token_list,
    api_token_revoke_by_prefix,
)
from sightline.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/screening/indicators"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_revoked_by_prefix_answers_401(front_door: Any) -> None:
    token, secret = api_token_issue(acting_user=None, user=front_door)
    assert bearer(secret).get(INDICATORS).status_code == 200

    out = run(front_door.username, "--revoke", token.prefix, "--reason", "Laptop lost.")

    assert f"Revoked token {token.prefix}" in out
    response = bearer(secret).get(INDICATORS)
    assert response.status_code == 401
    assert "bearer token" in response.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="auth.token_revoked", object_id=str(token.pk))
    assert event.reason == "Laptop lost."
    assert event.object_ref == token.prefix


def test_revoking_leaves_the_users_other_tokens_working(front_door: Any) -> None:
    first, first_secret = api_token_issue(acting_user=None, user=front_door)
    _second, second_secret = api_token_issue(acting_user=None, user=front_door)
    api_token_revoke_by_prefix(acting_user=None, user=front_door, prefix=first.prefix, reason="x")
    assert bearer(first_secret).get(INDICATORS).status_code == 401
    assert bearer(second_secret).get(INDICATORS).status_code == 200


def test_revoking_an_unknown_or_already_revoked_prefix_is_refused(front_door: Any) -> None:
    token, _secret = api_token_issue(acting_user=None, user=front_door)
    with pytest.raises(CommandError, match="no active token with prefix 'ffffffff'"):
        run(front_door.username, "--revoke", "ffffffff")
    run(front_door.username, "--revoke", token.prefix)
    with pytest.raises(TokenNotFound):
        api_token_revoke_by_prefix(
            acting_user=None, user=front_door, prefix=token.prefix, reason="again"
        )
    assert AuditEvent.objects.filter(action="auth.token_revoked").count() == 1


def test_a_user_cannot_revoke_another_users_token_by_its_prefix(
    front_door: Any, manager: Any
) -> None:
    token, secret = api_token_issue(acting_user=None, user=front_door)
    with pytest.raises(CommandError, match="no active token"):
        run(manager.username, "--revoke", token.prefix)
    assert bearer(secret).get(INDICATORS).status_code == 200


def test_list_shows_each_token_with_created_last_used_and_revoked(front_door: Any) -> None:
    used, used_secret = api_token_issue(acting_user=None, user=front_door, name="case system")
    revoked, _secret = api_token_issue(acting_user=None, user=front_door, name="old script")
    bearer(used_secret).get(INDICATORS)
    run(front_door.username, "--revoke", revoked.prefix)
    used.refresh_from_db()
    revoked.refresh_from_db()
    assert used.last_used_at is not None
    assert revoked.revoked_at is not None

    out = run(front_door.username, "--list")

    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert out.splitlines()[0].split()[:2] == ["prefix", "created"]
    assert set(lines) == {used.prefix, revoked.prefix}
    assert used.last_used_at.isoformat(timespec="seconds") in lines[used.prefix]
    assert lines[used.prefix].endswith("case system")
    assert revoked.revoked_at.isoformat(timespec="seconds") in lines[revoked.prefix]
    # Never used, so no last-use time; not revoked, so no revocation time.
    assert lines[revoked.prefix].split()[2] == "-"
    assert lines[used.prefix].split()[3] == "-"
    assert used_secret not in out
    listed = AuditEvent.objects.filter(action="record.list", object_type="api_token").get()
    assert listed.details == {"for_user": front_door.username, "count": 2}


def test_list_for_a_user_without_tokens_says_so(front_door: Any) -> None:
    assert "has no API tokens" in run(front_door.username, "--list")
    assert api_token_list(acting_user=None, user=front_door) == []


def test_list_and_revoke_together_are_refused(front_door: Any) -> None:
    with pytest.raises(CommandError, match="not allowed with argument"):
        run(front_door.username, "--list", "--revoke", "abcd1234")


def test_last_used_is_written_at_most_once_a_minute(front_door: Any) -> None:
    token, secret = api_token_issue(acting_user=None, user=front_door)
    assert token.last_used_at is None
    client = bearer(secret)

    client.get(INDICATORS)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get(INDICATORS)
    token.refresh_from_db()
    assert token.last_used_at == first

    a_while_ago = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_while_ago)
    client.get(INDICATORS)
    token.refresh_from_db()
    assert token.last_used_at > a_while_ago


def test_a_refused_token_does_not_record_a_use(front_door: Any) -> None:
    token, secret = api_token_issue(acting_user=None, user=front_door)
    api_token_revoke_by_prefix(acting_user=None, user=front_door, prefix=token.prefix, reason="x")
    assert bearer(secret).get(INDICATORS).status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is None
