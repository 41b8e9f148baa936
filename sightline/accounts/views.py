from __future__ import annotations

import math
import time
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sightline.accounts import services
from sightline.accounts.forms import SignInForm
from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.core.permissions import public
from sightline.core.throttle import ThrottledError, throttle, throttle_count

GENERIC_FAILURE = "Enter a correct username and password. Both are case-sensitive."
LOCKED_OUT = (
    "There have been too many attempts to sign in. Wait an hour before trying again, or ask "
    "your system administrator to unlock your account."
)


TOO_MANY_FAILURES = (
    "There have been too many attempts to sign in. Wait {wait} before trying again, or ask "
    "your system administrator for help."
)


def _sign_in_limits(request: HttpRequest) -> list[tuple[str, str, str]]:
    """Failed sign-ins are counted per address (one password tried against many usernames)
    and per username (one account tried from many addresses), as (group, key, rate)."""
    address = get_client_ip_address(request) or "unknown"
    username = str(request.POST.get("username", "")).strip().casefold()
    return [
        ("sign-in.address", address, settings.SIGHTLINE_SIGN_IN_FAILURES_PER_ADDRESS),
        ("sign-in.username", username, settings.SIGHTLINE_SIGN_IN_FAILURES_PER_USERNAME),
    ]


def _too_many_attempts(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    wait = "a minute" if minutes == 1 else f"{minutes} minutes"
    response = render(
        request,
        "accounts/login.html",
        {"form": SignInForm(request), "locked_out_message": TOO_MANY_FAILURES.format(wait=wait)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class SignInView(LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Past a limit on failed sign-ins the password is not even checked: 429."""
        try:
            for group, key, rate in _sign_in_limits(request):
                throttle(request, group=group, key=key, rate=rate, count=False)
        except ThrottledError as exc:
            services.sign_in_failure_recorded(locked_out=True)
            return _too_many_attempts(request, exc.retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session["signed_in_at"] = time.time()
        services.sign_in_recorded(user=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        for group, key, rate in _sign_in_limits(self.request):
            throttle_count(self.request, group=group, key=key, rate=rate)
        services.sign_in_failure_recorded(locked_out=False)
        return super().form_invalid(form)


sign_in = public(SignInView.as_view())


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when a username is locked. The answer is the same whether or not
    the username exists."""
    services.sign_in_failure_recorded(locked_out=True)
    form = SignInForm(request)
    return render(
        request, "accounts/login.html", {"form": form, "locked_out_message": LOCKED_OUT}, status=429
    )


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponseRedirect:
    if request.user.is_authenticated:
        services.sign_out_recorded(user=request.user)
    logout(request)
    return redirect("accounts:login")


@public
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up (first time) or complete the TOTP check for this session."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    device = services.totp_device_for(user=user)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        if services.totp_verify(user=user, device=device, token=token):
            otp_login(request, device)
            return redirect("site:home")
        error = "Enter the 6-digit code from your authenticator app. Each code works once."
    context = {"device": device, "error": error, "setup": not device.confirmed}
    if not device.confirmed:
        context["qr_svg"] = services.totp_qr_data_uri(device=device)
        context["secret"] = services.totp_secret_text(device=device)
    return render(request, "accounts/two_factor.html", context, status=422 if error else 200)
