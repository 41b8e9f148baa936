"""Production: PostgreSQL from DATABASE_URL, secrets from the environment, HTTPS only,
two-factor sign-in required for every staff role."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, database_from_url

SECRET_KEY = env_str("SECRET_KEY")
DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
DEBUG = False
# The audit seal key (ADR 0006): from the environment only, never stored in the database.
SIGHTLINE_AUDIT_SEAL_KEY = env_str("SIGHTLINE_AUDIT_SEAL_KEY")
if len(SIGHTLINE_AUDIT_SEAL_KEY) < 32:
    raise ImproperlyConfigured("SIGHTLINE_AUDIT_SEAL_KEY must be at least 32 characters.")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SIGHTLINE_DEMO_MODE = False
SIGHTLINE_REQUIRE_2FA = True

# Rate-limit counters shared by every gunicorn worker and machine (ADR 0007): Redis, whose INCR
# is atomic. Short timeouts and ignored (logged) errors: a Redis outage lifts the limits for
# its duration instead of failing requests.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env_str("CACHE_REDIS_URL"),
        "KEY_PREFIX": "sightline",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Tasks: the database queue by default; with several machines, set TASKS_REDIS_URL and the
# tasks go through RQ on Redis instead (ADR 0005): `manage.py run_worker` on one machine
# (the scheduler), `manage.py rqworker --job-class django_tasks_rq.Job default` on each.
TASKS_REDIS_URL = env_str("TASKS_REDIS_URL", "")
if TASKS_REDIS_URL:
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 30 * 60}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
