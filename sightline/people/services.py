from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.references import next_reference
from sightline.core.transactions import in_callers_transaction
from sightline.people.models import Child


@in_callers_transaction
def child_create(
    *,
    acting_user: Any,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    date_of_birth_is_estimated: bool = False,
    sex: str = "unknown",
    address: str = "",
    postcode: str = "",
    school: str = "",
    nhs_number: str = "",
    has_learning_disability: bool = False,
    referral_id: Any = None,
) -> Child:
    child = Child(
        reference=next_reference("CH", timezone.now().year, width=7),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        date_of_birth_is_estimated=date_of_birth_is_estimated,
        sex=sex,
        address=address.strip(),
        postcode=postcode.strip().upper(),
        school=school.strip(),
        nhs_number=nhs_number.replace(" ", ""),
        has_learning_disability=has_learning_disability,
    )
    child.refresh_keys()
    child.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="child",
        object_id=child.pk,
        object_ref=child.reference,
        child_id=child.pk,
        referral_id=referral_id,
    )
    return child


@in_callers_transaction
def child_purge(*, child: Child) -> None:
    """Delete a child's record under the retention schedule, once every app has deleted what
    points at it (referral links, screenings, reviews never: a child in a review is held).
    Named-user access rows go with it (CASCADE). The audit rows about the child stay."""
    Child.objects.filter(pk=child.pk).delete()
