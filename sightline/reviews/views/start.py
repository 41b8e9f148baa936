"""Starting a case review from the page (it could only be started through the API), and
recording its statutory dates (they could not be recorded at all)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reviews import selectors, services
from sightline.reviews.forms import ReviewDatesForm, ReviewStartForm
from sightline.reviews.views.reviews import _review, render_workspace


@capability_required(Cap.REVIEW_MANAGE)
def review_start(request: HttpRequest) -> HttpResponse:
    form = ReviewStartForm(request.POST or None)
    if request.method != "POST":
        return render(request, "reviews/review_start.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        refs: list[str] = data["children"]
        found = selectors.review_children_by_reference(user=request.user, references=refs)
        if missing := [r for r in refs if r not in found]:
            form.add_error("children", f"No child with the reference {', '.join(missing)}.")
        else:
            try:
                with transaction.atomic():
                    review = services.review_create(
                        acting_user=request.user, kind=data["kind"], title=data["title"],
                        child_ids=[found[r] for r in refs], period_start=data["period_start"],
                        period_end=data["period_end"],
                        agency_ids=[a.pk for a in data["agencies"]],
                        incident_at=data["incident_at"],
                    )  # fmt: skip
            except services.Invalid as exc:
                for name, message in dict(exc.detail).items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, f"Review {review.reference} started.")
                return redirect("reviews:detail", review_id=review.pk)
    return render(request, "reviews/review_start.html", {"form": form}, status=422)


@capability_required(Cap.REVIEW_MANAGE)
@require_POST
def review_dates(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    review = _review(request, review_id)
    form = ReviewDatesForm(request.POST)
    if form.is_valid():
        try:
            services.review_dates_record(
                acting_user=request.user, review=review, **form.cleaned_data
            )
        except services.Invalid as exc:
            for name, message in dict(exc.detail).items():
                form.add_error(name if name in form.fields else None, message)
        except services.NotPermitted as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Dates recorded.")
            return redirect("reviews:detail", review_id=review.pk)
    return render_workspace(request, review.pk, status=422, dates_form=form)
