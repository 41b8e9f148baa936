"""`bulk_insert`: COPY on PostgreSQL, bulk_create elsewhere; the rows stored are the rows
given, whichever path wrote them (the suite runs on both databases)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from sightline.core.bulk import COPY_FROM, bulk_insert, new_row
from sightline.core.models import OutboxMessage, ReferenceCounter

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def _messages(n: int) -> list[OutboxMessage]:
    return [
        OutboxMessage(
            kind="test",
            subject=f"Subject {i}, with a comma and \t a tab",
            body="line one\nline two \\ backslash 'quote' \"double\"",
            # A dict, a list and a bare JSON string (the quick and the slow paths).
            payload=[{"n": i, "nested": {"ok": True}}, ["RF-1", {"n": i}], "text \u00e9"][i % 3],
            dedupe_key=f"bulk-{i}",
            sent_at=AT if i % 2 else None,
            attempts=i % 3,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [3, COPY_FROM + 25])
def test_rows_stored_are_the_rows_given(n: int) -> None:
    given = _messages(n)
    with transaction.atomic():
        returned = bulk_insert(OutboxMessage, given)
    assert [m.pk for m in returned] == [m.pk for m in given]
    assert all(not m._state.adding for m in returned)
    stored = {m.pk: m for m in OutboxMessage.objects.filter(kind="test")}
    assert len(stored) == n
    for m in given:
        s = stored[m.pk]
        assert (s.subject, s.body, s.payload, s.dedupe_key, s.sent_at, s.attempts) == (
            m.subject, m.body, m.payload, m.dedupe_key, m.sent_at, m.attempts,
        )  # fmt: skip
        assert s.created_at is not None  # auto_now_add filled in, as bulk_create does
        assert s.created_at == m.created_at  # and set on the object given
    if connection.vendor == "postgresql" and n >= COPY_FROM:
        assert len({m.created_at for m in given}) == 1  # COPY: one time for the statement


def test_auto_numbered_rows_left_unset_are_numbered_by_the_database() -> None:
    rows = [ReferenceCounter(prefix=f"Z{i:03d}", year=2026) for i in range(COPY_FROM + 5)]
    with transaction.atomic():
        bulk_insert(ReferenceCounter, rows)
    ids = list(ReferenceCounter.objects.filter(prefix__startswith="Z").values_list("pk", flat=True))
    assert len(ids) == COPY_FROM + 5
    assert len(set(ids)) == len(ids) and all(ids)


def test_some_keys_unset_is_refused() -> None:
    rows = [ReferenceCounter(prefix=f"Y{i:03d}", year=2026) for i in range(COPY_FROM + 5)]
    rows[3].pk = 999_999
    with pytest.raises(ValueError, match="no primary key"), transaction.atomic():
        bulk_insert(ReferenceCounter, rows)
    assert not ReferenceCounter.objects.filter(prefix__startswith="Y").exists()


def test_a_duplicate_is_django_integrity_error_and_nothing_is_stored() -> None:
    rows = _messages(COPY_FROM + 5)
    rows[-1].dedupe_key = rows[0].dedupe_key
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(OutboxMessage, rows)
    assert not OutboxMessage.objects.filter(kind="test").exists()


def test_one_statement_seen_by_execute_wrappers() -> None:
    seen: list[str] = []

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(counter):
        bulk_insert(OutboxMessage, _messages(COPY_FROM + 5))
    inserts = [s for s in seen if "core_outboxmessage" in s]
    assert len(inserts) == 1
    expected = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert inserts[0].lstrip().upper().startswith(expected)


@pytest.mark.parametrize("n", [3, COPY_FROM + 25])
def test_ignore_conflicts_leaves_out_the_rows_that_would_break_a_unique_key(n: int) -> None:
    """As `bulk_create(ignore_conflicts=True)`: a row whose unique key is already stored,
    or taken by an earlier row of the same call, is left out; the others are stored."""
    with transaction.atomic():
        bulk_insert(OutboxMessage, _messages(2))  # bulk-0 and bulk-1 stored already
    rows = _messages(n)
    rows[-1].dedupe_key = rows[1].dedupe_key if n > 3 else "bulk-0"
    with transaction.atomic():
        returned = bulk_insert(OutboxMessage, rows, ignore_conflicts=True)
        again = [OutboxMessage(kind="test", dedupe_key=m.dedupe_key) for m in rows]
        bulk_insert(OutboxMessage, again, ignore_conflicts=True)  # twice in one transaction
    assert len(returned) == n
    stored = set(OutboxMessage.objects.filter(kind="test").values_list("pk", flat=True))
    fresh = {m.pk for m in rows[2:-1]}
    assert fresh <= stored
    assert not {rows[0].pk, rows[1].pk, rows[-1].pk} & stored
    assert OutboxMessage.objects.filter(kind="test").count() == len(fresh) + 2


def test_new_row_is_the_row_keyword_construction_makes() -> None:
    given = {"kind": "test", "subject": "s", "payload": {"n": 1}, "dedupe_key": "nr-1"}
    quick, usual = new_row(OutboxMessage, **given), OutboxMessage(**given)
    for field in OutboxMessage._meta.concrete_fields:
        if field.primary_key:
            continue  # a new uuid4 each
        assert getattr(quick, field.attname) == getattr(usual, field.attname), field.name
    assert quick.pk is not None and quick._state.adding and quick._state.db is None
    assert set(vars(quick)) == set(vars(usual))  # nothing more or less set on the instance
    quick.save()  # a usable instance: saves and reads back
    assert OutboxMessage.objects.get(pk=quick.pk).payload == {"n": 1}
    with pytest.raises(TypeError, match="no field"):
        new_row(OutboxMessage, kind="test", colour="red")


def test_new_row_goes_through_init_once_a_receiver_listens() -> None:
    """The quick path skips `Model.__init__` and its signals only while nothing listens; a
    receiver connected after the first rows were built still hears the next one."""
    from django.db.models.signals import post_init

    new_row(OutboxMessage, kind="test")
    heard: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        heard.append(instance)

    post_init.connect(receiver, sender=OutboxMessage)
    try:
        row = new_row(OutboxMessage, kind="test")
    finally:
        post_init.disconnect(receiver, sender=OutboxMessage)
    assert heard == [row]
    new_row(OutboxMessage, kind="test")
    assert heard == [row]
