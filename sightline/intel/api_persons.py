"""Intel API for persons of concern: the record (a merged person's old id answers 301 to the
surviving person) and the split of mentions out of a person (ADR 0205)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from ninja import Router, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel import reads, selectors, services
from sightline.intel.api_schemas import PersonOut, SplitIn, SplitOut
from sightline.intel.choices import EntityType
from sightline.intel.models import PersonOfConcern
from sightline.intel.services.persons import person_split

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


@router.post(
    "/persons/{person_id}/split",
    response={201: SplitOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Split mentions out of a person of concern into a new person, with a reason",
)
def person_split_api(
    request: AuthenticatedHttpRequest, person_id: str, payload: SplitIn
) -> HttpResponse | Status:
    user = request.user
    person = selectors.entity_get(user=user, entity_type=EntityType.PERSON, entity_id=person_id)
    if person is None:
        raise ApiError(404, NO_PERSON)
    if not user.has_capability(Cap.INTEL_LINK):
        raise ApiError(403, "Your role cannot change links between mentions and persons.")
    assert isinstance(person, PersonOfConcern)
    wanted = set(payload.mention_ids)
    seen = set(
        selectors.entity_mentions(user=user, entity_id=person.pk)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if seen != wanted:
        raise ApiError(422, "Each mention split out must be one of this person's that you can see.")
    try:
        new, change, alerts = person_split(
            acting_user=user, person=person, mention_ids=sorted(wanted), reason=payload.reason
        )
    except services.IntelError as exc:
        raise ApiError(422, str(exc)) from exc
    return Status(
        201,
        {
            "person": person_out(new, user),
            "from_person": {
                "type": EntityType.PERSON,
                "id": person.pk,
                "reference": person.reference,
            },
            "change_id": change.pk,
            "alerts_changed": len(alerts),
        },
    )
