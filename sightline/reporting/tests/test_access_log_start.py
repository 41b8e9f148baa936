"""The information-governance officer's way in to a child's access log: the reference on a
subject access request, typed on the start page, leads to that child's log. A reference no
child has, an empty one or one too long is an error on the page and records nothing; other
roles get 404, as for any page their role does not have."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.referrals.tests.factories import submit

pytestmark = pytest.mark.django_db

START = "/audit/"


def test_the_reference_leads_to_that_childs_log(police_officer: Any, auditor: Any) -> None:
    child = submit(police_officer).referral.children.get().child
    client = signed_in(auditor)
    before = AuditEvent.objects.filter(object_type="access_log").count()
    response = client.get(START, {"reference": f"  {child.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:child_access_log", args=[child.pk])
    # the lookup shows nothing of the child: the log's own page records the view
    assert AuditEvent.objects.filter(object_type="access_log").count() == before
    page = client.get(response["Location"])
    assert page.status_code == 200 and child.reference in page.content.decode()
    assert AuditEvent.objects.filter(object_type="access_log").count() == before + 1


@pytest.mark.parametrize(
    ("reference", "status", "says"),
    [
        ("CH-2099-9999999", 404, "No child with that reference"),
        ("   ", 400, "Enter the child&#x27;s reference"),
        ("CH-" + "9" * 40, 400, "at most 20 characters"),
    ],
)
def test_a_bad_reference_is_an_error_on_the_page_and_records_nothing(
    auditor: Any, reference: str, status: int, says: str
) -> None:
    before = AuditEvent.objects.count()
    response = signed_in(auditor).get(START, {"reference": reference})
    assert response.status_code == status
    body = response.content.decode()
    assert says in body and "govuk-error-summary" in body
    assert AuditEvent.objects.count() == before


def test_the_start_page_asks_for_the_reference(auditor: Any) -> None:
    response = signed_in(auditor).get(START)
    assert response.status_code == 200
    assert 'name="reference"' in response.content.decode()


def test_home_sends_the_auditor_to_the_start_page(auditor: Any) -> None:
    response = signed_in(auditor).get("/")
    assert response.status_code == 302 and response["Location"] == START


def test_another_role_cannot_look_a_child_up(police_officer: Any) -> None:
    child = submit(police_officer).referral.children.get().child
    response = signed_in(police_officer).get(START, {"reference": child.reference})
    assert response.status_code == 404


def test_home_sends_the_reviewer_and_the_administrator_to_their_pages(
    agencies: dict[str, Any], no_access: Any
) -> None:
    from sightline.accounts.roles import Role
    from sightline.accounts.tests.factories import UserFactory

    reviewer = UserFactory(username="case-reviewer", agency=agencies["csc"], role=Role.REVIEWER)
    assert signed_in(reviewer).get("/")["Location"] == reverse("reviews:list")
    assert signed_in(no_access).get("/")["Location"] == reverse("admin_console:home")
