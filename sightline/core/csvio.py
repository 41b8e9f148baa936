"""Reading partner systems' CSV files and writing CSV safely, shared by every app that imports
or exports CSV (events, workforce); each app passes its own size and row limits.

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


def _text_of(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise FileUnreadable(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileUnreadable("The file is not UTF-8 text: save it as CSV UTF-8.") from exc
    if "\x00" in text:
        raise FileUnreadable("The file holds NUL characters: it is not a CSV text file.")
    return text


def csv_read(
    data: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int,
    max_rows: int,
) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped value}) for each non-blank data row. Raises
    FileUnreadable for an empty file, one over `max_bytes` or `max_rows`, one not UTF-8, or
    one missing a required column."""
    reader = csv.reader(io.StringIO(_text_of(data, max_bytes), newline=""))
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
            if len(rows) >= max_rows:
                raise FileUnreadable(f"The file has more than {max_rows} rows: split it.")
            values = {
                name: (record[i].strip() if i < len(record) else "") for name, i in index.items()
            }
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise FileUnreadable(f"Line {reader.line_num} cannot be read: {exc}.") from exc
    return rows
