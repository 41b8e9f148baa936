from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised by handlers to answer `{"detail": ...}` with a 4xx status."""

    def __init__(self, status: int, detail: Any) -> None:
        self.status = status
        self.detail = detail
        super().__init__(str(detail))
