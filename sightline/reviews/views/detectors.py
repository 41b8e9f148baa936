"""The missed-opportunity detectors' pages: the reviewers' report (the detectors, a run over
history and its hits) and the alerts raised live (one alert, acknowledged)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.dates import age_on
from sightline.core.permissions import capability_required
from sightline.people.models import Child
from sightline.reviews import selectors, services
from sightline.reviews.choices import DETECTOR_RUN_INLINE_CHILDREN, DETECTOR_RUN_INLINE_DAYS
from sightline.reviews.detectors import DETECTORS
from sightline.reviews.forms import AcknowledgeForm, DetectorRunForm
from sightline.reviews.models import MissedOpportunity
from sightline.reviews.tasks import detector_run_enqueue
from sightline.reviews.views.flags import tell_flags

LIST_LIMIT = 200


def _report(
    request: HttpRequest, form: DetectorRunForm | None = None, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    can_run = user.has_capability(Cap.DETECTOR_RUN)
    runs = selectors.detector_runs_read(user=user)
    return render(
        request,
        "reviews/detectors.html",
        {
            "detectors": [{"d": d, "params": d.params()} for d in DETECTORS.values()],
            "runs": runs, "can_run": can_run, "form": form or DetectorRunForm(),
            "inline_years": DETECTOR_RUN_INLINE_DAYS // 366,
            "inline_children": DETECTOR_RUN_INLINE_CHILDREN,
        },
        status=status,
    )  # fmt: skip


@capability_required(Cap.DETECTOR_VIEW)
def report(request: HttpRequest) -> HttpResponse:
    return _report(request)


@capability_required(Cap.DETECTOR_RUN)
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    form = DetectorRunForm(request.POST)
    if not form.is_valid():
        return _report(request, form, status=422)
    refs = form.cleaned_data["refs"]
    ids = dict(Child.objects.filter(reference__in=refs).values_list("reference", "pk"))
    unknown = [r for r in refs if r not in ids]
    if unknown:
        form.add_error("children", f"Unknown child reference(s): {', '.join(unknown[:5])}")
        return _report(request, form, status=422)
    try:
        made = services.detector_run_request(
            acting_user=request.user, start=form.cleaned_data["start"],
            end=form.cleaned_data["end"], child_ids=[ids[r] for r in refs],
        )  # fmt: skip
    except services.Invalid as exc:
        form.add_error(None, str(exc.detail))
        return _report(request, form, status=422)
    if made.status == "queued":
        with transaction.atomic():
            detector_run_enqueue(made)
        messages.success(
            request, "The run is long, so the worker does it; this page shows its progress."
        )
    return redirect("reviews:detector_run", run_id=made.pk)


@capability_required(Cap.DETECTOR_RUN)
def run_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    user: Any = request.user
    found, hits, withheld = selectors.detector_run_hits_read(user=user, run_id=run_id)
    names = {code: d.name for code, d in DETECTORS.items()}
    rows = [{**h, "name": names.get(h["pattern"], "")} for h in hits[:2000]]
    counts: dict[str, int] = {}
    for h in hits:
        counts[h["pattern"]] = counts.get(h["pattern"], 0) + 1
    return render(
        request,
        "reviews/detector_run.html",
        {"run": found, "rows": rows, "withheld": withheld, "total": len(hits),
         "counts": sorted(counts.items(), key=lambda kv: int(kv[0][1:]))},
    )  # fmt: skip


@capability_required(Cap.ALERT_VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = selectors.missed_opportunity_list_read(user=user, limit=LIST_LIMIT)
    return render(
        request, "reviews/missed_opportunities.html",
        {"rows": rows, "names": {c: d.name for c, d in DETECTORS.items()}},
    )  # fmt: skip


def _alert(request: HttpRequest, mo_id: uuid.UUID) -> MissedOpportunity:
    mo = selectors.missed_opportunity_get(user=request.user, mo_id=mo_id)
    if mo is None:
        raise Http404
    return mo


def _age(dob: dt.date | None) -> int | None:
    return None if dob is None else age_on(dob, timezone.localdate())


def _render_alert(
    request: HttpRequest, mo_id: uuid.UUID, form: AcknowledgeForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The alert's page, read afresh through the audited read (also after a refused
    acknowledgement)."""
    user: Any = request.user
    mo = selectors.missed_opportunity_read(user=user, mo_id=mo_id)
    return render(
        request, "reviews/missed_opportunity.html",
        {"mo": mo, "detector": DETECTORS[mo.pattern], "form": form or AcknowledgeForm(),
         "can_act": user.has_capability(Cap.ALERT_ACTION),
         "child_age": _age(mo.child.date_of_birth)},
        status=status,
    )  # fmt: skip


@capability_required(Cap.ALERT_VIEW)
def alert_detail(request: HttpRequest, mo_id: uuid.UUID) -> HttpResponse:
    return _render_alert(request, mo_id)


@capability_required(Cap.ALERT_ACTION)
@require_POST
def alert_acknowledge(request: HttpRequest, mo_id: uuid.UUID) -> HttpResponse:
    mo = _alert(request, mo_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _render_alert(request, mo.pk, form, status=422)
    try:
        services.missed_opportunity_acknowledge(
            acting_user=request.user, mo=mo, note=form.cleaned_data["note"]
        )
    except services.Conflict as exc:
        form.add_error(None, str(exc.detail))
        return _render_alert(request, mo.pk, form, status=409)
    messages.success(request, f"{mo.reference} acknowledged.")
    tell_flags(request, mo.pk, "acknowledged_note")
    return redirect("reviews:missed_opportunity", mo_id=mo.pk)
