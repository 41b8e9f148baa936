"""Template helpers for the snippets other apps include (decision notice, front door)."""

from __future__ import annotations

from typing import Any

from django import template

from sightline.escalation import rules, selectors

register = template.Library()


@register.filter
def challenge_invited(referral: Any) -> bool:
    return rules.challenge_invited(referral)


@register.simple_tag(takes_context=True)
def rereferral_history(context: Any, referral: Any) -> list[Any]:
    request = context.get("request")
    if request is None:
        return []
    return selectors.rereferral_history(user=request.user, referral=referral)


@register.simple_tag
def rereferral_mark(referral: Any) -> Any:
    return selectors.rereferral_mark(referral=referral)


@register.simple_tag
def manager_review_required(referral: Any) -> bool:
    return rules.manager_review_required(referral)


@register.simple_tag(takes_context=True)
def referral_escalations(context: Any, referral: Any) -> list[Any]:
    request = context.get("request")
    if request is None:
        return []
    return list(
        selectors.escalation_list(user=request.user)
        .filter(referral=referral)
        .prefetch_related("events")
    )


@register.simple_tag(takes_context=True)
def inbox_unread(context: Any) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return selectors.inbox_unread_count(user=request.user)
