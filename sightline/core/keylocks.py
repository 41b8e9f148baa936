"""Per-key locks for what an intake names (ADR 0218). Without a lock held across intakes, two
intakes a moment apart that both name the same new child, place, plate, phone or adult each
find it new and each make a record of it: two records of one takeaway, each holding one
child, and the alert for two children at one place never fires. Before it looks them up, an
intake takes a transaction-scoped PostgreSQL advisory lock on each identifying key it names,
all in one statement and in sorted order (so two intakes cannot each hold a key the other
waits for); the second of two intakes naming the same thing waits for the first to commit,
then finds its rows. Intakes naming nothing in common never wait for each other.

SQLite needs none: its transactions are IMMEDIATE, so writers already run one at a time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections

# The advisory lock space is shared with the rest of the database: keys here are (space,
# 32-bit hash of the key); the audit sealer uses the one-argument form. An intake takes the
# children's keys (front door) before the intelligence picture's, each space in one sorted
# statement, so no two intakes can wait for each other, even when two keys share a hash.
CHILDREN = 0x5343  # "SC"
PICTURE = 0x534C  # "SL"


def lock_id(key: str) -> int:
    """A key's 32-bit lock id (signed, as PostgreSQL's int4). Two keys sharing one only make
    their intakes wait for each other."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)


def keys_lock(space: int, keys: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Take the lock of each key until the transaction ends (PostgreSQL); the ids taken, in
    the order taken. Within one transaction, a key already held is taken again at once."""
    conn = connections[using]
    ids = sorted({lock_id(k) for k in keys if k})
    if not ids or conn.vendor != "postgresql":
        return []
    if not conn.in_atomic_block:
        raise RuntimeError("keys_lock needs the caller's transaction")
    with conn.cursor() as cursor:
        # A function scan of the array reads it in order, so the locks are taken in order.
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::int4[]) AS u(k)",
            [space, ids],
        )
    return ids
