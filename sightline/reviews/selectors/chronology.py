"""The review's integrated chronology: one line per significant event for the review's
children in its period (and agencies, when the scope names them), with the reviewers'
significance notes, and marked gaps with no agency contact.

Built here from referrals, screenings and decisions, and (`chronology_more`) partner events
and the statutory casework steps: the review reads its own scope (children, period,
agencies), not a user's, so it does not use the child's chronology in `reporting` (a later
layer, scoped by the reader). The columns follow the shape in the practice reference
(section 7.2)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils import timezone

from sightline.core.dates import age_on
from sightline.referrals.models import Decision, ReferralChild
from sightline.reviews.models import ChronologyNote, Review
from sightline.reviews.selectors.chronology_more import casework_entries, partner_event_entries
from sightline.screening.models import Screening

# A stretch this long with no agency contact is marked as a gap.
GAP_DAYS = 90


@dataclass(frozen=True)
class Entry:
    key: str
    at: dt.datetime
    child_ref: str
    child_age: int | None
    agency: str
    source: str
    event_type: str
    headline: str
    action: str
    outcome: str
    significance: str = ""
    is_key: bool = False
    is_gap: bool = False
    source_is_referral: bool = True  # the source links to the review's reading of it


COLUMNS = [
    ("Date", "date"),
    ("Child", "child_ref"),
    ("Age", "child_age"),
    ("Agency", "agency"),
    ("Source record", "source"),
    ("Event type", "event_type"),
    ("What happened", "headline"),
    ("Action or decision", "action"),
    ("Outcome", "outcome"),
    ("Key event", "is_key"),
    ("Significance (reviewers)", "significance"),
]


def _age(dob: dt.date | None, at: dt.datetime) -> int | None:
    return age_on(dob, timezone.localtime(at).date()) if dob else None


def _window(review: Review) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(review.period_start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(review.period_end, dt.time.max, tzinfo=tz)
    return start, end


def _entries(
    review: Review, child_ids: list[uuid.UUID]
) -> Iterable[tuple[uuid.UUID | None, Entry]]:
    """(agency id, entry) for every referral, screening, decision, partner event and casework
    step in scope."""
    start, end = _window(review)
    links = list(
        ReferralChild.objects.filter(child_id__in=child_ids)
        .select_related("referral__source_agency", "child")
        .order_by("referral__received_at")
    )
    for rc in links:
        r = rc.referral
        if start <= r.received_at <= end:
            yield r.source_agency_id, Entry(
                key=f"referral:{rc.pk}", at=r.received_at, child_ref=rc.child.reference,
                child_age=_age(rc.child.date_of_birth, r.received_at),
                agency=r.source_agency.name, source=r.reference, event_type="Referral",
                headline=f"Referral from {r.source_agency.name} ({r.get_channel_display()})",
                action=r.get_status_display(), outcome=f"RAG {r.get_rag_display()}",
            )  # fmt: skip
    screenings = Screening.objects.filter(
        referral_child__in=[rc.pk for rc in links], screened_at__range=(start, end)
    ).select_related("referral_child__referral", "referral_child__child", "screened_by__agency")
    for s in screenings:
        agency = s.screened_by.agency
        yield (agency.pk if agency else None), Entry(
            key=f"screening:{s.pk}", at=s.screened_at, child_ref=s.referral_child.child.reference,
            child_age=s.age_years, agency=agency.name if agency else "",
            source=s.referral_child.referral.reference, event_type="CSE screening",
            headline=f"CSE screening: {s.get_level_display()} (score {s.score})",
            action=f"Review by {s.review_on:%d %b %Y}" if s.review_on else "",
            outcome="Harm indicated" if s.harm_indicated else "",
        )  # fmt: skip
    by_referral: dict[uuid.UUID, list[ReferralChild]] = {}
    for rc in links:
        by_referral.setdefault(rc.referral_id, []).append(rc)
    decisions = Decision.objects.filter(
        for_referral_id__in=list(by_referral), decided_at__range=(start, end)
    ).select_related("for_referral", "decided_by__agency")
    for d in decisions:
        agency = d.decided_by.agency
        for rc in by_referral[d.for_referral_id]:
            yield (agency.pk if agency else None), Entry(
                key=f"decision:{d.pk}:{rc.child_id}", at=d.decided_at,
                child_ref=rc.child.reference, child_age=_age(rc.child.date_of_birth, d.decided_at),
                agency=agency.name if agency else "", source=d.for_referral.reference,
                event_type="Decision", headline=f"Decision: {d.get_outcome_display()}",
                action=d.reason[:500], outcome=d.get_outcome_display(),
            )  # fmt: skip
    for agency_id, fields in (
        *partner_event_entries(child_ids, start, end),
        *casework_entries(child_ids, start, end),
    ):
        yield agency_id, Entry(**fields)


def _gaps(entries: list[Entry]) -> list[Entry]:
    """A gap line after each stretch of GAP_DAYS or more without an entry for a child."""
    last: dict[str, Entry] = {}
    gaps = []
    for e in entries:
        before = last.get(e.child_ref)
        if before is not None and (e.at - before.at).days >= GAP_DAYS:
            days = (e.at - before.at).days
            gaps.append(
                Entry(
                    key="", at=before.at + dt.timedelta(seconds=1), child_ref=e.child_ref,
                    child_age=None, agency="", source="", event_type="Gap",
                    headline=f"No agency contact recorded for {days} days", action="",
                    outcome="", is_gap=True,
                )
            )  # fmt: skip
        last[e.child_ref] = e
    return gaps


def review_chronology(*, review: Review) -> list[Entry]:
    """The review's chronology, oldest first. Callers check the user may see the review (and
    audit the read); this reads the review's scope, not the user's referral scope."""
    child_ids = [rc.child_id for rc in review.children.all()]
    agency_ids = {a.pk for a in review.agencies.all()}
    notes = {n.entry_key: n for n in ChronologyNote.objects.filter(review=review)}
    entries = []
    for agency_id, found in _entries(review, child_ids):
        if agency_ids and agency_id not in agency_ids:
            continue
        note = notes.get(found.key)
        entries.append(
            found
            if note is None
            else replace(found, significance=note.significance, is_key=note.is_key)
        )
    entries.sort(key=lambda e: (e.at, e.child_ref, e.key))
    entries += _gaps(entries)
    entries.sort(key=lambda e: (e.at, e.child_ref, e.key))
    return entries


def entry_row(entry: Entry) -> dict[str, object]:
    """One entry as the export's columns."""
    return {
        "date": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
        "child_ref": entry.child_ref,
        "child_age": "" if entry.child_age is None else entry.child_age,
        "agency": entry.agency,
        "source": entry.source,
        "event_type": entry.event_type,
        "headline": entry.headline,
        "action": entry.action,
        "outcome": entry.outcome,
        "is_key": "Yes" if entry.is_key else "",
        "significance": entry.significance,
    }
