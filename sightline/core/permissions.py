"""Every view declares its permission. The URL enumeration test fails on any view that does
not carry `sightline_permission` (deny by default)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    view.sightline_permission = "public"  # type: ignore[attr-defined]
    return view


def capability_required(capability: str) -> Callable[[F], F]:
    """Signed-in users holding `capability`; anyone else gets the sign-in page or a 404
    (a record's existence is never confirmed to someone who may not act on it)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_capability(capability):
                raise Http404
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        wrapped.sightline_permission = capability  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
