from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sightline.accounts.tests.clients import signed_in as client_for
from sightline.audit.models import AuditEvent
from sightline.escalation import services
from sightline.escalation.choices import EscalationStatus
from sightline.escalation.models import Challenge, Escalation, InboxItem
from sightline.escalation.tests.factories import decided, received

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def escalated(police_officer: Any, front_door: Any) -> Any:
    referral = received(police_officer, at=LONG_AGO)
    services.sweep(at=LONG_AGO + dt.timedelta(days=3))
    return referral


@pytest.mark.parametrize(
    "name",
    ["escalation:overview", "escalation:list", "escalation:inbox", "escalation:performance"],
)
def test_pages_render_and_are_audited(escalated: Any, manager: Any, name: str) -> None:
    before = AuditEvent.objects.count()
    response = client_for(manager).get(reverse(name))
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-seq").first().action == "record.list"  # type: ignore[union-attr]


def test_performance_chart_figures_are_embedded_as_json_beside_a_table(
    escalated: Any, front_door: Any, manager: Any
) -> None:
    decided(escalated, front_door, "early_help")
    response = client_for(manager).get(reverse("escalation:performance"))
    page = response.content.decode()
    chart = response.context["chart"]
    assert '<script id="decision-chart" type="application/json">' in page
    assert 'data-sl-chart="decision-chart"' in page
    assert 'id="performance-by-month"' in page  # the table alternative
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "<script>" not in page  # the CSP allows no inline script
    assert len(chart["values"]) == 12


def test_overview_lists_overdue_referral(escalated: Any, front_door: Any) -> None:
    response = client_for(front_door).get(reverse("escalation:overview"))
    assert escalated.reference in response.content.decode()
    assert "Ellie" not in response.content.decode()  # names never appear, references do


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("police_officer", "escalation:overview"),
        ("teacher", "escalation:performance"),
        ("no_access", "escalation:inbox"),
        ("auditor", "escalation:list"),
    ],
)
def test_pages_refuse_roles_without_the_capability(
    escalated: Any, persona: str, name: str, request: Any
) -> None:
    response = client_for(request.getfixturevalue(persona)).get(reverse(name))
    assert response.status_code == 404


def test_signed_out_user_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("escalation:overview"))
    assert response.status_code == 302


def test_escalation_detail_and_resolve(escalated: Any, manager: Any) -> None:
    escalation = Escalation.objects.filter(referral=escalated).first()
    assert escalation is not None
    client = client_for(manager)
    url = reverse("escalation:detail", args=[escalation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="record.view", object_type="escalation", referral_id=escalated.pk
    ).exists()
    act = reverse("escalation:act", args=[escalation.pk, "resolve"])
    assert client.post(act, {"reason": ""}).status_code == 422
    response = client.post(act, {"reason": "Allocated to a social worker."})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RESOLVED


def test_practitioner_cannot_resolve_but_can_acknowledge(escalated: Any, front_door: Any) -> None:
    escalation = Escalation.objects.filter(referral=escalated).first()
    assert escalation is not None
    client = client_for(front_door)
    views = AuditEvent.objects.filter(action="record.view", object_type="escalation")
    resolve = reverse("escalation:act", args=[escalation.pk, "resolve"])
    assert client.post(resolve, {"reason": "Done."}).status_code == 403
    assert views.count() == 1  # refused: the escalation shown again, its view recorded
    ack = reverse("escalation:act", args=[escalation.pk, "acknowledge"])
    assert client.post(ack, {"reason": "On it."}).status_code == 302
    assert views.count() == 1  # done: a redirect, no view


def test_referral_clock_page_is_404_outside_scope(escalated: Any, front_door: Any) -> None:
    url = reverse("escalation:referral", args=[escalated.reference])
    response = client_for(front_door).get(url)
    assert response.status_code == 200
    assert "Statutory clocks" in response.content.decode()
    missing = reverse("escalation:referral", args=["SL-2026-999999"])
    assert client_for(front_door).get(missing).status_code == 404


def test_inbox_shows_and_marks_read(escalated: Any, police_officer: Any, front_door: Any) -> None:
    referral = received(police_officer)
    decided(referral, front_door, "no_further_action")
    client = client_for(police_officer)
    response = client.get(reverse("escalation:inbox"))
    assert f"Decision on referral {referral.reference}" in response.content.decode()
    item = InboxItem.objects.get(user=police_officer)
    client.post(reverse("escalation:inbox_read", args=[item.pk]))
    item.refresh_from_db()
    assert item.read_at is not None


def test_inbox_query_count_is_bounded(
    escalated: Any, front_door: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(front_door)
    with django_assert_max_num_queries(20):
        client.get(reverse("escalation:inbox"))


def test_referrer_raises_challenge_through_the_form(
    police_officer: Any, front_door: Any, teacher: Any
) -> None:
    referral = received(police_officer)
    decided(referral, front_door, "no_further_action")
    url = reverse("escalation:challenge_new", args=[referral.reference])
    assert client_for(teacher).get(url).status_code == 404
    client = client_for(police_officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "Further missing episode since."})
    assert response.status_code == 302
    challenge = Challenge.objects.get(referral=referral)
    detail = client.get(reverse("escalation:challenge", args=[challenge.pk]))
    assert detail.status_code == 200
    assert "Further missing episode since." in detail.content.decode()


def test_practitioner_responds_to_challenge(police_officer: Any, front_door: Any) -> None:
    referral = received(police_officer)
    decided(referral, front_door, "no_further_action")
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=referral, reason="Worried."
    )
    url = reverse("escalation:challenge_respond", args=[challenge.pk])
    views = AuditEvent.objects.filter(action="record.view", object_type="challenge")
    assert client_for(front_door).post(url, {"outcome": "decision_changed"}).status_code == 422
    assert views.count() == 1  # refused (no reasons): shown again, its view recorded
    response = client_for(front_door).post(
        url, {"outcome": "decision_changed", "notes": "Agreed: assessment."}
    )
    assert response.status_code == 302
    assert views.count() == 1
    challenge.refresh_from_db()
    assert challenge.outcome == "decision_changed"


def test_manager_reviews_repeat_referral(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    start = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    for days in (0, 20):
        decided(received(police_officer, at=start + dt.timedelta(days=days)), front_door)
    third = received(police_officer, at=start + dt.timedelta(days=40))
    page = client_for(front_door).get(reverse("escalation:referral", args=[third.reference]))
    assert "third referral" in page.content.decode()
    url = reverse("escalation:review", args=[third.reference])
    assert client_for(front_door).get(url).status_code == 404  # practitioners cannot sign off
    response = client_for(manager).post(url, {"reason": "History read; proceed to decision."})
    assert response.status_code == 302


def test_snippets_render_for_the_referral_pages(
    rf: Any, police_officer: Any, front_door: Any
) -> None:
    from django.template.loader import render_to_string

    referral = received(police_officer, urgency="urgent")
    decided(referral, front_door, "no_further_action")
    referral.refresh_from_db()
    request = rf.get("/")
    request.user = police_officer
    invite = render_to_string(
        "escalation/_challenge_invite.html", {"referral": referral, "request": request}
    )
    assert "Challenge this decision" in invite
    request.user = front_door
    history = render_to_string(
        "escalation/_referral_escalations.html", {"referral": referral, "request": request}
    )
    assert "No escalations on this referral." in history
