"""Readable references such as SL-2026-000123. Must be called inside a transaction.

Nothing is held to commit (ADR 0006): on PostgreSQL each (prefix, year) has its own database
sequence, created on first use and started after the counter row's value (so an install that
used counter rows carries on from where it was); nextval never waits for another
transaction. A rolled-back intake leaves a gap in the numbers; references are unique and
increasing, not gap-free. On SQLite, where writers are serialised anyway, the counter row is
incremented as before."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from sightline.core.models import ReferenceCounter


def next_reference(prefix: str, year: int, width: int = 6) -> str:
    (reference,) = references_reserve(prefix, year, count=1, width=width)
    return reference


def references_reserve(prefix: str, year: int, *, count: int, width: int = 6) -> list[str]:
    """`count` consecutive-as-possible references in one call (bulk loaders)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference must run inside a transaction")
    if connection.vendor == "postgresql":
        numbers = _from_sequence(prefix, year, count)
    else:
        numbers = _from_counter_row(prefix, year, count)
    return [f"{prefix}-{year}-{n:0{width}d}" for n in numbers]


def _counter(prefix: str, year: int) -> tuple[int, int]:
    """The counter row's id and value, created if absent (once per prefix and year)."""
    found = ReferenceCounter.objects.filter(prefix=prefix, year=year).values_list(
        "pk", "last_value"
    )
    row = found.first()
    if row is None:
        try:
            with transaction.atomic():
                made = ReferenceCounter.objects.create(prefix=prefix, year=year, last_value=0)
            row = (made.pk, 0)
        except IntegrityError:
            row = found.get()  # another transaction created it first
    return row


def _from_sequence(prefix: str, year: int, count: int) -> list[int]:
    pk, last_value = _counter(prefix, year)
    name = f"core_reference_{int(pk)}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if not cursor.fetchone()[0]:
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {int(last_value) + 1}"
                    )
            except IntegrityError:
                pass  # created at the same moment by another transaction, which committed
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
        return [int(n) for (n,) in cursor.fetchall()]


def _from_counter_row(prefix: str, year: int, count: int) -> list[int]:
    pk, _ = _counter(prefix, year)
    ReferenceCounter.objects.filter(pk=pk).update(last_value=F("last_value") + count)
    last = ReferenceCounter.objects.values_list("last_value", flat=True).get(pk=pk)
    return list(range(last - count + 1, last + 1))
