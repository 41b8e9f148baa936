from django.db import models


class RiskLevel(models.TextChoices):
    NONE = "none", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


LEVEL_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


class MarkStatus(models.TextChoices):
    PRESENT = "present", "Present"
    POSSIBLE = "possible", "Possible"
    NOT_KNOWN = "not_known", "Not known"


class MarkBasis(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
