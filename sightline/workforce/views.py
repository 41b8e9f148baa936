"""Workforce pages for agency leads: CSV upload, headcount entry, and the due-for-refresher
export. The coverage page itself reads across apps and lives in sightline.reporting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.errors import NotPermitted
from sightline.core.permissions import capability_required
from sightline.workforce import reads, rules, selectors, services
from sightline.workforce.csvio import csv_write
from sightline.workforce.forms import HeadcountForm, ImportForm
from sightline.workforce.models import HeadcountSnapshot


def _own_agency(request: AuthenticatedHttpRequest) -> Any:
    user = request.user
    if not rules.leads_agency_workforce(user):
        raise NotPermitted("Only an agency's lead can manage its workforce data.")
    return user.agency


@capability_required(Cap.WORKFORCE_MANAGE)
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    status, report, rejected = 200, None, None
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.workforce_import(
                    acting_user=request.user,
                    agency=agency,
                    kind=form.cleaned_data["kind"],
                    data=upload.read(),
                    filename=upload.name or "",
                    accept_valid=form.cleaned_data["accept_valid"],
                )
            except services.ImportRejected as exc:
                rejected, status = exc.report, 422
        else:
            status = 422
    imports = selectors.import_list(user=request.user, agency=agency)[:10]
    return render(
        request,
        "workforce/import.html",
        {"form": form, "agency": agency, "report": report, "rejected": rejected,
         "imports": imports},
        status=status,
    )  # fmt: skip


@capability_required(Cap.WORKFORCE_MANAGE)
def headcount_entry(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    form = HeadcountForm(request.POST or None, initial={"as_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        row = services.headcount_record(
            acting_user=request.user,
            agency=agency,
            **form.cleaned_data,
        )
        messages.success(request, f"Headcount for {row.team} recorded.")
        return redirect("workforce:headcount")
    current = HeadcountSnapshot.objects.filter(agency=agency).order_by("-as_on", "team")[:50]
    return render(
        request,
        "workforce/headcount.html",
        {"form": form, "agency": agency, "current": current},
        status=422 if form.errors else 200,
    )


@capability_required(Cap.WORKFORCE_VIEW)
def due_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """CSV of who is due for a refresher. Every cell goes through csv_safe: a name imported
    as `=HYPERLINK(...)` leaves as text, never as a live formula."""
    today = timezone.localdate()
    rows = reads.due_export_read(user=request.user, code=request.GET.get("agency", ""), today=today)
    response = HttpResponse(csv_write(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="due-for-refresher-{today}.csv"'
    return response
