from django.db import models


class RiskLevel(models.TextChoices):
    NONE = "none", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# The one risk vocabulary: scoring, models, API schemas and RAG ratings all use RiskLevel;
# its order is the rank (none < low < medium < high).
LEVEL_RANK: dict[str, int] = {level.value: rank for rank, level in enumerate(RiskLevel)}


class MarkStatus(models.TextChoices):
    PRESENT = "present", "Present"
    POSSIBLE = "possible", "Possible"
    NOT_KNOWN = "not_known", "Not known"


class MarkBasis(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
