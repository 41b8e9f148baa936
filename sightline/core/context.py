"""Per-request context (request id, client address) for the audit trail and logs."""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    channel: str  # "web", "api", "command", "worker"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "sightline_request_context", default=None
)


def current_context() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=f"cmd-{uuid.uuid4()}", ip_address=None, channel="command")
    return ctx


def set_context(ctx: RequestContext | None) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def reset_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
