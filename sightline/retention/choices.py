from django.db import models


class RecordType(models.TextChoices):
    CHILD = "child", "Child"
    REFERRAL = "referral", "Referral"
    PERSON_OF_CONCERN = "person_of_concern", "Person of concern"


class HoldKind(models.TextChoices):
    REVIEW = "review", "Case review"
    LITIGATION = "litigation", "Litigation"
    INQUIRY = "inquiry", "Inquiry"
    SUBJECT_ACCESS = "subject_access", "Subject access request"
