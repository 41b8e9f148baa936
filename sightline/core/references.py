"""Readable references such as SL-2026-000123. Must be called inside a transaction.

Nothing is held to commit (ADR 0006): on PostgreSQL each (prefix, year) has its own database
sequence, created on first use and started after the counter row's value (so an install that
used counter rows carries on from where it was); nextval never waits for another
transaction. A rolled-back intake leaves a gap in the numbers; references are unique and
increasing, not gap-free. On SQLite, where writers are serialised anyway, the counter row is
incremented as before.

Either way a call costs one statement, however many prefixes and numbers it takes: on
PostgreSQL the function `sightline_references_reserve` (migration core 0003) finds or makes
each prefix's counter row and sequence and returns the numbers; on SQLite one upsert of the
counter rows returns their new values."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection, transaction


def next_reference(prefix: str, year: int, width: int = 6) -> str:
    (reference,) = references_reserve(prefix, year, count=1, width=width)
    return reference


def references_reserve(prefix: str, year: int, *, count: int, width: int = 6) -> list[str]:
    """`count` consecutive-as-possible references in one call (bulk loaders)."""
    return references_reserve_many(year, {prefix: count}, width=width)[prefix]


def references_reserve_many(
    year: int, counts: Mapping[str, int], *, width: int | Mapping[str, int] = 6
) -> dict[str, list[str]]:
    """References for several prefixes at once, in one statement: prefix -> its references,
    increasing. `width` may differ by prefix."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference must run inside a transaction")
    wanted = {p: int(n) for p, n in counts.items() if n > 0}
    if not wanted:
        return {p: [] for p in counts}
    if connection.vendor == "postgresql":
        numbers = _from_sequences(year, wanted)
    else:
        numbers = _from_counter_rows(year, wanted)
    out: dict[str, list[str]] = {p: [] for p in counts}
    for prefix, taken in numbers.items():
        w = width if isinstance(width, int) else width.get(prefix, 6)
        out[prefix] = [f"{prefix}-{year}-{n:0{w}d}" for n in sorted(taken)]
    return out


def _from_sequences(year: int, wanted: dict[str, int]) -> dict[str, list[int]]:
    prefixes = sorted(wanted)
    numbers: dict[str, list[int]] = {p: [] for p in prefixes}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ref_prefix, ref_number FROM sightline_references_reserve(%s, %s, %s)",
            [prefixes, [wanted[p] for p in prefixes], year],
        )
        for prefix, n in cursor.fetchall():
            numbers[prefix].append(int(n))
    return numbers


def _from_counter_rows(year: int, wanted: dict[str, int]) -> dict[str, list[int]]:
    prefixes = sorted(wanted)
    values = ", ".join("(%s, %s, %s)" for _ in prefixes)
    params: list[str | int] = []
    for prefix in prefixes:
        params += [prefix, year, wanted[prefix]]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_referencecounter (prefix, year, last_value) "  # noqa: S608 - placeholders only
            f"VALUES {values} ON CONFLICT (prefix, year) DO UPDATE "
            "SET last_value = core_referencecounter.last_value + excluded.last_value "
            "RETURNING prefix, last_value",
            params,
        )
        rows = cursor.fetchall()
    return {p: list(range(last - wanted[p] + 1, last + 1)) for p, last in rows}
