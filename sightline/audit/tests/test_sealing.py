"""The sealer (ADR 0006): audit_record() touches no shared row; audit_seal() chains committed
rows into checkpoints, records gaps only once they are final, copies each checkpoint to the
external sink once, and can run twice at once. The PostgreSQL-only tests (a transaction still
holding a seq, a row committed out of order, two sealers at once) are defined only when the
suite runs on PostgreSQL: on SQLite writers are serialised and none of that can happen."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sys
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.models import AuditCheckpoint, AuditEvent
from sightline.audit.sealing import audit_seal, unsealed_lag
from sightline.audit.services import AuditUnavailableError, audit_record
from sightline.audit.sinks import FileCheckpointSink
from sightline.audit.verify import verify_chain

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def external_copy(settings: Any, tmp_path: Path) -> Path:
    settings.SIGHTLINE_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints" / "checkpoints.jsonl"


def record(n: int = 1, *, ref: str = "SL-2026-000001") -> list[int]:
    seqs = []
    for i in range(n):
        with transaction.atomic():
            event = audit_record(
                actor=None,
                actor_username="system",
                action=Action.VIEW,
                object_type="referral",
                object_ref=ref,
                details={"i": i},
            )
        seqs.append(event.seq)
    return seqs


@pytest.mark.django_db
def test_audit_record_takes_no_lock_and_reads_no_other_row() -> None:
    record(2)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        audit_record(actor=None, action=Action.VIEW, object_type="referral")
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not [s for s in sql if re.search(r"FOR UPDATE|\bLOCK\b|ADVISORY", s)]
    reads = [s for s in sql if s.lstrip().startswith("SELECT")]
    assert len(reads) == 1 and ("NEXTVAL" in reads[0] or "SQLITE_SEQUENCE" in reads[0])
    # one write: an INSERT, or on PostgreSQL a COPY (audit_record_many)
    assert sum(s.lstrip().startswith(("INSERT", "COPY")) for s in sql) == 1


def test_audit_record_is_refused_outside_a_transaction(transactional_db: Any) -> None:
    with pytest.raises(AuditUnavailableError, match="inside a transaction"):
        audit_record(actor=None, action=Action.VIEW)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_sealing_twice_seals_each_row_once_and_copies_each_checkpoint_once(
    external_copy: Path,
) -> None:
    seqs = record(5)
    first = audit_seal()
    assert (first.rows_sealed, first.checkpoints, first.lag_seconds) == (5, 1, 0.0)
    again = audit_seal()
    assert (again.rows_sealed, again.checkpoints, again.waiting_at_seq) == (0, 0, None)
    record(2)
    assert audit_seal().rows_sealed == 2
    checkpoints = list(AuditCheckpoint.objects.order_by("number"))
    assert (checkpoints[0].number, checkpoints[0].last_seq) == (1, seqs[-1])
    lines = [json.loads(line) for line in external_copy.read_text().splitlines()]
    assert lines == [c.as_record() for c in checkpoints]
    assert oct(external_copy.stat().st_mode & 0o777) == "0o600"
    report = verify_chain()
    assert report.ok and report.sealed == 7 and report.checkpoints == 2


@pytest.mark.django_db
def test_a_rolled_back_audit_row_leaves_at_most_a_sealed_gap() -> None:
    record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = audit_record(actor=None, action=Action.VIEW).seq
        raise RuntimeError("the request failed")
    record(1)
    report = audit_seal()
    checkpoint = AuditCheckpoint.objects.get()
    if ON_POSTGRES:  # nextval is not transactional: the seq is gone for good
        assert [rolled_back, rolled_back] in checkpoint.gaps and report.gaps >= 1
    else:  # SQLite hands the same seq to the next writer
        assert AuditEvent.objects.filter(seq=rolled_back).exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_external_copy_catches_up_after_a_failed_write(
    monkeypatch: pytest.MonkeyPatch, external_copy: Path
) -> None:
    record(3)

    def disk_full(self: Any, records: Any) -> None:
        raise OSError("No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(FileCheckpointSink, "append", disk_full)
        with pytest.raises(OSError, match="No space"):
            audit_seal()
    report = verify_chain()
    assert (report.ok, report.first_bad_checkpoint) == (False, 1)
    assert report.problem == "checkpoint 1 is not in the external copy"
    assert audit_seal().rows_sealed == 0
    assert len(external_copy.read_text().splitlines()) == 1
    assert verify_chain().ok


class ListSink:
    records: list[dict[str, Any]] = []

    def append(self, records: Any) -> None:
        ListSink.records.extend(records)

    def read(self) -> list[dict[str, Any]]:
        return list(ListSink.records)


@pytest.mark.django_db
def test_a_council_can_ship_checkpoints_to_its_own_sink(settings: Any, external_copy: Path) -> None:
    settings.SIGHTLINE_AUDIT_CHECKPOINT_SINK = f"{__name__}.ListSink"
    ListSink.records = []
    record(2)
    audit_seal()
    assert ListSink.records == [AuditCheckpoint.objects.get().as_record()]
    assert not external_copy.exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_unsealed_rows_older_than_the_limit_raise_the_alarm(settings: Any) -> None:
    (seq,) = record(1)
    lag = unsealed_lag()
    assert (lag.rows, lag.oldest_seq, lag.is_alarm) == (1, seq, False)
    later = unsealed_lag(now=timezone.now() + dt.timedelta(minutes=6))
    assert later.is_alarm and later.seconds >= 360
    settings.SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES = 0
    with pytest.raises(CommandError, match=r"ALARM: 1 rows are not sealed, the oldest \(row #"):
        call_command("audit_verify")
    out = StringIO()
    call_command("audit_seal", stdout=out)
    assert "Sealed 1 rows" in out.getvalue()
    assert unsealed_lag().rows == 0
    call_command("audit_verify", stdout=StringIO())


def test_production_settings_refuse_to_start_without_a_seal_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key-that-is-long-enough-" + "y" * 20)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///tmp/sightline-settings-test.sqlite3")
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.delenv("SIGHTLINE_AUDIT_SEAL_KEY", raising=False)

    def load() -> Any:
        sys.modules.pop("config.settings.production", None)
        return importlib.import_module("config.settings.production")

    with pytest.raises(ImproperlyConfigured, match="SIGHTLINE_AUDIT_SEAL_KEY"):
        load()
    monkeypatch.setenv("SIGHTLINE_AUDIT_SEAL_KEY", "too-short")
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        load()
    monkeypatch.setenv("SIGHTLINE_AUDIT_SEAL_KEY", "k" * 40)
    assert load().SIGHTLINE_AUDIT_SEAL_KEY == "k" * 40


def test_the_seal_key_is_not_in_the_checkpoints(db: Any, settings: Any) -> None:
    record(2)
    audit_seal()
    assert settings.SIGHTLINE_AUDIT_SEAL_KEY not in json.dumps(
        AuditCheckpoint.objects.get().as_record()
    )


if ON_POSTGRES:

    def test_a_gap_is_sealed_only_once_the_transaction_holding_it_has_ended(
        transactional_db: Any, pg_session: Any
    ) -> None:
        (before,) = record(1)
        other = pg_session  # a request that has taken its seq and not yet finished
        held = other.execute(
            "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'seq'))"
        ).fetchone()
        assert held is not None
        (after,) = record(1)
        assert after > held[0] > before
        waiting = audit_seal()
        assert waiting.waiting_at_seq == held[0]
        assert AuditCheckpoint.objects.get().last_seq == before
        other.rollback()
        other.close()
        done = audit_seal()
        assert (done.rows_sealed, done.waiting_at_seq) == (1, None)
        assert AuditCheckpoint.objects.get(number=2).gaps == [[held[0], held[0]]]
        assert verify_chain().ok

    def test_a_row_that_commits_out_of_order_is_waited_for_and_sealed(
        transactional_db: Any,
    ) -> None:
        record(1)
        taken: list[int] = []
        started, release = threading.Event(), threading.Event()

        def slow_request() -> None:
            try:
                with transaction.atomic():
                    taken.extend(record(1, ref="SL-2026-000002"))
                    started.set()
                    release.wait(30)
            finally:
                connection.close()

        thread = threading.Thread(target=slow_request)
        thread.start()
        assert started.wait(30)
        (later,) = record(1)
        assert later > taken[0]
        assert audit_seal().waiting_at_seq == taken[0]
        release.set()
        thread.join(30)
        report = audit_seal()
        assert report.waiting_at_seq is None
        last = AuditCheckpoint.objects.order_by("-number").first()
        assert last is not None and last.last_seq == later and last.gaps == []
        assert verify_chain().ok

    def test_two_sealers_at_once_seal_each_row_once(
        transactional_db: Any, external_copy: Path
    ) -> None:
        seqs = record(30)
        reports: list[Any] = []

        def seal() -> None:
            try:
                reports.append(audit_seal())
            finally:
                connection.close()

        threads = [threading.Thread(target=seal) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(r.rows_sealed for r in reports) == [0, len(seqs)]
        assert AuditCheckpoint.objects.count() == 1
        assert len(external_copy.read_text().splitlines()) == 1
        assert verify_chain().ok
