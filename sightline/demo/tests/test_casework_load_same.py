"""The casework history written in batches (each workflow's body in the load's transaction,
audit rows and language checks written together, the calendar read once) stores what the
one-by-one workflows store: every table, row for row, but for ids of rows the load made and
the times they were written."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.casework.models import Allocation, Assessment, CaseNote, Plan
from sightline.demo import casework_load
from sightline.demo.casework_load import demo_casework_load
from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.escalation.models import Clock, PerformanceMonth
from sightline.escalation.services.backfill import clocks_backfill
from sightline.reviews.models import LanguageCheck

pytestmark = pytest.mark.django_db

# Written when the row is, not part of what the load records.
WHEN_WRITTEN = {"created_at", "updated_at", "occurred_at", "row_hash", "prev_hash", "seq"}


def _ids() -> set[str]:
    """Every UUID primary key in the database."""
    found: set[str] = set()
    for model in apps.get_models():
        if isinstance(model._meta.pk, models.UUIDField):
            found |= {str(pk) for pk in model._base_manager.values_list("pk", flat=True)}
    return found


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canon(value: Any, known: set[str], now: dt.datetime) -> Any:
    """A value with the ids of rows made since `known` was read (alone, or in a key such as
    `allocation:<id>:<user>`) replaced by "new", and a time after `now` (when it was
    written: a proposal made at the end of the load) by "written"."""
    if isinstance(value, uuid.UUID):
        value = str(value)
    if isinstance(value, str):
        return UUID.sub(lambda m: m[0] if m[0] in known else "new", value)
    if isinstance(value, dt.datetime) and value > now:
        return "written"
    if isinstance(value, dict):
        return tuple(sorted((k, repr(_canon(v, known, now))) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(repr(_canon(v, known, now)) for v in value)
    return value


def _digest(known: set[str], now: dt.datetime) -> dict[str, Counter[tuple[Any, ...]]]:
    """Each table's rows as a multiset, without primary keys and times of writing."""
    tables = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and f.attname not in WHEN_WRITTEN
        ]
        rows = model._base_manager.values_list(*names)
        tables[model._meta.label] = Counter(
            tuple(_canon(v, known, now) for v in row) for row in rows
        )
    return tables


@contextmanager
def _statements() -> Iterator[list[str]]:
    """The statements run inside the block (however many: Django's own log keeps 9,000)."""
    seen: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        yield seen


def test_batched_casework_history_stores_what_the_workflows_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = timezone.localdate()
    borough = generate_borough(children=60, years=2, seed=7, end=today, networks=1)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json", open_count=12)
    clocks_backfill(acting_user=None)
    monkeypatch.setattr(casework_load, "BATCH", 3)  # several batches, not one
    now = timezone.now() - dt.timedelta(minutes=1)
    known = _ids()

    with transaction.atomic():
        with _statements() as one_by_one_statements:
            one_by_one = demo_casework_load(now=now, batched=False)
        expected = _digest(known, now)
        transaction.set_rollback(True)
    assert not Allocation.objects.exists()  # rolled back

    with _statements() as batched_statements:
        batched = demo_casework_load(now=now)
    found = _digest(known, now)

    assert one_by_one is not None and batched is not None
    assert batched.steps == one_by_one.steps and sum(batched.steps.values()) > 300
    for model in (Allocation, Assessment, CaseNote, Plan, Clock, PerformanceMonth,
                  AuditEvent, LanguageCheck):  # fmt: skip
        label = model._meta.label
        assert sum(found[label].values()) > 0, label
    assert {k for k, v in found.items() if v != expected[k]} == set()
    # the same rows in well under half the statements; no savepoint per step (an inbox
    # item's get_or_create keeps its own)
    assert len(batched_statements) < len(one_by_one_statements) / 2
    savepoints = [[sql for sql in run if sql.startswith("SAVEPOINT")]
                  for run in (batched_statements, one_by_one_statements)]  # fmt: skip
    assert len(savepoints[0]) < len(savepoints[1]) / 10
