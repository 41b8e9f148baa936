"""Whole-database backup and restore for `manage.py backup` and `manage.py restore`.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner
--single-transaction` against the configured database; the connection comes from
settings.DATABASES["default"] through libpq's environment (the password in PGPASSWORD, never
on a command line). Dropping and recreating tables does not fire the audit trail's
append-only triggers (they guard UPDATE, DELETE and TRUNCATE), so a restore into a database
that already holds data works, provided nothing else holds a connection open on it.

SQLite: the sqlite3 online backup API, both ways (a consistent copy while the application
runs; a restore replaces every page of the configured database file).

Both write an audit row (an export, then a restore recorded in the restored database, so the
restored chain continues from the backup's last row).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    size: int
    sha256: str


def _describe(path: Path) -> BackupFile:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return BackupFile(path=path, size=path.stat().st_size, sha256=digest.hexdigest())


def _record(action: str, file: BackupFile, vendor: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=None,
            action=action,
            object_type="database",
            object_ref=file.path.name[:40],
            details={"vendor": vendor, "bytes": file.size, "sha256": file.sha256},
            actor_username="system",
        )


# ---- PostgreSQL -------------------------------------------------------------------------


def pg_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the configured database; PGPASSWORD carries the password."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(key):
            values[var] = options[key]
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def _major(version_text: str) -> int | None:
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text) or re.search(r"(\d+)", version_text)
    return int(match.group(1)) if match else None


def server_major() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def pg_tool(name: str, *, server: int) -> str:
    """The path of pg_dump or pg_restore, refusing when it is missing or older than the
    PostgreSQL `server` major version (an older client cannot read a newer catalogue)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) matching the server's version."
        )
    result = subprocess.run(  # noqa: S603 - a PostgreSQL client tool found on PATH
        [path, "--version"], capture_output=True, text=True, check=False
    )
    tool_major = _major(result.stdout)
    if tool_major is None or tool_major < server:
        raise BackupError(
            f"{name} version {result.stdout.strip() or '?'} does not match the PostgreSQL "
            f"{server} server: install postgresql-client-{server} or newer."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    # A fixed argument list (no shell); the password travels in the environment only.
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")


def pg_backup(output: Path) -> None:
    pg_dump = pg_tool("pg_dump", server=server_major())
    env = pg_environment(connection.settings_dict)
    partial = output.with_name(output.name + ".partial")
    try:
        _run([pg_dump, "--format=custom", "--no-password", f"--file={partial}"], env)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def pg_restore(source: Path) -> None:
    pg_restore_path = pg_tool("pg_restore", server=server_major())
    env = pg_environment(connection.settings_dict)
    connection.close()  # hold no locks on the tables pg_restore drops
    _run(
        [
            pg_restore_path,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={env['PGDATABASE']}",
            str(source),
        ],
        env,
    )


# ---- SQLite -----------------------------------------------------------------------------


def _sqlite_name() -> str:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("The configured SQLite database is in memory: there is no file.")
    return name


def sqlite_backup(output: Path) -> None:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            # A standalone file: no -wal or -shm beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


def sqlite_restore(source_path: Path) -> None:
    name = _sqlite_name()
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"{source_path} fails SQLite's integrity check: {check}.")
        connection.close()
        target = sqlite3.connect(name, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


# ---- entry points -----------------------------------------------------------------------


def database_backup(*, output: Path) -> BackupFile:
    vendor = connection.vendor
    if output.is_dir():
        raise BackupError(f"{output} is a folder: give the backup file's path.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    if vendor == "postgresql":
        pg_backup(output)
    elif vendor == "sqlite":
        sqlite_backup(output)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    output.chmod(0o600)  # the whole case record: readable by its owner only
    file = _describe(output)

    _record(Action.EXPORT, file, vendor)
    return file


def database_restore(*, source: Path) -> BackupFile:
    vendor = connection.vendor
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if vendor == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format archive.")
        file = _describe(source)
        pg_restore(source)
    elif vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not an SQLite database file.")
        file = _describe(source)
        sqlite_restore(source)
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")

    _record(Action.RESTORE, file, vendor)
    return file
