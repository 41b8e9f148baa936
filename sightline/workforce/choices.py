"""The workforce vocabularies: one TextChoices each; API Literals derive from them."""

from __future__ import annotations

from django.db import models


class RoleGroup(models.TextChoices):
    FRONTLINE = "frontline", "Frontline"
    MANAGER = "manager", "Manager"
    OTHER = "other", "Other"


class Measure(models.TextChoices):
    """What a course counts towards. Being trained face to face (or refreshed) also counts
    as being briefed: coverage of "briefed" is anyone with an in-date course of either."""

    BRIEFED = "briefed", "Briefed (CSE awareness)"
    TRAINED = "trained", "Trained face to face"


class ImportKind(models.TextChoices):
    STAFF = "staff", "Staff roll"
    TRAINING = "training", "Training records"
    HEADCOUNT = "headcount", "Headcount"


# Days before a course's expiry from which a person is listed as due for a refresher.
DUE_WITHIN_DAYS = 60
