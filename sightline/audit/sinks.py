"""Where sealed checkpoints are copied outside the database, so that someone who can rewrite
the audit tables (and their checkpoints) still cannot rewrite history unnoticed.

A sink is anything with `append(records)` and `read()`. The default, FileCheckpointSink,
appends one JSON line per checkpoint to `<SIGHTLINE_AUDIT_CHECKPOINT_DIR>/checkpoints.jsonl`
and fsyncs it; a council that ships checkpoints elsewhere (a WORM bucket, a partner's log
service) names its own class in SIGHTLINE_AUDIT_CHECKPOINT_SINK."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

FILE_NAME = "checkpoints.jsonl"


class CheckpointSink(Protocol):
    def append(self, records: Sequence[dict[str, Any]]) -> None:
        """Store the records durably, in order, after those already stored."""

    def read(self) -> list[dict[str, Any]]:
        """Every record stored, in the order stored."""


class FileCheckpointSink:
    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / FILE_NAME

    def append(self, records: Sequence[dict[str, Any]]) -> None:
        if not records:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(
            json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n" for record in records
        )
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, lines.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]


def checkpoint_sink() -> CheckpointSink | None:
    """The configured sink, or None when no external copy is kept (the test settings, except
    in the tests that set a folder)."""
    dotted = getattr(settings, "SIGHTLINE_AUDIT_CHECKPOINT_SINK", "")
    if dotted:
        sink: CheckpointSink = import_string(dotted)()
        return sink
    directory = getattr(settings, "SIGHTLINE_AUDIT_CHECKPOINT_DIR", None)
    if not directory:
        return None
    return FileCheckpointSink(directory)
