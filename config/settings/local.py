"""The demo and developer settings: SQLite under var/, console e-mail, two-factor relaxed."""

from __future__ import annotations

import secrets

from config.env import env_bool
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = env_bool("DEBUG", False)
VAR_DIR.mkdir(exist_ok=True)
_key_file = VAR_DIR / "secret_key"
if not _key_file.exists():
    _key_file.write_text(secrets.token_urlsafe(50))
    _key_file.chmod(0o600)
SECRET_KEY = _key_file.read_text().strip()

# The demo relaxes two-factor sign-in; every page says so in a banner.
SIGHTLINE_DEMO_MODE = True
SIGHTLINE_REQUIRE_2FA = False

# Serve static files straight from the source folders in the demo (no collectstatic step).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Demo and development only: a fixed, public key. Production reads its own from the environment.
SIGHTLINE_AUDIT_SEAL_KEY = "local-audit-seal-key-not-a-secret"
# The process-local cache is enough for rate limits in the one-process demo; production
# keeps them in Redis (ADR 0007).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
