"""Rate limits: django-ratelimit's counters, kept in the shared cache (ADR 0007).

A rate is django-ratelimit's notation, `COUNT/PERIOD` (`1200/m`, `20/15m`, `10/h`). Counters
live in fixed windows of the cache named by RATELIMIT_USE_CACHE, so every worker process
counts against the same total. A refusal carries how many seconds remain in the window, for
the `Retry-After` header."""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import get_usage

TOO_MANY = "Too many requests. Wait before trying again."


class ThrottledError(Exception):
    """Past a rate limit: answer 429 with `Retry-After: retry_after`."""

    def __init__(self, retry_after: int, detail: str = TOO_MANY) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


def throttle(request: HttpRequest, *, group: str, key: str, rate: str, count: bool = True) -> None:
    """Raise ThrottledError when `key` in `group` is past `rate`.

    With `count` (the default) this request is counted first, so the request that goes past
    the limit is the first refused. Without it the counter is only read, and the key is
    refused once it has reached the limit: for limits on failures, counted afterwards by
    `throttle_count`."""
    usage = get_usage(
        request, group=group, key=lambda _group, _request: key, rate=rate, increment=count
    )
    if usage is None:  # rate limits disabled, or the cache is down and we fail open
        return
    past = usage["count"] > usage["limit"] if count else usage["count"] >= usage["limit"]
    if past:
        raise ThrottledError(retry_after=max(1, int(usage["time_left"])))


def throttle_count(request: HttpRequest, *, group: str, key: str, rate: str) -> None:
    """Count one event (a failed sign-in) against `rate` without refusing anything."""
    get_usage(request, group=group, key=lambda _group, _request: key, rate=rate, increment=True)
