from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reporting.choices import SearchType
from sightline.reporting.search import PER_TYPE, search_record
from sightline.site.search.forms import SearchForm


@capability_required(Cap.SEARCH)
def search(request: HttpRequest) -> HttpResponse:
    """Ask why first, then search. A blank visit shows the form; a submitted one with a
    missing purpose or bad terms answers 422 with the errors and no results."""
    submitted = "q" in request.GET or "purpose" in request.GET
    form = SearchForm(request.GET if submitted else None, user=request.user)
    if not submitted:
        return render(request, "search/search.html", {"form": form})
    if not form.is_valid():
        return render(request, "search/search.html", {"form": form}, status=422)
    result = search_record(
        user=request.user,
        query=form.cleaned_data["q"],
        purpose=form.cleaned_data["purpose"],
        types=form.cleaned_data["types"],
    )
    groups = [(SearchType(t).label, result.of_type(t)) for t in result.types]
    context = {"form": form, "result": result, "groups": groups, "per_type": PER_TYPE}
    return render(request, "search/search.html", context)
