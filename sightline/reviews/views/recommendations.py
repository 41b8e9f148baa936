"""The partnership's recommendation tracker, its export, and one recommendation's page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reviews import selectors, services
from sightline.reviews.choices import OVERDUE, RecommendationStatus
from sightline.reviews.forms import RecommendationUpdateForm
from sightline.reviews.models import Recommendation
from sightline.reviews.rules import is_overdue
from sightline.reviews.views._csv import csv_response
from sightline.reviews.views.flags import tell_flags

LIST_LIMIT = 500


def _status(request: HttpRequest) -> str | None:
    status = request.GET.get("status") or None
    return status if status in [*RecommendationStatus.values, OVERDUE] else None


@capability_required(Cap.RECOMMENDATION_VIEW)
def tracker(request: HttpRequest) -> HttpResponse:
    status = _status(request)
    today = timezone.localdate()
    figures, recs = selectors.tracker_read(
        user=request.user, status=status, today=today, limit=LIST_LIMIT
    )
    return render(
        request,
        "reviews/tracker.html",
        {
            "figures": figures, "chart": figures.chart(), "today": today,
            "rows": [{"rec": r, "overdue": is_overdue(r, today=today)} for r in recs],
            "status": status, "statuses": RecommendationStatus.choices,
        },
    )  # fmt: skip


@capability_required(Cap.RECOMMENDATION_VIEW)
def tracker_csv(request: HttpRequest) -> HttpResponse:
    status = _status(request)
    today = timezone.localdate()
    recs = selectors.recommendation_export_read(user=request.user, status=status)
    header = ["Reference", "Review", "Recommendation", "Owning agency", "Owner", "Due on",
              "Status", "Overdue", "Evidence required", "Evidence"]  # fmt: skip
    rows = [
        [r.reference, r.review.reference, r.text, r.owner_agency.name,
         r.owner_person.display_name, r.due_on.isoformat(), r.get_status_display(),
         "Yes" if is_overdue(r, today=today) else "", r.required_evidence, r.evidence]
        for r in recs
    ]  # fmt: skip
    return csv_response("recommendations.csv", header, rows)


def _rec(request: HttpRequest, recommendation_id: uuid.UUID) -> Recommendation:
    rec = selectors.recommendation_get(user=request.user, recommendation_id=recommendation_id)
    if rec is None:
        raise Http404
    return rec


def render_recommendation(
    request: HttpRequest, recommendation_id: uuid.UUID,
    form: RecommendationUpdateForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The recommendation's page, read afresh through the audited read (also after a refused
    update)."""
    rec = selectors.recommendation_read(user=request.user, recommendation_id=recommendation_id)
    context: dict[str, Any] = {
        "rec": rec,
        "overdue": is_overdue(rec),
        "form": form or RecommendationUpdateForm(),
    }
    return render(request, "reviews/recommendation.html", context, status=status)


@capability_required(Cap.RECOMMENDATION_VIEW)
def recommendation_detail(request: HttpRequest, recommendation_id: uuid.UUID) -> HttpResponse:
    return render_recommendation(request, recommendation_id)


@capability_required(Cap.RECOMMENDATION_VIEW)
@require_POST
def recommendation_update(request: HttpRequest, recommendation_id: uuid.UUID) -> HttpResponse:
    rec = _rec(request, recommendation_id)
    form = RecommendationUpdateForm(request.POST)
    if not form.is_valid():
        return render_recommendation(request, rec.pk, form, status=422)
    data = form.cleaned_data
    try:
        services.recommendation_update(
            acting_user=request.user, recommendation=rec, status=data["status"] or None,
            note=data["note"], evidence=data["evidence"] or None,
        )  # fmt: skip
    except services.Invalid as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
        for message in detail.values():
            form.add_error(None, message)
        return render_recommendation(request, rec.pk, form, status=422)
    except (services.NotPermitted, services.Conflict) as exc:
        form.add_error(None, str(exc.detail))
        return render_recommendation(request, rec.pk, form, status=exc.status)
    messages.success(request, "Recommendation updated.")
    update = rec.updates.order_by("-created_at").first()
    if update is not None:
        tell_flags(request, update.pk)
    if data["evidence"]:
        tell_flags(request, rec.pk, "evidence")
    return redirect("reviews:recommendation", recommendation_id=rec.pk)
