from django.db import models


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth-justice", "Youth justice"
    PROSECUTION = "prosecution", "Prosecution"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


# Children in Need census referral-source code for each kind of agency (practice.md §6.3).
CIN_SOURCE_DEFAULTS: dict[str, str] = {
    AgencyKind.CHILDRENS_SOCIAL_CARE: "5A",
    AgencyKind.POLICE: "6",
    AgencyKind.HEALTH: "3F",
    AgencyKind.EDUCATION: "2A",
    AgencyKind.YOUTH_JUSTICE: "5B",
    AgencyKind.PROSECUTION: "7",
    AgencyKind.HOUSING: "4",
    AgencyKind.VOLUNTARY: "8",
    AgencyKind.OTHER: "10",
}

CIN_SOURCE_CODES = {
    "1A",
    "1B",
    "1C",
    "1D",
    "2A",
    "2B",
    "3A",
    "3B",
    "3C",
    "3D",
    "3E",
    "3F",
    "4",
    "5A",
    "5B",
    "5C",
    "5D",
    "6",
    "7",
    "8",
    "9",
    "10",
}
