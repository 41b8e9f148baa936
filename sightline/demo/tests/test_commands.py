"""The demo_users management command: the demo users with their roles and passwords."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from sightline.accounts.roles import Role
from sightline.demo.services import demo_users_ensure
from sightline.demo.users import demo_password, demo_username

pytestmark = pytest.mark.django_db


def test_demo_users_json_lists_username_role_agency_and_a_working_password(
    agencies: dict[str, Any],
) -> None:
    demo_users_ensure(agencies=agencies)
    out = io.StringIO()
    call_command("demo_users", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["role"] for r in rows} == set(Role.values)
    for row in rows:
        assert set(row) == {"username", "role", "agency", "password"}
        assert row["username"] == demo_username(row["role"])
        assert row["password"] == demo_password(row["username"])
        assert row["agency"] in {a.code for a in agencies.values()}
    front = next(r for r in rows if r["role"] == Role.FRONT_DOOR_PRACTITIONER)
    assert front["agency"] == agencies["csc"].code
    client = Client()
    response = client.post(
        "/accounts/sign-in/", {"username": front["username"], "password": front["password"]}
    )
    assert response.status_code == 302
    assert client.get("/referrals/").status_code == 200


def test_demo_users_prints_a_table_without_json(agencies: dict[str, Any]) -> None:
    demo_users_ensure(agencies=agencies)
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(Role)
    auditor = demo_username(Role.AUDITOR)
    (line,) = [line for line in lines if line.startswith(auditor + " ")]
    assert demo_password(auditor) in line
    assert "auditor" in line


def test_demo_users_lists_nobody_when_there_are_no_demo_users(front_door: Any) -> None:
    out = io.StringIO()
    call_command("demo_users", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
