"""The administration API: users and per-agency tokens for the system administrator only;
a role that does not fit the agency is refused (422), stores nothing and is audited; a
deactivated user's sessions and tokens end at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from sightline.accounts.models import ApiToken, User
from sightline.accounts.services import api_token_issue
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/admin"


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_only_the_system_administrator_may_use_it(front_door: Any, auditor: Any) -> None:
    for user in (front_door, auditor):
        client = token_client(user)
        assert client.get(f"{API}/users").status_code == 403
        assert _post(client, f"{API}/tokens", {"username": user.username}).status_code == 403
    assert Client().get(f"{API}/users").status_code == 401


def test_create_change_and_list_users_with_old_and_new_audited(
    no_access: Any, agencies: dict[str, Any]
) -> None:
    client = token_client(no_access)
    made = _post(client, f"{API}/users", {
        "username": "pc-analyst", "password": "a long synthetic passphrase 42",
        "agency": agencies["police"].code, "role": "police_analyst",
    })  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["role"] == "police_analyst"
    changed = client.patch(
        f"{API}/users/pc-analyst", {"role": "referrer", "job_title": "Analyst"},
        content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 200 and changed.json()["role"] == "referrer"
    row = AuditEvent.objects.filter(action="user.changed", object_ref="pc-analyst").get()
    assert row.details["old"] == {"role": "police_analyst", "job_title": ""}
    assert row.details["new"] == {"role": "referrer", "job_title": "Analyst"}
    listed = client.get(f"{API}/users", {"agency": agencies["police"].code}).json()
    assert [u["username"] for u in listed] == ["pc-analyst"]


def test_a_role_that_does_not_fit_the_agency_is_refused_stored_nowhere_and_audited(
    no_access: Any, agencies: dict[str, Any], teacher: Any
) -> None:
    client = token_client(no_access)
    answer = _post(client, f"{API}/users", {
        "username": "school-analyst", "password": "a long synthetic passphrase 42",
        "agency": agencies["education"].code, "role": "police_analyst",
    })  # fmt: skip
    assert answer.status_code == 422
    assert "police" in answer.json()["detail"] and "education" in answer.json()["detail"]
    assert not User.objects.filter(username="school-analyst").exists()
    changed = client.patch(
        f"{API}/users/{teacher.username}", {"role": "police_analyst"},
        content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 422
    teacher.refresh_from_db()
    assert teacher.role == "referrer"
    refusals = AuditEvent.objects.filter(action="record.change_refused")
    assert sorted(refusals.values_list("object_ref", flat=True)) == ["school-analyst", "teacher"]
    assert not AuditEvent.objects.filter(action="user.changed").exists()


def test_deactivating_ends_sessions_and_tokens_at_once(no_access: Any, teacher: Any) -> None:
    page = signed_in(teacher)
    _token, secret = api_token_issue(acting_user=None, user=teacher)
    partner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert partner.get("/api/v1/screening/indicators").status_code == 200
    answer = _post(
        token_client(no_access), f"{API}/users/teacher/deactivate", {"reason": "Left the school"}
    )
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert partner.get("/api/v1/screening/indicators").status_code == 401
    assert page.get("/referrals/mine/").status_code == 302  # back to sign-in
    assert not Session.objects.exists() or all(
        s.get_decoded().get("_auth_user_id") != str(teacher.pk) for s in Session.objects.all()
    )
    assert not ApiToken.objects.filter(user=teacher, revoked_at__isnull=True).exists()
    row = AuditEvent.objects.get(action="user.deactivated")
    assert row.details["old"] == {"is_active": True} and row.details["tokens_revoked"] == 1
    again = _post(token_client(no_access), f"{API}/users/teacher/deactivate", {"reason": "x"})
    assert again.status_code == 409


def test_tokens_per_agency_created_listed_and_revoked(
    no_access: Any, teacher: Any, police_officer: Any
) -> None:
    client = token_client(no_access)
    made = _post(client, f"{API}/tokens", {"username": teacher.username, "name": "school mis"})
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["id"]
    _post(client, f"{API}/tokens", {"username": police_officer.username})
    listed = client.get(f"{API}/tokens", {"agency": teacher.agency.code}).json()
    assert [t["name"] for t in listed] == ["school mis"] and "secret" not in listed[0]
    partner = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert partner.get("/api/v1/screening/indicators").status_code == 200
    assert client.delete(f"{API}/tokens/{token_id}").status_code == 200
    assert partner.get("/api/v1/screening/indicators").status_code == 401
    assert client.delete(f"{API}/tokens/{token_id}").status_code == 409
    assert _post(client, f"{API}/tokens", {"username": "nobody"}).status_code == 422


def test_a_weak_password_is_refused_and_nothing_stored(
    no_access: Any, agencies: dict[str, Any]
) -> None:
    answer = _post(token_client(no_access), f"{API}/users", {
        "username": "new-user", "password": "short", "agency": agencies["csc"].code,
        "role": "referrer",
    })  # fmt: skip
    assert answer.status_code == 422 and "password" in answer.json()["detail"]
    assert not User.objects.filter(username="new-user").exists()
