"""Failed sign-ins are limited per address (one password tried against many usernames) and
per username (one account tried from many addresses), beside axes' lock on a username at one
address. Past a limit the answer is 429 with Retry-After and the password is not checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from sightline.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = "/accounts/sign-in/"


def attempt(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post(SIGN_IN, {"username": username, "password": password})


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) >= 1


@override_settings(
    SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS="3/15m", SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME="50/h"
)
def test_one_password_against_many_usernames_from_one_address_is_refused(
    front_door: Any,
) -> None:
    for n in range(3):
        assert attempt(f"guess-{n}", "Summer2026!", "203.0.113.7").status_code == 200
    assert_too_many(attempt("guess-3", "Summer2026!", "203.0.113.7"))
    # Even the right password is not checked from that address now...
    assert_too_many(attempt(front_door.username, PASSWORD, "203.0.113.7"))
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 2
    # ...but another address signs in.
    assert attempt(front_door.username, PASSWORD, "198.51.100.2").status_code == 302


@override_settings(
    SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS="50/15m", SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME="3/h"
)
def test_one_username_tried_from_many_addresses_is_refused(front_door: Any) -> None:
    for n in range(3):
        assert attempt(front_door.username, "wrong password", f"203.0.113.{n}").status_code == 200
    assert_too_many(attempt(front_door.username, PASSWORD, "203.0.113.99"))
    # The same for differently cased spellings of the username.
    assert_too_many(attempt(front_door.username.upper(), PASSWORD, "203.0.113.98"))
    # Other accounts at those addresses are not affected.
    assert attempt("someone-else", "wrong password", "203.0.113.0").status_code == 200


@override_settings(
    SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS="3/15m", SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME="3/h"
)
def test_successful_sign_ins_are_not_counted(front_door: Any) -> None:
    for _ in range(5):
        assert attempt(front_door.username, PASSWORD, "203.0.113.7").status_code == 302


def test_the_default_limits_allow_a_few_mistakes(front_door: Any) -> None:
    for n in range(4):
        assert attempt(f"typo-{n}", "wrong password", "203.0.113.7").status_code == 200
    assert attempt(front_door.username, PASSWORD, "203.0.113.7").status_code == 302
