"""The missed-opportunity detectors (practice reference §7.3, P1 to P22): a registry of named
rules over each child's history, one module per group of patterns.

- `front_door`: P1, P2, P3, P12, P17, P20, P21
- `network`: P4, P5, P19 (intel raises P4 and P5 live)
- `partner_events`: P6, P7, P8, P10, P11 (the events app's detectors, wrapped)
- `casework`: P13 (escalation raises it live), P14, P15, P16, P18
- `practice`: P9, P22 (the reviews app flags P22 itself)

`hits_for(histories, start, end)` lists every hit whose `first_visible_on` falls in the period;
the services raise the live ones and record retrospective runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from sightline.reviews.detectors import casework, front_door, network, partner_events, practice
from sightline.reviews.detectors.base import Detector, Evidence, Hit, params
from sightline.reviews.detectors.history import History, histories_for

_ALL = [
    *front_door.DETECTORS,
    *network.DETECTORS,
    *partner_events.DETECTORS,
    *casework.DETECTORS,
    *practice.DETECTORS,
]
DETECTORS: dict[str, Detector] = {
    d.code: d for d in sorted(_ALL, key=lambda d: int(re.sub(r"\D", "", d.code)))
}
TRIGGERS = frozenset({"intake", "decide", "screen", "event", "sweep"})


def detector_get(code: str) -> Detector | None:
    return DETECTORS.get(code.upper())


def hits_for(
    histories: Iterable[History],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    codes: Iterable[str] | None = None,
) -> list[Hit]:
    """Every hit visible in [start, end], in date order; a hit whose first day is after `end`
    could not have been seen then and is not listed."""
    chosen = [DETECTORS[c] for c in codes] if codes is not None else list(DETECTORS.values())
    out: list[Hit] = []
    for history in histories:
        for detector in chosen:
            for hit in detector.run(history):
                if start is not None and hit.first_visible_on < start:
                    continue
                if end is not None and hit.first_visible_on > end:
                    continue
                out.append(hit)
    out.sort(key=lambda h: (h.first_visible_on, h.child_ref, h.pattern))
    return out


def live_codes(trigger: str) -> list[str]:
    """The detectors this write raises itself (not those another app raises live)."""
    return [d.code for d in DETECTORS.values() if trigger in d.live_on and not d.raised_by]


__all__ = [
    "DETECTORS",
    "TRIGGERS",
    "Detector",
    "Evidence",
    "History",
    "Hit",
    "detector_get",
    "histories_for",
    "hits_for",
    "live_codes",
    "params",
]
