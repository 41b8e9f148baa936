from __future__ import annotations

from django.db import models

from sightline.core.models import BaseModel
from sightline.people.choices import Sex
from sightline.people.matching import name_key, normalise_postcode


class Child(BaseModel):
    """A child or young person known to the partnership. `__str__` is the reference only."""

    reference = models.CharField(max_length=20, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_is_estimated = models.BooleanField(default=False)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    has_learning_disability = models.BooleanField(default=False)
    is_restricted = models.BooleanField(
        default=False, help_text="Visible only to named users (for example a relative of staff)."
    )
    # Blocking keys for fuzzy matching, kept in step by the services that write names.
    family_name_key = models.CharField(max_length=40, db_index=True, blank=True)
    postcode_key = models.CharField(max_length=10, db_index=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded"
    )

    class Meta:
        indexes = [
            models.Index(fields=["date_of_birth"], name="child_dob_idx"),
            # Every scoped read asks for the few restricted children: a partial index holds
            # only those rows, so the question never scans the children table.
            models.Index(
                fields=["is_restricted"],
                condition=models.Q(is_restricted=True),
                name="child_restricted_idx",
            ),
        ]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.reference

    def refresh_keys(self) -> None:
        self.family_name_key = name_key(self.family_name)
        self.postcode_key = normalise_postcode(self.postcode)


class ChildAccess(models.Model):
    """The named users who may see a restricted child (for example a relative of staff)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="named_users")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="restricted_children"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="uniq_child_access")]

    def __str__(self) -> str:
        return f"access to {self.child_id}"
