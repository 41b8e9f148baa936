"""Language pages: the as-you-type check (an htmx fragment) and the training figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Team
from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reviews import selectors
from sightline.reviews.language import MAX_CHARS, check_text

# The POST field that holds the text, when the page does not name one.
DEFAULT_FIELD = "text"


def _age(value: str | None) -> int | None:
    try:
        age = int(value or "")
    except ValueError:
        return None
    return age if 0 <= age <= 25 else None


@capability_required(Cap.LANGUAGE_CHECK)
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """Flags for the text in the POST field named by `field` (as htmx sends a textarea), as a
    fragment listing each phrase with its alternatives. Nothing is stored and nothing blocks:
    this only reads what the user is typing."""
    field = request.POST.get("field") or DEFAULT_FIELD
    text = request.POST.get(field, "")
    context: dict[str, Any] = {"too_long": len(text) > MAX_CHARS, "max_chars": MAX_CHARS}
    if not context["too_long"]:
        context["flags"] = check_text(text, child_age=_age(request.POST.get("child_age")))
    return render(request, "reviews/_language_flags_list.html", context)


@capability_required(Cap.LANGUAGE_REPORT)
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    agencies = list(selectors.report_agencies(user=user))
    code = request.GET.get("agency", "")
    agency = next((a for a in agencies if a.code == code), None)
    teams = list(Team.objects.filter(agency__in=[agency] if agency else agencies))
    team_id = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == team_id), None)
    result = selectors.language_report_read(user=user, agency=agency, team=team)
    return render(
        request,
        "reviews/language_report.html",
        {
            "report": result, "chart": result.chart(), "agencies": agencies,
            "agency": agency, "teams": teams, "team": team,
        },
    )  # fmt: skip
