"""The child's integrated chronology: everything Sightline holds about the child that the user
may see, one line per significant event, in date order (practice.md §7.2, ADR 0302).

Each source is one function `(record) -> Iterable[Entry]` listed in `SOURCES`; a later app
(casework, partner events, meetings) adds its events by writing one such function and adding
it to the list. Sources read only what `ChildRecord` has loaded or run a constant number of
queries of their own, so the chronology costs the same number of queries for one referral as
for fifty. `chronology()` merges the sources, sorts them, works out the child's age at each
entry and marks long periods with no agency contact.

Headlines are factual and built from the structured record (no narrative text): the reader
opens the source record, by its reference, for the detail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.escalation.choices import ChallengeOutcome, ClockKind, StepKind
from sightline.referrals.choices import ConcernCategory, Outcome, Urgency
from sightline.reporting.child_record import ChildRecord
from sightline.reporting.choices import ChronologyKind
from sightline.screening.choices import RiskLevel

GAP_DAYS = 90
SIGHTLINE = "Sightline"


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # ChronologyKind
    agency: str  # the agency the event came from
    summary: str  # a factual headline
    outcome: str = ""  # the action taken or the outcome, where recorded
    source_ref: str = ""  # the reference of the record it came from
    source_url: str = ""
    age: int | None = None  # the child's age in years on the day (filled in by chronology())

    @property
    def kind_label(self) -> str:
        return str(ChronologyKind(self.kind).label)


def _agency(user: Any) -> str:
    agency = getattr(user, "agency", None) if user is not None else None
    return str(agency.name) if agency is not None else SIGHTLINE


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value.replace("_", " ")


def _referral_url(reference: str) -> str:
    return reverse("referrals:detail", args=[reference])


# ---- sources -------------------------------------------------------------------------------


def referrals_received(record: ChildRecord) -> Iterable[Entry]:
    for r in record.referrals:
        concerns = ", ".join(_label(ConcernCategory, c).lower() for c in r.concern_categories)
        summary = f"Referral received ({_label(Urgency, r.urgency).split(':')[0].lower()})"
        yield Entry(
            at=r.received_at,
            kind=ChronologyKind.REFERRAL,
            agency=r.source_agency.name,
            summary=summary + (f": {concerns}" if concerns else ""),
            outcome=r.get_status_display(),
            source_ref=r.reference,
            source_url=_referral_url(r.reference),
        )


def referrals_held_elsewhere(record: ChildRecord) -> Iterable[Entry]:
    for held in record.held_elsewhere:
        yield Entry(
            at=held.received_at,
            kind=ChronologyKind.REFERRAL_ELSEWHERE,
            agency=held.agency,
            summary=f"Referral held by {held.agency} (details are not shared with you)",
        )


def screenings(record: ChildRecord) -> Iterable[Entry]:
    for s in record.screenings:
        reference = s.referral_child.referral.reference
        raised = s.level != s.computed_level
        yield Entry(
            at=s.screened_at,
            kind=ChronologyKind.SCREENING,
            agency=_agency(s.screened_by),
            summary=f"CSE screening: {_label(RiskLevel, s.level)} (score {s.score})",
            outcome=(
                f"Raised from {_label(RiskLevel, s.computed_level)} by the practitioner"
                if raised
                else ""
            ),
            source_ref=reference,
            source_url=_referral_url(reference),
        )


def decisions(record: ChildRecord) -> Iterable[Entry]:
    for r in record.referrals:
        decision = getattr(r, "decision", None)
        if decision is None:
            continue
        signed = " (signed off by a manager)" if decision.signed_off_by_id else ""
        yield Entry(
            at=decision.decided_at,
            kind=ChronologyKind.DECISION,
            agency=_agency(decision.decided_by),
            summary=f"Decision: {_label(Outcome, decision.outcome)}{signed}",
            outcome=decision.reason[:300],
            source_ref=r.reference,
            source_url=_referral_url(r.reference),
        )


def challenges(record: ChildRecord) -> Iterable[Entry]:
    for c in record.challenges:
        urgent = " (immediate risk)" if c.immediate_risk else ""
        outcome = _label(ChallengeOutcome, c.outcome) if c.outcome else c.get_status_display()
        yield Entry(
            at=c.raised_at,
            kind=ChronologyKind.CHALLENGE,
            agency=_agency(c.raised_by),
            summary=f"Professional challenge to the decision raised by the referrer{urgent}",
            outcome=outcome,
            source_ref=c.referral.reference,
            source_url=reverse("escalation:challenge", args=[c.pk]),
        )


def statutory_steps(record: ChildRecord) -> Iterable[Entry]:
    for step in record.steps:
        yield Entry(
            at=step.happened_at,
            kind=ChronologyKind.STATUTORY_STEP,
            agency=_agency(step.recorded_by),
            summary=_label(StepKind, step.kind),
            outcome=step.outcome.replace("_", " "),
            source_ref=step.referral.reference,
            source_url=reverse("escalation:referral", args=[step.referral.reference]),
        )


def escalations(record: ChildRecord) -> Iterable[Entry]:
    for e in record.escalations:
        yield Entry(
            at=e.raised_at,
            kind=ChronologyKind.ESCALATION,
            agency=e.agency.name if e.agency else SIGHTLINE,
            summary=f"{_label(ClockKind, e.clock.kind)} overdue: escalated to rung {e.rung}",
            outcome=e.get_status_display(),
            source_ref=e.referral.reference,
            source_url=reverse("escalation:detail", args=[e.pk]),
        )


def alerts(record: ChildRecord) -> Iterable[Entry]:
    for a in record.alerts:
        yield Entry(
            at=a.created_at,
            kind=ChronologyKind.ALERT,
            agency=SIGHTLINE,
            summary=f"{a.get_kind_display()} ({a.trigger_label})",
            outcome=a.get_status_display(),
            source_ref=a.reference,
            source_url=reverse("intel:alert", args=[a.pk]),
        )


def record_links(record: ChildRecord) -> Iterable[Entry]:
    for e in record.record_links:
        confirmed = e.action == Action.LINK
        yield Entry(
            at=e.occurred_at,
            kind=ChronologyKind.RECORD_LINK,
            agency=e.actor_agency.upper() or SIGHTLINE,
            summary=(
                "Referral confirmed as about this child (records linked)"
                if confirmed
                else "A possible match with another child's record was rejected"
            ),
            source_ref=e.object_ref,
            source_url=_referral_url(e.object_ref) if e.object_ref else "",
        )


Source = Callable[[ChildRecord], Iterable[Entry]]


def _day(day: dt.date) -> dt.datetime:
    """A step recorded by its date: placed at the start of that day, London time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def casework_steps(record: ChildRecord) -> Iterable[Entry]:
    cw = record.casework
    url_of: dict[str, str] = {}
    steps: list[tuple[dt.datetime, str, Any, str]] = [
        (d.held_at, "Strategy discussion", d, d.get_outcome_display() if d.outcome else "")
        for d in cw.discussions
    ]
    steps += [
        (_day(e.started_on), "Section 47 enquiry started", e,
         e.get_outcome_display() if e.outcome else "")
        for e in cw.enquiries
    ]  # fmt: skip
    steps += [
        (_day(a.started_on), "Child and family assessment started", a,
         a.get_outcome_display() if a.outcome else "")
        for a in cw.assessments
    ]  # fmt: skip
    steps += [
        (_day(c.held_on), f"{c.get_kind_display()} child protection conference", c,
         c.get_outcome_display() if c.outcome else "")
        for c in cw.conferences
    ]  # fmt: skip
    steps += [
        (_day(p.started_on), f"{p.get_kind_display()} plan started", p,
         f"ended {p.ended_on:%d %b %Y}" if p.ended_on else "")
        for p in cw.plans
    ]  # fmt: skip
    steps += [(_day(c.closed_on), "Episode closed", c, c.get_reason_display()) for c in cw.closures]
    for at, summary, step, outcome in steps:
        reference = step.referral.reference
        url_of.setdefault(reference, _referral_url(reference))
        yield Entry(
            at=at,
            kind=ChronologyKind.CASEWORK_STEP,
            agency=step.agency.name if getattr(step, "agency_id", None) else SIGHTLINE,
            summary=summary,
            outcome=outcome,
            source_ref=reference,
            source_url=url_of[reference],
        )


def case_notes_and_allocations(record: ChildRecord) -> Iterable[Entry]:
    cw = record.casework
    for written_at, kind, agency in record.case_note_marks:
        yield Entry(
            at=written_at,
            kind=ChronologyKind.CASE_NOTE,
            agency=agency,
            summary=f"Case note: {kind}",
        )
    for allocation in cw.allocations:
        worker = (
            allocation.worker.get_full_name() or allocation.worker.username
            if allocation.worker
            else ""
        )
        yield Entry(
            at=allocation.allocated_at,
            kind=ChronologyKind.ALLOCATION,
            agency=SIGHTLINE,
            summary=f"Allocated to {allocation.team.name}" + (f" ({worker})" if worker else ""),
        )


def partner_events(record: ChildRecord) -> Iterable[Entry]:
    for e in record.partner_events:
        yield Entry(
            at=e["at"],
            kind=ChronologyKind.PARTNER_EVENT,
            agency=e["agency"],
            summary=e["headline"],
            source_ref=e["reference"],
        )


def mace_discussions(record: ChildRecord) -> Iterable[Entry]:
    for d in record.mace_discussions:
        yield Entry(
            at=_day(d.held_on),
            kind=ChronologyKind.MACE,
            agency="MACE",
            summary=f"Discussed at MACE on {d.held_on:%d %b %Y}",
            outcome=d.risk_view.replace("_", " "),
            source_url=reverse("meetings:detail", args=[d.meeting_id]),
        )


SOURCES: list[Source] = [
    referrals_received,
    referrals_held_elsewhere,
    screenings,
    decisions,
    challenges,
    statutory_steps,
    escalations,
    alerts,
    record_links,
    casework_steps,
    case_notes_and_allocations,
    partner_events,
    mace_discussions,
]


# ---- the merged line -----------------------------------------------------------------------


def _age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None or day < born:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def chronology(record: ChildRecord, *, gap_days: int = GAP_DAYS) -> list[Entry]:
    """Every source's entries, oldest first, with the child's age on the day and a line for
    each period of `gap_days` or more with no agency contact."""
    entries = sorted(
        (e for source in SOURCES for e in source(record)),
        key=lambda e: (e.at, e.kind, e.source_ref),
    )
    born = record.child.date_of_birth
    out: list[Entry] = []
    previous: Entry | None = None
    for entry in entries:
        if previous is not None and (entry.at - previous.at).days >= gap_days:
            quiet = (entry.at - previous.at).days
            out.append(
                Entry(
                    at=previous.at + dt.timedelta(days=1),
                    kind=ChronologyKind.GAP,
                    agency="",
                    summary=f"No agency contact recorded for {quiet} days",
                )
            )
        day = timezone.localtime(entry.at).date()
        out.append(replace(entry, age=_age_on(born, day)))
        previous = entry
    for i, entry in enumerate(out):
        if entry.kind == ChronologyKind.GAP:
            out[i] = replace(entry, age=_age_on(born, timezone.localtime(entry.at).date()))
    return out
