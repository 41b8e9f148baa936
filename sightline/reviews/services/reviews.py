"""Case reviews: start one with its scope and statutory dates, grant and end reviewers' access,
record the dates met, note an entry's significance, add findings, close it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.calendar import WorkingCalendar
from sightline.core.dates import add_months
from sightline.core.errors import Invalid, NotPermitted
from sightline.core.references import next_reference
from sightline.core.states import guard
from sightline.escalation.models import ClosureDay
from sightline.people.models import Child
from sightline.reviews.choices import (
    LCSPR_MONTHS,
    MAX_GRANT_DAYS,
    NOTIFICATION_WORKING_DAYS,
    RAPID_REVIEW_WORKING_DAYS,
    REVIEW_TRANSITIONS,
    ReviewKind,
    ReviewStatus,
    TextKind,
)
from sightline.reviews.models import ChronologyNote, Finding, Review, ReviewChild, ReviewerGrant
from sightline.reviews.rules import review_is_open
from sightline.reviews.services.language import language_flags_record


def _calendar() -> WorkingCalendar:
    return WorkingCalendar(closures=ClosureDay.objects.values_list("day", flat=True))


def review_due_times(review: Review) -> None:
    """Notification to the national panel within 5 working days of the serious incident, the
    rapid review within 15; a local practice review reports within 6 months of that."""
    if review.incident_at is None:
        review.notification_due_at = review.rapid_review_due_at = None
    else:
        calendar = _calendar()
        review.notification_due_at = calendar.add_working_days(
            review.incident_at, NOTIFICATION_WORKING_DAYS
        )
        review.rapid_review_due_at = calendar.add_working_days(
            review.incident_at, RAPID_REVIEW_WORKING_DAYS
        )
    if review.kind == ReviewKind.LCSPR:
        start = review.incident_at.date() if review.incident_at else timezone.localdate()
        review.report_due_on = add_months(start, LCSPR_MONTHS)


def _audit(user: Any, action: Action, review: Review, **details: Any) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type="review",
        object_id=review.pk,
        object_ref=review.reference,
        details=details,
    )


TITLE_MAX = Review._meta.get_field("title").max_length or 200


@transaction.atomic
def review_create(
    *,
    acting_user: Any,
    kind: str,
    title: str,
    child_ids: Sequence[uuid.UUID],
    period_start: dt.date,
    period_end: dt.date,
    agency_ids: Sequence[uuid.UUID] = (),
    incident_at: dt.datetime | None = None,
) -> Review:
    """A review needs at least one child, a period that runs forwards and a known kind;
    anything else is refused (422) and nothing is stored."""
    errors: dict[str, str] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = f"Choose one of: {', '.join(ReviewKind.values)}."
    if not title.strip():
        errors["title"] = "Give the review a title (references, not names)."
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters (it has {len(title.strip())})."
    unique_children = list(dict.fromkeys(child_ids))
    children = list(Child.objects.filter(pk__in=unique_children))
    if not unique_children:
        errors["children"] = "A review needs at least one child in its scope."
    elif len(children) != len(unique_children):
        errors["children"] = "One or more children were not found."
    if period_start > period_end:
        errors["period_end"] = "The period must end on or after the day it starts."
    agencies = list(Agency.objects.filter(pk__in=list(agency_ids)))
    if len(agencies) != len(set(agency_ids)):
        errors["agencies"] = "One or more agencies were not found."
    if kind == ReviewKind.RAPID_REVIEW and incident_at is None:
        errors["incident_at"] = "A rapid review needs the time the serious incident was known."
    if errors:
        raise Invalid(errors)
    review = Review(
        reference=next_reference("CR", timezone.localdate().year),
        kind=kind,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        incident_at=incident_at,
        created_by=acting_user,
    )
    review_due_times(review)
    review.save()
    review.agencies.set(agencies)
    ReviewChild.objects.bulk_create(ReviewChild(review=review, child=c) for c in children)
    _audit(acting_user, Action.CREATE, review, children=[c.reference for c in children])
    return review


@transaction.atomic
def review_dates_record(
    *,
    acting_user: Any,
    review: Review,
    notified_at: dt.datetime | None = None,
    rapid_review_done_at: dt.datetime | None = None,
) -> Review:
    """When the national panel was notified and the rapid review done (either or both); the
    times cannot be in the future, nor before the serious incident became known."""
    if not review_is_open(review):
        raise NotPermitted("The review is closed.")
    given = {"notified_at": notified_at, "rapid_review_done_at": rapid_review_done_at}
    if all(v is None for v in given.values()):
        raise Invalid({"notified_at": "Give when the panel was notified or the review done."})
    errors: dict[str, str] = {}
    now = timezone.now()
    for name, at in given.items():
        if at is None:
            continue
        if at > now:
            errors[name] = "The time cannot be in the future."
        elif review.incident_at is not None and at < review.incident_at:
            errors[name] = "The time cannot be before the serious incident became known."
    if errors:
        raise Invalid(errors)
    if notified_at is not None:
        review.notified_at = notified_at
    if rapid_review_done_at is not None:
        review.rapid_review_done_at = rapid_review_done_at
    if review.status == ReviewStatus.SCOPING:
        review.status = ReviewStatus.IN_PROGRESS
    review.save()
    _audit(
        acting_user, Action.CHANGE, review,
        notified=bool(notified_at), rapid_review_done=bool(rapid_review_done_at),
    )  # fmt: skip
    return review


@transaction.atomic
def reviewer_grant(
    *, acting_user: Any, review: Review, user: User, days: int, reason: str = ""
) -> ReviewerGrant:
    """Access to this review's children and period for `days` (at most a year); it ends when
    it expires, is revoked or the review closes."""
    if not review_is_open(review):
        raise Invalid("The review is closed: no one can be given access to it.")
    if not 1 <= days <= MAX_GRANT_DAYS:
        raise Invalid(f"Access is granted for 1 to {MAX_GRANT_DAYS} days.")
    if not user.has_capability(Cap.REVIEW_VIEW):
        raise Invalid("That user's role cannot read case reviews.")
    grant = ReviewerGrant.objects.create(
        review=review,
        user=user,
        granted_by=acting_user,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    _audit(acting_user, Action.SHARE, review, reviewer=user.username, days=days, reason=reason)
    if review.status == ReviewStatus.SCOPING:
        review.status = ReviewStatus.IN_PROGRESS
        review.save(update_fields=["status", "updated_at"])
    return grant


@transaction.atomic
def review_close(*, acting_user: Any, review: Review) -> Review:
    """Close the review; every reviewer's access ends with it."""
    guard(REVIEW_TRANSITIONS, "review", review.status, ReviewStatus.CLOSED)
    now = timezone.now()
    review.status = ReviewStatus.CLOSED
    review.closed_at = now
    review.save(update_fields=["status", "closed_at", "updated_at"])
    ended = ReviewerGrant.objects.filter(review=review, ended_at__isnull=True).update(ended_at=now)
    _audit(acting_user, Action.CHANGE, review, status="closed", grants_ended=ended)
    return review


@transaction.atomic
def chronology_note_set(
    *, acting_user: Any, review: Review, entry_key: str, significance: str, is_key: bool
) -> ChronologyNote:
    if not review_is_open(review):
        raise NotPermitted("The review is closed; its chronology can no longer be changed.")
    if not entry_key or len(entry_key) > 100:
        raise Invalid("Unknown chronology entry.")
    note, _ = ChronologyNote.objects.update_or_create(
        review=review,
        entry_key=entry_key,
        defaults={
            "significance": significance.strip()[:5000],
            "is_key": is_key,
            "updated_by": acting_user,
        },
    )
    _audit(acting_user, Action.CHANGE, review, entry=entry_key, is_key=is_key)
    # A reviewer's account of what an entry shows about the child: checked like any other
    # practitioner's text (ADR 0714); an empty note is no record checked.
    language_flags_record(
        acting_user=acting_user, content_type=TextKind.REVIEW_SIGNIFICANCE, record_id=note.pk,
        record_ref=review.reference, field="significance", text=note.significance,
        skip_blank=True,
    )  # fmt: skip
    return note


@transaction.atomic
def finding_add(*, acting_user: Any, review: Review, text: str) -> Finding:
    if not text.strip():
        raise Invalid({"text": "Write the finding."})
    if not review_is_open(review):
        raise NotPermitted("The review is closed.")
    last = Review.objects.select_for_update().filter(pk=review.pk).first()
    assert last is not None
    number = (review.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    finding = Finding.objects.create(
        review=review, number=number, text=text.strip(), created_by=acting_user
    )
    _audit(acting_user, Action.CREATE, review, finding=number)
    language_flags_record(
        acting_user=acting_user, content_type=TextKind.REVIEW_FINDING, record_id=finding.pk,
        record_ref=review.reference, field="text", text=finding.text, new_record=True,
    )  # fmt: skip
    return finding
