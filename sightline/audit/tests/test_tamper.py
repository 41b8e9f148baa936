"""Tamper evidence (ADR 0006): once rows are sealed into checkpoints, an edit, a deletion, a
reordering or a forged row anywhere in the trail is found by verify_chain() and `manage.py
audit_verify`, which name the first broken row, or the checkpoint when no single row is to
blame. Checkpoints are checked against their external copy too. On PostgreSQL the database
itself refuses UPDATE, DELETE and TRUNCATE from the application's connection, so the
tampering below plays an attacker with DBA rights (session_replication_role = replica).

What the design cannot catch is tested too, so the limit stays written down: a row deleted
or forged (with a correct hash) before the sealer reached it."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sightline.audit.choices import Action
from sightline.audit.hashing import GENESIS, chain_hash, event_values
from sightline.audit.models import AuditCheckpoint, AuditEvent
from sightline.audit.sealing import audit_seal
from sightline.audit.services import audit_record
from sightline.audit.verify import ChainReport, verify_chain

pytestmark = pytest.mark.django_db

ROWS = 50
ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def external_copy(settings: Any, tmp_path: Path) -> Path:
    settings.SIGHTLINE_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints" / "checkpoints.jsonl"


def _build_chain(actor: Any, n: int = ROWS, seed: int = 99) -> list[int]:
    actions = [Action.VIEW, Action.LIST, Action.SEARCH, Action.EXPORT, Action.CHANGE]
    rng = random.Random(seed)
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
            {"actor_agency": "elsewhere"},
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
    """Tamper with the trail; answer the seq of the first row that no longer fits."""
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


def _forge(seq: int, rng: random.Random) -> None:
    """Write a row at `seq` whose hash is right for its (invented) content, as anyone who can
    insert into the table could: the content hash is not keyed."""
    template = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").first() or (
        AuditEvent.objects.order_by("seq").first()
    )
    assert template is not None
    forged = AuditEvent(
        **{f.attname: getattr(template, f.attname) for f in AuditEvent._meta.concrete_fields}
    )
    forged.seq = seq
    forged.prev_hash = ""
    forged.reason = f"forged {rng.randint(0, 10**6)}"
    forged.row_hash = chain_hash("", event_values(forged))
    AuditEvent.objects.filter(seq=seq).delete()
    forged.save(force_insert=True)


def _assert_named(
    report: ChainReport, *, seq: int | None = None, checkpoint: int | None = None
) -> None:
    assert not report.ok, report
    assert (report.first_bad_seq, report.first_bad_checkpoint) == (seq, checkpoint), report


def _assert_command_names(where: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode != 0
    assert f"broken at {where}:" in str(excinfo.value)


# ---- tampering after sealing: every kind named ---------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["mutate", "delete", "swap"])
def test_verify_names_the_first_broken_sealed_row_after_tampering(
    kind: str, seed: int, manager: Any
) -> None:
    seqs = _build_chain(manager)
    assert audit_seal().rows_sealed == len(seqs)
    report = verify_chain()
    assert report.ok and report.checked == report.sealed == len(seqs)
    rng = random.Random(seed)
    with as_dba():
        broken = _tamper(kind, seqs, rng)
    report = verify_chain()
    _assert_named(report, seq=broken)
    assert report.checked == seqs.index(broken)
    _assert_command_names(f"row #{broken}")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_sealed_row_replaced_by_a_forged_one_breaks_its_checkpoint(
    seed: int, manager: Any
) -> None:
    """The forged row's own hash is right, so no single row is to blame: the checkpoint's MAC,
    which needs the seal key, no longer matches."""
    seqs = _build_chain(manager, 20)
    audit_seal()
    _build_chain(manager, 10, seed=7)
    audit_seal()
    rng = random.Random(seed)
    target = rng.choice(seqs)
    with as_dba():
        _forge(target, rng)
    report = verify_chain()
    _assert_named(report, checkpoint=1)
    assert "do not match the seal of checkpoint 1" in report.problem
    _assert_command_names("checkpoint 1")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_row_forged_into_a_sealed_gap_is_named(seed: int, manager: Any) -> None:
    seqs = _build_chain(manager, 20)
    rng = random.Random(seed)
    hole = rng.choice(seqs[1:-1])
    with as_dba():  # a row gone before sealing: sealed as a gap (the limit tested below)
        AuditEvent.objects.filter(seq=hole).delete()
    audit_seal()
    assert [hole, hole] in AuditCheckpoint.objects.get().gaps
    _forge(hole, rng)  # a plain INSERT: the application's role may insert
    report = verify_chain()
    _assert_named(report, seq=hole)
    assert "sealed a gap" in report.problem


def test_a_rehashed_edit_after_sealing_breaks_the_checkpoint(manager: Any) -> None:
    seqs = _build_chain(manager, 20)
    audit_seal()
    target = seqs[len(seqs) // 2]
    row = AuditEvent.objects.get(seq=target)
    row.reason = "nothing to see here"
    with as_dba():
        AuditEvent.objects.filter(seq=target).update(
            reason=row.reason, row_hash=chain_hash(row.prev_hash, event_values(row))
        )
    _assert_named(verify_chain(), checkpoint=1)


# ---- tampering before sealing: refused by the sealer where detectable ------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["mutate", "swap"])
def test_tampering_before_sealing_is_refused_by_the_sealer_and_named_by_verify(
    kind: str, seed: int, manager: Any
) -> None:
    first_half = _build_chain(manager, ROWS // 2)
    audit_seal()
    seqs = _build_chain(manager, ROWS // 2, seed=seed)
    unsealed = seqs[len(first_half) :]
    rng = random.Random(seed)
    with as_dba():
        broken = _tamper(kind, unsealed, rng)
    sealed = audit_seal()
    assert sealed.problem == "content does not match its hash"
    assert sealed.waiting_at_seq == broken
    assert sealed.rows_sealed == unsealed.index(broken)
    report = verify_chain()
    _assert_named(report, seq=broken)
    assert report.problem == "content does not match its hash (unsealed)"
    _assert_command_names(f"row #{broken}")
    with pytest.raises(CommandError, match=rf"Stopped at row #{broken}"):
        call_command("audit_seal")


def test_a_row_deleted_or_forged_before_sealing_is_not_detectable(manager: Any) -> None:
    """The documented limit (ADR 0006): before the sealer reaches a row, its absence looks
    like a rolled-back transaction and a forged row with a correct content hash looks like
    any other. On PostgreSQL the trigger and a non-owner role are what prevent both."""
    seqs = _build_chain(manager, 10)
    rng = random.Random(3)
    with as_dba():
        AuditEvent.objects.filter(seq=seqs[3]).delete()
        _forge(seqs[6], rng)
    audit_seal()
    assert [seqs[3], seqs[3]] in AuditCheckpoint.objects.get().gaps
    assert verify_chain().ok


# ---- checkpoints: cut, altered, re-sealed -------------------------------------------------


def _two_checkpoints(manager: Any) -> tuple[list[int], list[int]]:
    first = _build_chain(manager, 10)
    audit_seal()
    both = _build_chain(manager, 10, seed=5)
    audit_seal()
    assert AuditCheckpoint.objects.count() == 2
    return first, both[len(first) :]


def test_sealed_rows_cut_from_the_end_are_named(manager: Any) -> None:
    _, second = _two_checkpoints(manager)
    with as_dba():
        AuditEvent.objects.filter(seq__gte=second[-3]).delete()
    _assert_named(verify_chain(), seq=second[-3])


def test_rows_and_their_checkpoint_cut_from_the_end_are_found_by_the_external_copy(
    manager: Any, settings: Any
) -> None:
    _, second = _two_checkpoints(manager)
    with as_dba():
        AuditEvent.objects.filter(seq__gte=second[0]).delete()
        AuditCheckpoint.objects.filter(number=2).delete()
    report = verify_chain()
    _assert_named(report, checkpoint=2)
    assert "in the external copy but not in the database" in report.problem
    # Without the external copy the database alone is consistent: the copy is what catches it.
    settings.SIGHTLINE_AUDIT_CHECKPOINT_DIR = ""
    assert verify_chain().ok


def test_a_checkpoint_altered_to_hide_a_deletion_is_named(manager: Any, settings: Any) -> None:
    first, _ = _two_checkpoints(manager)
    hole = first[4]
    with as_dba():
        AuditEvent.objects.filter(seq=hole).delete()
        checkpoint = AuditCheckpoint.objects.get(number=1)
        AuditCheckpoint.objects.filter(number=1).update(
            gaps=sorted([*checkpoint.gaps, [hole, hole]]), row_count=checkpoint.row_count - 1
        )
    report = verify_chain()
    _assert_named(report, checkpoint=1)
    assert report.problem == "checkpoint 1 differs from its external copy"
    settings.SIGHTLINE_AUDIT_CHECKPOINT_DIR = ""  # the MAC alone still catches it
    _assert_named(verify_chain(), checkpoint=1)


def test_a_middle_checkpoint_removed_is_named(manager: Any) -> None:
    _two_checkpoints(manager)
    _build_chain(manager, 5, seed=11)
    audit_seal()
    with as_dba():
        AuditCheckpoint.objects.filter(number=2).delete()
    _assert_named(verify_chain(), checkpoint=2)


def test_re_sealing_with_the_key_after_an_edit_is_found_by_the_external_copy(
    manager: Any,
) -> None:
    """Someone holding the seal key and DBA rights rewrites a row and every checkpoint; the
    copy outside the database still holds the original seals."""
    first, _ = _two_checkpoints(manager)
    with as_dba():
        AuditEvent.objects.filter(seq=first[2]).delete()
        AuditCheckpoint.objects.all().delete()
    # A fresh sealer run would append to the copy; seal without it, as the attacker would.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sightline.audit.sealing.checkpoint_sink", lambda: None)
        audit_seal()
    report = verify_chain()
    _assert_named(report, checkpoint=1)
    assert report.problem == "checkpoint 1 differs from its external copy"


def test_audit_verify_command_reports_an_intact_chain(manager: Any) -> None:
    from io import StringIO

    seqs = _build_chain(manager, 5)
    audit_seal()
    every = _build_chain(manager, 2, seed=4)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert (
        f"intact: {len(every)} rows verified ({len(seqs)} sealed in 1 checkpoints, 2 unsealed)"
        in out.getvalue()
    )


def _refused(sql: str, params: list[Any] | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    except DatabaseError:
        return True
    return False


def test_audit_rows_cannot_be_changed_from_the_application_connection(manager: Any) -> None:
    """PostgreSQL: the trigger refuses UPDATE, DELETE and TRUNCATE on the rows and on the
    checkpoints. SQLite (development and the fast test run) has no trigger: the hashes and the
    seal are the protection there, so the same edit goes through and verify_chain names it."""
    seqs = _build_chain(manager, 5)
    audit_seal()
    target = seqs[2]
    table = AuditEvent._meta.db_table
    checkpoints = AuditCheckpoint._meta.db_table
    update = f"UPDATE {table} SET reason = %s WHERE seq = %s"  # noqa: S608 - fixed table name
    if ON_POSTGRES:
        assert _refused(update, ["edited", target])
        assert _refused(f"DELETE FROM {table} WHERE seq = %s", [target])  # noqa: S608
        assert _refused(f"UPDATE {checkpoints} SET mac = ''")  # noqa: S608
        assert _refused(f"DELETE FROM {checkpoints}")  # noqa: S608
        # The test runner's connection may truncate (to empty tables between tests); with
        # the setting off, as on every production connection, TRUNCATE is refused too.
        for name in (table, checkpoints):
            assert _refused(f"SET LOCAL sightline.audit_truncate_allowed = 'off'; TRUNCATE {name}")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=target).update(reason="edited")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(seq=target).delete()
        assert AuditEvent.objects.filter(seq__in=seqs).count() == len(seqs)
        assert AuditCheckpoint.objects.count() == 1
        assert verify_chain().ok
    else:
        assert not _refused(update, ["edited", target])
        report = verify_chain()
        _assert_named(report, seq=target)
        assert report.problem == "content does not match its hash"


def _legacy_chain(actor: Any, n: int) -> list[int]:
    """Rows as ADR 0003 wrote them: each names the hash of the row before it."""
    seqs = _build_chain(actor, n)
    prev = GENESIS
    rows = list(AuditEvent.objects.order_by("seq"))
    with as_dba():
        for row in rows:
            row.prev_hash = prev
            row.row_hash = chain_hash(prev, event_values(row))
            AuditEvent.objects.filter(seq=row.seq).update(
                prev_hash=row.prev_hash, row_hash=row.row_hash
            )
            prev = row.row_hash
    return seqs


def test_rows_written_under_the_old_chain_verify_and_seal_unchanged(manager: Any) -> None:
    legacy = _legacy_chain(manager, 6)
    every = _build_chain(manager, 3, seed=2)
    assert verify_chain().ok
    assert audit_seal().rows_sealed == len(every)
    report = verify_chain()
    assert report.ok and report.sealed == len(every) > len(legacy)


def test_an_old_chained_row_rehashed_before_sealing_is_found_at_the_next_row(
    manager: Any,
) -> None:
    seqs = _legacy_chain(manager, 8)
    target = seqs[3]
    row = AuditEvent.objects.get(seq=target)
    row.reason = "nothing to see here"
    with as_dba():
        AuditEvent.objects.filter(seq=target).update(
            reason=row.reason, row_hash=chain_hash(row.prev_hash, event_values(row))
        )
    report = verify_chain()
    _assert_named(report, seq=seqs[4])
    assert report.problem == "does not follow the previous row (unsealed)"
    sealed = audit_seal()
    assert (sealed.waiting_at_seq, sealed.problem) == (seqs[4], "does not follow the previous row")
