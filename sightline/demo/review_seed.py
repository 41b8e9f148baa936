"""A case review for the demo, so the case reviewer's pages hold something to read: a learning
review of the two children the first planted network's alert joined, over the period the
alert covers, started by the partnership's safeguarding lead with the demo reviewer given 90
days' access. Nothing is seeded when the borough was loaded without its history (no alert),
or when a review exists already (a second `make demo`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.demo.users import demo_username
from sightline.intel.models import Alert
from sightline.people.models import Child
from sightline.reviews.choices import ReviewKind
from sightline.reviews.models import Review
from sightline.reviews.services.reviews import review_create, reviewer_grant

GRANT_DAYS = 90


def _title(references: list[str]) -> str:
    """The review's title: the first children's references, and how many more (a person of
    concern in a large borough's history is linked to dozens of children)."""
    named = " and ".join(references[:3])
    if len(references) > 3:
        named = f"{', '.join(references[:3])} and {len(references) - 3} more children"
    return f"Learning review: {named}, linked through one person of concern"


@transaction.atomic
def demo_review_seed() -> Review | None:
    if Review.objects.exists():
        return None
    lead = User.objects.filter(username=demo_username(Role.SAFEGUARDING_LEAD)).first()
    reviewer = User.objects.filter(username=demo_username(Role.REVIEWER)).first()
    alert = (
        Alert.objects.filter(entity_type="person", possible_at__isnull=False)
        .order_by("possible_at", "reference")
        .first()
    )
    if lead is None or reviewer is None or alert is None or alert.possible_at is None:
        return None
    child_ids = [uuid.UUID(c) for c in alert.child_ids]
    references = sorted(Child.objects.filter(pk__in=child_ids).values_list("reference", flat=True))
    start = alert.possible_at.date() - dt.timedelta(days=180)
    review = review_create(
        acting_user=lead,
        kind=ReviewKind.LEARNING_REVIEW,
        title=_title(references),
        child_ids=child_ids,
        period_start=start,
        period_end=alert.possible_at.date() + dt.timedelta(days=90),
    )
    reviewer_grant(
        acting_user=lead,
        review=review,
        user=reviewer,
        days=GRANT_DAYS,
        reason="Independent reviewer for the partnership's learning review (demo).",
    )
    return review
