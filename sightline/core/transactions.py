"""Services that run inside a caller's transaction: they assert one is open rather than open
a nested `transaction.atomic`, which would cost a savepoint (two statements) per call. The
caller (a workflow, or a service that opens the one transaction) keeps the guarantee: if
anything fails, everything it wrote is rolled back together."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")


class TransactionRequiredError(RuntimeError):
    """A service that writes inside its caller's transaction was called outside one."""


def require_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequiredError(f"{what} must run inside the caller's transaction")


def in_callers_transaction(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service that is one step of a larger transaction (a workflow's, or its
    caller's): it refuses to run outside one, and opens no savepoint of its own."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        require_transaction(func.__qualname__)
        return func(*args, **kwargs)

    return wrapper


def without_savepoint(func: Callable[P, R]) -> Callable[P, R]:
    """The body of a function decorated with `@transaction.atomic` (a workflow), to run in a
    transaction its caller holds and rolls back whole or not at all: the same writes, without
    the savepoint (two statements) the decorator opens when it is nested. For a loader that
    records thousands of steps in one transaction and never recovers from a failed one
    (ADR 0912). Refuses to run outside a transaction, as `in_callers_transaction` does."""
    body = getattr(func, "__wrapped__", None)
    if body is None:
        raise TypeError(f"{func.__qualname__} is not a function decorated with atomic")
    return in_callers_transaction(body)
