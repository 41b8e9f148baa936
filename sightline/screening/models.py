from __future__ import annotations

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.screening.choices import MarkBasis, MarkStatus, RiskLevel


class IndicatorCatalogue(BaseModel):
    """One loaded version of the indicator catalogue data file. Screenings point at the
    version they used, so a later catalogue never rewrites an old score."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    data = models.JSONField()
    is_current = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"catalogue {self.version}"


class IndicatorDefinition(models.Model):
    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(max_length=10)
    category = models.CharField(max_length=10)
    category_name = models.CharField(max_length=100)
    label = models.CharField(max_length=300)
    weight = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["catalogue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="uniq_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.catalogue.version})"


class Screening(BaseModel):
    """A CSE screening of one child on one referral. The newest is current; older ones stay."""

    referral_child = models.ForeignKey(
        "referrals.ReferralChild", on_delete=models.PROTECT, related_name="screenings"
    )
    catalogue = models.ForeignKey(
        IndicatorCatalogue, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_at = models.DateTimeField()
    age_years = models.PositiveSmallIntegerField(null=True)
    score = models.PositiveSmallIntegerField()
    computed_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    raised_reason = models.TextField(blank=True)
    harm_indicated = models.BooleanField(default=False)
    reasons = models.JSONField(default=list)
    review_on = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["review_on"], name="screening_review_idx")]

    def __str__(self) -> str:
        return f"screening {self.pk}"


class ScreeningMark(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="marks")
    code = models.CharField(max_length=10)
    status = models.CharField(max_length=12, choices=MarkStatus.choices)
    basis = models.CharField(max_length=30, choices=MarkBasis.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "code"], name="uniq_mark_per_screening")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.status}"
