"""The detectors (practice reference §7.3): named rules over one child's picture, each a pure
function of it, so that one event's arrival and a whole import ask the same questions of the
same facts. Thresholds are the partnership's settings (`SIGHTLINE_EVENT_DETECTORS`), with the
defaults below.

- repeat_missing (P6): a third missing episode within 90 days; asks for a CSE screening when
  none is current.
- missing_screened_child (P6): any missing episode of a child whose current screening is
  medium or high goes to the allocated worker at once.
- victim_as_offender (P8): the child arrested or charged while exploitation indicators are
  open (a current screening above none, or an exploitation concern referred in 12 months).
- under13_sexual_health (P10): a child under 13 at any sexual-health attendance, at once.
- under16_sexual_health (P10): an under-16 sexual-health attendance (STI, pregnancy,
  termination, emergency contraception) with no referral for the child in the past 30 days.
- accumulating_concerns (P11): two or more events or referrals from different agencies in
  7 days, or five or more in 90 days, with no open referral above information and advice.
- found_with_unlinked (P7) is time-based and lives in the sweep (services.sweep).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from sightline.events.choices import (
    AttendanceType,
    Detector,
    EventKind,
    IncidentType,
    SexualHealthReason,
)

DEFAULTS: dict[str, int] = {
    "repeat_missing_episodes": 3,
    "repeat_missing_days": 90,
    "screening_current_days": 92,
    "found_with_working_days": 5,
    "indicators_referral_days": 365,
    "under16_age": 16,
    "under13_age": 13,
    "under16_referral_days": 30,
    "accumulating_agencies": 2,
    "accumulating_agencies_days": 7,
    "accumulating_count": 5,
    "accumulating_count_days": 90,
    "open_referral_days": 183,
}
EXPLOITATION = frozenset({"sexual_exploitation", "criminal_exploitation"})
ABOVE_ADVICE = frozenset(
    {"early_help", "assessment", "strategy_discussion", "specialist_cse_team", "other_agency"}
)
SEXUAL_HEALTH_SERIOUS = frozenset(
    {
        SexualHealthReason.STI_TEST,
        SexualHealthReason.STI_DIAGNOSIS,
        SexualHealthReason.PREGNANCY,
        SexualHealthReason.TERMINATION,
        SexualHealthReason.EMERGENCY_CONTRACEPTION,
    }
)


def threshold(name: str) -> int:
    configured: dict[str, Any] = getattr(settings, "SIGHTLINE_EVENT_DETECTORS", {}) or {}
    return int(configured.get(name, DEFAULTS[name]))


@dataclass(frozen=True)
class Happening:
    """An event or a referral, as the detectors see it."""

    id: uuid.UUID
    reference: str
    source: str  # "event" or "referral"
    kind: str  # the event kind, or "referral"
    code: str
    agency: str
    at: dt.datetime
    fields: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    outcome: str = ""  # a referral's decision outcome ("" while undecided)
    categories: frozenset[str] = frozenset()


@dataclass
class Picture:
    """What the detectors know of one child."""

    child_id: uuid.UUID
    child_ref: str
    date_of_birth: dt.date | None
    happenings: list[Happening]
    screening_level: str = ""  # the current screening's level, "" if none current
    screening_at: dt.datetime | None = None

    def age_on(self, day: dt.date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def of(self, kind: str) -> list[Happening]:
        return [h for h in self.happenings if h.kind == kind]


@dataclass(frozen=True)
class Finding:
    detector: str
    key: str
    child_id: uuid.UUID
    event_id: uuid.UUID | None
    summary: str
    evidence: list[dict[str, Any]]
    asks: str = ""
    urgent: bool = False


def _ev(h: Happening) -> dict[str, Any]:
    return {"reference": h.reference, "kind": h.kind, "agency": h.agency, "on": h.at.isoformat()}


def screening_current(p: Picture, at: dt.datetime) -> bool:
    return p.screening_at is not None and at - p.screening_at <= dt.timedelta(
        days=threshold("screening_current_days")
    )


def repeat_missing(p: Picture, new: Happening) -> list[Finding]:
    if new.kind != EventKind.MISSING_EPISODE:
        return []
    span = dt.timedelta(days=threshold("repeat_missing_days"))
    window = [h for h in p.of(EventKind.MISSING_EPISODE) if new.at - span <= h.at <= new.at]
    if len(window) < threshold("repeat_missing_episodes"):
        return []
    asks = "" if screening_current(p, new.at) else "cse_screening"
    return [
        Finding(
            Detector.REPEAT_MISSING,
            f"repeat_missing:{new.id}",
            p.child_id,
            new.id,
            f"{p.child_ref}: {len(window)} missing episodes in {span.days} days"
            + ("; a CSE screening is asked for (none current)" if asks else ""),
            [_ev(h) for h in window],
            asks=asks,
        )
    ]


def missing_screened_child(p: Picture, new: Happening) -> list[Finding]:
    if new.kind != EventKind.MISSING_EPISODE or p.screening_level not in ("medium", "high"):
        return []
    return [
        Finding(
            Detector.MISSING_SCREENED_CHILD,
            f"missing_screened:{new.id}",
            p.child_id,
            new.id,
            f"{p.child_ref} (screened {p.screening_level}) is reported missing",
            [_ev(new)],
            urgent=True,
        )
    ]


def indicators_open(p: Picture, at: dt.datetime) -> bool:
    if p.screening_level in ("low", "medium", "high"):
        return True
    span = dt.timedelta(days=threshold("indicators_referral_days"))
    return any(
        h.source == "referral" and h.categories & EXPLOITATION and at - span <= h.at <= at
        for h in p.happenings
    )


def victim_as_offender(p: Picture, new: Happening) -> list[Finding]:
    if new.kind != EventKind.POLICE_INCIDENT or new.code not in (
        IncidentType.ARRESTED,
        IncidentType.CHARGED,
    ):
        return []
    if not indicators_open(p, new.at):
        return []
    offence = str(new.fields.get("offence") or "an offence")
    return [
        Finding(
            Detector.VICTIM_AS_OFFENDER,
            f"victim_as_offender:{new.id}",
            p.child_id,
            new.id,
            f"{p.child_ref} {new.code} ({offence[:80]}) while exploitation indicators are open",
            [_ev(new)],
            urgent=True,
        )
    ]


def sexual_health(p: Picture, new: Happening) -> list[Finding]:
    if new.kind != EventKind.HEALTH_ATTENDANCE or new.code != AttendanceType.SEXUAL_HEALTH:
        return []
    age = p.age_on(new.at.date())
    if age is None:
        return []
    if age < threshold("under13_age"):
        return [
            Finding(
                Detector.UNDER13_SEXUAL_HEALTH,
                f"under13:{new.id}",
                p.child_id,
                new.id,
                f"{p.child_ref}, aged {age}, attended a sexual-health service",
                [_ev(new)],
                urgent=True,
            )
        ]
    reasons = set(new.fields.get("reasons") or ())
    if age >= threshold("under16_age") or not reasons & SEXUAL_HEALTH_SERIOUS:
        return []
    span = dt.timedelta(days=threshold("under16_referral_days"))
    if any(h.source == "referral" and new.at - span <= h.at <= new.at + span for h in p.happenings):
        return []
    return [
        Finding(
            Detector.UNDER16_SEXUAL_HEALTH,
            f"under16:{new.id}",
            p.child_id,
            new.id,
            f"{p.child_ref}, aged {age}, sexual-health attendance ("
            + ", ".join(sorted(reasons))
            + f") with no referral in {span.days} days",
            [_ev(new)],
        )
    ]


def open_referral_above_advice(p: Picture, at: dt.datetime) -> bool:
    span = dt.timedelta(days=threshold("open_referral_days"))
    return any(
        h.source == "referral" and h.outcome in ABOVE_ADVICE and at - span <= h.at <= at
        for h in p.happenings
    )


def accumulating_concerns(p: Picture, new: Happening) -> list[Finding]:
    if open_referral_above_advice(p, new.at):
        return []
    short = dt.timedelta(days=threshold("accumulating_agencies_days"))
    long = dt.timedelta(days=threshold("accumulating_count_days"))
    recent = [h for h in p.happenings if new.at - short <= h.at <= new.at]
    agencies = {h.agency for h in recent}
    if len(agencies) >= threshold("accumulating_agencies") and len(recent) >= 2:
        window, why = recent, f"{len(agencies)} agencies in {short.days} days"
    else:
        window = [h for h in p.happenings if new.at - long <= h.at <= new.at]
        if len(window) < threshold("accumulating_count"):
            return []
        why = f"{len(window)} events or referrals in {long.days} days"
    # One alert per child per window start: a growing cluster does not raise again each time.
    first = min(h.at for h in window)
    return [
        Finding(
            Detector.ACCUMULATING_CONCERNS,
            f"accumulating:{p.child_id}:{first.date().isoformat()}",
            p.child_id,
            new.id if new.source == "event" else None,
            f"{p.child_ref}: concerns accumulating ({why}) with no open referral above "
            "information and advice",
            [_ev(h) for h in sorted(window, key=lambda h: h.at)],
        )
    ]


DETECTORS = (
    repeat_missing,
    missing_screened_child,
    victim_as_offender,
    sexual_health,
    accumulating_concerns,
)


def detect(p: Picture, new: Happening) -> list[Finding]:
    """Every finding the arrival of `new` (already in the picture) makes."""
    found: list[Finding] = []
    for detector in DETECTORS:
        found += detector(p, new)
    return found
