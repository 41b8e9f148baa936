"""Partner-event patterns (P6, P7, P8, P10, P11): the events app's own detectors
(`sightline.events.detectors`), wrapped, not rewritten. The events app raises them live when an
event arrives (and its sweep raises P7 and overdue return interviews); here they are replayed
over each child's history, arrival by arrival, so a retrospective run lists them with the date
each could first have been seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.utils import timezone

from sightline.core.calendar import default_calendar
from sightline.events.detectors import Finding, detect
from sightline.reviews.detectors.base import Detector, Evidence, Hit, day
from sightline.reviews.detectors.history import History

# The events app's detector names, by pattern.
PATTERN_OF: dict[str, str] = {
    "repeat_missing": "P6",
    "missing_screened_child": "P6",
    "return_interview_overdue": "P6",
    "found_with_unlinked": "P7",
    "victim_as_offender": "P8",
    "under13_sexual_health": "P10",
    "under16_sexual_health": "P10",
    "accumulating_concerns": "P11",
}
OPEN_INTERVIEW = frozenset({"due", "offered", "accepted"})


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def replay(h: History) -> list[tuple[Finding, dt.datetime]]:
    """Every finding the events detectors made, or would have made, as each event arrived."""
    if h.picture is None:
        return []
    out: list[tuple[Finding, dt.datetime]] = []
    seen: set[str] = set()
    happenings = sorted(h.picture.happenings, key=lambda x: x.at)
    for i, new in enumerate(happenings):
        if new.source != "event":
            continue
        upto = replace(h.picture, happenings=happenings[: i + 1])
        for finding in detect(upto, new):
            if finding.key not in seen:
                seen.add(finding.key)
                out.append((finding, new.at))
    return out


def _from_findings(code: str) -> Callable[[History, dict[str, Any]], list[Hit]]:
    def rule(h: History, p: dict[str, Any]) -> list[Hit]:
        hits = []
        for finding, at in replay(h):
            if PATTERN_OF.get(finding.detector) != code:
                continue
            evidence = tuple(
                Evidence(e.get("kind", "event"), e["reference"], e.get("agency", ""),
                         dt.date.fromisoformat(str(e.get("on", at.isoformat()))[:10]))
                for e in finding.evidence
            )  # fmt: skip
            hits.append(Hit(code, h.child_id, h.child_ref, _local(at), finding.summary, evidence))
        return hits

    return rule


_p6_replay = _from_findings("P6")


def missing(h: History, p: dict[str, Any]) -> list[Hit]:
    """P6: the events detectors' repeat-missing and screened-child findings, and any episode
    whose return interview was not done within 72 hours."""
    hits = _p6_replay(h, p)
    now = timezone.now()
    for e in h.episodes:
        due = e["interview_due_at"]
        if due is None or due > now or e["interview_status"] not in OPEN_INTERVIEW:
            continue
        hits.append(Hit(
            "P6", h.child_id, h.child_ref, _local(due),
            f"{h.child_ref}: no return interview within 72 hours of the return "
            f"({e['event__reference']})",
            (Evidence("missing_episode", e["event__reference"], e["event__agency__code"],
                      day(e["started_at"])),),
        ))  # fmt: skip
    return hits


def found_with_adults(h: History, p: dict[str, Any]) -> list[Hit]:
    """P7: found with adults during a missing episode, and N working days after the return no
    adult named from that episode is linked to any other record."""
    calendar = default_calendar()
    shared = {n.entity_id for n in h.shared}
    hits = []
    for e in h.episodes:
        if not e["is_found_with_adults"] or e["returned_at"] is None:
            continue
        by = calendar.add_working_days(e["returned_at"], int(p["working_days"]))
        if by > timezone.now():
            continue
        named = [n for n in h.namings if n.source_ref == e["event__reference"]]
        if any(n.entity_id in shared for n in named):
            continue
        hits.append(Hit(
            "P7", h.child_id, h.child_ref, _local(by),
            f"{h.child_ref} was found with adults ({e['event__reference']}); "
            + ("none is linked to a person of concern" if named else "no adult was recorded"),
            (Evidence("missing_episode", e["event__reference"], e["event__agency__code"],
                      day(e["started_at"])),),
        ))  # fmt: skip
    return hits


EVENTS = "Raised live by the events app when the event arrives (its alerts list)."

DETECTORS = [
    Detector(
        "P6", "Repeat missing, or no return interview",
        "A third missing episode in 90 days, any episode of a child screened medium or high, "
        "or an episode with no return interview within 72 hours of the return.",
        "Offer an independent return interview; screen for CSE if none is current; consider a "
        "strategy discussion.",
        "Episodes the police did not share; the screening level as it was on each date (the "
        "current one is used); the interview's state as it was then. " + EVENTS,
        {}, missing, raised_by="events", group="partner events",
    ),
    Detector(
        "P7", "Found with an adult not recorded",
        "A child found with adults during a missing episode and, N working days after the "
        "return, no adult from that episode linked to a person of concern.",
        "Record the adults as persons of concern and share the intelligence with the police.",
        "Adults described but not named; the link decisions as they were on each date. "
        + EVENTS,
        {"working_days": 5}, found_with_adults, raised_by="events (sweep)",
        group="partner events",
    ),
    Detector(
        "P8", "Victim treated as offender",
        "A child arrested or charged while exploitation indicators are open.",
        "Review the child as a possible victim; consider the section 45 defence and a strategy "
        "discussion.",
        "Charging decisions and outcomes from the courts; the screening level as it was then. "
        + EVENTS,
        {}, _from_findings("P8"), raised_by="events", group="partner events",
    ),
    Detector(
        "P10", "Under-16 sexual health, no referral",
        "An under-16 sexual-health attendance (STI, pregnancy, termination, emergency "
        "contraception) with no referral within 30 days, or any under-13 attendance.",
        "Refer to children's social care; consider a strategy discussion.",
        "Attendances not shared by health; GP consultations. " + EVENTS,
        {}, _from_findings("P10"), raised_by="events", group="partner events",
    ),
    Detector(
        "P11", "Low-level concerns accumulating",
        "Two or more concerns from different agencies in 7 days, or five in 90 days, with no "
        "open referral above information and advice.",
        "Bring the concerns together: a multi-agency discussion and a referral.",
        "Concerns recorded in agencies' own systems and never shared. " + EVENTS,
        {}, _from_findings("P11"), raised_by="events", group="partner events",
    ),
]  # fmt: skip
