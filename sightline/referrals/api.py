"""The break-glass route: a referrals-only step, so its router lives beside the service."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Router, Schema, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.referrals import services
from sightline.referrals.selectors import referral_by_reference_unscoped

access_router = Router(tags=["access"])


class BreakGlassIn(InputSchema):
    object_type: Literal["referral"] = "referral"
    reference: str = Field(..., max_length=20, description="The referral's reference.")
    reason: str = Field(..., min_length=10, max_length=2000)


class BreakGlassOut(Schema):
    grant_id: uuid.UUID
    reference: str
    expires_at: dt.datetime


@access_router.post(
    "/break-glass",
    response={201: BreakGlassOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Open a referral outside your scope, with a reason (time-limited, audited)",
)
def break_glass(request: AuthenticatedHttpRequest, payload: BreakGlassIn) -> Status:
    user = request.user
    if not user.has_capability(Cap.BREAK_GLASS):
        raise ApiError(403, "Your role cannot use break-glass access.")
    referral = referral_by_reference_unscoped(payload.reference)
    try:
        if referral is None:
            raise services.BreakGlassNotFound
        grant = services.break_glass_open(
            acting_user=user, referral=referral, reason=payload.reason
        )
    except (services.BreakGlassNotFound, services.BreakGlassRefused) as exc:
        # Every refused attempt is recorded, and a restricted record answers exactly as a
        # reference that does not exist.
        why = "invalid" if isinstance(exc, services.BreakGlassRefused) else "not_found"
        if referral is not None and why == "not_found":
            why = "restricted"
        services.break_glass_refused_record(
            acting_user=user, reference=payload.reference, why=why, referral=referral
        )
        raise
    return Status(
        201, {"grant_id": grant.pk, "reference": referral.reference, "expires_at": grant.expires_at}
    )
