"""The shared CSV reader: each app's limits are its arguments; formula cells go out escaped."""

from __future__ import annotations

import pytest

from sightline.core.csvio import FileUnreadable, csv_read, csv_write
from sightline.events import csvio as events_csvio
from sightline.workforce import csvio as workforce_csvio


def test_rows_past_the_callers_limit_are_refused() -> None:
    data = b"a,b\n1,2\n3,4\n5,6\n"
    assert len(csv_read(data, required=["a"], max_bytes=1000, max_rows=3)) == 3
    with pytest.raises(FileUnreadable, match="more than 2 rows"):
        csv_read(data, required=["a"], max_bytes=1000, max_rows=2)


def test_a_file_over_the_callers_size_is_refused() -> None:
    with pytest.raises(FileUnreadable, match="larger than 1 MB"):
        csv_read(b"a\n" + b"x" * (1024 * 1024), required=["a"], max_bytes=1024 * 1024, max_rows=9)


def test_bom_windows_endings_and_header_case_are_read() -> None:
    rows = csv_read(
        "\ufeff A ,B\r\nx,y\r\n".encode(), required=["a", "b"], max_bytes=100, max_rows=5
    )
    assert rows == [(2, {"a": "x", "b": "y"})]


def test_each_app_keeps_its_own_limits_over_the_one_reader() -> None:
    assert events_csvio.MAX_ROWS > workforce_csvio.MAX_ROWS
    assert events_csvio.MAX_BYTES > workforce_csvio.MAX_BYTES
    assert events_csvio.csv_write is workforce_csvio.csv_write is csv_write
    assert csv_write([["=HYPERLINK(1)"]]) == "'=HYPERLINK(1)\r\n"
