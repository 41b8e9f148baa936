"""A rapid review's statutory dates: when the national panel was notified (due within 5
working days of the serious incident) and when the rapid review was done (15). They could not
be recorded, so the workspace showed both overdue for ever. Recorded from the page and the
API by those who run reviews; a time in the future or before the incident, or none at all, is
refused and stores nothing; a closed review takes no dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.audit.models import AuditEvent
from sightline.core.errors import Invalid, NotPermitted
from sightline.referrals.tests.factories import submit
from sightline.reviews import services
from sightline.reviews.models import Review
from sightline.reviews.tests.factories import lead, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rapid(agencies: dict[str, Any], police_officer: Any) -> tuple[Review, Any]:
    child = submit(police_officer).referral.children.get().child
    user = lead(agencies)
    review = services.review_create(
        acting_user=user, kind="rapid_review", title="Rapid review", child_ids=[child.pk],
        period_start=dt.date(2025, 1, 1), period_end=timezone.localdate(),
        incident_at=timezone.now() - dt.timedelta(days=30),
    )  # fmt: skip
    return review, user


def _local(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def test_the_page_records_both_dates_and_they_are_met(rapid: tuple[Review, Any]) -> None:
    review, user = rapid
    client = signed_in(user)
    before = client.get(f"/reviews/{review.pk}/").content.decode()
    assert before.count("Overdue") == 2 and "Record the dates" in before
    notified = timezone.now() - dt.timedelta(days=28)
    done = timezone.now() - dt.timedelta(days=25)
    response = client.post(
        f"/reviews/{review.pk}/dates/",
        {"notified_at": _local(notified), "rapid_review_done_at": _local(done)},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.notified_at is not None and review.rapid_review_done_at is not None
    assert abs((review.notified_at - notified).total_seconds()) < 60
    after = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Overdue" not in after and after.count("\u2013 met") == 2
    assert AuditEvent.objects.filter(object_id=review.pk, action="record.change").exists()
    # a date recorded after it was due says so
    late = timezone.now() - dt.timedelta(days=1)
    client.post(f"/reviews/{review.pk}/dates/", {"notified_at": _local(late)})
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert page.count("\u2013 met") == 1
    assert ', <span class="sl-reviews-overdue">late</span>' in page


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({}, "Give when the panel was notified"),
        ({"notified_at": "2999-01-01 10:00"}, "cannot be in the future"),
        ({"rapid_review_done_at": "2020-01-01 10:00"}, "before the serious incident"),
        ({"notified_at": "yesterday"}, "Enter a valid date/time"),
    ],
)
def test_a_bad_date_is_an_error_on_the_page_and_stores_nothing(
    rapid: tuple[Review, Any], form: dict[str, str], says: str
) -> None:
    review, user = rapid
    response = signed_in(user).post(f"/reviews/{review.pk}/dates/", form)
    assert response.status_code == 422
    body = response.content.decode()
    assert says in body and "govuk-error-summary" in body
    review.refresh_from_db()
    assert review.notified_at is None and review.rapid_review_done_at is None


def test_the_api_records_a_date_and_refuses_a_reviewer(
    rapid: tuple[Review, Any], agencies: dict[str, Any]
) -> None:
    review, user = rapid
    at = (timezone.now() - dt.timedelta(days=2)).isoformat()
    path = f"/api/v1/reviews/{review.pk}/dates"
    answer = token_client(user).post(path, {"notified_at": at}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["notification_overdue"] is False
    who = reviewer(agencies)
    services.reviewer_grant(acting_user=user, review=review, user=who, days=5)
    refused = token_client(who).post(
        path, {"rapid_review_done_at": at}, content_type="application/json"
    )
    assert refused.status_code == 403
    review.refresh_from_db()
    assert review.rapid_review_done_at is None


def test_a_closed_review_takes_no_dates(rapid: tuple[Review, Any]) -> None:
    review, user = rapid
    services.review_close(acting_user=user, review=review)
    with pytest.raises(NotPermitted):
        services.review_dates_record(
            acting_user=user, review=review, notified_at=timezone.now() - dt.timedelta(days=1)
        )
    with pytest.raises(Invalid):
        services.review_dates_record(acting_user=user, review=Review(incident_at=None))
