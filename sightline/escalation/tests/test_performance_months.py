"""The performance page's monthly summary (PerformanceMonth) is kept by the services in the
transaction of each write: after a sequence of intakes, decisions in and out of time, a
re-referral, a decision reopened by a challenge and superseded, an assessment met in time and
one met after its clock breached, a restricted child and a purge, the page read from the
summary equals the page counted from the raw rows, for users who see everything and for one
from whom a restricted child's referral is withheld; and again after folding and after a
rebuild. Names are invented."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.casework.services.purge import casework_purge
from sightline.escalation import selectors, services
from sightline.escalation.choices import ClockKind, ClockStatus
from sightline.escalation.models import Clock, PerformanceMonth
from sightline.escalation.services.purge import referral_records_purge
from sightline.escalation.tests.factories import decided, received, young_child
from sightline.people.models import ChildAccess
from sightline.referrals.models import Referral
from sightline.referrals.services.purge import referrals_purge
from sightline.workflows import challenge_answer

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def figures(perf: selectors.Performance) -> tuple[Any, ...]:
    months = [
        (r.month, r.referrals, r.rereferrals, r.decided, r.decided_in_time, r.assessments,
         r.assessments_in_time)
        for r in perf.months
    ]  # fmt: skip
    return months, perf.by_agency


def assert_summary_is_the_recount(user: Any) -> selectors.Performance:
    kept = selectors.performance(user=user)
    assert figures(kept) == figures(selectors.performance(user=user, recount=True))
    return kept


def _assessment_breached_then_met(user: Any, referral: Referral, now: dt.datetime) -> None:
    clock = Clock.objects.get(referral=referral, kind=ClockKind.ASSESSMENT)
    services.sweep(at=clock.due_at + DAY)
    clock.refresh_from_db()
    assert clock.status == ClockStatus.BREACHED
    services.assessment_complete(
        acting_user=user, referral=referral, completed_at=timezone.now(), outcome="Late."
    )


@pytest.fixture
def history(police_officer: Any, teacher: Any, front_door: Any, manager: Any) -> dict[str, Any]:
    now = timezone.now()
    first = received(police_officer, at=now - 40 * DAY)
    decided(first, front_door, "no_further_action")  # late: a working day was 40 days ago
    again = received(police_officer, at=now - 10 * DAY)  # the same child: a re-referral
    in_time = received(teacher, children=[young_child("Ava", "Brill")])
    decided(in_time, front_door, "assessment")
    services.assessment_complete(
        acting_user=front_door, referral=in_time, completed_at=timezone.now(), outcome="Done."
    )
    late = received(teacher, at=now - 80 * DAY, children=[young_child("Ida", "Crane")])
    decided(late, front_door, "assessment")
    _assessment_breached_then_met(front_door, late, now)
    challenged = received(police_officer, children=[young_child("Zoe", "Dunn")])
    decided(challenged, front_door, "no_further_action")
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=challenged, reason="New information."
    )
    challenge_answer(
        acting_user=manager, challenge=challenge, outcome="decision_to_change", notes="Agreed."
    )
    decided(challenged, front_door, "early_help")  # supersedes the reopened decision
    secret = received(teacher, children=[young_child("Mia", "Okoro")])
    decided(secret, front_door, "early_help")
    child = secret.children.get().child
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    return {"again": again, "child": child, "first": first}


def test_the_summary_equals_a_recount_after_a_sequence_of_writes(
    history: dict[str, Any], manager: Any, front_door: Any, safeguarding_lead: Any
) -> None:
    perf = assert_summary_is_the_recount(front_door)
    totals = perf.totals
    # the restricted child's referral is withheld from the front door (not named on it)
    assert totals.referrals == 5
    assert (totals.decided, totals.decided_in_time) == (4, 2)
    assert (totals.assessments, totals.assessments_in_time) == (2, 1)
    assert totals.rereferrals >= 1
    assert PerformanceMonth.objects.filter(rereferrals__gt=0).exists()
    ChildAccess.objects.create(child=history["child"], user=manager)
    assert assert_summary_is_the_recount(manager).totals.referrals == 6
    assert_summary_is_the_recount(safeguarding_lead)
    for agency in {a["code"] for a in perf.by_agency}:
        from_code = next(r for r in Referral.objects.all() if r.source_agency.code == agency)
        kept = selectors.performance(user=manager, agency=from_code.source_agency)
        counted = selectors.performance(user=manager, agency=from_code.source_agency, recount=True)
        assert figures(kept) == figures(counted)


def test_folding_and_rebuilding_keep_the_counts(history: dict[str, Any], front_door: Any) -> None:
    before = figures(selectors.performance(user=front_door))
    keys = set(PerformanceMonth.objects.values_list("month", "agency_id"))
    assert PerformanceMonth.objects.count() > len(keys), "changes are appended, not updated"
    assert services.performance_months_fold() > 0
    assert PerformanceMonth.objects.count() == len(keys)
    assert figures(selectors.performance(user=front_door)) == before
    services.performance_months_rebuild()
    assert figures(selectors.performance(user=front_door)) == before
    assert_summary_is_the_recount(front_door)


def test_a_purge_takes_away_what_the_referrals_counted(
    history: dict[str, Any], front_door: Any
) -> None:
    gone = [history["first"].pk, history["again"].pk]
    with transaction.atomic():  # the order of workflows.retention
        casework_purge(child_ids=[], referral_ids=gone)
        referral_records_purge(referral_ids=gone)
        referrals_purge(referral_ids=gone)
    assert assert_summary_is_the_recount(front_door).totals.referrals == 3


def test_the_summary_read_costs_the_same_statements_whatever_the_history(
    police_officer: Any, front_door: Any
) -> None:
    received(police_officer)
    with CaptureQueriesContext(connection) as one:
        selectors.performance(user=front_door)
    for n, days in enumerate((5, 50, 150, 250)):
        child = young_child(f"Kit{n}", "Ellery")
        received(police_officer, at=timezone.now() - days * DAY, children=[child])
    with CaptureQueriesContext(connection) as five:
        selectors.performance(user=front_door)
    assert len(five) == len(one)


def test_the_command_rebuilds_and_folds(police_officer: Any, front_door: Any) -> None:
    received(police_officer)
    received(police_officer, at=timezone.now() - 40 * DAY, children=[young_child("Ana", "Fry")])
    PerformanceMonth.objects.all().delete()  # as after a bulk load that passed no hook
    assert selectors.performance(user=front_door).totals.referrals == 0
    out = io.StringIO()
    call_command("performance_months", stdout=out)
    assert json.loads(out.getvalue())["rows_written"] >= 1
    assert assert_summary_is_the_recount(front_door).totals.referrals == 2
    out = io.StringIO()
    call_command("performance_months", "--fold", stdout=out)
    assert json.loads(out.getvalue()) == {"rows_folded": 0}
