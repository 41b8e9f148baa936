"""Referral quality by the referrer's training, in aggregate only: of the referrals whose
child was screened, the share later screened medium or high, for referrers who were trained
face to face and in date on the day the referral was received, briefed only, on a workforce
roll but neither, or not linked to any roll. Never a figure about one person: a group with
fewer than `min_referrers` referrers shows its counts of referrals but no share (ADR 0603)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.core.errors import NotPermitted
from sightline.referrals.models import Referral
from sightline.screening.choices import RiskLevel
from sightline.screening.models import Screening
from sightline.workforce import rules
from sightline.workforce.choices import Measure
from sightline.workforce.models import StaffMember
from sightline.workforce.selectors import records_in_date

MIN_REFERRERS = 5
GROUPS: tuple[tuple[str, str], ...] = (
    ("trained", "Trained face to face (in date)"),
    ("briefed", "Briefed only (in date)"),
    ("untrained", "On a workforce roll, not in date"),
    ("unlinked", "Not on any workforce roll"),
)


@dataclass
class QualityGroup:
    key: str
    label: str
    referrers: int = 0
    referrals: int = 0
    concern: int = 0
    suppressed: bool = True

    @property
    def share(self) -> float | None:
        if self.suppressed or not self.referrals:
            return None
        return round(100 * self.concern / self.referrals, 1)


@dataclass
class ReferralQuality:
    start: dt.date
    end: dt.date
    min_referrers: int
    groups: list[QualityGroup]


def referral_quality_by_training(
    *,
    user: Any,
    agency: Agency | None = None,
    end: dt.date | None = None,
    days: int = 365,
    min_referrers: int = MIN_REFERRERS,
) -> ReferralQuality:
    if not rules.sees_referral_quality(user):
        raise NotPermitted("Only managers see referral quality by training.")
    end = end or timezone.localdate()
    start = end - dt.timedelta(days=days - 1)
    on_day = OuterRef("received_on")
    by_referrer = OuterRef("referred_by_id")

    def holds(measure: str) -> Exists:
        return Exists(records_in_date(on_day, measure).filter(staff_member__user_id=by_referrer))

    screenings = Screening.objects.filter(referral_child__referral=OuterRef("pk"))
    referrals = (
        Referral.objects.annotate(received_on=TruncDate("received_at"))
        .filter(received_on__gte=start, received_on__lte=end)
        .filter(Exists(screenings))
        .annotate(
            group=Case(
                When(holds(Measure.TRAINED), then=Value("trained")),
                When(holds(Measure.BRIEFED), then=Value("briefed")),
                When(
                    Exists(StaffMember.objects.filter(user_id=by_referrer)),
                    then=Value("untrained"),
                ),
                default=Value("unlinked"),
                output_field=CharField(),
            ),
            is_concern=Exists(
                screenings.filter(is_current=True, level__in=[RiskLevel.MEDIUM, RiskLevel.HIGH])
            ),
        )
    )
    if agency is not None:
        referrals = referrals.filter(source_agency=agency)
    counts: dict[str, dict[str, Any]] = {
        row["group"]: dict(row)
        for row in referrals.order_by()
        .values("group")
        .annotate(
            referrals=Count("pk"),
            concern=Count("pk", filter=Q(is_concern=True)),
            referrers=Count("referred_by", distinct=True),
        )
    }
    groups = []
    for key, label in GROUPS:
        row = counts.get(key, {})
        referrers = int(row.get("referrers", 0))
        groups.append(
            QualityGroup(
                key=key,
                label=label,
                referrers=referrers,
                referrals=int(row.get("referrals", 0)),
                concern=int(row.get("concern", 0)),
                suppressed=referrers < min_referrers,
            )
        )
    return ReferralQuality(start=start, end=end, min_referrers=min_referrers, groups=groups)
