from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.core.errors import NotFound
from sightline.escalation import selectors, services
from sightline.escalation.choices import ClockKind
from sightline.escalation.models import Clock
from sightline.escalation.tests.factories import decided, received

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def escalated(police_officer: Any) -> Any:
    referral = received(police_officer, at=LONG_AGO)
    services.sweep(at=LONG_AGO + dt.timedelta(days=3))
    return referral


def test_front_door_sees_open_escalations(escalated: Any, front_door: Any) -> None:
    rows = list(selectors.escalation_list(user=front_door, status="open"))
    assert {e.referral_id for e in rows} == {escalated.pk}
    assert len(rows) == 2


@pytest.mark.parametrize("persona", ["police_officer", "teacher", "school_lead", "no_access"])
def test_others_see_no_escalations(escalated: Any, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    assert not selectors.escalation_list(user=user).exists()
    assert not selectors.clock_scope(user=user).exists()


def test_referrer_sees_the_clocks_on_their_own_referral_only(
    escalated: Any, police_officer: Any, teacher: Any
) -> None:
    assert selectors.referral_clocks(user=police_officer, referral=escalated).count() == 2
    assert not selectors.referral_clocks(user=teacher, referral=escalated).exists()


def test_challenges_are_seen_by_their_referrer_and_the_front_door(
    police_officer: Any, teacher: Any, front_door: Any
) -> None:
    referral = received(police_officer)
    decided(referral, front_door, "no_further_action")
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=referral, reason="Worried."
    )
    assert list(selectors.challenge_list(user=police_officer)) == [challenge]
    assert list(selectors.challenge_list(user=front_door)) == [challenge]
    assert not selectors.challenge_list(user=teacher).exists()
    assert selectors.referral_for_challenge(user=teacher, reference=referral.reference) is None
    assert selectors.referral_for_challenge(user=front_door, reference=referral.reference) is None


def test_overdue_work_groups_by_team_and_person(
    escalated: Any, police_officer: Any, front_door: Any
) -> None:
    other = received(police_officer, at=LONG_AGO)
    decided(other, front_door, "assessment")
    Clock.objects.filter(referral=other, kind=ClockKind.ASSESSMENT).update(
        due_at=timezone.now() + dt.timedelta(hours=3)
    )
    work = selectors.overdue_work(user=front_door)
    assert work.overdue is not None and work.nearly_due is not None
    assert {c.referral_id for c in work.overdue} == {escalated.pk}
    assert [c.kind for c in work.nearly_due] == [ClockKind.ASSESSMENT]
    people = {g.label: (g.overdue, g.nearly_due) for g in work.by_person}
    assert people == {"Not allocated to a person": (2, 0), front_door.username: (0, 1)}


def test_clock_summary_lists_clocks_and_escalations(escalated: Any) -> None:
    summary = selectors.referral_clock_summary(escalated)
    assert {c["name"] for c in summary["clocks"]} == {"decision", "rag"}
    assert {c["status"] for c in summary["clocks"]} == {"breached"}
    assert summary["escalations"][0]["subject"] == escalated.reference


def test_performance_counts_decisions_in_time(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    prompt = received(police_officer)
    decided(prompt, front_door, "early_help")
    late = received(police_officer, at=timezone.now() - dt.timedelta(days=10))
    decided(late, front_door, "no_further_action")
    received(police_officer)  # undecided
    perf = selectors.performance(user=manager)
    assert perf.totals.referrals == 3
    assert (perf.totals.decided, perf.totals.decided_in_time) == (2, 1)
    assert perf.totals.decision_share == 50
    assert len(perf.months) == 12
    assert perf.by_agency[0]["referrals"] == 3


def test_performance_needs_the_capability(police_officer: Any) -> None:
    with pytest.raises(PermissionError):
        selectors.performance(user=police_officer)


def test_decision_chart_gives_one_figure_per_month_and_none_for_no_decisions(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    decided(received(police_officer), front_door, "early_help")
    perf = selectors.performance(user=manager)
    chart = selectors.decision_chart(perf)
    assert len(chart["labels"]) == len(chart["values"]) == 12
    assert chart["labels"][-1] == f"{timezone.localdate():%b %Y}"
    assert chart["values"][-1] == 100
    assert chart["values"][0] is None
    assert chart["values"] == [row.decision_share for row in perf.months]


def test_an_audited_read_records_the_view_and_refuses_what_is_out_of_scope(
    escalated: Any, front_door: Any, police_officer: Any, teacher: Any
) -> None:
    escalation = selectors.escalation_list(user=front_door).first()
    assert escalation is not None
    rows = AuditEvent.objects.filter(object_type="escalation", object_id=escalation.pk)
    assert selectors.escalation_read(user=front_door, escalation_id=escalation.pk) == escalation
    assert rows.filter(actor=front_door, action=Action.VIEW).count() == 1
    with pytest.raises(NotFound):
        selectors.escalation_read(user=police_officer, escalation_id=escalation.pk)
    assert not rows.filter(actor=police_officer).exists()
    # The referrer sees her own referral's clocks; another referrer is told there is none.
    found = selectors.referral_clocks_read(user=police_officer, reference=escalated.reference)
    assert len(found.clocks) == 2
    assert AuditEvent.objects.filter(
        actor=police_officer, object_type="referral_clocks", referral_id=escalated.pk
    ).exists()
    for reference in (escalated.reference, "SL-\x00"):
        with pytest.raises(NotFound):
            selectors.referral_clocks_read(user=teacher, reference=reference)
    assert not AuditEvent.objects.filter(actor=teacher).exists()
