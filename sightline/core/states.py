"""The one guard every state machine's transition services call."""

from __future__ import annotations

from collections.abc import Mapping, Set

from sightline.core.errors import TransitionNotAllowed


def guard(table: Mapping[str, Set[str]], what: str, current: str, target: str) -> None:
    """Refuse a move that `table` (current state -> allowed next states) does not allow."""
    if target not in table.get(current, set()):
        raise TransitionNotAllowed(f"A {what} cannot move from {current} to {target}.")
