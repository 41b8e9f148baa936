"""Tamper evidence: an edit, a deletion or a reordering anywhere in the audit trail is found by
verify_chain() and `manage.py audit_verify`, which name the first broken row. On PostgreSQL the
database itself refuses UPDATE, DELETE and TRUNCATE from the application's connection, so the
tampering below plays an attacker with DBA rights (session_replication_role = replica)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.audit.services import audit_record
from sightline.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

ROWS = 50
ON_POSTGRES = connection.vendor == "postgresql"


def _build_chain(actor: Any, n: int = ROWS) -> list[int]:
    actions = [Action.VIEW, Action.LIST, Action.SEARCH, Action.EXPORT, Action.CHANGE]
    rng = random.Random(99)
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor=actor if i % 7 else None,
                actor_username="" if i % 7 else "worker",
                action=actions[i % len(actions)],
                object_type="child" if i % 2 else "referral",
                object_id=uuid.UUID(int=rng.getrandbits(128)),
                object_ref=f"SL-2026-{i:06d}",
                child_id=uuid.UUID(int=rng.getrandbits(128)) if i % 2 else None,
                referral_id=None if i % 2 else uuid.UUID(int=rng.getrandbits(128)),
                reason="" if i % 3 else f"reason {i}",
                details={"page": i, "count": rng.randint(0, 500)},
            )
    return list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))


@contextmanager
def as_dba() -> Iterator[None]:
    """Bypass the append-only trigger as someone with superuser rights would."""
    if ON_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")
    else:
        yield


def _mutate(seq: int, rng: random.Random) -> None:
    row = AuditEvent.objects.get(seq=seq)
    changes: dict[str, Any] = rng.choice(
        [
            {"action": Action.DECIDE if row.action != Action.DECIDE else Action.VIEW},
            {"reason": row.reason + " (edited)"},
            {"actor_username": "someone-else"},
            {"details": {**row.details, "count": row.details.get("count", 0) + 1}},
            {"object_ref": "SL-2026-999999"},
            {"child_id": uuid.uuid4()},
            {"occurred_at": row.occurred_at + dt.timedelta(seconds=1)},
            {"prev_hash": "f" * 64},
            {"row_hash": "e" * 64},
        ]
    )
    AuditEvent.objects.filter(seq=seq).update(**changes)


def _swap(first: int, second: int) -> None:
    """Reorder: the two rows exchange places in the sequence."""
    AuditEvent.objects.filter(seq=second).update(seq=-1)
    AuditEvent.objects.filter(seq=first).update(seq=second)
    AuditEvent.objects.filter(seq=-1).update(seq=first)


def _tamper(kind: str, seqs: list[int], rng: random.Random) -> int:
    """Tamper with the chain; answer the seq of the first row that no longer fits."""
    if kind == "mutate":
        target = rng.choice(seqs)
        _mutate(target, rng)
        return target
    if kind == "delete":
        target = rng.choice(seqs)
        AuditEvent.objects.filter(seq=target).delete()
        return target
    first, second = sorted(rng.sample(seqs, 2))
    _swap(first, second)
    return first


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["mutate", "delete", "swap"])
def test_verify_names_the_first_broken_row_after_tampering(
    kind: str, seed: int, manager: Any
) -> None:
    seqs = _build_chain(manager)
    assert len(seqs) >= ROWS
    report = verify_chain()
    assert report.ok and report.checked == len(seqs) and report.first_bad_seq is None
    rng = random.Random(seed)
    with as_dba():
        broken = _tamper(kind, seqs, rng)
    report = verify_chain()
    assert not report.ok
    assert report.first_bad_seq == broken, (kind, broken, report)
    assert report.checked == broken - 1
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode != 0
    assert f"row #{broken}:" in str(excinfo.value)


def test_verify_finds_a_rehashed_edit_at_the_next_row(manager: Any) -> None:
    """An attacker who edits a row and recomputes its own hash still breaks the link to the
    row after it."""
    from sightline.audit.hashing import chain_hash
    from sightline.audit.verify import _values

    seqs = _build_chain(manager, 20)
    target = seqs[len(seqs) // 2]
    row = AuditEvent.objects.get(seq=target)
    row.reason = "nothing to see here"
    with as_dba():
        AuditEvent.objects.filter(seq=target).update(
            reason=row.reason, row_hash=chain_hash(row.prev_hash, _values(row))
        )
    report = verify_chain()
    assert (report.ok, report.first_bad_seq) == (False, target + 1)
    assert report.problem == "does not follow the previous row"


def test_verify_finds_rows_cut_from_the_end(manager: Any) -> None:
    seqs = _build_chain(manager, 10)
    with as_dba():
        AuditEvent.objects.filter(seq__gte=seqs[-3]).delete()
    report = verify_chain()
    assert (report.ok, report.first_bad_seq) == (False, seqs[-3])


def test_audit_verify_command_reports_an_intact_chain(manager: Any) -> None:
    from io import StringIO

    seqs = _build_chain(manager, 5)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"intact: {len(seqs)} rows verified" in out.getvalue()


def _refused(sql: str, params: list[Any] | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError:
        return True
    return False


def test_audit_rows_cannot_be_changed_from_the_application_connection(manager: Any) -> None:
    """PostgreSQL: the trigger refuses UPDATE, DELETE and TRUNCATE. SQLite (development and
    the fast test run) has no trigger: the hash chain is the protection there, so the same
    edit goes through and verify_chain names the row."""
    seqs = _build_chain(manager, 5)
    target = seqs[2]
    table = AuditEvent._meta.db_table
    update = f"UPDATE {table} SET reason = %s WHERE seq = %s"  # noqa: S608 - fixed table name
    if ON_POSTGRES:
        assert _refused(update, ["edited", target])
        assert _refused(f"DELETE FROM {table} WHERE seq = %s", [target])  # noqa: S608
        # The test runner's connection may truncate (to empty tables between tests); with
        # the setting off, as on every production connection, TRUNCATE is refused too.
        assert _refused(f"SET LOCAL sightline.audit_truncate_allowed = 'off'; TRUNCATE {table}")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=target).update(reason="edited")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=target).delete()
        assert AuditEvent.objects.filter(seq__in=seqs).count() == len(seqs)
        assert verify_chain().ok
    else:
        assert not _refused(update, ["edited", target])
        report = verify_chain()
        assert (report.ok, report.first_bad_seq) == (False, target)
        assert report.problem == "content does not match its hash"
