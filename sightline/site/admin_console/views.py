"""The administration console (/admin-console/) for the system administrator: users,
agencies and teams, API tokens, clock policies and ladders, partnership settings, and the
retention schedule and holds. No page here reads case content; children appear only by
reference, on legal holds and in the retention lists."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sightline.accounts.models import Agency, ApiToken, User
from sightline.accounts.roles import Cap, Role
from sightline.accounts.rules import ROLE_AGENCY_KINDS
from sightline.accounts.selectors import token_list_read, user_list_read, user_read
from sightline.accounts.services import admin as accounts_admin
from sightline.accounts.services import api_token_revoke
from sightline.accounts.services import config as accounts_config
from sightline.core.config import screening_min_age
from sightline.core.models import AlertThreshold
from sightline.core.permissions import capability_required
from sightline.escalation.choices import TimescaleKey
from sightline.escalation.models import ClosureDay
from sightline.escalation.services import policies
from sightline.escalation.timescales import ladder_for, timescales
from sightline.retention import selectors as retention_selectors
from sightline.retention import services as retention_services
from sightline.retention.schedule import schedule_current
from sightline.site.admin_console import forms


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *forms_: Any
) -> HttpResponse:
    status = 422 if any(f.is_bound and f.errors for f in forms_) else 200
    return render(request, f"admin_console/{template}", {**context, "forms": forms_}, status=status)


def _target(username: str) -> User:
    user = User.objects.select_related("agency", "team").filter(username=username).first()
    if user is None:
        raise Http404
    return user


@capability_required(Cap.USER_MANAGE)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "admin_console/home.html", {})


@capability_required(Cap.USER_MANAGE)
def users(request: HttpRequest) -> HttpResponse:
    agency = request.GET.get("agency", "")[:40]
    listed = user_list_read(
        user=request.user, agency=agency, order_by=("agency__name", "username"), limit=500
    )
    return render(
        request, "admin_console/users.html",
        {"users": listed, "agencies": Agency.objects.all(), "agency": agency},
    )  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def user_new(request: HttpRequest) -> HttpResponse:
    form = forms.UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts_admin.user_admin_create(
            acting_user=request.user, username=data["username"], password=data["password"],
            agency=data["agency"], role=data["role"], team=data["team"],
            given_name=data["given_name"], family_name=data["family_name"],
            email=data["email"], job_title=data["job_title"],
        )  # fmt: skip
        messages.success(request, f"{user.username} created.")
        return redirect("admin_console:user_edit", user.username)
    return _page(request, "user_new.html", {"form": form, "fits": ROLE_AGENCY_KINDS}, form)


@capability_required(Cap.USER_MANAGE)
def user_edit(request: HttpRequest, username: str) -> HttpResponse:
    target = _target(username)
    initial = {
        "given_name": target.first_name, "family_name": target.last_name,
        "email": target.email, "job_title": target.job_title, "agency": target.agency,
        "role": target.role, "team": target.team,
    }  # fmt: skip
    form = forms.UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        accounts_admin.user_change(acting_user=request.user, user=target, **form.changes())
        messages.success(request, f"{target.username} changed.")
        return redirect("admin_console:user_edit", target.username)
    # Shown (again, after a refused change): read afresh, with its view recorded.
    target, tokens = user_read(user=request.user, username=target.username)
    return _page(
        request, "user_edit.html",
        {"target": target, "form": form, "reason_form": forms.ReasonForm(), "tokens": tokens,
         "fits": ROLE_AGENCY_KINDS},
        form,
    )  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def user_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    target = _target(username)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts_admin.user_deactivate(
            acting_user=request.user, user=target, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"{target.username} deactivated; sessions and tokens ended.")
        return redirect("admin_console:user_edit", target.username)
    return _page(request, "reason.html", {"target": target, "form": form,
                 "action": "Deactivate"}, form)  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def user_two_factor_reset(request: HttpRequest, username: str) -> HttpResponse:
    target = _target(username)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts_admin.user_two_factor_reset(
            acting_user=request.user, user=target, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Two-factor reset for {target.username}.")
        return redirect("admin_console:user_edit", target.username)
    return _page(request, "reason.html", {"target": target, "form": form,
                 "action": "Reset two-factor for"}, form)  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def agencies(request: HttpRequest) -> HttpResponse:
    agency_form = forms.AgencyForm(request.POST if "kind" in request.POST else None)
    team_form = forms.TeamForm(
        request.POST if "kind" not in request.POST and request.POST else None
    )
    if request.method == "POST" and agency_form.is_bound and agency_form.is_valid():
        accounts_admin.agency_admin_create(acting_user=request.user, **agency_form.cleaned_data)
        messages.success(request, "Agency created.")
        return redirect("admin_console:agencies")
    if request.method == "POST" and team_form.is_bound and team_form.is_valid():
        accounts_admin.team_admin_create(acting_user=request.user, **team_form.cleaned_data)
        messages.success(request, "Team created.")
        return redirect("admin_console:agencies")
    rows = Agency.objects.prefetch_related("teams").order_by("name")
    return _page(request, "agencies.html", {"agencies": rows, "agency_form": agency_form,
                 "team_form": team_form}, agency_form, team_form)  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def tokens(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        owner = User.objects.filter(username=form.cleaned_data["username"]).first()
        if owner is None:
            form.add_error("username", "No such user.")
        else:
            _token, secret = accounts_admin.agency_token_issue(
                acting_user=request.user, user=owner, name=form.cleaned_data["name"]
            )
    agency = request.GET.get("agency", "")[:40]
    listed = token_list_read(
        user=request.user, agency=agency, order_by=("agency__name", "-created_at"), limit=500
    )
    return _page(request, "tokens.html", {"tokens": listed, "form": form, "secret": secret,
                 "agencies": Agency.objects.all(), "agency": agency}, form)  # fmt: skip


@capability_required(Cap.USER_MANAGE)
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None or request.method != "POST":
        raise Http404
    with transaction.atomic():
        api_token_revoke(
            acting_user=request.user, token=token, reason="Revoked by an administrator."
        )
    messages.success(request, f"Token {token.prefix} revoked.")
    return redirect("admin_console:tokens")


@capability_required(Cap.USER_MANAGE)
def clocks(request: HttpRequest) -> HttpResponse:
    which = request.POST.get("form", "")
    policy = forms.ClockPolicyForm(request.POST if which == "policy" else None)
    rung = forms.LadderRungForm(request.POST if which == "rung" else None)
    closure = forms.ClosureDayForm(request.POST if which == "closure" else None)
    if which == "policy" and policy.is_valid():
        policies.clock_policy_set(acting_user=request.user, **policy.cleaned_data)
        messages.success(request, "Clock policy saved.")
        return redirect("admin_console:clocks")
    if which == "rung" and rung.is_valid():
        policies.ladder_rung_set(acting_user=request.user, **rung.cleaned_data)
        messages.success(request, "Escalation ladder saved.")
        return redirect("admin_console:clocks")
    if which == "closure" and closure.is_valid():
        policies.closure_day_add(acting_user=request.user, **closure.cleaned_data)
        messages.success(request, "Closure day added.")
        return redirect("admin_console:clocks")
    if which == "closure_remove":
        day = forms.ClosureDayForm().fields["day"].clean(request.POST.get("day", ""))
        policies.closure_day_remove(acting_user=request.user, day=day)
        messages.success(request, "Closure day removed.")
        return redirect("admin_console:clocks")
    ladders = [
        (a, [(Role(step.role).label if step.role in Role.values else step.role, step.hours)
             for _rung, step in sorted(ladder_for(a).items())])
        for a in Agency.objects.filter(is_active=True)
    ]  # fmt: skip
    scales = [(TimescaleKey(key).label, key, scale) for key, scale in timescales().items()]
    context = {
        "timescales": scales, "ladders": ladders,
        "closures": ClosureDay.objects.filter(day__gte=timezone.localdate()),
        "policy_form": policy, "rung_form": rung, "closure_form": closure,
    }  # fmt: skip
    return _page(request, "clocks.html", context, policy, rung, closure)


@capability_required(Cap.USER_MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    which = request.POST.get("form", "")
    age = forms.ScreeningAgeForm(
        request.POST if which == "age" else None, initial={"screening_min_age": screening_min_age()}
    )
    threshold = forms.ThresholdForm(request.POST if which == "threshold" else None)
    if which == "age" and age.is_valid():
        accounts_config.screening_min_age_set(
            acting_user=request.user, age=age.cleaned_data["screening_min_age"]
        )
        messages.success(request, "Screening age saved.")
        return redirect("admin_console:settings")
    if which == "threshold" and threshold.is_valid():
        accounts_config.alert_threshold_set(acting_user=request.user, **threshold.cleaned_data)
        messages.success(request, "Threshold saved.")
        return redirect("admin_console:settings")
    context = {"age_form": age, "threshold_form": threshold,
               "thresholds": AlertThreshold.objects.all()}  # fmt: skip
    return _page(request, "settings.html", context, age, threshold)


@capability_required(Cap.USER_MANAGE)
def retention(request: HttpRequest) -> HttpResponse:
    which = request.POST.get("form", "")
    schedule = schedule_current()
    text_form = forms.ScheduleForm(
        request.POST if which == "schedule" else None, initial={"text": schedule.text}
    )
    hold_form = forms.HoldForm(request.POST if which == "hold" else None)
    if which == "schedule" and text_form.is_valid():
        retention_services.schedule_save(
            acting_user=request.user, text=text_form.cleaned_data["text"]
        )
        messages.success(request, "Retention schedule saved.")
        return redirect("admin_console:retention")
    if which == "hold" and hold_form.is_valid():
        retention_services.hold_place(acting_user=request.user, **hold_form.cleaned_data)
        messages.success(request, "Legal hold placed.")
        return redirect("admin_console:retention")
    due = retention_selectors.due_list_read(
        user=request.user, schedule=schedule, today=timezone.localdate()
    )
    context = {
        "schedule": schedule, "due": due[:200], "due_count": len(due),
        "holds": retention_selectors.hold_list()[:200],
        "tombstones": retention_selectors.tombstone_list()[:50],
        "text_form": text_form, "hold_form": hold_form, "reason_form": forms.ReasonForm(),
    }  # fmt: skip
    return _page(request, "retention.html", context, text_form, hold_form)


@capability_required(Cap.USER_MANAGE)
def hold_release(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _page(request, "reason.html", {"form": form, "action": "Release the hold"}, form)
    retention_services.hold_release(
        acting_user=request.user, hold_id=hold_id, reason=form.cleaned_data["reason"]
    )
    messages.success(request, "Legal hold released.")
    return redirect("admin_console:retention")
