"""A reviewer reads the records a review cites, through the review: the cited referrals and
the child's record, read-only and audited; nothing else (404), and nothing once the grant ends
or the review closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.referrals.models import Referral
from sightline.reviews import services
from sightline.reviews.tests.factories import lead, refer, review_with_history, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agencies: dict[str, Any], police_officer: Any, manager: Any) -> dict[str, Any]:
    sg = lead(agencies)
    found = review_with_history(referrer=police_officer, decider=manager, lead_user=sg)
    rv = reviewer(agencies)
    services.reviewer_grant(acting_user=sg, review=found["review"], user=rv, days=30)
    other = refer(police_officer, dob=dt.date(2012, 1, 2)).referral  # another child's
    return {**found, "lead": sg, "reviewer": rv, "other": other}


def paths(w: dict[str, Any]) -> dict[str, str]:
    review = w["review"].pk
    return {
        "referral": f"/reviews/{review}/referrals/{w['referral'].reference}/",
        "child": f"/reviews/{review}/children/{w['child_id']}/",
    }


def test_a_reviewer_reads_the_cited_referral_and_child_and_each_read_is_audited(
    world: dict[str, Any],
) -> None:
    client = signed_in(world["reviewer"])
    referral = client.get(paths(world)["referral"])
    assert referral.status_code == 200
    html = referral.content.decode()
    assert world["referral"].reference in html and "read-only" in html
    assert "She is streetwise and consented." in html  # the decision under review
    row = AuditEvent.objects.filter(actor=world["reviewer"], object_type="referral").get()
    assert row.details["via_review"] == world["review"].reference
    assert row.child_id == world["child_id"] and row.referral_id == world["referral"].pk
    child = client.get(paths(world)["child"])
    assert child.status_code == 200 and world["referral"].reference in child.content.decode()
    assert (
        AuditEvent.objects.filter(
            actor=world["reviewer"], object_type="child", child_id=world["child_id"]
        ).count()
        == 1
    )
    # The review's workspace links to them.
    workspace = client.get(f"/reviews/{world['review'].pk}/").content.decode()
    assert paths(world)["referral"] in workspace and paths(world)["child"] in workspace


def test_a_reviewer_reads_nothing_the_review_does_not_cite(world: dict[str, Any]) -> None:
    client = signed_in(world["reviewer"])
    review = world["review"].pk
    other: Referral = world["other"]
    other_child = other.children.get().child_id
    for path in (
        f"/reviews/{review}/referrals/{other.reference}/",  # another child's referral
        f"/reviews/{review}/children/{other_child}/",  # a child not in the review
        f"/referrals/{world['referral'].reference}/",  # the front door's own page
        f"/children/{world['child_id']}/",  # the child hub
        f"/casework/children/{world['child_id']}/",
    ):
        assert client.get(path).status_code in (403, 404), path
    for path in (f"/reviews/{review}/referrals/{other.reference}/",
                 f"/reviews/{review}/children/{other_child}/",
                 f"/referrals/{world['referral'].reference}/"):  # fmt: skip
        assert client.get(path).status_code == 404, path


def test_a_referral_outside_the_review_period_is_not_found(world: dict[str, Any]) -> None:
    review = world["review"]
    review.period_start = timezone.localdate() + dt.timedelta(days=1)
    review.period_end = timezone.localdate() + dt.timedelta(days=2)
    review.save(update_fields=["period_start", "period_end"])
    client = signed_in(world["reviewer"])
    assert client.get(paths(world)["referral"]).status_code == 404
    child = client.get(paths(world)["child"])
    assert child.status_code == 200
    assert world["referral"].reference not in child.content.decode()


def test_access_ends_when_the_review_closes(world: dict[str, Any]) -> None:
    client = signed_in(world["reviewer"])
    assert client.get(paths(world)["referral"]).status_code == 200
    services.review_close(acting_user=world["lead"], review=world["review"])
    for path in paths(world).values():
        assert client.get(path).status_code == 404
