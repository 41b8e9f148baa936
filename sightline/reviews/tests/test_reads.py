"""The reviews app's audited reads (ADR 0010): each writes the row its page or handler used to
write (one per child in the review's scope for a review), and a record missing or out of scope
is NotFound with nothing recorded."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.core.errors import NotFound
from sightline.reviews import selectors, services
from sightline.reviews.tests.factories import lead, review_with_history, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agencies: dict[str, Any], police_officer: Any, manager: Any) -> dict[str, Any]:
    sg = lead(agencies)
    found = review_with_history(referrer=police_officer, decider=manager, lead_user=sg)
    return {**found, "lead": sg, "outsider": reviewer(agencies)}


def _rows(user: Any) -> list[tuple[str, str, Any]]:
    return list(
        AuditEvent.objects.filter(actor=user)
        .order_by("seq")
        .values_list("action", "object_type", "child_id")
    )


def test_the_chronology_read_records_a_view_or_an_export_per_child(world: dict[str, Any]) -> None:
    review, entries = selectors.review_chronology_read(
        user=world["lead"], review_id=world["review"].pk
    )
    assert review == world["review"] and entries
    selectors.review_chronology_read(
        user=world["lead"], review_id=world["review"].pk, action=Action.EXPORT
    )
    selectors.review_read(user=world["lead"], review_id=world["review"].pk)
    assert _rows(world["lead"])[-3:] == [
        ("record.view", "review_chronology", world["child_id"]),
        ("record.export", "review_chronology", world["child_id"]),
        ("record.view", "review", world["child_id"]),
    ]


def test_a_review_out_of_scope_is_not_found_and_nothing_is_recorded(
    world: dict[str, Any],
) -> None:
    outsider, review_id = world["outsider"], world["review"].pk
    for read in (
        lambda: selectors.review_read(user=outsider, review_id=review_id),
        lambda: selectors.review_chronology_read(user=outsider, review_id=review_id),
        lambda: selectors.review_child_read(
            user=outsider, review_id=review_id, child_id=world["child_id"]
        ),
        lambda: selectors.review_referral_read(
            user=outsider, review_id=review_id, reference=world["referral"].reference
        ),
        lambda: selectors.recommendation_read(user=outsider, recommendation_id=uuid.uuid4()),
        lambda: selectors.missed_opportunity_read(user=outsider, mo_id=uuid.uuid4()),
        lambda: selectors.detector_run_read(user=outsider, run_id=uuid.uuid4()),
    ):
        with pytest.raises(NotFound):
            read()
    assert _rows(outsider) == []


def test_a_granted_reviewer_reads_the_cited_referral_through_the_review(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    rv = reviewer(agencies, name="granted-reviewer")
    services.reviewer_grant(acting_user=world["lead"], review=world["review"], user=rv, days=30)
    review, referral, children = selectors.review_referral_read(
        user=rv, review_id=world["review"].pk, reference=world["referral"].reference
    )
    assert referral == world["referral"] and [c.child_id for c in children] == [world["child_id"]]
    row = AuditEvent.objects.get(actor=rv, object_type="referral")
    assert row.details["via_review"] == review.reference and row.referral_id == referral.pk


def test_the_tracker_and_its_export_record_what_they_list(world: dict[str, Any]) -> None:
    manager = world["lead"]
    services.recommendation_add(
        acting_user=manager, review=world["review"], text="Hold a strategy discussion.",
        owner_agency=manager.agency, owner_person=manager,
        due_on=timezone.localdate() + dt.timedelta(days=30), required_evidence="Minutes.",
    )  # fmt: skip
    _, recs = selectors.tracker_read(
        user=manager, status=None, today=timezone.localdate(), limit=10
    )
    exported = selectors.recommendation_export_read(user=manager, status="overdue")
    count, page = selectors.recommendation_page_read(user=manager, status=None, offset=0, limit=5)
    assert len(recs) == 1 and exported == [] and (count, page) == (1, recs)
    listed = AuditEvent.objects.filter(actor=manager, object_type="recommendations")
    assert list(listed.order_by("seq").values_list("action", "details")) == [
        ("record.list", {"status": "", "count": 1}),
        ("record.export", {"status": "overdue", "count": 0, "format": "csv"}),
        ("record.list", {"status": "", "count": 1, "offset": 0}),
    ]
