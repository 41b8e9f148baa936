"""Loading a synthetic borough into the database.

A borough of 10,000 referrals must load in well under a minute, so this is a bulk import
(one transaction, bulk inserts, one audit row for the whole import) rather than 10,000 calls
of referral_submit. What it writes has the same shape the services write: references from the
counters, decision due times from the working-day calendar, screenings scored by the same
catalogue rules. Referrals older than `open_days` are given a screening and a decision by the
demo practitioner (synthetic history). The newest `open_count` referrals are moved into the
last 36 hours, so the front door has live work (some of it overdue), and wait there.

The ground truth goes to a JSON file beside the database, never into it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Agency, Team, User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.calendar import default_calendar
from sightline.core.config import screening_min_age
from sightline.core.dates import add_months, age_on
from sightline.core.references import references_reserve
from sightline.demo.generator import Borough, write_truth
from sightline.demo.users import demo_password, demo_username
from sightline.escalation.timescales import referral_due_times, timescales
from sightline.people.matching import name_key, normalise_postcode
from sightline.people.models import Child
from sightline.referrals.choices import MatchStatus, Outcome, Status
from sightline.referrals.models import Decision, PersonNamed, PlaceNamed, Referral, ReferralChild
from sightline.referrals.services import rag_for, screening_required_for
from sightline.screening import scoring
from sightline.screening.choices import LEVEL_RANK
from sightline.screening.models import Screening, ScreeningMark
from sightline.screening.selectors import catalogue_current

BATCH = 2000

# Where each role's demo user works.
DEMO_ROLE_AGENCY = {
    Role.REFERRER: "education",
    Role.FRONT_DOOR_PRACTITIONER: "csc",
    Role.TEAM_MANAGER: "csc",
    Role.HEAD_OF_SERVICE: "csc",
    Role.SAFEGUARDING_LEAD: "csc",
    Role.CSE_SPECIALIST: "csc",
    Role.POLICE_ANALYST: "police",
    Role.HEALTH_LEAD: "health",
    Role.EDUCATION_LEAD: "education",
    Role.MACE_CHAIR: "police",
    Role.REVIEWER: "csc",
    Role.AUDITOR: "csc",
    Role.SYSTEM_ADMIN: "other",
}

OUTCOME_BY_LEVEL = {
    "high": (Outcome.STRATEGY_DISCUSSION, Outcome.SPECIALIST_CSE_TEAM),
    "medium": (Outcome.ASSESSMENT, Outcome.SPECIALIST_CSE_TEAM, Outcome.EARLY_HELP),
    "low": (Outcome.EARLY_HELP, Outcome.INFORMATION_AND_ADVICE, Outcome.ASSESSMENT),
    "": (
        Outcome.NO_FURTHER_ACTION,
        Outcome.INFORMATION_AND_ADVICE,
        Outcome.EARLY_HELP,
        Outcome.OTHER_AGENCY,
    ),
}


@dataclass(frozen=True)
class LoadReport:
    agencies: int
    users: int
    children: int
    referrals: int
    decided: int
    screenings: int
    truth_path: Path


def demo_users_ensure(*, agencies: dict[str, Agency]) -> list[User]:
    """One demo user per role, password derived from this installation's secret key."""
    made: list[User] = []
    for role in Role:
        username = demo_username(role.value)
        if User.objects.filter(username=username).exists():
            continue
        agency = agencies.get(DEMO_ROLE_AGENCY[role]) or next(iter(agencies.values()))
        user = User(
            username=username,
            agency=agency,
            role=role.value,
            first_name="Demo",
            last_name=role.label,
            job_title=role.label,
        )
        user.set_password(demo_password(username))
        user.save()
        made.append(user)
    return made


@transaction.atomic
def borough_load(  # noqa: PLR0912, PLR0915 (loads a borough in dependency order in one pass)
    *, borough: Borough, truth_path: Path, now: dt.datetime | None = None, open_count: int = 30
) -> LoadReport:
    now = now or timezone.now()
    rng = random.Random(borough.seed)
    calendar = default_calendar()
    scales = timescales()
    # read once: asked for each child of 100,000 referrals it was a statement each, 127 s of
    # a 322 s load at 100,000 referrals (the build's sampler)
    min_age = screening_min_age()
    catalogue = scoring.load_catalogue()
    catalogue_row = catalogue_current()

    agencies: dict[str, Agency] = {}
    for agency_spec in borough.agencies:
        agencies[agency_spec.key], _ = Agency.objects.get_or_create(
            code=agency_spec.key,
            defaults={
                "name": agency_spec.name,
                "kind": agency_spec.kind,
                "cin_source_code": agency_spec.cin_source_code,
            },
        )
    teams: dict[tuple[str, str], Team] = {}
    for staff in borough.staff:
        key = (staff.agency_key, staff.team)
        if key not in teams:
            teams[key], _ = Team.objects.get_or_create(
                agency=agencies[staff.agency_key], name=staff.team
            )
    existing = set(User.objects.values_list("username", flat=True))
    new_staff = []
    for staff in borough.staff:
        if staff.username in existing:
            continue
        user = User(
            username=staff.username,
            first_name=staff.given_name,
            last_name=staff.family_name,
            agency=agencies[staff.agency_key],
            team=teams[(staff.agency_key, staff.team)],
            role=staff.role,
        )
        user.set_unusable_password()
        new_staff.append(user)
    User.objects.bulk_create(new_staff, batch_size=BATCH)
    demo = demo_users_ensure(agencies=agencies)
    users = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in borough.staff])
    }
    practitioner = User.objects.get(username=demo_username(Role.FRONT_DOOR_PRACTITIONER))
    manager = User.objects.get(username=demo_username(Role.TEAM_MANAGER))

    child_refs = references_reserve("CH", now.year, count=len(borough.children), width=7)
    children: dict[str, Child] = {}
    rows = []
    for ref, child_spec in zip(child_refs, borough.children, strict=True):
        child = Child(
            reference=ref,
            given_name=child_spec.given_name,
            family_name=child_spec.family_name,
            date_of_birth=child_spec.date_of_birth,
            sex=child_spec.sex,
            address=child_spec.address,
            postcode=child_spec.postcode,
            school=child_spec.school,
            nhs_number=child_spec.nhs_number or "",
            has_learning_disability=child_spec.has_learning_disability,
            family_name_key=name_key(child_spec.family_name),
            postcode_key=normalise_postcode(child_spec.postcode),
        )
        children[child_spec.key] = child
        rows.append(child)
    Child.objects.bulk_create(rows, batch_size=BATCH)

    newest = (
        sorted(borough.referrals, key=lambda r: r.received_at)[-open_count:] if open_count else []
    )
    spacing = dt.timedelta(hours=36) / max(len(newest), 1)
    retimed = {spec.key: now - spacing * (len(newest) - i) for i, spec in enumerate(newest)}
    by_year: dict[int, list[Any]] = defaultdict(list)
    for spec in borough.referrals:
        by_year[timezone.localtime(retimed.get(spec.key, spec.received_at)).year].append(spec)
    refs: dict[str, str] = {}
    for year, specs in sorted(by_year.items()):
        for ref, spec in zip(
            references_reserve("SL", year, count=len(specs), width=6), specs, strict=True
        ):
            refs[spec.key] = ref

    referrals: list[Referral] = []
    links: list[ReferralChild] = []
    persons: list[PersonNamed] = []
    places: list[PlaceNamed] = []
    for spec in borough.referrals:
        received_at = retimed.get(spec.key, spec.received_at)
        if received_at > now:
            continue
        referral = Referral(
            reference=refs[spec.key],
            received_at=received_at,
            source_agency=agencies[spec.agency_key],
            referred_by=users[spec.referrer_username],
            channel=spec.channel,
            narrative=spec.narrative,
            concern_categories=sorted(spec.concern_categories),
            child_aware=spec.child_aware,
            family_aware=spec.family_aware,
            urgency=spec.urgency,
            status=Status.AWAITING_DECISION,
            decision_due_at=received_at,
            rag=rag_for(spec.urgency, ""),
            rag_due_at=received_at,
        )
        referral.decision_due_at, referral.rag_due_at = referral_due_times(
            received_at, referral.rag, calendar=calendar, scales=scales
        )
        referrals.append(referral)
        day = timezone.localtime(received_at).date()
        for position, child_key in enumerate(spec.child_keys):
            child = children[child_key]
            assert child.date_of_birth is not None
            age = age_on(child.date_of_birth, day)
            links.append(
                ReferralChild(
                    referral=referral,
                    child=child,
                    position=position,
                    given_name=child.given_name,
                    family_name=child.family_name,
                    date_of_birth=child.date_of_birth,
                    sex=child.sex,
                    address=child.address,
                    postcode=child.postcode,
                    school=child.school,
                    nhs_number=child.nhs_number,
                    age_on_day=age,
                    screening_required=screening_required_for(age, min_age),
                    match_status=MatchStatus.MATCHED if position >= 0 else MatchStatus.NEW_CHILD,
                )
            )
        persons.extend(
            PersonNamed(
                referral=referral,
                name=p.name,
                nickname=p.nickname,
                approximate_age=p.approximate_age,
                description=p.description,
                phone=p.phone,
                vehicle_registration=p.vehicle_registration.upper(),
                address=p.address,
            )
            for p in spec.persons_named
        )
        places.extend(
            PlaceNamed(
                referral=referral, name=p.name, kind=p.kind, address=p.address, postcode=p.postcode
            )
            for p in spec.places_named
        )

    screenings: list[Screening] = []
    marks: list[ScreeningMark] = []
    decisions: list[Decision] = []
    links_by_referral: dict[Any, list[ReferralChild]] = defaultdict(list)
    for link in links:
        links_by_referral[link.referral.pk].append(link)
    open_refs = {refs[spec.key] for spec in newest}
    for referral in referrals:
        is_history = referral.reference not in open_refs
        # Synthetic history: the demo practitioner screened and decided older referrals; of
        # the ones still open, about half have been screened already.
        screen_now = is_history or rng.random() < 0.5
        top = ""
        found: list[Any] | None = None  # the narrative's indicators, once per referral
        for link in links_by_referral[referral.pk]:
            if not link.screening_required or not screen_now:
                continue
            if found is None:
                found = list(scoring.suggest_indicators(catalogue, referral.narrative))
            mark_list = [
                scoring.Mark(s.code, scoring.Status.PRESENT, scoring.Basis.EVIDENCE) for s in found
            ]
            result = scoring.score(
                catalogue,
                mark_list,
                age_years=link.age_on_day,
                has_learning_disability=link.child.has_learning_disability,
            )
            screened_at = min(referral.received_at + dt.timedelta(hours=3), now)
            level = result.level.value_name
            screening = Screening(
                referral_child=link,
                catalogue=catalogue_row,
                screened_by=practitioner,
                screened_at=screened_at,
                age_years=link.age_on_day,
                score=result.score,
                computed_level=level,
                level=level,
                harm_indicated=result.harm_indicated,
                reasons=list(result.reasons),
                is_current=True,
                review_on=add_months(
                    timezone.localdate(screened_at), settings.SIGHTLINE_SCREENING_REVIEW_MONTHS
                )
                if result.level >= scoring.Level.MEDIUM
                else None,
            )
            screenings.append(screening)
            marks.extend(
                ScreeningMark(
                    screening=screening,
                    code=m.code,
                    status=m.status.value,
                    basis=m.basis.value if m.basis else "",
                )
                for m in mark_list
            )
            if LEVEL_RANK[level] > LEVEL_RANK.get(top, -1):
                top = level
        needs_screening = (
            any(link.screening_required for link in links_by_referral[referral.pk])
            and not screen_now
        )
        referral.risk_rank = LEVEL_RANK.get(top, 0)
        referral.rag = rag_for(referral.urgency, top)
        _, referral.rag_due_at = referral_due_times(
            referral.received_at, referral.rag, calendar=calendar, scales=scales
        )
        if is_history:
            outcome = rng.choice(OUTCOME_BY_LEVEL[top if top != "none" else ""])
            decisions.append(
                Decision(
                    referral=referral,
                    for_referral=referral,
                    outcome=outcome,
                    reason=f"Demo history: decided on the information available ({outcome}).",
                    decided_by=manager if top in ("medium", "high") else practitioner,
                    decided_at=min(referral.received_at + dt.timedelta(hours=20), now),
                    risk_level_at_decision=top,
                )
            )
            referral.status = Status.DECIDED
        else:
            referral.status = (
                Status.AWAITING_SCREENING if needs_screening else Status.AWAITING_DECISION
            )
    # Written once their screenings have set their status and RAG (the primary keys are
    # made in Python): a bulk_update of 100,000 referrals afterwards took minutes.
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    ReferralChild.objects.bulk_create(links, batch_size=BATCH)
    PersonNamed.objects.bulk_create(persons, batch_size=BATCH)
    PlaceNamed.objects.bulk_create(places, batch_size=BATCH)
    Screening.objects.bulk_create(screenings, batch_size=BATCH)
    ScreeningMark.objects.bulk_create(marks, batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)

    write_truth(borough, truth_path)
    audit_record(
        actor=None,
        action=Action.IMPORT,
        object_type="demo_borough",
        actor_username="demo_borough",
        details={
            "seed": borough.seed,
            "children": len(children),
            "referrals": len(referrals),
            "decided": len(decisions),
            "screenings": len(screenings),
            "users": len(new_staff) + len(demo),
        },
    )
    return LoadReport(
        len(agencies),
        len(new_staff) + len(demo),
        len(children),
        len(referrals),
        len(decisions),
        len(screenings),
        truth_path,
    )
