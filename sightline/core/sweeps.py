"""The sweeps that `manage.py sweep --at` runs after the escalation sweep. An app above
escalation in the layers (the meetings app's actions and disruption register) registers its
own sweep here in its `AppConfig.ready`, so the one replay command runs every time-driven
evaluation as if at a given time without escalation importing upward (ADR 0503)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Sweep = Callable[[dt.datetime], dict[str, Any]]

_SWEEPS: dict[str, Sweep] = {}


def sweep_register(name: str, sweep: Sweep) -> None:
    _SWEEPS[name] = sweep


def sweeps_run(at: dt.datetime) -> dict[str, Any]:
    """Run every registered sweep as if at `at`; each answers what it did."""
    return {name: _SWEEPS[name](at) for name in sorted(_SWEEPS)}
