"""The Children in Need census, independent of the collection year: what Sightline knows about
each referral episode (read across people, referrals and casework), and the DfE validation
rules that fail real returns beyond the schema. A collection year's module
(`cin_2025_26.py`) writes the XML; the next year's schema is a new module beside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Q

from sightline.accounts.models import Agency
from sightline.casework.choices import CLOSING_OUTCOMES, NO_FACTORS, ConferenceKind, PlanKind
from sightline.casework.models import Assessment, Conference, EpisodeClosure, Plan, Section47Enquiry
from sightline.core.errors import Invalid
from sightline.people.models import Child
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Decision, ReferralChild


@dataclass
class AssessmentRow:
    started_on: dt.date
    authorised_on: dt.date | None
    completed_on: dt.date | None
    factors: list[str]


@dataclass
class EnquiryRow:
    started_on: dt.date
    conference_on: dt.date | None
    no_conference: bool


@dataclass
class PlanRow:
    kind: str
    started_on: dt.date
    ended_on: dt.date | None
    category: str
    review_dates: list[dt.date] = field(default_factory=list)


@dataclass
class Episode:
    referral_date: dt.date
    source: str
    closure_date: dt.date | None = None
    closure_reason: str = ""
    nfa: bool = False
    initial_conferences: list[dt.date] = field(default_factory=list)
    review_conferences: list[dt.date] = field(default_factory=list)
    assessments: list[AssessmentRow] = field(default_factory=list)
    enquiries: list[EnquiryRow] = field(default_factory=list)
    plans: list[PlanRow] = field(default_factory=list)


@dataclass
class ChildRow:
    la_child_id: str
    birth_date: dt.date | None
    sex: str
    disabled: bool
    episodes: list[Episode] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    child: str
    rule: str
    message: str
    is_query: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "child": self.child,
            "rule": self.rule,
            "message": self.message,
            "severity": "query" if self.is_query else "error",
        }


@dataclass(frozen=True)
class CollectionYear:
    label: str
    start: dt.date
    end: dt.date


def collection_year(label: str) -> CollectionYear:
    match = re.fullmatch(r"(\d{4})-(\d{2})", label or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise Invalid(f"Collection year {label!r} is not in the form 2025-26.")
    first = int(match.group(1))
    return CollectionYear(label, dt.date(first, 4, 1), dt.date(first + 1, 3, 31))


SEX_CODES = {"female": "F", "male": "M"}
EPISODE_CLOSING: dict[str, str] = {
    Outcome.NO_FURTHER_ACTION: "RC8",
    Outcome.INFORMATION_AND_ADVICE: "RC8",
    Outcome.EARLY_HELP: "RC9",
}


def la_child_id(reference: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", reference)[:20]


def gather(year: CollectionYear) -> list[ChildRow]:
    """Every child with a referral episode open at some point in the collection year: referred
    on or before its last day and not closed before its first. Queries are per table, not per
    child, so a borough of 20,000 children stays a handful of round trips."""
    end_at = dt.datetime.combine(year.end, dt.time.max, tzinfo=dt.UTC)
    links = list(
        ReferralChild.objects.filter(child__isnull=False, referral__received_at__lte=end_at)
        .values_list(
            "child_id", "referral_id", "referral__received_at", "referral__source_agency_id"
        )
        .order_by("referral__received_at")
    )
    referral_ids = {r for _, r, _, _ in links}
    sources = dict(Agency.objects.values_list("id", "cin_source_code"))
    decisions = {
        d.referral_id: d
        for d in Decision.objects.filter(referral_id__in=referral_ids).only(
            "referral_id", "outcome", "decided_at"
        )
    }
    closures = {
        (c.child_id, c.referral_id): c
        for c in EpisodeClosure.objects.filter(referral_id__in=referral_ids)
    }
    steps: dict[tuple[UUID, UUID], Episode] = {}
    children: dict[UUID, ChildRow] = {}
    child_rows = Child.objects.filter(
        id__in={c for c, _, _, _ in links}, superseded_by__isnull=True
    ).only("id", "reference", "date_of_birth", "sex", "has_learning_disability")
    for child in child_rows:
        children[child.pk] = ChildRow(
            la_child_id=la_child_id(child.reference),
            birth_date=child.date_of_birth,
            sex=SEX_CODES.get(child.sex, "U"),
            disabled=child.has_learning_disability,
        )
    for child_id, referral_id, received_at, source_id in links:
        row = children.get(child_id)
        if row is None or (child_id, referral_id) in steps:
            continue
        episode = Episode(referral_date=received_at.date(), source=sources.get(source_id) or "10")
        closure = closures.get((child_id, referral_id))
        decision = decisions.get(referral_id)
        if closure is not None:
            episode.closure_date, episode.closure_reason = closure.closed_on, closure.reason
        elif decision is not None and decision.outcome in CLOSING_OUTCOMES:
            episode.nfa = decision.outcome == Outcome.NO_FURTHER_ACTION
            episode.closure_date = decision.decided_at.date()
            episode.closure_reason = EPISODE_CLOSING.get(decision.outcome, "RC8")
        if episode.closure_date is not None and episode.closure_date < year.start:
            continue
        steps[(child_id, referral_id)] = episode
        row.episodes.append(episode)
    _attach_steps(steps, referral_ids)
    return [row for row in children.values() if row.episodes]


def _attach_steps(steps: dict[tuple[UUID, UUID], Episode], referral_ids: Iterable[UUID]) -> None:
    ids = Q(referral_id__in=list(referral_ids))
    for a in Assessment.objects.filter(ids).order_by("started_on"):
        if (ep := steps.get((a.child_id, a.referral_id))) is not None:
            ep.assessments.append(
                AssessmentRow(a.started_on, a.authorised_on, a.completed_on, list(a.factors or []))
            )
    conferences = list(Conference.objects.filter(ids).order_by("held_on"))
    enquiry_conference = {
        c.enquiry_id: c.held_on for c in conferences if c.kind == ConferenceKind.INITIAL
    }
    for c in conferences:
        if (ep := steps.get((c.child_id, c.referral_id))) is not None:
            initial = c.kind == ConferenceKind.INITIAL
            (ep.initial_conferences if initial else ep.review_conferences).append(c.held_on)
    for e in Section47Enquiry.objects.filter(ids).order_by("started_on"):
        if (ep := steps.get((e.child_id, e.referral_id))) is not None:
            ep.enquiries.append(
                EnquiryRow(
                    e.started_on,
                    enquiry_conference.get(e.pk),
                    e.outcome not in ("", "substantiated_conference"),
                )
            )
    for p in Plan.objects.filter(ids).order_by("started_on"):
        if (ep := steps.get((p.child_id, p.referral_id))) is not None:
            reviews = [d for d in ep.review_conferences if d >= p.started_on]
            ep.plans.append(PlanRow(p.kind, p.started_on, p.ended_on, p.category or "MUL", reviews))


# --- DfE validation rules mirrored before writing (statutory README, "Checks") -------------


def working_days_between(start: dt.date, end: dt.date) -> int:
    days = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def check(children: list[ChildRow], year: CollectionYear) -> list[Failure]:
    failures: list[Failure] = []
    seen: set[str] = set()
    for child in children:
        ref = child.la_child_id

        def fail(rule: str, message: str, query: bool = False, ref: str = ref) -> None:
            failures.append(Failure(ref, rule, message, query))

        if not ref or len(ref) > 20:
            fail("8500", "LAchildID must be 1 to 20 alphanumeric characters.")
        if ref in seen:
            fail("8510", "LAchildID appears more than once.")
        seen.add(ref)
        for ep in child.episodes:
            _check_episode(ep, year, fail)
    return failures


def _check_episode(ep: Episode, year: CollectionYear, fail: Callable[..., None]) -> None:  # noqa: PLR0912 (one branch per DfE rule, in rule-book order)
    ref_date = ep.referral_date
    cps = [p for p in ep.plans if p.kind == PlanKind.CHILD_PROTECTION]
    cins = [p for p in ep.plans if p.kind == PlanKind.CHILD_IN_NEED]
    for a in ep.assessments:
        if a.started_on < ref_date:
            fail("1103", "An assessment starts before the referral.")
        if a.authorised_on is not None and not a.factors:
            fail("8897Q", "A completed assessment has no factors recorded.", True)
        if NO_FACTORS in a.factors and len(a.factors) > 1:
            fail("8869", "Factor 21 (no factors identified) must stand alone.")
        if a.authorised_on is None and working_days_between(a.started_on, year.end) > 45:
            fail("8670Q", "An assessment has been open for more than 45 working days.", True)
    for c in ep.initial_conferences + ep.review_conferences:
        if c < ref_date:
            fail("1104", "A conference is dated before the referral.")
        if c.weekday() >= 5:
            rule = "8870Q" if c in ep.initial_conferences else "8875"
            fail(rule, "A conference is dated on a weekend.", True)
    for p in ep.plans:
        if p.started_on < ref_date:
            fail("1105", "A plan starts before the referral.")
        if p.ended_on is not None and p.ended_on < p.started_on:
            fail("8925", "A plan ends before it starts.")
    for e in ep.enquiries:
        if e.started_on < ref_date:
            fail("2889", "A section 47 enquiry starts before the referral.")
        if e.conference_on is not None and e.started_on > e.conference_on:
            fail("8615", "A section 47 enquiry starts after its initial conference.")
        if (
            e.conference_on is None
            and not e.no_conference
            and working_days_between(e.started_on, year.end) > 15
        ):
            fail("8675Q", "A section 47 enquiry is past 15 working days with no conference.", True)
    if len(cps) > len(ep.initial_conferences):
        fail("2883", "More child protection plans than initial conferences.")
    for p in cps:
        if p.started_on not in ep.initial_conferences + ep.review_conferences:
            fail("2885", "A child protection plan does not start on its conference's date.")
    for cin in cins:
        for cp in cps:
            if _overlap(cin, cp):
                fail("4001", "A child-in-need plan is open alongside a child protection plan.")
    activity = (
        [a.started_on for a in ep.assessments]
        + [e.started_on for e in ep.enquiries]
        + [p.started_on for p in ep.plans]
        + ep.initial_conferences
    )
    if ep.nfa and activity:
        fail("8831", "A referral closed with no further action has later activity.")
    if ep.closure_date is not None and any(d > ep.closure_date for d in activity):
        fail("8565", "Activity is dated after the episode's closure.")


def _overlap(a: PlanRow, b: PlanRow) -> bool:
    a_end = a.ended_on or dt.date.max
    b_end = b.ended_on or dt.date.max
    return a.started_on < b_end and b.started_on < a_end
