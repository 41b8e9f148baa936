"""Every page a role may open is reachable from the pages it starts on: the menu (or a link
on a page the menu opens) leads to the missing-children page, the events import, the
recommendations tracker for agencies' leads and the head-of-service overrides. Each of these
was reachable only by typing its address."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in
from sightline.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "kind", "start", "target"),
    [
        (Role.FRONT_DOOR_PRACTITIONER, "csc", "referrals:queue", "events:missing"),
        (Role.POLICE_ANALYST, "police", "referrals:mine", "events:missing"),
        (Role.HEALTH_LEAD, "health", "referrals:mine", "events:import"),
        (Role.EDUCATION_LEAD, "education", "referrals:mine", "reviews:tracker"),
        (Role.HEAD_OF_SERVICE, "csc", "casework:sign_offs", "casework:overrides"),
    ],
)
def test_a_page_the_role_may_open_is_linked(
    agencies: dict[str, Any], role: str, kind: str, start: str, target: str
) -> None:
    user = UserFactory(username=f"nav-{role}", agency=agencies[kind], role=role)
    client = signed_in(user)
    page = client.get(reverse(start))
    assert page.status_code == 200
    assert f'href="{reverse(target)}"' in page.content.decode()
    assert client.get(reverse(target)).status_code == 200


def test_a_role_is_not_offered_what_it_may_not_open(agencies: dict[str, Any]) -> None:
    user = UserFactory(username="nav-referrer", agency=agencies["police"], role=Role.REFERRER)
    body = signed_in(user).get(reverse("referrals:mine")).content.decode()
    for target in ("events:missing", "events:import", "reviews:tracker", "reviews:list"):
        assert f'href="{reverse(target)}"' not in body
