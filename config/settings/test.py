"""Test settings: SQLite in memory by default, PostgreSQL when SIGHTLINE_TEST_DATABASE_URL is
set. Fast password hashing except where a test asks for Argon2 explicitly."""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import database_from_url

SECRET_KEY = "test-only-key-not-a-secret-" + "x" * 30
DEBUG = False
_url = os.environ.get("SIGHTLINE_TEST_DATABASE_URL", "sqlite://:memory:")
DATABASES = {"default": database_from_url(_url)}
if _url.startswith("sqlite"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
else:
    # Lets the test runner empty tables between transactional tests (see audit.models).
    DATABASES["default"]["OPTIONS"] = {"options": "-c sightline.audit_truncate_allowed=on"}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SIGHTLINE_DEMO_MODE = False
SIGHTLINE_AUDIT_SEAL_KEY = "test-audit-seal-key-not-a-secret"
# No external checkpoint copy by default (it would outlive each test's rolled-back database);
# the audit tests that need one point this at their tmp_path.
SIGHTLINE_AUDIT_CHECKPOINT_DIR = ""
SIGHTLINE_REQUIRE_2FA = False
AXES_ENABLED = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "INFO"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each test process counts rate limits in its own process-local cache; production keeps
# them in Redis (ADR 0007).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# An audit row about a kind of record missing from audit.choices.ObjectType fails the test
# (production logs it and carries on: a vocabulary gap never refuses a request).
SIGHTLINE_AUDIT_STRICT_VOCABULARY = True
