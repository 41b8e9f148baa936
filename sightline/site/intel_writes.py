"""The intelligence pages that write a practitioner's text (ADR 0714): an alert's status with
its reason, a mention's match confirmed or rejected, mentions split out of a person of
concern with the reason. Each calls one workflow, which keeps the text's language flags in
the step's transaction; the intel app's own pages read (sightline/intel/views.py). URLs
unchanged, under intel/ (sightline/site/intel_urls.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.intel import reads, selectors, services
from sightline.intel.choices import EntityType
from sightline.workflows import intel_alert_status_record, mention_link_decide, person_split_record


@require_POST
@capability_required(Cap.ALERT_ACTION)
def alert_status(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, alert_id=alert_id)
    if alert is None:
        raise Http404
    try:
        intel_alert_status_record(
            acting_user=request.user,
            alert=alert,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"Alert {alert.reference} updated.")
    except services.IntelError as exc:
        messages.error(request, str(exc))
    return redirect("intel:alert", alert_id=alert.pk)


@capability_required(Cap.INTEL_LINK)
def person_split(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    """Choose mentions of a person that are someone else, and say why (ADR 0205). The person
    is fetched unaudited for the split; the page that shows it (the form, or the form again
    with what was refused) reads it through `entity_read`, which records the view."""
    user = request.user
    error = ""
    if request.method == "POST":
        person = selectors.entity_get(user=user, entity_type=EntityType.PERSON, entity_id=entity_id)
        if person is None:
            raise Http404
        mentions = list(selectors.entity_mentions(user=user, entity_id=person.pk)[:200])
        chosen, error = _chosen(request, {m.pk for m in mentions})
        if not error:
            try:
                new, _change, _alerts = person_split_record(
                    acting_user=user,
                    person=person,  # type: ignore[arg-type]
                    mention_ids=chosen,
                    reason=request.POST.get("reason", ""),
                )
            except services.IntelError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    f"{len(chosen)} mention{'s' if len(chosen) != 1 else ''} moved to a new "
                    f"person, {new.reference}.",
                )
                return redirect("intel:person", entity_id=new.pk)
    person = reads.entity_read(user=user, entity_type=EntityType.PERSON, entity_id=entity_id)
    mentions = list(selectors.entity_mentions(user=user, entity_id=person.pk)[:200])
    return render(
        request,
        "intel/person_split.html",
        {
            "entity": person,
            "mentions": mentions,
            "error": error,
            "chosen": set(request.POST.getlist("mention")),
            "reason": request.POST.get("reason", ""),
        },
        status=422 if error else 200,
    )


def _chosen(request: HttpRequest, shown: set[uuid.UUID]) -> tuple[list[uuid.UUID], str]:
    chosen: list[uuid.UUID] = []
    for value in request.POST.getlist("mention"):
        try:
            pk = uuid.UUID(value)
        except ValueError:
            return [], "Choose mentions from the list."
        if pk not in shown:
            return [], "Choose mentions from the list."
        chosen.append(pk)
    if not chosen:
        return [], "Choose at least one mention to split out."
    return chosen, ""


@require_POST
@capability_required(Cap.INTEL_LINK)
def mention_decide(request: HttpRequest, mention_id: uuid.UUID, verdict: str) -> HttpResponse:
    mention = selectors.mention_get(user=request.user, mention_id=mention_id)
    if mention is None or verdict not in ("confirm", "reject"):
        raise Http404
    try:
        entity_id = uuid.UUID(request.POST.get("entity_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    if (
        selectors.entity_get(
            user=request.user, entity_type=mention.entity_type, entity_id=entity_id
        )
        is None
    ):
        raise Http404
    try:
        mention_link_decide(
            acting_user=request.user,
            mention=mention,
            entity_id=entity_id,
            verdict=verdict,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "Link confirmed." if verdict == "confirm" else "Match rejected.")
    except services.IntelError as exc:
        messages.error(request, str(exc))
    return redirect(f"intel:{mention.entity_type}", entity_id=entity_id)
