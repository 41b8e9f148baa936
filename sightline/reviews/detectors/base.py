"""What every detector is: a named rule (practice reference §7.3) over one child's history,
with its parameters in one place, a description, the suggested action and what it cannot see.

A detector is a pure function `rule(history, params) -> list[Hit]`: each hit carries the date it
could first have been seen (`first_visible_on`) and only the facts dated on or before it, so
one pass over a child's whole history answers "as of each date" (a hit is listed for a period
when its `first_visible_on` falls in it, and a run that ends earlier never sees it).

Parameters: `DEFAULTS` in each module, overridden by the partnership's settings
`SIGHTLINE_DETECTORS = {"P1": {"months": 12}, ...}` (see `params`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from sightline.reviews.detectors.history import History

EXPLOITATION = frozenset({"sexual_exploitation", "criminal_exploitation"})
SEXUAL = frozenset({"sexual_exploitation", "sexual_abuse"})
CLOSED = frozenset({"no_further_action", "information_and_advice"})
RAISED_LEVELS = frozenset({"medium", "high"})


@dataclass(frozen=True)
class Evidence:
    """One record a hit rests on: what it is, its reference, which agency holds it, when."""

    type: str
    reference: str
    agency: str
    on: dt.date

    def as_dict(self) -> dict[str, str]:
        return {
            "type": self.type,
            "reference": self.reference,
            "agency": self.agency,
            "on": self.on.isoformat(),
        }


@dataclass(frozen=True)
class Hit:
    pattern: str
    child_id: uuid.UUID
    child_ref: str
    first_visible_on: dt.date
    summary: str
    evidence: tuple[Evidence, ...]

    @property
    def agencies(self) -> list[str]:
        return sorted({e.agency for e in self.evidence if e.agency})

    @property
    def key(self) -> str:
        """Once per pattern per child per evidence set."""
        refs = ",".join(sorted({f"{e.type}:{e.reference}" for e in self.evidence}))
        digest = hashlib.sha256(refs.encode()).hexdigest()[:24]
        return f"{self.pattern}:{self.child_id}:{digest}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "child": self.child_ref,
            "child_id": str(self.child_id),
            "first_visible_on": self.first_visible_on.isoformat(),
            "summary": self.summary,
            "evidence": [e.as_dict() for e in self.evidence],
            "agencies": self.agencies,
        }


Rule = Callable[["History", dict[str, Any]], list[Hit]]


@dataclass(frozen=True)
class Detector:
    code: str  # "P1" .. "P22"
    name: str
    description: str
    action: str  # the suggested action
    cannot_see: str
    defaults: dict[str, Any]
    rule: Rule
    # Which writes can trigger it live ("intake", "decide", "screen", "event", "sweep"); a
    # detector another app already raises live names that app in `raised_by` instead.
    live_on: frozenset[str] = frozenset()
    raised_by: str = ""
    group: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # The parts of the history the rule reads besides the referrals (history.PARTS); None
    # for all of them. A live check reads only what its detectors need.
    needs: frozenset[str] | None = None
    # One of `needs` without which the rule never hits (P9: no flag, no hit; history.GATES): a
    # live check reads the rule's other parts only for the children in which it is not empty.
    gate: str = ""

    def params(self) -> dict[str, Any]:
        return params(self.code, self.defaults)

    def run(self, history: History) -> list[Hit]:
        return self.rule(history, self.params())


def params(code: str, defaults: dict[str, Any]) -> dict[str, Any]:
    configured: dict[str, Any] = getattr(settings, "SIGHTLINE_DETECTORS", {}) or {}
    return {**defaults, **(configured.get(code) or {})}


def day(at: dt.datetime | dt.date) -> dt.date:
    return at.date() if isinstance(at, dt.datetime) else at
