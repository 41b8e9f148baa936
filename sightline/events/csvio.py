"""Reading partner systems' CSV files and writing CSV safely (as workforce.csvio, which an
app below workforce cannot import; larger files: an export of a year's events).

Reading: UTF-8 with or without a byte-order mark, Windows or Unix line endings, header names
matched case-insensitively with surrounding spaces ignored. Writing: every cell that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) is
written with a leading apostrophe, so `=HYPERLINK(...)` from an import never goes back out
as a live formula (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 250_000


@dataclass(frozen=True)
class RowError:
    """One problem in an import: the file's line number (the header is line 1), the column
    it is in ("" for the whole row or file) and what is wrong, in words."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileUnreadable(ValueError):
    """The file as a whole cannot be read as the expected CSV."""


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if looks_like_formula(text) else text


def csv_write(rows: Iterable[Sequence[object]]) -> str:
    """CSV text (Windows line endings, as spreadsheets expect) with every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()


def csv_read(
    data: bytes, *, required: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped value}) for each non-blank data row. Raises
    FileUnreadable for an empty, oversized, non-UTF-8 file or one missing a required column."""
    if len(data) > MAX_BYTES:
        raise FileUnreadable(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable("The file is not UTF-8 text: save it as CSV UTF-8.") from exc
    if "\x00" in text:
        raise FileUnreadable("The file holds NUL characters: it is not a CSV text file.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FileUnreadable("The file is empty.") from exc
    except csv.Error as exc:
        raise FileUnreadable(f"The header line cannot be read: {exc}.") from exc
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise FileUnreadable("Missing column(s): " + ", ".join(missing) + ".")
    known = set(required) | set(optional)
    index = {name: i for i, name in enumerate(names) if name in known}
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileUnreadable(f"The file has more than {MAX_ROWS} rows: split it.")
            values = {
                name: (record[i].strip() if i < len(record) else "") for name, i in index.items()
            }
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise FileUnreadable(f"Line {reader.line_num} cannot be read: {exc}.") from exc
    return rows
