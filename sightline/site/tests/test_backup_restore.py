"""`manage.py backup` and `manage.py restore`, run for real in subprocesses against a real
database of the suite's own kind: an SQLite file on the SQLite run, throwaway PostgreSQL
databases (made with psql) on the PostgreSQL run. A restored copy must hold exactly the rows
backed up (per-table counts and per-row checksums), plus one audit row for the restore, and
its audit chain must verify."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from sightline.site import backup

ROOT = Path(settings.BASE_DIR)
AUDIT_TABLE = "audit_auditevent"
CHAIN_HEAD_TABLE = "audit_auditchainhead"


def _tables() -> list[tuple[str, list[str], str]]:
    """(table, columns, primary-key column) of every installed model, auto-created included."""
    tables: list[tuple[str, list[str], str]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            columns = [str(f.column) for f in meta.concrete_fields]
            tables.append((meta.db_table, columns, str(meta.pk.column)))
    return sorted(tables)


def table_checksums(url: str) -> dict[str, list[str]]:
    """One md5 per row of every table, rows in primary-key order, read straight from the
    database at `url` (not through Django, so the copy is read as it is on disk)."""
    if url.startswith("sqlite:///"):
        raw: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        raw = psycopg.connect(url)
    result: dict[str, list[str]] = {}
    try:
        cursor = raw.cursor()
        for table, columns, pk in _tables():
            quoted = ", ".join(f'"{c}"' for c in columns)
            cursor.execute(f'SELECT {quoted} FROM "{table}" ORDER BY "{pk}"')  # noqa: S608
            result[table] = [
                hashlib.md5(  # noqa: S324 - a checksum, not a secret
                    json.dumps(list(row), default=str, sort_keys=True).encode()
                ).hexdigest()
                for row in cursor.fetchall()
            ]
    finally:
        raw.close()
    return result


def last_audit_action(url: str) -> str:
    if url.startswith("sqlite:///"):
        raw: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        raw = psycopg.connect(url)
    try:
        cursor = raw.cursor()
        cursor.execute(f'SELECT "action" FROM "{AUDIT_TABLE}" ORDER BY "seq" DESC LIMIT 1')  # noqa: S608
        return str(cursor.fetchone()[0])
    finally:
        raw.close()


# ---- running the commands for real ------------------------------------------------------


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SIGHTLINE_TEST_DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=url)
    env["SIGHTLINE_AUDIT_CHECKPOINT_DIR"] = ""  # not the developer's var/audit-checkpoints
    return env


def manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def django_run(url: str, code: str) -> str:
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


MUTATE = """
from django.db import transaction
from sightline.accounts.models import ApiToken
from sightline.audit.services import audit_record
from sightline.referrals.models import Referral
Referral.objects.update(narrative="Changed after the backup.")
ApiToken.objects.all().delete()
with transaction.atomic():
    audit_record(actor=None, action="record.change", object_type="referral")
"""


# ---- one database of the suite's kind ---------------------------------------------------


def _pg_url(settings_dict: dict[str, Any], name: str) -> str:
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{name}"


def _psql(sql: str) -> None:
    env = backup.pg_environment(connection.settings_dict)
    env["PGDATABASE"] = "postgres"
    subprocess.run(
        ["psql", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--quiet", "--command", sql],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


class Databases:
    """Where the source and copies live for this run's database vendor."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.created: list[str] = []

    def source(self) -> str:
        """A database holding what the test built in-process (committed)."""
        if connection.vendor == "sqlite":
            path = self.tmp_path / "source.sqlite3"
            target = sqlite3.connect(path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            return f"sqlite:///{path}"
        # PostgreSQL: the suite's own test database, where transactional tests commit.
        return _pg_url(connection.settings_dict, str(connection.settings_dict["NAME"]))

    def fresh(self) -> str:
        """An empty database: a file that does not exist yet, or a new PostgreSQL one."""
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.tmp_path / f'copy-{uuid.uuid4().hex[:8]}.sqlite3'}"
        name = f"{connection.settings_dict['NAME']}_copy_{uuid.uuid4().hex[:8]}"
        _psql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return _pg_url(connection.settings_dict, name)

    def drop_all(self) -> None:
        for name in self.created:
            _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[Databases]:
    made = Databases(tmp_path)
    try:
        yield made
    finally:
        made.drop_all()


def assert_restored(copy: dict[str, list[str]], original: dict[str, list[str]]) -> None:
    """The copy holds every row of the original and, in the audit trail, one row more."""
    assert set(copy) == set(original)
    for table, rows in original.items():
        if table in (AUDIT_TABLE, CHAIN_HEAD_TABLE):
            continue
        assert copy[table] == rows, f"{table}: {len(copy[table])} rows, {len(rows)} expected"
    assert copy[AUDIT_TABLE][: len(original[AUDIT_TABLE])] == original[AUDIT_TABLE]
    assert len(copy[AUDIT_TABLE]) == len(original[AUDIT_TABLE]) + 1


# ---- the round trip ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_into_a_fresh_and_into_a_changed_database(
    databases: Databases, tmp_path: Path, police_officer: Any, front_door: Any
) -> None:
    from sightline.accounts.services import api_token_issue
    from sightline.referrals.tests.factories import submit

    for n in range(3):
        submit(police_officer, narrative=f"Synthetic concern number {n} about an older adult.")
    api_token_issue(acting_user=None, user=front_door)

    source = databases.source()
    original = table_checksums(source)
    assert len(original["referrals_referral"]) == 3
    assert len(original[AUDIT_TABLE]) >= 6

    dump = tmp_path / "sightline.backup"
    done = manage(source, "backup", "--output", str(dump))
    assert done.returncode == 0, done.stderr
    assert dump.stat().st_size > 0
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    assert last_audit_action(source) == "record.export"

    # The source changes after the backup (the audit trail grows too).
    django_run(source, MUTATE)
    changed = table_checksums(source)
    assert changed["referrals_referral"] != original["referrals_referral"]
    assert changed["accounts_apitoken"] == []

    # Into an empty database.
    copy = databases.fresh()
    done = manage(copy, "restore", "--input", str(dump), "--yes")
    assert done.returncode == 0, done.stderr
    assert_restored(table_checksums(copy), original)
    assert last_audit_action(copy) == "data.restore"
    verified = manage(copy, "audit_verify")
    assert verified.returncode == 0, verified.stderr
    assert f"{len(original[AUDIT_TABLE]) + 1} rows verified" in verified.stdout

    # Into a database holding other data, extra audit rows included: replaced, not merged.
    django_run(copy, MUTATE)
    done = manage(copy, "restore", "--input", str(dump), "--yes")
    assert done.returncode == 0, done.stderr
    assert_restored(table_checksums(copy), original)
    # restore runs verify_chain on the restored data and says so.
    assert f"audit chain intact ({len(original[AUDIT_TABLE]) + 1} rows)" in done.stdout


def test_restore_without_yes_is_refused_before_anything_is_touched(db: Any, tmp_path: Path) -> None:
    from sightline.audit.models import AuditEvent

    dump = tmp_path / "sightline.backup"
    dump.write_bytes(b"SQLite format 3\x00" if connection.vendor == "sqlite" else b"PGDMP")
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="run again with --yes to confirm"):
        call_command("restore", "--input", str(dump))
    assert AuditEvent.objects.count() == before


def test_restore_refuses_a_file_that_is_not_a_backup(db: Any, tmp_path: Path) -> None:
    from sightline.audit.models import AuditEvent

    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n")
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=r"is not an? "):
        call_command("restore", "--input", str(junk), "--yes")
    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", "--input", str(tmp_path / "absent.backup"), "--yes")
    assert AuditEvent.objects.count() == before


def test_backup_refuses_a_missing_folder(db: Any, tmp_path: Path) -> None:
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.database_backup(output=tmp_path / "absent" / "file.backup")


# ---- PostgreSQL tooling, checked without a server ---------------------------------------


def test_missing_pg_dump_is_refused_with_a_clear_message(monkeypatch: Any) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump was not found on PATH"):
        backup.pg_tool("pg_dump", server=15)


def test_a_pg_dump_older_than_the_server_is_refused(monkeypatch: Any) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: "/usr/bin/pg_dump")
    monkeypatch.setattr(
        backup.subprocess,
        "run",
        lambda *a, **k: SimpleNamespace(stdout="pg_dump (PostgreSQL) 14.11\n", returncode=0),
    )
    with pytest.raises(backup.BackupError, match="does not match the PostgreSQL 15 server"):
        backup.pg_tool("pg_dump", server=15)
    assert backup.pg_tool("pg_dump", server=14) == "/usr/bin/pg_dump"


def test_the_password_goes_in_the_environment_never_on_the_command_line(
    monkeypatch: Any, tmp_path: Path
) -> None:
    password = "s3cret-Pa55-for-test"  # a made-up password for this test only
    settings_dict = {
        "NAME": "sightline",
        "USER": "sightline",
        "PASSWORD": password,
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require"},
    }
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(backup, "connection", SimpleNamespace(settings_dict=settings_dict))
    monkeypatch.setattr(backup, "server_major", lambda: 15)
    monkeypatch.setattr(backup, "pg_tool", lambda name, server: f"/usr/bin/{name}")

    def fake_run(command: list[str], env: dict[str, str]) -> None:
        calls.append((command, env))
        Path(command[-1].removeprefix("--file=")).write_bytes(b"PGDMP")

    monkeypatch.setattr(backup, "_run", fake_run)

    backup.pg_backup(tmp_path / "out.backup")

    [(command, env)] = calls
    assert not any(password in part for part in command)
    assert env["PGPASSWORD"] == password
    assert (env["PGHOST"], env["PGPORT"], env["PGDATABASE"]) == ("db.internal", "5433", "sightline")
    assert env["PGSSLMODE"] == "require"
    assert (tmp_path / "out.backup").read_bytes() == b"PGDMP"
