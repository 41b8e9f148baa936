from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap, is_manager
from sightline.audit.choices import ObjectType
from sightline.core.errors import TransitionNotAllowed
from sightline.core.permissions import capability_required
from sightline.referrals import rules, services
from sightline.referrals.forms import (
    BreakGlassForm,
    DecisionForm,
    MatchForm,
    ReferralForms,
)
from sightline.referrals.inputs import ReferralInvalid
from sightline.referrals.selectors import (
    can_see_assessment,
    candidate_get,
    child_names,
    referral_by_reference_unscoped,
    referral_get,
    referral_list_mine_read,
    referral_queue_read,
    referral_read,
)
from sightline.screening import scoring
from sightline.screening.choices import LEVEL_RANK, MarkBasis, MarkStatus, RiskLevel
from sightline.screening.selectors import indicator_list
from sightline.screening.services import ScreeningError, screening_level_preview
from sightline.site.frontdoor.decision import confirm_missing, decision_context
from sightline.site.language_flags import tell_flags
from sightline.workflows import decision_propose, decision_record, referral_intake, referral_screen


@capability_required(Cap.REFERRAL_QUEUE)
def queue(request: HttpRequest) -> HttpResponse:
    page = referral_queue_read(user=request.user, page=request.GET.get("page"))
    children = [rc.child for r in page.object_list for rc in r.children.all()]  # prefetched
    found = child_names(user=request.user, child_ids=[c.pk for c in children])
    names = {c.reference: found[c.pk] for c in children if c.pk in found}
    return render(
        request,
        "referrals/queue.html",
        {"page": page, "now": timezone.now(), "levels": dict(RiskLevel.choices), "names": names},
    )


@capability_required(Cap.REFERRAL_SUBMIT)
def mine(request: HttpRequest) -> HttpResponse:
    page = referral_list_mine_read(user=request.user, page=request.GET.get("page"))
    return render(request, "referrals/mine.html", {"page": page})


@capability_required(Cap.REFERRAL_SUBMIT)
def new(request: HttpRequest) -> HttpResponse:
    """The referral form. Adding or removing a child, person or place re-renders it (200, no
    errors shown); sending it either makes the referral or answers 422 with every error."""
    if request.method != "POST":
        return _render_new(request, ReferralForms())
    bundle = ReferralForms(request.POST)
    if not bundle.is_submit:
        return _render_new(request, bundle)
    if bundle.is_valid():
        try:
            result = referral_intake(acting_user=request.user, data=bundle.to_input())
        except ReferralInvalid as exc:
            bundle.add_errors(exc.errors)
        except services.DecisionInvalid as exc:
            bundle.general_errors.append(str(exc))
        else:
            messages.success(request, f"Referral {result.referral.reference} received.")
            return redirect("referrals:detail", reference=result.referral.reference)
    else:
        bundle.check_whole_referral()
    return _render_new(request, bundle, status=422)


def _render_new(request: HttpRequest, bundle: ReferralForms, status: int = 200) -> HttpResponse:
    context = {
        "form": bundle.form,
        "sections": bundle.sections(),
        "error_summary": bundle.summary(),
    }
    return render(request, "referrals/new.html", context, status=status)


@capability_required(Cap.REFERRAL_VIEW)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _audited_detail(request, reference, DecisionForm())


def _audited_detail(
    request: HttpRequest,
    reference: str,
    decision_form: DecisionForm,
    status: int = 200,
    blocker: str | None = None,
) -> HttpResponse:
    """The referral page, read afresh with its view recorded: also when a refused decision
    shows it again (the refused step's changes were rolled back)."""
    referral = referral_read(user=request.user, reference=reference)
    return _render_detail(request, referral, decision_form, status=status, blocker=blocker)


def _render_detail(
    request: HttpRequest,
    referral: Any,
    decision_form: DecisionForm,
    status: int = 200,
    blocker: str | None = None,
) -> HttpResponse:
    full = can_see_assessment(request.user)
    context = {
        "referral": referral,
        "full": full,
        "decision": getattr(referral, "decision", None),
        "decision_form": decision_form,
        "awaiting": rules.children_awaiting_screening(referral) if full else [],
        "blocker": blocker,
        "can_decide": request.user.has_capability(Cap.REFERRAL_DECIDE),  # type: ignore[union-attr]
        "can_screen": request.user.has_capability(Cap.REFERRAL_SCREEN),  # type: ignore[union-attr]
        "can_match": request.user.has_capability(Cap.CHILD_MATCH),  # type: ignore[union-attr]
        "overdue": referral.decision_due_at < timezone.now(),
        "levels": dict(RiskLevel.choices),
        "indicator_labels": {i.code: i.label for i in scoring.load_catalogue().indicators}
        if full
        else {},
    }
    context.update(decision_context(request.user, referral, full))
    template = "referrals/detail.html" if full else "referrals/detail_referrer.html"
    return render(request, template, context, status=status)


@capability_required(Cap.REFERRAL_DECIDE)
@require_POST
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    referral = referral_get(user=request.user, reference=reference)
    if referral is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _audited_detail(request, referral.reference, form, status=422)
    if request.POST.get("propose") and not is_manager(request.user):
        return _propose(request, referral, form)
    try:
        decision = decision_record(
            acting_user=request.user,
            referral=referral,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            override_rationale=request.POST.get("override_rationale", "")[:10_000],
        )
    except services.DecisionBlocked as exc:
        return _audited_detail(request, referral.reference, form, status=409, blocker=str(exc))
    except services.DecisionInvalid as exc:
        form.add_error(None, str(exc))
        return _audited_detail(request, referral.reference, form, status=422)
    messages.success(request, "Decision recorded. The referrer can now see it.")
    tell_flags(request, decision.pk)
    return redirect("referrals:detail", reference=reference)


def _propose(request: HttpRequest, referral: Any, form: DecisionForm) -> HttpResponse:
    """To the sign-off queue, a no-further-action on medium or high risk once confirmed."""
    outcome, level = form.cleaned_data["outcome"], rules.highest_level(referral)
    if confirm_missing(outcome, level, request.POST.get("confirm_nfa") == "on"):
        form.add_error(None, f"Confirm that you propose no further action at {level} risk.")
        return _audited_detail(request, referral.reference, form, status=422)
    try:
        sign_off = decision_propose(
            acting_user=request.user, referral=referral, outcome=outcome,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except services.DecisionBlocked as exc:
        return _audited_detail(request, referral.reference, form, status=409, blocker=str(exc))
    messages.success(request, "Sent to a team manager for sign-off. You will be told the answer.")
    tell_flags(request, sign_off.pk)
    return redirect("referrals:detail", reference=referral.reference)


@capability_required(Cap.REFERRAL_SCREEN)
def screen(request: HttpRequest, reference: str, child_id: uuid.UUID) -> HttpResponse:
    indicators = list(indicator_list(user=request.user))
    errors: list[str] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        done = _screen_post(request, reference, child_id, indicators, errors, values)
        if done is not None:
            return done
    # The form shows the narrative and the child: a read, recorded like the detail page (and
    # read afresh after a refused screening, whose changes were rolled back).
    referral = referral_read(
        user=request.user,
        reference=reference,
        purpose=ObjectType.SCREENING_FORM,
        child_id=child_id,
    )
    referral_child = next(rc for rc in referral.children.all() if rc.child_id == child_id)
    catalogue = scoring.load_catalogue()
    suggestions = {s.code: s for s in scoring.suggest_indicators(catalogue, referral.narrative)}
    current = next((s for s in referral_child.screenings.all() if s.is_current), None)
    if current and not values:
        values = {
            m.code: {"status": m.status, "basis": m.basis, "note": m.note}
            for m in current.marks.all()
        }
    groups: dict[str, list[Any]] = {}
    for ind in indicators:
        groups.setdefault(f"{ind.category}. {ind.category_name}", []).append(ind)
    computed = screening_level_preview(
        marks=values,
        age_years=referral_child.age_on_day,
        has_learning_disability=referral_child.child.has_learning_disability,
    )
    return render(
        request,
        "referrals/screen.html",
        {
            "referral": referral,
            "referral_child": referral_child,
            "groups": groups,
            "suggestions": suggestions,
            "values": values,
            "errors": errors,
            "statuses": MarkStatus.choices,
            "bases": MarkBasis.choices,
            "computed": computed,
            # The level may only be raised: offer the computed level and those above it.
            "levels": [
                (value, label)
                for value, label in RiskLevel.choices
                if LEVEL_RANK[value] >= LEVEL_RANK[computed.value_name]
            ],
            "raised_level": request.POST.get("raised_level", ""),
            "raised_reason": request.POST.get("raised_reason", ""),
            "current": current,
        },
        status=422 if errors else 200,
    )


def _screen_post(
    request: HttpRequest,
    reference: str,
    child_id: uuid.UUID,
    indicators: list[Any],
    errors: list[str],
    values: dict[str, Any],
) -> HttpResponse | None:
    """Record the screening sent; the redirect when it is recorded, else None with `errors`
    and the typed `values` filled in for the form shown again."""
    referral = referral_get(user=request.user, reference=reference)
    if referral is None:
        raise Http404
    referral_child = next((rc for rc in referral.children.all() if rc.child_id == child_id), None)
    if referral_child is None:
        raise Http404
    marks = []
    for ind in indicators:
        status = request.POST.get(f"status_{ind.code}", MarkStatus.NOT_KNOWN)
        basis = request.POST.get(f"basis_{ind.code}", "")
        note = request.POST.get(f"note_{ind.code}", "")[:2000]
        values[ind.code] = {"status": status, "basis": basis, "note": note}
        if status not in MarkStatus.values:
            errors.append(f"Choose present, possible or not known for {ind.code}.")
        elif status != MarkStatus.NOT_KNOWN:
            marks.append({"code": ind.code, "status": status, "basis": basis, "note": note})
    if errors:
        return None
    try:
        screening = referral_screen(
            acting_user=request.user,
            referral=referral,
            referral_child=referral_child,
            marks=marks,
            raised_level=request.POST.get("raised_level") or None,
            raised_reason=request.POST.get("raised_reason", "").strip(),
        )
    except ScreeningError as exc:
        errors.append(str(exc))
    except TransitionNotAllowed:
        errors.append("A decision has already been made on this referral.")
    else:
        messages.success(
            request,
            f"Screening recorded: {screening.get_level_display()} (score {screening.score}).",
        )
        tell_flags(request, screening.pk)  # the raised level's reason and the indicator notes
        return redirect("referrals:detail", reference=reference)
    return None


@capability_required(Cap.CHILD_MATCH)
@require_POST
def match(request: HttpRequest, candidate_id: uuid.UUID, verdict: str) -> HttpResponse:
    candidate = candidate_get(user=request.user, candidate_id=candidate_id)
    if candidate is None or verdict not in ("confirm", "reject"):
        raise Http404
    form = MatchForm(request.POST)
    reason = form.data.get("reason", "")[:2000]
    reference = candidate.referral_child.referral.reference
    try:
        if verdict == "confirm":
            services.child_match_confirm(
                acting_user=request.user, candidate=candidate, reason=reason
            )
            messages.success(request, f"Linked to existing child {candidate.candidate.reference}.")
        else:
            services.child_match_reject(
                acting_user=request.user, candidate=candidate, reason=reason
            )
            messages.success(request, "Marked as not the same child.")
    except services.DecisionInvalid as exc:
        messages.error(request, str(exc))
    return redirect("referrals:detail", reference=reference)


@capability_required(Cap.BREAK_GLASS)
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            referral = referral_by_reference_unscoped(form.cleaned_data["reference"])
            try:
                if referral is None:
                    raise services.BreakGlassNotFound
                grant = services.break_glass_open(
                    acting_user=request.user,
                    referral=referral,
                    reason=form.cleaned_data["reason"],
                )
            except (services.BreakGlassNotFound, services.BreakGlassRefused) as exc:
                # Recorded, and a restricted record answers as one that does not exist.
                field = "reason" if isinstance(exc, services.BreakGlassRefused) else "reference"
                why = "invalid" if field == "reason" else "not_found"
                if referral is not None and why == "not_found":
                    why = "restricted"
                services.break_glass_refused_record(
                    acting_user=request.user,
                    reference=form.cleaned_data["reference"],
                    why=why,
                    referral=referral,
                )
                form.add_error(field, str(exc))
            else:
                messages.success(
                    request,
                    "Access granted until "
                    f"{timezone.localtime(grant.expires_at):%H:%M}. "
                    "This has been recorded and managers told.",
                )
                return redirect("referrals:detail", reference=referral.reference)
        status = 422
    return render(request, "referrals/break_glass.html", {"form": form}, status=status)
