from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from sightline.accounts.choices import AgencyKind
from sightline.accounts.roles import Role, role_has
from sightline.core.models import BaseModel


class Agency(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    cin_source_code = models.CharField(
        max_length=3, help_text="Children in Need census referral-source code (e.g. 6 = police)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="uniq_team_name_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.code})"


class User(AbstractUser):
    """A member of staff. Each belongs to one agency and holds one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    role = models.CharField(max_length=40, choices=Role.choices, default=Role.REFERRER)
    job_title = models.CharField(max_length=200, blank=True)

    def has_capability(self, capability: str) -> bool:
        return bool(self.is_active and role_has(self.role, capability))

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(BaseModel):
    """A token for a partner system or script. Only a SHA-256 digest of the secret is stored;
    the token acts as its user, within that user's agency and role, until revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, default="api")
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.prefix} for {self.user.username}"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
