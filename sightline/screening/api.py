from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from sightline.screening.selectors import catalogue_current, indicator_list

router = Router(tags=["screening"])


class IndicatorOut(Schema):
    code: str
    category: str
    category_name: str
    label: str
    weight: str


class CatalogueOut(Schema):
    version: str
    title: str
    indicators: list[IndicatorOut]


@router.get("/indicators", response=CatalogueOut, summary="The CSE indicator catalogue in force")
def indicators(request: HttpRequest) -> dict[str, object]:
    row = catalogue_current()
    return {
        "version": row.version,
        "title": row.title,
        "indicators": list(indicator_list(user=request.user)),
    }
