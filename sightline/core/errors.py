"""The domain's error classes. Every app's errors subclass one of these four, and each is
mapped once to its HTTP status: for the API in `sightline.api.api`, for pages in
`sightline.site.middleware`. Handlers and views do not translate them one by one."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A refusal the user can act on. `detail` is what they are told (a sentence, or a list
    or mapping of field errors); it never holds a child's name or date of birth."""

    status: ClassVar[int] = 400

    def __init__(self, detail: Any = "", *, audited: bool = False) -> None:
        self.detail = detail
        # True when the refusal has already written its own access_denied audit row (the
        # central handlers record every other 404 as one).
        self.audited = audited
        super().__init__(detail if isinstance(detail, str) else str(detail))


class Invalid(DomainError):
    """The input breaks a rule of the domain: 422."""

    status = 422


class Conflict(DomainError):
    """The record is not in a state that allows this step: 409."""

    status = 409


class NotPermitted(DomainError):
    """The user may see the record but not take this step: 403."""

    status = 403


class NotFound(DomainError):
    """No such record, or none the user may see (the two answer alike): 404."""

    status = 404


class TransitionNotAllowed(Conflict):
    """A state machine's guard refused a transition its allowed-transitions map lacks."""


class ApiError(DomainError):
    """Raised by an API handler while parsing or authorising, with an explicit status."""

    def __init__(self, status: int, detail: Any, *, audited: bool = False) -> None:
        super().__init__(detail, audited=audited)
        self.status = status  # type: ignore[misc]
