"""Casework patterns (P13, P14, P15, P16, P18), built on escalation's clocks and statutory
steps, casework's strategy discussions and initial conferences (read into the same steps),
missing episodes, education events, MACE proposals and discussions, and referrals. Each
detector says what of casework it does not read yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.core.calendar import default_calendar
from sightline.reviews.detectors.base import (
    CLOSED,
    EXPLOITATION,
    RAISED_LEVELS,
    Detector,
    Evidence,
    Hit,
    day,
)
from sightline.reviews.detectors.history import History


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def clock_breach(h: History, p: dict[str, Any]) -> list[Hit]:
    """P13: a statutory clock met late, or still open past its due time."""
    now = timezone.now()
    hits = []
    for c in h.clocks:
        if c.kind not in p["kinds"] or c.status == "stopped":
            continue
        late = c.met_at > c.due_at if c.met_at is not None else c.due_at < now
        if not late:
            continue
        hits.append(Hit(
            "P13", h.child_id, h.child_ref, _local(c.due_at),
            f"{h.child_ref}: the {c.kind.replace('_', ' ')} clock on {c.reference} passed its "
            f"due time ({_local(c.due_at).isoformat()})"
            + (f"; met {_local(c.met_at).isoformat()}" if c.met_at else "; still not met"),
            (Evidence("clock", f"{c.reference}/{c.kind}", c.agency, day(c.started_at)),),
        ))  # fmt: skip
    return hits


def s47_no_conference(h: History, p: dict[str, Any]) -> list[Hit]:
    """P14: a strategy discussion decided on section 47 and no initial conference held within
    N working days."""
    calendar = default_calendar()
    hits = []
    for s in h.steps:
        if s.kind != "strategy_discussion" or s.outcome != "section_47":
            continue
        by = calendar.add_working_days(s.happened_at, int(p["working_days"]))
        if by > timezone.now():
            continue
        if any(c.kind == "conference_held" and s.happened_at <= c.happened_at <= by
               for c in h.steps):  # fmt: skip
            continue
        hits.append(Hit(
            "P14", h.child_id, h.child_ref, _local(by),
            f"{h.child_ref}: section 47 decided on {s.reference} and no initial conference "
            f"within {p['working_days']} working days",
            (Evidence("strategy_discussion", s.reference, s.agency, day(s.happened_at)),),
        ))  # fmt: skip
    return hits


def in_care_no_mace(h: History, p: dict[str, Any]) -> list[Hit]:
    """P15: missing from a care placement, screened medium or high, and not proposed to or
    discussed at MACE within N days."""
    from_care = [e for e in h.episodes if e["missing_from"] == "care"]
    raised = [s for s in h.screenings if s.level in RAISED_LEVELS]
    if len(from_care) < int(p["episodes"]) or not raised:
        return []
    both = max(from_care[int(p["episodes"]) - 1]["started_at"], raised[0].screened_at)
    by = both + dt.timedelta(days=int(p["days"]))
    if by > timezone.now() or any(_local(both) <= m <= _local(by) for m in h.mace_on):
        return []
    if any(m <= _local(both) for m in h.mace_on):
        return []
    return [Hit(
        "P15", h.child_id, h.child_ref, _local(by),
        f"{h.child_ref}: missing from care, screened {raised[0].level}, and not taken to MACE "
        f"within {p['days']} days",
        (*(Evidence("missing_episode", e["event__reference"], e["event__agency__code"],
                    day(e["started_at"])) for e in from_care[: int(p["episodes"])]),
         Evidence("screening", raised[0].reference, raised[0].agency,
                  day(raised[0].screened_at))),
    )]  # fmt: skip


EDUCATION = frozenset({"absence", "exclusion", "missing_education", "part_time_timetable"})


def _indicators_open(h: History, at: dt.datetime, p: dict[str, Any]) -> bool:
    span = dt.timedelta(days=int(p["indicator_days"]))
    return any(
        s.level in {"low", *RAISED_LEVELS} and at - span <= s.screened_at <= at
        for s in h.screenings
    ) or any(r.categories & EXPLOITATION and at - span <= r.received_at <= at
             for r in h.referrals)  # fmt: skip


def education_signals(h: History, p: dict[str, Any]) -> list[Hit]:
    """P16: persistent absence, exclusion, missing education or a part-time timetable while
    exploitation indicators are open, and no referral within N days."""
    hits = []
    for e in h.events:
        if e.kind != "education" or e.code not in EDUCATION:
            continue
        pct = e.fields.get("attendance_percent")
        if e.code == "absence" and (pct is None or float(pct) >= float(p["absence_percent"])):
            continue
        if not _indicators_open(h, e.at, p):
            continue
        by = e.at + dt.timedelta(days=int(p["days"]))
        if by > timezone.now() or any(e.at <= r.received_at <= by for r in h.referrals):
            continue
        hits.append(Hit(
            "P16", h.child_id, h.child_ref, _local(by),
            f"{h.child_ref}: {e.code.replace('_', ' ')} ({e.reference}) while exploitation "
            f"indicators were open, and no referral within {p['days']} days",
            (Evidence("education", e.reference, e.agency, day(e.at)),),
        ))  # fmt: skip
    return hits


PARENT_CATEGORIES = frozenset({"missing", *EXPLOITATION})


def parent_report_no_action(h: History, p: dict[str, Any]) -> list[Hit]:
    """P18: a report from a family member or the public (an agency of kind "other") about the
    child going missing or being exploited, closed with no further action or advice."""
    hits = []
    for r in h.referrals:
        if r.agency_kind not in p["agency_kinds"] or not r.categories & PARENT_CATEGORIES:
            continue
        if r.outcome not in CLOSED or r.decided_at is None:
            continue
        hits.append(Hit(
            "P18", h.child_id, h.child_ref, _local(r.decided_at),
            f"{h.child_ref}: a family or public report ({r.reference}) about "
            + ", ".join(sorted(r.categories & PARENT_CATEGORIES)).replace("_", " ")
            + " was closed with no action",
            (Evidence("referral", r.reference, r.agency, day(r.received_at)),
             Evidence("decision", r.reference, "csc", day(r.decided_at))),
        ))  # fmt: skip
    return hits


CASEWORK = "Not yet read from casework: "

DETECTORS = [
    Detector(
        "P13", "Statutory clock breached",
        "A statutory clock met late or still open past its due time: referral decision "
        "(1 working day), strategy discussion, assessment (45 working days), initial conference "
        "(15 working days after the strategy discussion).",
        "The clock's owner and their manager act now; record the reason for the delay.",
        "Clocks for steps recorded outside Sightline. " + CASEWORK + "core group (10 working "
        "days) and review conference (3 months) clocks from casework's conferences and plans. "
        "Raised live by escalation (its ladder), so listed here, not raised again.",
        {"kinds": ["decision", "strategy_discussion", "assessment", "icpc"]}, clock_breach,
        raised_by="escalation (clocks and ladder)", group="casework",
    ),
    Detector(
        "P14", "Section 47 with no conference",
        "A strategy discussion decided on a section 47 enquiry and no initial child protection "
        "conference held within N working days.",
        "Record the section 47 outcome; convene the conference or record why it is not needed.",
        CASEWORK + "section 47 outcomes and 'conference not required' with its rationale "
        "(casework's section 47 record); today only escalation's statutory steps are read.",
        {"working_days": 20}, s47_no_conference, live_on=frozenset({"sweep"}),
        group="casework",
    ),
    Detector(
        "P15", "Missing from care, screened, no MACE",
        "A child missing from a care placement, screened medium or high, and not proposed to or "
        "discussed at MACE within N days.",
        "Propose the child to the next MACE meeting.",
        "Placement type (residential, out of area) and looked-after status: not modelled; "
        "'missing from care' episodes stand in. " + CASEWORK + "placements and plans.",
        {"episodes": 1, "days": 30}, in_care_no_mace, live_on=frozenset({"sweep"}),
        group="casework",
    ),
    Detector(
        "P16", "Education signals without referral",
        "Persistent absence (under 90%), exclusion, missing education or a part-time timetable "
        "while exploitation indicators are open, and no referral within N days.",
        "The school's safeguarding lead refers; share the pattern with the allocated worker.",
        "Attendance and exclusions not sent by schools; alternative provision. " + CASEWORK
        + "open cases (a referral is not needed while a worker is allocated).",
        {"days": 30, "absence_percent": 90, "indicator_days": 365}, education_signals,
        live_on=frozenset({"sweep"}), group="casework",
    ),
    Detector(
        "P18", "Family or public report, no action",
        "A report from a family member or the public about the child going missing or being "
        "exploited, closed with no further action or advice only.",
        "Call the parent back; treat them as a partner in safeguarding; review the closure.",
        "Who the referrer is (parent or neighbour): referrals record the agency, and family "
        "reports come from agencies of kind 'other'; whether the parent was treated as the "
        "problem is not recorded. " + CASEWORK + "contacts and casework notes.",
        {"agency_kinds": ["other", "voluntary"]}, parent_report_no_action,
        live_on=frozenset({"decide"}), group="casework",
    ),
]  # fmt: skip
