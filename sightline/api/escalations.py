"""Resolving an escalation, with a reason: a workflow keeps the reason's language flags
(reviews) and the answer carries them as `language_flags`. The rest of the escalation API
stays in the escalation app; this path is its own, on its own router."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Router

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.escalation.api import EscalationOut, ReasonIn, escalation_out
from sightline.escalation.selectors import escalation_get
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of
from sightline.workflows import escalation_act, escalation_reason_field

router = Router(tags=["escalation"])


class EscalationResolvedOut(EscalationOut):
    language_flags: list[StoredFlagOut] = []


@router.post(
    "/escalations/{escalation_id}/resolve",
    response={200: EscalationResolvedOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Resolve an escalation, with a reason",
)
def escalation_resolve(
    request: AuthenticatedHttpRequest, escalation_id: uuid.UUID, payload: ReasonIn
) -> dict[str, Any]:
    """Errors are mapped once (sightline.api.api): a reason left blank 422, a role that may
    not resolve 403, an escalation already resolved 409."""
    escalation = escalation_get(user=request.user, escalation_id=escalation_id)
    if escalation is None:
        raise ApiError(404, "No escalation with that id that you can see.")
    done = escalation_act(
        acting_user=request.user, escalation=escalation, verb="resolve", reason=payload.reason
    )
    field = escalation_reason_field("resolve", done.rung)
    return {**escalation_out(done), "language_flags": language_flags_of(done.pk, field)}
