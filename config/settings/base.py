"""Settings shared by every environment. Environment-specific files import * from here."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_float, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_ratelimit",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "sightline.core",
    "sightline.accounts",
    "sightline.audit",
    "sightline.people",
    "sightline.screening",
    "sightline.referrals",
    "sightline.escalation",
    "sightline.intel",
    "sightline.events",
    "sightline.casework",
    "sightline.workforce",
    "sightline.reviews",
    "sightline.meetings",
    "sightline.retention",
    "sightline.reporting",
    "sightline.site",
    "sightline.demo",
    "sightline.api",
]

MIDDLEWARE = [
    "sightline.core.middleware.RequestContextMiddleware",
    "sightline.site.middleware.ErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sightline.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sightline.core.middleware.AbsoluteSessionLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sightline.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sightline.core.context_processors.service",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, object]:
    # Health checks: a persistent connection broken by a database restart is replaced before
    # the next request uses it, instead of failing that request with a 500 (fault harness).
    config: dict[str, object] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions and WAL let concurrent writers queue instead of failing.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sightline.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sightline.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle, 10 hours absolute (enforced by middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SIGHTLINE_SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sightline.accounts.views.lockout_response"
OTP_TOTP_ISSUER = "Sightline"

# Rate limits (ADR 0007): django-ratelimit's counters in the "default" cache. This process-local
# cache suits the one-process demo and the tests; production.py puts the counters in Redis so
# that every gunicorn worker counts against the same total. If the cache cannot be reached the
# limits are lifted (logged), not the service: axes still locks a username at one address.
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Background work runs as django-tasks tasks; the queue is a table in the same database, run by
# `manage.py run_worker` (ADR 0005). Production across machines swaps in RQ on Redis.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "sightline@example.invalid"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"sightline": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Sightline practice settings (every number configurable, defaults from practice.md) ---
SIGHTLINE_SERVICE_NAME = "Sightline"
SIGHTLINE_PARTNERSHIP_NAME = env_str(
    "SIGHTLINE_PARTNERSHIP_NAME", "Northbrook Safeguarding Partnership"
)
# Age (in whole years on the day of the referral) from which a CSE screening is mandatory.
# Never above 12: a system check refuses to start otherwise.
SIGHTLINE_SCREENING_MIN_AGE = env_int("SIGHTLINE_SCREENING_MIN_AGE", 10)
# Every timescale (decision, information gathering, reviews, statutory steps) is a clock
# policy row (escalation.ClockPolicy, defaults in escalation/choices.py), never a setting.
SIGHTLINE_WORKING_DAY_START_HOUR = 9
SIGHTLINE_CALENDAR_REGION = env_str("SIGHTLINE_CALENDAR_REGION", "ENG")  # ENG, WLS, SCT, NIR
SIGHTLINE_SCREENING_REVIEW_MONTHS = 3
SIGHTLINE_NARRATIVE_MAX_CHARS = 50_000
SIGHTLINE_MAX_CHILD_AGE_YEARS = 25
SIGHTLINE_DEMO_MODE = False
# The partnership's missed-opportunity detector parameters (practice reference §7.3), by
# pattern, over the defaults beside each detector in sightline/reviews/detectors/, e.g.
# {"P1": {"months": 12}, "P5": {"trigger": "children3"}, "live": {"escalate_working_days": 2}}.
# GET /api/v1/detectors shows the values in force.
SIGHTLINE_DETECTORS: dict[str, dict[str, object]] = {}
SIGHTLINE_REQUIRE_2FA = True
SIGHTLINE_BREAK_GLASS_MINUTES = env_int("SIGHTLINE_BREAK_GLASS_MINUTES", 60)

# The audit trail's sealer (ADR 0006). The seal key is set per environment (production reads
# it from the environment, with no default); checkpoints are also appended, one JSON line
# each, to a file in this folder, or handed to SIGHTLINE_AUDIT_CHECKPOINT_SINK (a class path).
SIGHTLINE_AUDIT_CHECKPOINT_DIR = env_str(
    "SIGHTLINE_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")
)
SIGHTLINE_AUDIT_CHECKPOINT_SINK = env_str("SIGHTLINE_AUDIT_CHECKPOINT_SINK", "")
SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES = env_int("SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES", 5)
# Rate limits, as COUNT/PERIOD (ADR 0007). Requests with one API token: well above what one
# partner system sends, and above the intake benchmark's and fault harness's rates with their
# retries, so that only a runaway or stolen token meets it. Failed sign-ins from one address
# (whatever the usernames) and for one username (from whatever addresses); axes separately
# locks a username at one address after AXES_FAILURE_LIMIT failures.
SIGHTLINE_API_RATE_PER_TOKEN = env_rate("SIGHTLINE_API_RATE_PER_TOKEN", "6000/m")
SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS = env_rate(
    "SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS", "20/15m"
)
SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME = env_rate(
    "SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME", "10/h"
)
# Seconds a client is asked to wait (Retry-After) when the database could not be reached.
SIGHTLINE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5
# Share of the whole workforce the partnership aims to have briefed / trained (per cent).
SIGHTLINE_WORKFORCE_TARGET_PERCENT = env_int("SIGHTLINE_WORKFORCE_TARGET_PERCENT", 100)

# Online linking (intel, ADR 0203, 0211): match probabilities of the Fellegi-Sunter model at
# which a person mention links at once as *probable*, and at which a person is offered as a
# candidate (offered only, never linked: a practitioner decides). Settable from the environment
# so that bench/bench_linking.py can sweep them. At 0.8, pooled over 14 practitioner-style
# synthetic boroughs: see bench/README.md (linking); 0.65 was measured: three more adults
# alerted on time, precision 0.953 (below the goal of 0.97), so 0.8 stays (ADR 0211).
SIGHTLINE_LINK_PROBABLE = env_float("SIGHTLINE_LINK_PROBABLE", 0.8)
SIGHTLINE_LINK_CANDIDATE = env_float("SIGHTLINE_LINK_CANDIDATE", 0.05)
# Below the probable threshold, a mention in an exploitation concern whose only candidate (no
# other offered) scores this much on more than the surname, with nothing in conflict, links as
# *probable* too: more likely than not, and nobody else it could be (ADR 0213; 1.0 turns it off).
# Measured on 14 persona boroughs: recall 0.988, precision 0.973, 95 of 99 adults alerted at the
# second child (89 with 1.0), 0.78 false alerts per 100 referrals on the boroughs without networks.
SIGHTLINE_LINK_SOLE = env_float("SIGHTLINE_LINK_SOLE", 0.5)
# Second-order context (ADR 0214): a child on the referral named before with a person of concern
# who has been named with the candidate counts for the candidate (firm links only; context never
# links alone). Measured on the 44 boroughs: every figure unchanged, and Leslie Robinson (seed 12)
# on time on his own details instead of through a wrong link; False turns it off.
SIGHTLINE_LINK_SECOND_ORDER = env_bool("SIGHTLINE_LINK_SECOND_ORDER", True)
# The register's size (ADR 0216): on, the probable and only-candidate bars rise by log2 of the
# persons on record over the training boroughs' 55 (the prior that a mention is one given person
# falls as the register grows). Measured (bench/linking_scale.py, PostgreSQL): at 100,730
# referrals pairwise precision 0.54 -> 0.94 and planted-network precision 0.56 -> 0.93, recall
# 0.92 -> 0.79; on the 14 pooled boroughs 94 of 99 adults alerted at the second child instead of
# 95 (below the goal of 0.95). Off by default: which matters more is the partnership's call.
SIGHTLINE_LINK_REGISTER_PRIOR = env_bool("SIGHTLINE_LINK_REGISTER_PRIOR", False)
