"""CSV limits for partner events (larger files than workforce: an export of a year's events);
the reading and safe writing are in `sightline.core.csvio`."""

from __future__ import annotations

from collections.abc import Sequence

from sightline.core import csvio
from sightline.core.csvio import (
    FileUnreadable,
    RowError,
    csv_safe,
    csv_write,
    looks_like_formula,
)

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 250_000

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "FileUnreadable",
    "RowError",
    "csv_read",
    "csv_safe",
    "csv_write",
    "looks_like_formula",
]


def csv_read(
    data: bytes, *, required: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """`sightline.core.csvio.csv_read` with this app's limits."""
    return csvio.csv_read(
        data, required=required, optional=optional, max_bytes=MAX_BYTES, max_rows=MAX_ROWS
    )
