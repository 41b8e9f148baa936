"""The review's chronology holds the partner events and the statutory casework steps of its
children in its period (it held referrals, screenings and decisions only), each under its
agency, so the review's agencies filter them too; events outside the period stay out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.events.models import Event
from sightline.people.models import Child
from sightline.reviews.selectors import review_chronology
from sightline.reviews.tests.factories import lead, review_with_history
from sightline.workflows import strategy_discussion_record

pytestmark = pytest.mark.django_db


def _event(child: Any, agency: Any, user: Any, days_ago: int, source: str) -> Event:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return Event.objects.create(
        reference=f"EV-T-{source}", kind="police_incident", code="found_with_adults",
        agency=agency, source_id=source, child=child, match_status="given", occurred_at=at,
        received_at=at, submitted_by=user, summary="Found in a car with two adults.",
    )  # fmt: skip


def test_partner_events_and_casework_join_the_review_chronology(
    agencies: dict[str, Any], teacher: Any, manager: Any, front_door: Any, police_officer: Any
) -> None:
    world = review_with_history(referrer=teacher, decider=manager, lead_user=lead(agencies))
    review, child = world["review"], Child.objects.get(pk=world["child_id"])
    inside = _event(child, agencies["police"], police_officer, 3, "in")
    _event(child, agencies["police"], police_officer, 400, "before")  # outside the period
    strategy_discussion_record(
        acting_user=front_door, child=child, referral=world["referral"],
        held_at=timezone.now(), police_present=True, csc_present=True,
        health_present=True, outcome="section_47", outcome_reason="Synthetic reasons.",
    )  # fmt: skip
    entries = review_chronology(review=review)
    kinds = {(e.event_type, e.source) for e in entries}
    assert ("Partner event", inside.reference) in kinds
    assert ("Partner event", "EV-T-before") not in kinds
    assert ("Strategy discussion", world["referral"].reference) in kinds
    event_line = next(e for e in entries if e.source == inside.reference)
    assert event_line.headline == "Police incident: found with adults"
    assert event_line.agency == agencies["police"].name and event_line.child_age is not None
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    # the workspace links a referral's reference to the review's reading of it, and shows an
    # event's reference without a link (there is no reading of it: the link answered 404)
    from sightline.accounts.tests.clients import signed_in

    page = signed_in(review.created_by).get(f"/reviews/{review.pk}/").content.decode()
    assert f"/referrals/{world['referral'].reference}/" in page
    assert inside.reference in page and f"/referrals/{inside.reference}/" not in page
    # a review scoped to children's social care leaves the police's event out
    review.agencies.set([agencies["csc"]])
    scoped = {(e.event_type, e.source) for e in review_chronology(review=review)}
    assert ("Partner event", inside.reference) not in scoped
    assert ("Strategy discussion", world["referral"].reference) in scoped
