"""Intelligence grading over the API: the 3x5x2 grade of one item of intelligence."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.meetings import selectors, services
from sightline.meetings.api.meetings import _user, router


class GradeIn(InputSchema):
    source: str = Field(..., max_length=1, description="1 reliable, 2 untested, 3 not reliable")
    information: str = Field(..., max_length=1, description="A to E")
    handling: str = Field(..., max_length=1, description="P permitted, C with conditions")
    conditions: str = Field("", max_length=2000)


class GradeOut(Schema):
    mention: uuid.UUID
    code: str
    source: str
    information: str
    handling: str
    conditions: str
    graded_by: str
    graded_at: dt.datetime


@router.post(
    "/mentions/{mention_id}/grade",
    response={200: GradeOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Grade an item of intelligence on the 3x5x2 model (police analyst, MACE chair)",
)
def grade_record(request: HttpRequest, mention_id: str, payload: GradeIn) -> dict[str, Any]:
    user = _user(request)
    if not user.has_capability(Cap.DISRUPTION_MANAGE):
        raise ApiError(403, "Only a police analyst or a MACE chair grades intelligence.")
    mention = selectors.mention_for_grading(user=user, mention_id=mention_id)
    if mention is None:
        raise ApiError(404, "No item of intelligence with that id that you can see.")
    g = services.intel_grade_record(acting_user=user, mention=mention, **payload.dict())
    return {"mention": mention.pk, "code": g.code, "source": g.source,
            "information": g.information, "handling": g.handling, "conditions": g.conditions,
            "graded_by": user.username, "graded_at": g.graded_at}  # fmt: skip
