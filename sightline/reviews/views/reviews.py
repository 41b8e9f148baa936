"""Case review pages: the list, the workspace (scope, dates, reviewers, chronology with the
significance column, findings, recommendations) and the chronology's CSV and PDF exports.
Every read of the chronology writes one audit row per child in the review's scope."""

from __future__ import annotations

import uuid
from typing import Any

import weasyprint
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.core.permissions import capability_required
from sightline.reviews import selectors, services
from sightline.reviews.forms import (
    FindingForm,
    GrantForm,
    RecommendationForm,
    ReviewDatesForm,
    SignificanceForm,
)
from sightline.reviews.models import Review
from sightline.reviews.rules import manages_reviews, review_is_open
from sightline.reviews.selectors.chronology import COLUMNS
from sightline.reviews.views._csv import csv_response
from sightline.reviews.views.flags import tell_flags


def _review(request: HttpRequest, review_id: uuid.UUID) -> Review:
    review = selectors.review_get(user=request.user, review_id=review_id)
    if review is None:
        raise Http404
    return review


@capability_required(Cap.REVIEW_VIEW)
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = selectors.review_list_read(user=request.user)
    return render(request, "reviews/review_list.html", {"reviews": reviews})


def render_workspace(
    request: HttpRequest, review_id: uuid.UUID, status: int = 200, **forms: Any
) -> HttpResponse:
    """The workspace, read afresh through the audited read (also after a refused step)."""
    review, entries = selectors.review_chronology_read(user=request.user, review_id=review_id)
    note_flags = selectors.chronology_note_flags(review=review)
    context = {
        "review": review,
        "entries": entries,
        # each entry with the stored flags of its significance note
        "entry_rows": [(e, note_flags.get(e.key, [])) for e in entries],
        "now": timezone.now(),
        "is_open": review_is_open(review),
        "manages": manages_reviews(request.user),
        "recommendations": review.recommendations.select_related("owner_agency", "owner_person"),
        "grant_form": forms.get("grant_form") or GrantForm(),
        "dates_form": forms.get("dates_form") or ReviewDatesForm(),
        "finding_form": forms.get("finding_form") or FindingForm(),
        "recommendation_form": forms.get("recommendation_form") or RecommendationForm(),
    }
    return render(request, "reviews/review_detail.html", context, status=status)


@capability_required(Cap.REVIEW_VIEW)
def review_detail(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    return render_workspace(request, review_id)


@capability_required(Cap.REVIEW_VIEW)
def chronology_csv(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review, entries = selectors.review_chronology_read(
        user=request.user, review_id=review_id, action=Action.EXPORT
    )
    rows = [[selectors.entry_row(e)[key] for _, key in COLUMNS] for e in entries]
    return csv_response(f"chronology-{review.reference}.csv", [title for title, _ in COLUMNS], rows)


@capability_required(Cap.REVIEW_VIEW)
def chronology_pdf(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review, entries = selectors.review_chronology_read(
        user=request.user, review_id=review_id, action=Action.EXPORT
    )
    html = render_to_string(
        "reviews/chronology_pdf.html",
        {"review": review, "rows": [selectors.entry_row(e) for e in entries],
         "columns": COLUMNS, "made_at": timezone.now()},
    )  # fmt: skip
    pdf = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{review.reference}.pdf"'
    return response


@capability_required(Cap.REVIEW_VIEW)
@require_POST
def significance(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    form = SignificanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The significance note was not saved.")
        return redirect("reviews:detail", review_id=review.pk)
    note = services.chronology_note_set(
        acting_user=request.user,
        review=review,
        entry_key=form.cleaned_data["entry_key"],
        significance=form.cleaned_data["significance"],
        is_key=form.cleaned_data["is_key"],
    )
    messages.success(request, "Significance saved.")
    tell_flags(request, note.pk, "significance")
    return redirect("reviews:detail", review_id=review.pk)


@capability_required(Cap.REVIEW_MANAGE)
@require_POST
def grant(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    form = GrantForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, review.pk, status=422, grant_form=form)
    services.reviewer_grant(
        acting_user=request.user, review=review, user=form.cleaned_data["username"],
        days=form.cleaned_data["days"],
    )  # fmt: skip
    messages.success(request, "Reviewer given access.")
    return redirect("reviews:detail", review_id=review.pk)


@capability_required(Cap.REVIEW_MANAGE)
@require_POST
def close(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    services.review_close(acting_user=request.user, review=review)
    messages.success(request, "Review closed; reviewers' access has ended.")
    return redirect("reviews:detail", review_id=review.pk)


@capability_required(Cap.REVIEW_VIEW)
@require_POST
def finding_add(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    form = FindingForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, review.pk, status=422, finding_form=form)
    finding = services.finding_add(
        acting_user=request.user, review=review, text=form.cleaned_data["text"]
    )
    messages.success(request, "Finding added.")
    tell_flags(request, finding.pk)
    return redirect("reviews:detail", review_id=review.pk)


@capability_required(Cap.REVIEW_MANAGE)
@require_POST
def recommendation_add(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        return render_workspace(request, review.pk, status=422, recommendation_form=form)
    data = form.cleaned_data
    try:
        rec = services.recommendation_add(
            acting_user=request.user, review=review, text=data["text"],
            owner_agency=data["owner_agency"], owner_person=data["owner_username"],
            due_on=data["due_on"], required_evidence=data["required_evidence"],
        )  # fmt: skip
    except services.Invalid as exc:
        for name, message in dict(exc.detail).items():
            form.add_error("owner_username" if name == "owner_person" else None, message)
        return render_workspace(request, review.pk, status=422, recommendation_form=form)
    messages.success(request, "Recommendation added.")
    tell_flags(request, rec.pk)
    return redirect("reviews:detail", review_id=review.pk)
