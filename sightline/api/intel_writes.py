"""The intelligence API's writes that carry a practitioner's text (ADR 0714): an alert's
status with its reason, a mention's match confirmed or rejected with a reason, mentions split
out of a person of concern with the reason. Each calls one workflow, which keeps the text's
language flags in the step's transaction, and answers with them (`language_flags`). Paths
as they were; the intel app's own API reads (sightline/intel/api.py, api_persons.py)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel import selectors, services
from sightline.intel.api import alert_out, decision_out
from sightline.intel.api_persons import NO_PERSON, person_out
from sightline.intel.api_schemas import (
    AlertOut,
    AlertStatusIn,
    LinkDecisionOut,
    LinkIn,
    SplitIn,
    SplitOut,
)
from sightline.intel.choices import EntityType
from sightline.intel.models import PersonOfConcern
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of
from sightline.workflows import intel_alert_status_record, mention_link_decide, person_split_record

router = Router(tags=["intel"])

FLAGS = "The language flags of the reason given (never a refusal)."


class AlertStatusOut(AlertOut):
    language_flags: list[StoredFlagOut] = Field(default_factory=list, description=FLAGS)


class LinkDecisionFlagsOut(LinkDecisionOut):
    language_flags: list[StoredFlagOut] = Field(default_factory=list, description=FLAGS)


class SplitFlagsOut(SplitOut):
    language_flags: list[StoredFlagOut] = Field(default_factory=list, description=FLAGS)


@router.post(
    "/alerts/{alert_id}/status",
    response={200: AlertStatusOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Mark an alert reviewed, actioned or dismissed (with a reason)",
)
def alert_status(
    request: AuthenticatedHttpRequest, alert_id: str, payload: AlertStatusIn
) -> dict[str, Any]:
    user = request.user
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    if alert is None:
        raise ApiError(404, "No alert with that id that you can see.")
    if not user.has_capability(Cap.ALERT_ACTION):
        raise ApiError(403, "Your role cannot act on alerts.")
    try:
        alert = intel_alert_status_record(
            acting_user=user, alert=alert, status=payload.status, reason=payload.reason
        )
    except services.IntelError as exc:
        raise ApiError(409, str(exc)) from exc
    return {**alert_out(alert, user), "language_flags": language_flags_of(alert.pk)}


def _decide(
    request: AuthenticatedHttpRequest, mention_id: str, payload: LinkIn, verdict: str
) -> dict[str, Any]:
    user = request.user
    mention = selectors.mention_get(user=user, mention_id=mention_id)
    if mention is None:
        raise ApiError(404, "No mention with that id that you can see.")
    if verdict == "confirm" and (
        selectors.entity_get(
            user=user, entity_type=mention.entity_type, entity_id=payload.entity_id
        )
        is None
    ):
        raise ApiError(404, "No entity with that id that you can see.")
    try:
        decision = mention_link_decide(
            acting_user=user, mention=mention, entity_id=payload.entity_id, verdict=verdict,
            reason=payload.reason,
        )  # fmt: skip
    except services.IntelError as exc:
        raise ApiError(409, str(exc)) from exc
    return {**decision_out(decision), "language_flags": language_flags_of(decision.pk)}


@router.post(
    "/mentions/{mention_id}/confirm",
    response={200: LinkDecisionFlagsOut, 404: Detail, 409: Detail, 422: Detail},
    summary="Confirm that a mention is this entity",
)
def mention_confirm(
    request: AuthenticatedHttpRequest, mention_id: str, payload: LinkIn
) -> dict[str, Any]:
    return _decide(request, mention_id, payload, "confirm")


@router.post(
    "/mentions/{mention_id}/reject",
    response={200: LinkDecisionFlagsOut, 404: Detail, 409: Detail, 422: Detail},
    summary="Reject a match between a mention and an entity",
)
def mention_reject(
    request: AuthenticatedHttpRequest, mention_id: str, payload: LinkIn
) -> dict[str, Any]:
    return _decide(request, mention_id, payload, "reject")


@router.post(
    "/persons/{person_id}/split",
    response={201: SplitFlagsOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Split mentions out of a person of concern into a new person, with a reason",
)
def person_split_api(
    request: AuthenticatedHttpRequest, person_id: str, payload: SplitIn
) -> Status[Any]:
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
        new, change, alerts = person_split_record(
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
            "language_flags": language_flags_of(change.pk),
        },
    )
