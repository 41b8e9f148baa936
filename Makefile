# The two commands in README.md are the contract: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ARGS ?= --children 400 --years 2 --seed 2026
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint typecheck importcheck pytest bench install demo e2e

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"
	@$(VENV)/bin/uv sync --frozen --quiet --compile-bytecode
	@touch $@

# Byte-compiled once here, because this machine runs Python with PYTHONDONTWRITEBYTECODE:
# without .pyc files every manage.py command, test worker and server process compiled the
# whole of Django and the project again when it started (about 8 s of CPU each; ADR 0904).
install: $(VENV)/.installed
	@$(PY) -m compileall -q -j 0 sightline config > /dev/null

demo: install
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py demo_borough $(DEMO_ARGS) --if-empty --with-history
	@$(PY) manage.py demo_users
	@$(PY) manage.py sweep --no-mail > /dev/null

run: demo
	@echo "Sightline is starting on http://$(HOST):$(PORT)/ with its worker (Ctrl-C stops both)"
	@$(PY) manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(VENV)/bin/mypy sightline config

deploycheck: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	SIGHTLINE_AUDIT_SEAL_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	DATABASE_URL=sqlite:///tmp/sightline-deploy-check.sqlite3 ALLOWED_HOSTS=sightline.example.org \
	CACHE_REDIS_URL=redis://127.0.0.1:6379/1 \
	$(PY) manage.py check --deploy --fail-level WARNING

pytest: install
	@echo "== the suite on SQLite =="
	env -u SIGHTLINE_TEST_DATABASE_URL $(VENV)/bin/pytest -q -n 2 --dist loadfile
	@if [ -n "$$SIGHTLINE_TEST_DATABASE_URL" ]; then \
	  echo "== the same suite on PostgreSQL ($${SIGHTLINE_TEST_DATABASE_URL%%@*}…) =="; \
	  $(VENV)/bin/pytest -q -n 2 --dist loadfile; \
	fi

test: lint typecheck deploycheck pytest

# The edit-run loop: lint, types and every test but the slow ones (marked in conftest.py).
test-fast: lint typecheck
	env -u SIGHTLINE_TEST_DATABASE_URL $(VENV)/bin/pytest -q -n 2 --dist loadfile -m "not slow"

bench: install
	$(PY) bench/run.py
