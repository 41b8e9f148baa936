"""Session lifetime, driven by the clock: a new session id at sign-in (no fixation), 30 minutes
idle, 10 hours absolute however active, and an immediate end when an account is deactivated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from freezegun import freeze_time

from sightline.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = "/accounts/sign-in/"
PAGE = "/referrals/"
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def sign_in(client: Client, user: Any) -> None:
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def is_signed_in(client: Client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 302:
        assert response["Location"].startswith(SIGN_IN)
        return False
    assert response.status_code == 200
    return True


def test_sign_in_issues_a_new_session_id_and_discards_the_old_one(front_door: Any) -> None:
    client = Client()
    planted = client.session  # a session an attacker could have fixed in the browser
    planted["planted"] = True
    planted.save()
    planted_key = str(planted.session_key)
    client.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    sign_in(client, front_door)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    assert not is_signed_in(attacker)
    assert is_signed_in(client)


def test_idle_session_ends_after_thirty_minutes(front_door: Any) -> None:
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, front_door)
        clock.tick(dt.timedelta(minutes=29))
        assert is_signed_in(client)
        clock.tick(dt.timedelta(minutes=29))  # 58 minutes in, but never idle for 30
        assert is_signed_in(client)
        clock.tick(dt.timedelta(minutes=30, seconds=5))
        assert not is_signed_in(client)


def test_session_ends_ten_hours_after_sign_in_however_active(front_door: Any) -> None:
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, front_door)
        for _ in range(23):  # a request every 25 minutes: 9 h 35 m
            clock.tick(dt.timedelta(minutes=25))
            assert is_signed_in(client)
        clock.tick(dt.timedelta(minutes=20))  # 9 h 55 m
        assert is_signed_in(client)
        clock.tick(dt.timedelta(minutes=10))  # 10 h 05 m
        assert not is_signed_in(client)
        clock.tick(dt.timedelta(minutes=1))
        assert not is_signed_in(client)
        sign_in(client, front_door)  # signing in again starts a fresh ten hours
        assert is_signed_in(client)


def test_absolute_limit_ends_the_server_side_session(front_door: Any) -> None:
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, front_door)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        clock.tick(dt.timedelta(hours=10, minutes=1))
        Session.objects.filter(session_key=key).update(
            expire_date=START + dt.timedelta(hours=11)
        )  # kept alive by activity: only the absolute limit applies
        assert not is_signed_in(client)
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = key
        assert not is_signed_in(replay)


def test_session_without_a_sign_in_time_is_ended(front_door: Any) -> None:
    client = Client()
    client.force_login(front_door)  # no signed_in_at: not made by the sign-in page
    assert not is_signed_in(client)


def test_deactivation_ends_sessions_and_tokens_on_the_next_request(front_door: Any) -> None:
    browser = Client()
    sign_in(browser, front_door)
    _token, secret = api_token_issue(acting_user=None, user=front_door)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert is_signed_in(browser)
    assert api.get("/api/v1/screening/indicators").status_code == 200
    front_door.is_active = False
    front_door.save(update_fields=["is_active"])
    assert not is_signed_in(browser)
    assert api.get("/api/v1/screening/indicators").status_code == 401
    front_door.is_active = True
    front_door.save(update_fields=["is_active"])
    assert not is_signed_in(browser)  # reactivation does not bring the old session back


def test_session_cookie_is_http_only_same_site_and_ends_with_the_browser(
    front_door: Any,
) -> None:
    client = Client()
    sign_in(client, front_door)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["expires"] == "" and cookie["max-age"] == ""
