"""Intel API for persons of concern: the record (a merged person's old id answers 301 to the
surviving person) and the split of mentions out of a person (ADR 0205)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Router

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.core.api import Detail
from sightline.intel import reads, selectors
from sightline.intel.api_schemas import PersonOut
from sightline.intel.models import PersonOfConcern

router = Router(tags=["intel"])

NO_PERSON = reads.NO_PERSON


def person_out(person: PersonOfConcern, user: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "reference": person.reference,
        "is_active": person.is_active,
        "names": person.names,
        "nicknames": person.nicknames,
        "estimated_birth_year": person.estimated_birth_year,
        "phones": person.phones,
        "plates": person.plates,
        "mentions": selectors.entity_mentions(user=user, entity_id=person.pk).count(),
        "changes": selectors.person_changes(user=user, person_id=person.pk),
    }


@router.get(
    "/persons/{person_id}",
    url_name="intel_person",
    response={200: PersonOut, 301: None, 404: Detail},
    summary="A person of concern; a merged person's old id answers 301 to the surviving one",
)
def person_get(request: AuthenticatedHttpRequest, person_id: str) -> Any:
    found = reads.person_read(user=request.user, person_id=person_id)
    if found.moved:
        location = reverse("api:intel_person", kwargs={"person_id": found.person.pk})
        return HttpResponsePermanentRedirect(location)
    return person_out(found.person, request.user)
