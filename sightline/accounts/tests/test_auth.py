from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django_otp.oath import totp

from sightline.accounts.services import totp_device_for
from sightline.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = "/accounts/sign-in/"


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password})


def test_sign_in_rotates_session_id_and_records_event(front_door: Any) -> None:
    client = Client()
    client.get(SIGN_IN)
    client.cookies["sessionid"] = "before-sign-in"
    response = sign_in(client, front_door.username, PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "before-sign-in"
    assert AuditEvent.objects.filter(action="auth.sign_in", actor=front_door).count() == 1


def test_failed_sign_in_is_recorded_without_the_typed_username(front_door: Any) -> None:
    response = sign_in(Client(), front_door.username, "wrong password entirely")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="auth.sign_in_failed")
    assert front_door.username not in event.actor_username


def test_unknown_and_known_users_get_identical_failure_answers(front_door: Any) -> None:
    known = sign_in(Client(), front_door.username, "not the password at all")
    unknown = sign_in(Client(), "nobody-by-this-name", "not the password at all")
    assert known.status_code == unknown.status_code == 200

    def body(r: Any) -> str:
        text = r.content.decode()
        return text.replace(front_door.username, "U").replace("nobody-by-this-name", "U")

    strip = lambda s: "\n".join(  # noqa: E731
        line for line in s.splitlines() if "csrfmiddlewaretoken" not in line
    )
    assert strip(body(known)) == strip(body(unknown))


@pytest.mark.parametrize("username", ["fd-worker", "no-such-user"])
def test_lockout_after_five_failures_refuses_even_the_right_password(
    front_door: Any, username: str
) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, username, "wrong password entirely")
    locked = sign_in(client, username, PASSWORD)
    assert locked.status_code == 429
    assert "too many attempts" in locked.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    if username == front_door.username:
        assert "_auth_user_id" not in client.session


def test_deactivated_account_is_signed_out_on_next_request(front_door: Any) -> None:
    client = Client()
    sign_in(client, front_door.username, PASSWORD)
    assert client.get("/referrals/").status_code == 200
    front_door.is_active = False
    front_door.save()
    response = client.get("/referrals/")
    assert response.status_code == 302
    assert SIGN_IN in response["Location"]


def test_sign_out_kills_the_server_side_session(front_door: Any) -> None:
    client = Client()
    sign_in(client, front_door.username, PASSWORD)
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/sign-out/")
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/referrals/").status_code == 302


def test_session_past_absolute_limit_is_ended(front_door: Any) -> None:
    client = Client()
    sign_in(client, front_door.username, PASSWORD)
    session = client.session
    session["signed_in_at"] = time.time() - 10 * 3600 - 5
    session.save()
    assert client.get("/referrals/").status_code == 302


def test_idle_timeout_is_thirty_minutes_and_refreshed_on_each_request(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_are_hashed_with_argon2(front_door: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    front_door.set_password("a long passphrase about lighthouses")
    assert front_door.password.startswith("argon2")


def test_long_passphrases_allowed_and_common_passwords_refused() -> None:
    validate_password("x" * 40 + " the quick brown fox jumps over " + "y" * 20)
    for weak in ("password123", "qwertyuiop12", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@override_settings(SIGHTLINE_REQUIRE_2FA=True)
def test_two_factor_required_before_any_page_and_codes_work_once(front_door: Any) -> None:
    client = Client()
    sign_in(client, front_door.username, PASSWORD)
    assert client.get("/referrals/")["Location"] == "/accounts/two-factor/"
    device = totp_device_for(user=front_door)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    ok = client.post("/accounts/two-factor/", {"token": code})
    assert ok.status_code == 302
    assert client.get("/referrals/").status_code == 200
    other = Client()
    sign_in(other, front_door.username, PASSWORD)
    replay = other.post("/accounts/two-factor/", {"token": code})
    assert replay.status_code == 422, "a used code must not work again"
    assert AuditEvent.objects.filter(action="auth.two_factor_failed").count() == 1


def test_demo_settings_relax_two_factor_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key-that-is-long-enough-" + "y" * 20)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///tmp/sightline-settings-test.sqlite3")
    monkeypatch.setenv("ALLOWED_HOSTS", "sightline.example.org")
    monkeypatch.setenv("SIGHTLINE_AUDIT_SEAL_KEY", "a-test-audit-seal-key-long-enough-" + "z" * 8)
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/1")
    local = importlib.import_module("config.settings.local")
    production = importlib.import_module("config.settings.production")

    assert local.SIGHTLINE_REQUIRE_2FA is False
    assert local.SIGHTLINE_DEMO_MODE is True
    assert production.SIGHTLINE_REQUIRE_2FA is True
    assert production.SIGHTLINE_DEMO_MODE is False
