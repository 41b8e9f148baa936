"""Ground for every router: the base schema for request bodies and the error answer."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import model_validator

NUL_MESSAGE = "Text must not contain NUL (\\u0000) characters."


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class InputSchema(Schema):
    """A request body. Refuses text holding a NUL character anywhere in it (PostgreSQL text
    cannot store one, and no form or partner system has a reason to send it): 422, not 500."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        # ninja hands validators its DjangoGetter wrapper; look at what it wraps.
        if _has_nul(getattr(data, "_obj", data)):
            raise ValueError(NUL_MESSAGE)
        return data


class Detail(Schema):
    """Every error answer: `{"detail": ...}`."""

    detail: Any
