"""Random (version 4) UUIDs for writes of many rows: `uuid.uuid4()` asks the kernel for 16
random bytes each time, a system call that cost an import of 100,000 events about 9 s of its
CPU for some 770,000 keys (ADR 0910). `random_uuid` takes them from the same source
(`os.urandom`) 4 KiB at a time. Each thread has its own buffer, and a forked process (a
pre-forking server's worker) starts with an empty one, so no two processes or threads ever
hand out the same bytes."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

_PER_READ = 256  # keys per read of the kernel's random bytes

_threads = [threading.local()]  # replaced in a forked child


def _fresh() -> Iterator[uuid.UUID]:
    data = os.urandom(16 * _PER_READ)
    for start in range(0, len(data), 16):
        yield uuid.UUID(bytes=data[start : start + 16], version=4)


def random_uuid() -> uuid.UUID:
    """What `uuid.uuid4()` returns (version 4, variant RFC 4122, from `os.urandom`)."""
    local = _threads[0]
    ids: Iterator[uuid.UUID] | None = getattr(local, "ids", None)
    if ids is not None:
        try:
            return next(ids)
        except StopIteration:
            pass
    ids = local.ids = _fresh()
    return next(ids)


def _forgotten_in_child() -> None:
    _threads[0] = threading.local()


os.register_at_fork(after_in_child=_forgotten_in_child)
