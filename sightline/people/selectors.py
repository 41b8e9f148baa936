from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q

from sightline.people.matching import (
    CANDIDATE_THRESHOLD,
    Existing,
    MatchScore,
    Referred,
    compare,
    may_be_candidate,
    name_key,
    normalise_postcode,
)
from sightline.people.models import Child

MAX_BLOCK = 500


@dataclass(frozen=True)
class Candidate:
    child: Child
    match: MatchScore


def child_match_candidates(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    postcode: str,
    limit: int = 5,
) -> list[Candidate]:
    """Existing children who may be the referred child, best first. Blocking (same date of
    birth, same phonetic family name, or same postcode) keeps this to indexed lookups."""
    referred = Referred(given_name, family_name, date_of_birth, postcode)
    return child_match_candidates_many([referred], limit=limit)[0]


@dataclass(frozen=True)
class _Block:
    """Which existing children a referred child is compared with: those with the same
    phonetic family name, a date of birth it may be (as given or day and month swapped), or
    the same postcode."""

    family_key: str | None
    days: tuple[dt.date, ...]
    postcode_key: str | None

    @classmethod
    def of(cls, referred: Referred) -> _Block:
        days: tuple[dt.date, ...] = ()
        if referred.date_of_birth is not None:
            swapped = _swapped(referred.date_of_birth)
            days = (referred.date_of_birth, swapped) if swapped else (referred.date_of_birth,)
        return cls(
            family_key=name_key(referred.family_name) if referred.family_name else None,
            days=days,
            postcode_key=normalise_postcode(referred.postcode) if referred.postcode else None,
        )

    def pool_keys(self) -> tuple[tuple[str, object], ...]:
        """The pool keys of the block: its family key, its days, its postcode."""
        keys: list[tuple[str, object]] = []
        if self.family_key is not None:
            keys.append(("family", self.family_key))
        keys += [("day", day) for day in self.days]
        if self.postcode_key is not None:
            keys.append(("postcode", self.postcode_key))
        return tuple(keys)


@dataclass(slots=True)
class _Seen:
    """A referred child's block as far as it was scored: how many rows of each key's list,
    how many rows in all (at most MAX_BLOCK), and those that scored as candidates."""

    keys: tuple[tuple[str, object], ...]
    lengths: list[int]
    size: int
    found: list[tuple[Child | _Row, MatchScore]]


# The address too: intake shows a matched child's address without reading it again.
_MATCH_FIELDS = (
    "id", "reference", "given_name", "family_name", "date_of_birth", "postcode",
    "family_name_key", "postcode_key", "address",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Row:
    """A child record as matching reads it (a tuple from the query, not a model instance:
    a chunk's query may bring back most of the table, and only the candidates become
    `Child`s)."""

    id: object
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    postcode: str
    family_name_key: str
    postcode_key: str
    address: str

    def as_child(self) -> Child:
        values = [getattr(self, name) for name in _MATCH_FIELDS]
        return Child.from_db(Child.objects.db, list(_MATCH_FIELDS), values)


class ChildPool:
    """Children held in memory, found by block key: the rows of one query shared out
    between several referred children, or an import's new records not yet in the database
    (so that a later row of the file is matched against them as it would be had each row
    been stored on its own)."""

    def __init__(self, children: Iterable[Child | _Row] = (), *, remember: bool = False) -> None:
        self.rows: list[Child | _Row] = []
        self._children: dict[object, Child] = {}
        self._by_key: dict[tuple[str, object], list[int]] = defaultdict(list)
        # `remember`: each referred child's scored rows kept, so that the same child named
        # again (a file's later rows about a child) scores only the rows added since (ADR 0910).
        self._seen: dict[Referred, _Seen] | None = {} if remember else None
        for child in children:
            self.add(child)

    def add(self, child: Child | _Row) -> None:
        i = len(self.rows)
        self.rows.append(child)
        self._by_key["family", child.family_name_key].append(i)
        self._by_key["day", child.date_of_birth].append(i)
        self._by_key["postcode", child.postcode_key].append(i)

    def candidates(
        self, referred: Referred, *, limit: int = 5, block: _Block | None = None
    ) -> list[Candidate]:
        if self._seen is not None:
            return self._remembered(referred, limit, block)
        block = block or _Block.of(referred)
        found: set[int] = set()
        for key in block.pool_keys():
            found.update(self._by_key.get(key, ()))
        rows = [self.rows[i] for i in sorted(found)][:MAX_BLOCK]
        return _ranked(_scored(referred, rows), limit, self._child)

    def _remembered(self, referred: Referred, limit: int, block: _Block | None) -> list[Candidate]:
        """What `candidates` answers, scoring only the block's rows added since this child
        was last asked about: the pool only grows, and each key's rows are in the order
        added, so the new ones are the tail of each key's list (their indices are all above
        the earlier rows', so the first MAX_BLOCK by index are the earlier ones first)."""
        assert self._seen is not None
        seen = self._seen.get(referred)
        if seen is None:
            block = block or _Block.of(referred)
            keys = block.pool_keys()
            seen = self._seen[referred] = _Seen(keys, [0] * len(keys), 0, [])
        new: set[int] = set()
        for n, key in enumerate(seen.keys):
            held = self._by_key.get(key, ())
            if len(held) > seen.lengths[n]:
                new.update(held[seen.lengths[n] :])
                seen.lengths[n] = len(held)
        room = MAX_BLOCK - seen.size
        if new and room > 0:
            rows = [self.rows[i] for i in sorted(new)][:room]
            seen.size += len(rows)
            seen.found += _scored(referred, rows)
        return _ranked(seen.found, limit, self._child)

    def _child(self, row: Child | _Row) -> Child:
        """A row as a `Child`, made once per row however many referred children it is a
        candidate for."""
        if isinstance(row, Child):
            return row
        child = self._children.get(row.id)
        if child is None:
            child = self._children[row.id] = row.as_child()
        return child


def child_match_candidates_many(
    referred: Sequence[Referred], *, limit: int = 5
) -> list[list[Candidate]]:
    """child_match_candidates for several referred children (one referral's, or an import's
    chunk) in one query: the candidates of each, in the order given. The blocks' keys are
    sent as three IN lists and the rows shared out by key, so a thousand referred children
    cost one query and no pass over every row for each of them."""
    blocks = [_Block.of(r) for r in referred]
    if not blocks:
        return []
    families = {b.family_key for b in blocks if b.family_key is not None}
    days = {day for b in blocks for day in b.days}
    postcodes = {b.postcode_key for b in blocks if b.postcode_key is not None}
    query = Q(pk__in=[])
    if families:
        query |= Q(family_name_key__in=families)
    if days:
        query |= Q(date_of_birth__in=days)
    if postcodes:
        query |= Q(postcode_key__in=postcodes)
    rows = Child.objects.filter(query, superseded_by__isnull=True).values_list(*_MATCH_FIELDS)
    pool = ChildPool(_Row(*row) for row in rows[: MAX_BLOCK * len(blocks)])
    return [
        pool.candidates(one, limit=limit, block=block)
        for one, block in zip(referred, blocks, strict=True)
    ]


_FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(sum(hashtextextended(concat_ws('|', {cols}), 0)), 0)"
    " FROM {table} WHERE superseded_by_id IS NULL{more}"
)


def _fingerprint(ids: Sequence[object] | None = None) -> tuple[int, int]:
    """A digest of the children matching reads (those not superseded, their matching
    fields), or of the records `ids`: (how many, the sum of a 64-bit hash of each row). A sum,
    so that the digest of a set grown by some rows is the old one plus theirs. On PostgreSQL
    worked out by the server (no row comes back); elsewhere in Python over the rows."""
    rows = Child.objects.filter(superseded_by__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    conn = connections[router.db_for_read(Child)]
    if conn.vendor != "postgresql":
        found = list(rows.values_list(*_MATCH_FIELDS))
        return len(found), sum(hash(tuple(map(str, r))) for r in found) % 2**64
    cols = ", ".join(f"coalesce({c}::text, '')" for c in _MATCH_FIELDS)
    sql = _FINGERPRINT_SQL.format(
        cols=cols, table=Child._meta.db_table, more=" AND id = ANY(%s)" if ids is not None else ""
    )
    with conn.cursor() as cur:
        cur.execute(sql, [list(ids)] if ids is not None else [])
        count, total = cur.fetchone()
    return int(count), int(total) % 2**64


class ChildIndex:
    """The children on record, by block key, for the whole of one import (ADR 0908): read
    once, the import's new records added as they are stored, so that each chunk of the file
    is not matched by a query that brings back most of the table again. What it answers is
    what `child_match_candidates_many` answers at that moment: before each chunk a digest of
    the children on record (server-side, no rows) is compared with the digest of what the
    index holds, and any difference (children another user made, changed or merged meanwhile,
    or a chunk rolled back) makes it read the table again."""

    def __init__(self) -> None:
        self._pool: ChildPool | None = None
        self._digest: tuple[int, int] = (0, 0)
        self.reads = 0  # how many times the table was read (told in tests)

    def candidates_many(
        self, referred: Sequence[Referred], *, limit: int = 5
    ) -> list[list[Candidate]]:
        now = _fingerprint()
        if self._pool is None or now != self._digest:
            rows = Child.objects.filter(superseded_by__isnull=True).values_list(*_MATCH_FIELDS)
            self._pool = ChildPool((_Row(*row) for row in rows), remember=True)
            self._digest = now
            self.reads += 1
        pool = self._pool
        return [pool.candidates(one, limit=limit) for one in referred]

    def add(self, children: Sequence[Child]) -> None:
        """New records the import has just stored (references set), in the order made."""
        if self._pool is None or not children:
            return
        count, total = _fingerprint([c.pk for c in children])
        for child in children:
            self._pool.add(child)
        self._digest = (self._digest[0] + count, (self._digest[1] + total) % 2**64)


def _scored(referred: Referred, rows: list[Child | _Row]) -> list[tuple[Child | _Row, MatchScore]]:
    """The rows that may be the referred child, with their scores, in the rows' order."""
    found: list[tuple[Child | _Row, MatchScore]] = []
    for row in rows:
        existing = Existing(row.given_name, row.family_name, row.date_of_birth, row.postcode)
        if not may_be_candidate(referred, existing):
            continue
        score = compare(referred, existing)
        if score.score >= CANDIDATE_THRESHOLD or score.is_exact:
            found.append((row, score))
    return found


def _ranked(
    found: list[tuple[Child | _Row, MatchScore]],
    limit: int,
    to_child: Callable[[Child | _Row], Child],
) -> list[Candidate]:
    """The best `limit` first (score, then reference), as `Candidate`s."""
    best = sorted(found, key=lambda c: (-c[1].score, c[0].reference))[:limit]
    return [Candidate(to_child(row), score) for row, score in best]


def _swapped(day: dt.date) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return dt.date(day.year, day.day, day.month)
    except ValueError:
        return None
