"""The demo's casework history: recorded through the casework workflows (each step with its
audit row, the assessment clocks met by the recorded assessments), once only, and shown on a
child's casework page and in the CIN census."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.models import User
from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.casework.choices import CASEWORK_OUTCOMES
from sightline.casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    EpisodeClosure,
    SignOff,
    StrategyDiscussion,
)
from sightline.demo.casework_load import demo_casework_load
from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.escalation.models import Clock
from sightline.escalation.services.backfill import clocks_backfill
from sightline.referrals.models import ReferralChild
from sightline.reporting.returns import cin_census
from sightline.reporting.returns.census import la_child_id

pytestmark = pytest.mark.django_db

STEP_MODELS: dict[str, Any] = {
    "allocation": Allocation,
    "assessment": Assessment,
    "case_note": CaseNote,
    "episodeclosure": EpisodeClosure,
    "strategydiscussion": StrategyDiscussion,
}


def _counts() -> dict[str, int]:
    counts = {name: model.objects.count() for name, model in STEP_MODELS.items()}
    counts["audit"] = AuditEvent.objects.count()
    counts["sign_offs"] = SignOff.objects.count()
    return counts


def test_casework_history_through_the_workflows_once_and_shown(tmp_path: Path) -> None:
    today = timezone.localdate()
    borough = generate_borough(children=60, years=2, seed=7, end=today, networks=1)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json", open_count=12)
    clocks_backfill(acting_user=None)
    report = demo_casework_load()
    assert report is not None
    episodes = ReferralChild.objects.filter(
        referral__decision__outcome__in=CASEWORK_OUTCOMES
    ).count()
    assert report.episodes == episodes > 0
    # every episode allocated; most assessments completed and authorised by the manager
    assert Allocation.objects.values("child", "referral").distinct().count() == episodes
    assert report.steps["assessment"] == Assessment.objects.count() == episodes
    completed = Assessment.objects.filter(completed_on__isnull=False)
    assert completed.exists() and EpisodeClosure.objects.exists() and CaseNote.objects.exists()
    manager = User.objects.get(username="demo-team-manager")
    assert set(
        Assessment.objects.filter(authorised_on__isnull=False).values_list(
            "authorised_by", flat=True
        )
    ) == {manager.pk}
    # each step written by its service: an audit row per record
    for object_type, model in STEP_MODELS.items():
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        audited = set(
            AuditEvent.objects.filter(object_type=object_type).values_list("object_id", flat=True)
        )
        assert ids and ids <= {str(i) for i in audited}, object_type
    # the steps and the clocks agree: each completed assessment met its referral's clock
    for assessment in completed:
        clock = Clock.objects.get(referral=assessment.referral, kind="assessment")
        assert clock.status == "met"
        assert timezone.localtime(clock.met_at).date() == assessment.completed_on
    # history: never in the future, never before the decision
    for allocation in Allocation.objects.select_related("referral__decision"):
        assert allocation.referral is not None
        assert allocation.referral.decision.decided_at < allocation.allocated_at
        assert allocation.allocated_at <= timezone.now()
    assert not Assessment.objects.filter(started_on__gt=today).exists()
    # a closed episode leaves the worker's caseload
    for closure in EpisodeClosure.objects.all():
        assert not Allocation.objects.filter(
            child=closure.child, referral=closure.referral, ended_at__isnull=True
        ).exists()
    # the demo users have work: open episodes, proposals awaiting sign-off
    open_rows = Allocation.objects.filter(
        ended_at__isnull=True, worker__username__startswith="demo-"
    )
    assert open_rows.exists()
    assert SignOff.objects.filter(status="pending").exists()

    before = _counts()
    again = demo_casework_load()
    assert again is not None and again.episodes == 0 and again.skipped == episodes
    assert _counts() == before

    # one child's casework page and the CIN census show the recorded steps
    in_year = completed.filter(started_on__range=(dt.date(2025, 4, 1), dt.date(2026, 3, 31)))
    shown = in_year.select_related("child", "referral").order_by("started_on").first()
    assert shown is not None and shown.completed_on is not None
    client = signed_in(User.objects.get(username="demo-cse-specialist"))
    page = client.get(f"/casework/children/{shown.child_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child and family assessment" in html
    assert shown.referral.reference in html
    assert shown.completed_on.strftime("%-d %b %Y") in html
    census = cin_census("2025-26")
    assert census.xml is not None
    xml = census.xml.decode()
    assert la_child_id(shown.child.reference) in xml
    assert f"<AssessmentActualStartDate>{shown.started_on.isoformat()}" in xml
