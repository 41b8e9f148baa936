"""Pages name the children the user may see (issue 11 §6): the queue, overdue work, the
alerts and a network's labels show a child's name beside its reference to a user who may
open the child's record, and the reference alone to one who may not (a MACE chair sees
intelligence, not children's records) or for a restricted child they are not named on."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in
from sightline.accounts.tests.factories import UserFactory
from sightline.people.models import Child
from sightline.site.tests.world import FAMILY, GIVEN, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    with transaction.atomic():
        return build_world(police_officer=police_officer, teacher=teacher, manager=manager)


def _page(client: Any, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_queue_overdue_work_alerts_and_network_name_the_children(
    world: dict[str, Any], manager: Any
) -> None:
    client = signed_in(manager)
    old = Child.objects.get(given_name="Oldqx")  # its referral's clock is overdue
    queue = _page(client, "referrals:queue")
    assert f"<strong>{GIVEN} {FAMILY}</strong>" in queue
    assert "<strong>Oldqx Caseqx</strong>" in queue and old.reference in queue
    overdue = _page(client, "escalation:overview").split("Overdue (", 1)[1]
    assert "<strong>Oldqx Caseqx</strong>" in overdue.split("Due in the next 24 hours", 1)[0]
    alerts = _page(client, "intel:alerts")
    child = Child.objects.get(given_name=GIVEN)
    assert f'{GIVEN} {FAMILY} <span class="sl-nowrap">({child.reference})</span>' in alerts
    alert = _page(client, "intel:alert", world["alert"])
    assert f"{GIVEN} {FAMILY} ({child.reference})</a>" in alert
    network = client.get(reverse("intel:network_json", args=["person", world["person"]])).json()
    labels = {n["label"] for n in network["nodes"] if n["type"] == "child"}
    assert f"{GIVEN} {FAMILY} ({child.reference})" in labels


def test_a_user_who_may_not_open_the_child_sees_the_reference_alone(
    world: dict[str, Any], manager: Any, agencies: dict[str, Any]
) -> None:
    chair = UserFactory(username="names-chair", agency=agencies["police"], role=Role.MACE_CHAIR)
    client = signed_in(chair)
    child = Child.objects.get(given_name=GIVEN)
    alerts = _page(client, "intel:alerts")
    assert child.reference in alerts and GIVEN not in alerts
    network = client.get(reverse("intel:network_json", args=["person", world["person"]])).json()
    labels = {n["label"] for n in network["nodes"] if n["type"] == "child"}
    assert child.reference in labels and not any(GIVEN in label for label in labels)
    # A restricted child is named only to the users named on it.
    Child.objects.filter(given_name="Oldqx").update(is_restricted=True)
    queue = _page(signed_in(manager), "referrals:queue")
    assert "Oldqx" not in queue and "<strong>Jadeqx Marshqx</strong>" in queue
