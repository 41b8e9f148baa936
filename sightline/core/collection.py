"""`few_collections()`: Python's cyclic garbage collector held back for a bulk write.

With the default thresholds (700, 10, 10) the collector runs every 700 net allocations of
container objects, and every so often scans every tracked object the process holds. A bulk
import keeps hundreds of thousands of long-lived objects (the parsed rows, the children's
index, the intelligence picture) and allocates millions of short-lived ones (rows, values,
model instances), so the collector ran 17,249 times importing 100,000 events and took 26.7 of
the import's 76.8 CPU seconds re-scanning objects that were all still in use (ADR 0910).
Nearly none of a bulk write's garbage is cyclic: reference counting frees it.

Inside the block the objects that exist when it starts are frozen (`gc.freeze()`: moved to a
generation the collector never scans) and the thresholds are raised, so collections still
happen (cyclic garbage is still freed) but about every 100,000 allocations, with the oldest
generation scanned rarely. On leaving, the thresholds are put back and the frozen objects
return to the oldest generation. Re-entrant: an inner block changes nothing. Process-wide,
as the collector is: in a threaded server another thread's requests see the same
thresholds for the block's duration, which changes their speed, not their results."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (100_000, 50, 1_000)

_lock = threading.Lock()
_depth = [0]


@contextmanager
def few_collections() -> Iterator[None]:
    with _lock:
        _depth[0] += 1
        outermost = _depth[0] == 1
        if outermost:
            saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        with _lock:
            _depth[0] -= 1
            if outermost:
                gc.set_threshold(*saved)
                gc.unfreeze()
