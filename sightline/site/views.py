from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from sightline.accounts.roles import Cap
from sightline.audit.sealing import unsealed_lag
from sightline.core.permissions import public
from sightline.site.middleware import CONNECTION_LOST, database_unavailable

HOME_FOR = (
    (Cap.REVIEW_VIEW, "reviews:list"),  # the case reviewer
    (Cap.AUDIT_VIEW, "audit:access_log_start"),  # information governance
    (Cap.USER_MANAGE, "admin_console:home"),  # the system administrator
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.has_capability(Cap.REFERRAL_QUEUE):  # type: ignore[union-attr]
        return redirect("referrals:queue")
    if user.has_capability(Cap.REFERRAL_SUBMIT):  # type: ignore[union-attr]
        return redirect("referrals:mine")
    # The roles that neither refer nor work the front door start where their work is.
    for capability, page in HOME_FOR:
        if user.has_capability(capability):  # type: ignore[union-attr]
            return redirect(page)
    return render(request, "core/home.html")


home.sightline_permission = "authenticated"  # type: ignore[attr-defined]


@public
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "Page not found",
            "text": "If you typed the web address, check it is correct. The record may not exist, "
            "or you may not have access to it.",
        },
        status=404,
    )


@public
def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], CONNECTION_LOST):
        # The database went away outside a view (in a middleware): unavailable, not broken.
        return database_unavailable(request)
    return render(
        request,
        "core/error.html",
        {
            "title": "Sorry, there is a problem with the service",
            "text": "Try again later. Nothing you entered has been lost if you saw a confirmation; "
            "otherwise please submit again.",
        },
        status=500,
    )


@public
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": "You cannot do that",
            "text": "Your role does not allow this. Ask your manager if you think it should.",
        },
        status=403,
    )


@public
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        # Django raises it on reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE (for the API,
        # when ninja reads the JSON body): 413, as JSON under /api/ (ErrorMiddleware).
        return render(
            request,
            "core/error.html",
            {
                "title": "Sorry, that was too large",
                "text": "What you sent is over the size limit. Send less and try again.",
            },
            status=413,
        )
    return render(
        request,
        "core/error.html",
        {"title": "Sorry, that request was not understood", "text": "Go back and try again."},
        status=400,
    )


@public
def health(request: HttpRequest) -> HttpResponse:
    """For monitors and load balancers: the database answers, and the audit sealer is keeping
    up. 503 when either fails, so a monitor raises the alarm; counts and ages only, no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        lag = unsealed_lag()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    body = {
        "status": "alarm" if lag.is_alarm else "ok",
        "database": "ok",
        "audit_unsealed_rows": lag.rows,
        "audit_unsealed_oldest_seconds": round(lag.seconds),
        "audit_alarm_after_minutes": lag.alarm_minutes,
    }
    return JsonResponse(body, status=503 if lag.is_alarm else 200)
