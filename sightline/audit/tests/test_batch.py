"""Audit rows written together (audit_record_many, audit_batch): the same rows, hashes and
guarantees as rows written one at a time (ADR 0006), in two statements for a whole step."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sightline.audit.choices import Action
from sightline.audit.hashing import event_hash_ok
from sightline.audit.models import AuditEvent
from sightline.audit.sealing import audit_seal
from sightline.audit.services import AuditUnavailableError, audit_batch, audit_record
from sightline.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def external_copy(settings: Any, tmp_path: Path) -> None:
    settings.SIGHTLINE_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


def note(i: int) -> AuditEvent:
    return audit_record(
        actor=None,
        actor_username="system",
        action=Action.VIEW,
        object_type="referral",
        object_ref=f"SL-2026-{i:06d}",
        details={"i": i},
    )


def test_a_batch_writes_its_rows_in_two_statements_when_it_closes() -> None:
    with transaction.atomic():
        note(0)
        with CaptureQueriesContext(connection) as captured, audit_batch():
            for i in range(1, 6):
                note(i)
            assert AuditEvent.objects.count() == 1  # nothing written yet
            before = len(captured)
        assert len(captured) - before == 2
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.details["i"] for r in rows] == [0, 1, 2, 3, 4, 5]
    assert [r.seq for r in rows] == list(range(rows[0].seq, rows[0].seq + 6))
    assert all(event_hash_ok(r) and r.prev_hash == "" for r in rows)
    assert all(a.occurred_at <= b.occurred_at for a, b in itertools.pairwise(rows))


def test_batched_rows_seal_and_verify_like_any_other() -> None:
    with transaction.atomic(), audit_batch():
        for i in range(10):
            note(i)
    with transaction.atomic():
        note(10)
    report = audit_seal()
    # (on PostgreSQL, seqs taken by earlier tests' rolled-back transactions are sealed as gaps)
    assert (report.rows_sealed, report.problem, report.waiting_at_seq) == (11, "", None)
    chain = verify_chain()
    assert chain.ok and chain.checked == 11 and chain.sealed == 11


def test_a_batch_that_raises_writes_nothing() -> None:
    with pytest.raises(ValueError), transaction.atomic(), audit_batch():
        note(1)
        raise ValueError("the step failed")
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        note(2)  # the next step is not batched any more: written at once
        assert AuditEvent.objects.count() == 1


def test_a_batch_is_refused_outside_a_transaction(transactional_db: Any) -> None:
    with pytest.raises(AuditUnavailableError), audit_batch():
        pass
