"""`Idempotency-Key` for POST requests (IETF draft-ietf-httpapi-idempotency-key-header):
the same key and body returns the first answer; the same key with another body is 422; a
retry while the first request is still in flight is 409. See docs/adr/0004-intake-loses-nothing.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from sightline.api.models import IdempotencyRecord
from sightline.core.errors import ApiError

T = TypeVar("T")
logger = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=120)
MAX_KEY = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any


class LeaseLostError(RuntimeError):
    """Another request took over this key after the lease ran out; roll back this one."""


def _claim(user: Any, key: str, digest: str, *, attempts: int = 3) -> IdempotencyRecord | Replay:
    now = timezone.now()
    lease = str(uuid.uuid4())
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, key=key, request_hash=digest, lease=lease, claimed_at=now
            )
    except IntegrityError:
        pass
    with transaction.atomic():
        record = IdempotencyRecord.objects.select_for_update().filter(user=user, key=key).first()
        if record is None:
            # The first attempt was refused and released the key between our insert and this
            # read: claim it afresh.
            if attempts <= 1:
                raise ApiError(409, "This Idempotency-Key is busy; retry shortly.")
            return _claim(user, key, digest, attempts=attempts - 1)
        if record.request_hash != digest:
            raise ApiError(
                422, "This Idempotency-Key was used with a different request body; use a new key."
            )
        if record.completed_at is not None:
            return Replay(record.status_code or 200, record.response_body)
        if now - record.claimed_at < LEASE:
            raise ApiError(
                409, "A request with this Idempotency-Key is still being processed; retry shortly."
            )
        # The first attempt died (its transaction never committed): take the key over.
        record.lease = lease
        record.claimed_at = now
        record.save(update_fields=["lease", "claimed_at"])
        return record


def idempotent(request: Any, user: Any, work: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run `work` at most once per (user, Idempotency-Key). `work` must do its writes in one
    transaction; the key is completed inside that same transaction."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        # The same one transaction as with a key, so that `work` may run a workflow's body
        # without a savepoint of its own (`without_savepoint`) either way.
        return _atomic_retrying(work)
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise ApiError(400, f"Idempotency-Key must be 1 to {MAX_KEY} characters.")
    digest = hashlib.sha256(request.body).hexdigest()
    earlier = getattr(request, "idempotency_claim", None)
    if earlier is not None:
        # This request is being run again after its database connection was lost (the error
        # middleware does that once), perhaps before its first run could release its key: the
        # first run's uncompleted claim is released, so that this run can claim the key.
        _release(earlier)
    claimed = _claim(user, key, digest)
    if isinstance(claimed, Replay):
        return claimed.status, claimed.body
    request.idempotency_claim = claimed

    def work_and_complete() -> tuple[int, Any]:
        status, body = work()
        updated = IdempotencyRecord.objects.filter(pk=claimed.pk, lease=claimed.lease).update(
            completed_at=timezone.now(), status_code=status, response_body=body
        )
        if updated != 1:
            raise LeaseLostError("idempotency lease lost")
        return status, body

    try:
        status, body = _atomic_retrying(work_and_complete)
    except ApiError as exc:
        # A refused request stores nothing: release the key so a corrected retry can use it.
        _release(claimed)
        raise exc
    except LeaseLostError as exc:
        raise ApiError(409, "This request was superseded by a retry with the same key.") from exc
    except Exception:
        _release(claimed)
        raise
    return status, body


# How many times a request's transaction is run again after a unique conflict.
CONFLICT_RETRIES = 2


def _atomic_retrying(work: Callable[[], T]) -> T:
    """`work` in one transaction, run again (at most CONFLICT_RETRIES times) when it fails on a
    unique constraint: without a lock held across requests, two requests can both find a value
    new (the same phone number named on two referrals a moment apart) and both insert it; the
    second's transaction is rolled back whole, and run again it finds the first's row. A
    conflict that persists is raised as before."""
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            with transaction.atomic():
                return work()
        except IntegrityError:
            if attempt == CONFLICT_RETRIES:
                raise
            # The constraint's message holds the value (a phone number): not logged.
            logger.warning(
                "request transaction run again after a unique conflict (%d)", attempt + 1
            )
    raise AssertionError("unreachable")


def _release(claimed: IdempotencyRecord) -> None:
    """Give up a claim this request still holds (same lease) and never completed. Its own
    transaction (a savepoint inside another), so a failed release spoils nothing else."""
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            pk=claimed.pk, lease=claimed.lease, completed_at__isnull=True
        ).delete()


def idempotency_purge(*, older_than: dt.timedelta = dt.timedelta(hours=48)) -> int:
    """Keys are kept at least 24 hours; the worker purges those older than two days."""
    deleted, _ = IdempotencyRecord.objects.filter(
        claimed_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
