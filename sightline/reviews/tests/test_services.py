"""Reviews services: language flags kept with records, reviews, reviewer access, findings and
recommendations with their second-person acceptance, and the overdue flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.core.errors import Conflict, Invalid, NotPermitted
from sightline.core.models import OutboxMessage
from sightline.reviews import selectors, services
from sightline.reviews.models import LanguageCheck, LanguageFlag, Recommendation, Review
from sightline.reviews.tests.factories import lead, refer, review_with_history, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(agencies: dict[str, Any], police_officer: Any, manager: Any) -> dict[str, Any]:
    sg = lead(agencies)
    return {
        **review_with_history(referrer=police_officer, decider=manager, lead_user=sg),
        "lead": sg,
    }


def test_intake_keeps_the_narratives_flags_with_the_authors_agency(
    police_officer: Any,
) -> None:
    result = refer(police_officer)
    assert [f.phrase for f in result.language_flags] == ["boyfriend", "making her own choices"]
    stored = LanguageFlag.objects.filter(record_id=result.referral.pk).order_by("start")
    assert [(f.content_type, f.field, f.code) for f in stored] == [
        ("referral.narrative", "narrative", "L09"),
        ("referral.narrative", "narrative", "L02"),
    ]
    assert {f.agency_id for f in stored} == {police_officer.agency_id}
    check = LanguageCheck.objects.get(record_id=result.referral.pk)
    assert check.flag_count == 2 and check.record_ref == result.referral.reference


def test_a_clean_narrative_is_counted_with_no_flags(police_officer: Any) -> None:
    result = refer(police_officer, narrative="Adults are exploiting the child near the park.")
    assert result.language_flags == []
    assert LanguageCheck.objects.get(record_id=result.referral.pk).flag_count == 0


def test_the_decision_reason_is_checked_when_the_decision_is_recorded(
    world: dict[str, Any],
) -> None:
    codes = set(
        LanguageFlag.objects.filter(content_type="decision.reason").values_list("code", flat=True)
    )
    assert codes == {"L24", "L05"}


def test_rapid_review_due_times_are_in_working_days(
    world: dict[str, Any], lead_user: Any = None
) -> None:
    review = world["review"]
    friday = dt.datetime(2026, 5, 29, 10, tzinfo=dt.UTC)  # bank holiday Monday 25 May before
    review.incident_at = friday
    services.review_due_times(review)
    assert review.notification_due_at == dt.datetime(2026, 6, 5, 10, tzinfo=dt.UTC)
    assert review.rapid_review_due_at == dt.datetime(2026, 6, 19, 10, tzinfo=dt.UTC)


def test_a_review_with_no_children_is_refused_and_nothing_stored(agencies: dict[str, Any]) -> None:
    before = Review.objects.count()
    today = timezone.localdate()
    with pytest.raises(Invalid) as err:
        services.review_create(
            acting_user=lead(agencies), kind="learning_review", title="Learning review",
            child_ids=[], period_start=today, period_end=today,
        )  # fmt: skip
    assert "children" in err.value.detail
    assert Review.objects.count() == before


def test_a_title_longer_than_the_field_is_refused_and_nothing_stored(
    world: dict[str, Any],
) -> None:
    before = Review.objects.count()
    today = timezone.localdate()
    with pytest.raises(Invalid) as err:
        services.review_create(
            acting_user=world["lead"], kind="learning_review", title="R" * 201,
            child_ids=[world["child_id"]], period_start=today, period_end=today,
        )  # fmt: skip
    assert "200 characters" in err.value.detail["title"]
    assert Review.objects.count() == before
    made = services.review_create(
        acting_user=world["lead"], kind="learning_review", title="R" * 200,
        child_ids=[world["child_id"]], period_start=today, period_end=today,
    )  # fmt: skip
    assert len(made.title) == 200


def test_the_demo_review_title_fits_however_many_children_the_person_links() -> None:
    from sightline.demo.review_seed import _title

    few = _title(["CH-2026-0000001", "CH-2026-0000002"])
    assert few == (
        "Learning review: CH-2026-0000001 and CH-2026-0000002, linked through one person of concern"
    )
    many = _title([f"CH-2026-{n:07d}" for n in range(40)])
    assert len(many) <= 200 == Review._meta.get_field("title").max_length
    assert "and 37 more children" in many


def test_a_reviewer_sees_the_review_only_while_granted_and_open(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    review, sg = world["review"], world["lead"]
    rv = reviewer(agencies)
    assert selectors.review_get(user=rv, review_id=review.pk) is None
    services.reviewer_grant(acting_user=sg, review=review, user=rv, days=30)
    assert selectors.review_get(user=rv, review_id=review.pk) is not None
    [window] = selectors.reviewer_windows(user=rv, child_id=world["child_id"])
    assert (window.period_start, window.period_end) == (review.period_start, review.period_end)
    services.review_close(acting_user=sg, review=review)
    assert selectors.review_get(user=rv, review_id=review.pk) is None
    assert selectors.reviewer_windows(user=rv, child_id=world["child_id"]) == []
    with pytest.raises(Conflict):
        services.review_close(acting_user=sg, review=review)


def test_the_chronology_holds_the_referral_and_decision_with_notes(
    world: dict[str, Any],
) -> None:
    review = world["review"]
    entries = selectors.review_chronology(review=review)
    kinds = [e.event_type for e in entries]
    assert kinds == ["Referral", "CSE screening", "Decision"]
    services.chronology_note_set(
        acting_user=world["lead"], review=review, entry_key=entries[2].key,
        significance="Closed with no action despite an adult named.", is_key=True,
    )  # fmt: skip
    again = selectors.review_chronology(review=review)
    assert again[2].is_key and again[2].significance.startswith("Closed")


def _rec(world: dict[str, Any], owner: Any, **kw: Any) -> Recommendation:
    return services.recommendation_add(
        acting_user=world["lead"], review=world["review"], text="Train staff on language.",
        owner_agency=owner.agency if owner else None, owner_person=owner,
        due_on=kw.get("due_on", timezone.localdate() + dt.timedelta(days=30)),
        required_evidence="Attendance list for the course.",
    )  # fmt: skip


def test_a_recommendation_without_an_owner_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as err:
        _rec(world, None)
    assert set(err.value.detail) == {"owner_agency", "owner_person"}
    assert not Recommendation.objects.exists()


def test_accepting_ones_own_evidence_is_refused_and_a_second_person_accepts(
    world: dict[str, Any], agencies: dict[str, Any], manager: Any
) -> None:
    rec = _rec(world, manager)
    with pytest.raises(Invalid):  # no evidence yet
        services.recommendation_update(
            acting_user=manager, recommendation=rec, status="evidence_submitted"
        )
    services.recommendation_update(
        acting_user=world["lead"], recommendation=rec, status="evidence_submitted",
        evidence="Course ran on 3 March; 40 staff attended.",
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        services.recommendation_update(
            acting_user=world["lead"], recommendation=rec, status="accepted"
        )
    rec.refresh_from_db()
    assert rec.status == "evidence_submitted" and rec.decided_by is None
    with pytest.raises(NotPermitted):  # the owner is not a review lead
        services.recommendation_update(acting_user=manager, recommendation=rec, status="accepted")
    second = lead(agencies, "sg-lead-2")
    services.recommendation_update(acting_user=second, recommendation=rec, status="accepted")
    rec.refresh_from_db()
    assert rec.status == "accepted" and rec.decided_by == second
    assert [u.status_to for u in rec.updates.all()] == ["evidence_submitted", "accepted"]
    with pytest.raises(Conflict):
        services.recommendation_update(acting_user=second, recommendation=rec, status="open")


def test_overdue_recommendations_are_flagged_once_and_the_owner_told(
    world: dict[str, Any], manager: Any
) -> None:
    rec = _rec(world, manager, due_on=timezone.localdate() - dt.timedelta(days=1))
    _rec(world, manager)  # not yet due
    assert services.recommendations_flag_overdue() == 1
    assert services.recommendations_flag_overdue() == 0
    rec.refresh_from_db()
    assert rec.overdue_flagged_at is not None
    message = OutboxMessage.objects.get(kind="recommendation_overdue")
    assert message.recipient == manager and rec.reference in message.body
    assert [
        r.reference for r in selectors.recommendation_list(user=world["lead"], status="overdue")
    ] == [rec.reference]
    assert AuditEvent.objects.filter(object_type="recommendation_overdue").count() == 1
