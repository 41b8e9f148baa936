"""Production connects as a role that does not own the audit tables (README, ADR 0006): it may
INSERT and SELECT, and nothing else. Connected as such a role, no statement can disable the
triggers, change, delete or empty the rows or checkpoints, even after setting the switches
that pgtrigger and the test settings use. Defined only when the suite runs on PostgreSQL
(SQLite has no roles), so the SQLite run neither collects nor skips it."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

ON_POSTGRES = connection.vendor == "postgresql"
AUDIT_TABLES = ("audit_auditevent", "audit_auditcheckpoint")

if ON_POSTGRES:
    import psycopg
    from psycopg import errors

    @pytest.fixture
    def app_role(transactional_db: Any) -> Iterator[dict[str, Any]]:
        """A login role like production's: INSERT and SELECT on the audit tables, USAGE on
        their sequence, ownership of nothing."""
        name = f"sl_app_test_{uuid.uuid4().hex[:10]}"
        password = secrets.token_urlsafe(18)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
            cursor.execute(f"GRANT SELECT, INSERT ON {', '.join(AUDIT_TABLES)} TO {name}")
            cursor.execute(f"GRANT USAGE ON SEQUENCE {_sequence()} TO {name}")
        s = connection.settings_dict
        try:
            yield {
                "host": s["HOST"] or "127.0.0.1",
                "port": s["PORT"] or 5432,
                "dbname": s["NAME"],
                "user": name,
                "password": password,
            }
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP OWNED BY {name}")
                cursor.execute(f"DROP ROLE {name}")

    def _sequence() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('audit_auditevent', 'seq')")
            return str(cursor.fetchone()[0])

    def test_the_application_role_can_write_audit_rows_but_never_change_them(
        app_role: dict[str, Any],
    ) -> None:
        with psycopg.connect(**app_role, autocommit=True) as app:
            app.execute(
                "INSERT INTO audit_auditevent (occurred_at, action, actor_username, "
                "actor_agency, actor_role, object_type, object_id, object_ref, reason, "
                "details, request_id, channel, prev_hash, row_hash) VALUES (now(), "
                "'record.view', 'x', '', '', '', '', '', '', '{}', '', '', '', 'h')"
            )
            # The switches that let pgtrigger and the test runner through do not help here.
            app.execute("SET pgtrigger.ignore = '{}'")
            app.execute("SET sightline.audit_truncate_allowed = 'on'")
            for table in AUDIT_TABLES:
                for statement in (
                    f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                    f"ALTER TABLE {table} DISABLE TRIGGER USER",
                    f"ALTER TABLE {table} OWNER TO CURRENT_USER",
                    f"UPDATE {table} SET row_count = 0"  # noqa: S608 - fixed table names
                    if table == "audit_auditcheckpoint"
                    else f"UPDATE {table} SET reason = 'edited'",  # noqa: S608
                    f"DELETE FROM {table}",  # noqa: S608
                    f"TRUNCATE {table}",
                    f"DROP TABLE {table}",
                ):
                    with pytest.raises(errors.InsufficientPrivilege):
                        app.execute(statement)
            with pytest.raises(errors.InsufficientPrivilege):
                app.execute("SET session_replication_role = replica")
            count = app.execute("SELECT count(*) FROM audit_auditevent").fetchone()
            assert count is not None and count[0] == 1
