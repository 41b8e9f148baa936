"""The training coverage page: workforce coverage by agency and team, its monthly chart and
table, who is due for a refresher, and (for managers) referral quality by training. It reads
across workforce, referrals and screening, so it lives in reporting."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reporting.training_quality import referral_quality_by_training
from sightline.workforce import reads, rules, selectors


@capability_required(Cap.WORKFORCE_VIEW)
def coverage(request: HttpRequest) -> HttpResponse:
    user = request.user
    code = request.GET.get("agency", "")[:40]
    agency, result = reads.coverage_read(user=user, code=code)
    quality = (
        referral_quality_by_training(user=user, agency=agency)
        if rules.sees_referral_quality(user)
        else None
    )
    return render(
        request,
        "reporting/workforce_coverage.html",
        {
            "cov": result,
            "chart": selectors.coverage_chart(result),
            "agencies": selectors.agency_scope(user=user),
            "agency": agency,
            "quality": quality,
            "may_manage": rules.leads_agency_workforce(user),
        },
    )
