"""Intelligence grading: a police analyst or a MACE chair grades an item of intelligence (an
intel mention) on the 3x5x2 model before it goes into a pack (the reference's §4). The grade
travels with the item on the person's, place's or vehicle's pack page; an ungraded item is
shown as ungraded, never given a grade it was not given."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid, NotPermitted
from sightline.meetings.choices import HandlingCode, InformationGrade, SourceGrade
from sightline.meetings.models import IntelGrading
from sightline.meetings.rules import holds


def _checked(source: str, information: str, handling: str, conditions: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if source not in SourceGrade.values:
        errors["source"] = "The source grade is 1 (reliable), 2 (untested) or 3 (not reliable)."
    if information not in InformationGrade.values:
        errors["information"] = "The information grade is one of A, B, C, D or E."
    if handling not in HandlingCode.values:
        errors["handling"] = "The handling code is P (sharing permitted) or C (with conditions)."
    elif handling == HandlingCode.CONDITIONS and not conditions.strip():
        errors["conditions"] = "Handling code C needs its conditions: say what they are."
    if errors:
        raise Invalid(errors)
    kept = conditions.strip() if handling == HandlingCode.CONDITIONS else ""
    return {"source": source, "information": information, "handling": handling, "conditions": kept}


@transaction.atomic
def intel_grade_record(
    *,
    acting_user: Any,
    mention: Any,
    source: str,
    information: str,
    handling: str,
    conditions: str = "",
) -> IntelGrading:
    """Grade (or regrade) one item: `disruption.manage` holders (police analysts, MACE
    chairs). The mention must be one the user can see (the caller's selector)."""
    if not holds(acting_user, Cap.DISRUPTION_MANAGE):
        raise NotPermitted("Only a police analyst or a MACE chair grades intelligence.")
    values = _checked(source, information, handling, conditions)
    before = IntelGrading.objects.filter(mention=mention).first()
    grading, _ = IntelGrading.objects.update_or_create(
        mention=mention,
        defaults={
            **values,
            "entity_id": mention.entity_id,
            "graded_by": acting_user,
            "graded_at": timezone.now(),
        },
    )
    audit_record(
        actor=acting_user,
        action=Action.CHANGE if before else Action.CREATE,
        object_type="intel_mention",
        object_id=mention.pk,
        object_ref=mention.source_ref or getattr(mention.referral, "reference", ""),
        details={"grade": grading.code, "was": before.code if before else ""},
    )
    return grading
