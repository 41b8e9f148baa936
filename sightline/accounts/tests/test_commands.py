"""Management commands for accounts: api_token."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sightline.accounts.models import ApiToken
from sightline.accounts.services import api_token_revoke
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/screening/indicators"


def issue(username: str, *args: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, *args, stdout=out)
    return out.getvalue().strip()


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_api_token_prints_a_token_that_works_on_the_api(front_door: Any) -> None:
    secret = issue(front_door.username)
    assert secret.startswith("sl_")
    response = bearer(secret).get(INDICATORS)
    assert response.status_code == 200
    assert response.json()["indicators"]


def test_api_token_is_named_and_its_issue_is_audited(front_door: Any) -> None:
    secret = issue(front_door.username, "--name", "case system")
    token = ApiToken.objects.get(user=front_door)
    assert token.name == "case system"
    assert token.agency == front_door.agency
    assert secret.startswith(f"sl_{token.prefix}_")
    event = AuditEvent.objects.get(action="auth.token_issued", object_id=str(token.pk))
    assert event.details == {"for_user": front_door.username}
    assert secret not in json.dumps(event.details)


def test_api_token_for_an_unknown_user_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="No active user called 'nobody-here'"):
        issue("nobody-here")
    assert not ApiToken.objects.exists()


def test_api_token_for_a_deactivated_user_is_refused(front_door: Any) -> None:
    front_door.is_active = False
    front_door.save()
    with pytest.raises(CommandError):
        issue(front_door.username)
    assert not ApiToken.objects.exists()


def test_api_token_for_a_user_without_an_agency_is_refused(db: Any) -> None:
    UserFactory(username="unattached", agency=None)
    with pytest.raises(CommandError, match="must belong to an agency"):
        issue("unattached")
    assert not ApiToken.objects.exists()


def test_only_a_sha256_digest_of_the_token_is_stored(front_door: Any) -> None:
    secret = issue(front_door.username)
    row = ApiToken.objects.filter(user=front_door).values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(value) for value in row.values())
    assert secret not in stored
    assert secret.split("_", 2)[2] not in stored, "the secret part is never stored"


def test_revoked_token_is_refused_with_401(front_door: Any) -> None:
    secret = issue(front_door.username)
    client = bearer(secret)
    assert client.get(INDICATORS).status_code == 200
    api_token_revoke(
        acting_user=None, token=ApiToken.objects.get(user=front_door), reason="Laptop lost"
    )
    assert client.get(INDICATORS).status_code == 401


def test_token_of_a_deactivated_user_is_refused_with_401(front_door: Any) -> None:
    client = bearer(issue(front_door.username))
    front_door.is_active = False
    front_door.save()
    assert client.get(INDICATORS).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer sl_00000000_not-a-real-token", "Bearer nonsense", "Token abc"]
)
def test_made_up_tokens_are_refused_with_401(db: Any, header: str) -> None:
    assert Client(HTTP_AUTHORIZATION=header).get(INDICATORS).status_code == 401
