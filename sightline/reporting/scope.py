"""Record scope written as conditions on each candidate row, for reads that look up a few rows
by an index and must not scan every referral to learn which are in scope (ADR 0301).

`referrals.selectors.child_scope` and `intel.selectors.intel_referrals` say *which* records a
user may see; they are written as `IN (subquery)` over the whole referral table, which the
planner answers by hashing every referral in scope (a full scan per search at a million
referrals). The conditions here reuse those selectors unchanged, correlated to the row in
hand (`EXISTS (... WHERE referral.id = outer.referral_id AND <scope>)`), so PostgreSQL probes
the primary key for each candidate instead. `test_scope.py` holds them equal to the
selectors for every persona.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from sightline.accounts.roles import Cap
from sightline.intel.models import Mention
from sightline.intel.selectors import intel_referrals
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.selectors import referral_scope


def _first(qs: QuerySet[Any]) -> Subquery:
    """A scalar subquery (`(SELECT pk ... LIMIT 1)`): PostgreSQL runs it for each row, as an
    index probe, where it would rewrite an EXISTS into a hash of every row in scope."""
    return Subquery(qs.order_by().values("pk")[:1])


def _on_referral_in(referrals: QuerySet[Referral]) -> Subquery:
    """For a row with a `referral_id`: that referral, if it is in `referrals`."""
    return _first(referrals.filter(pk=OuterRef("referral_id")))


def children_in_scope(*, user: Any) -> QuerySet[Child]:
    """The same children as `referrals.selectors.child_scope`."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.CHILD_VIEW):
        return Child.objects.none()
    link = ReferralChild.objects.filter(child_id=OuterRef("pk")).alias(
        scoped=_on_referral_in(referral_scope(user=user))
    )
    return (
        Child.objects.alias(scoped_link=_first(link.filter(scoped__isnull=False)))
        .filter(scoped_link__isnull=False, superseded_by__isnull=True)
        .exclude(Q(is_restricted=True) & ~Q(named_users__user=user))
    )


def seen_in_intel(*, user: Any, outer: str = "pk") -> IsNull:
    """An entity (`outer` names its id on the outer row) named on a referral the user may
    see in intelligence: the condition `intel.selectors.entity_get` checks."""
    mention = Mention.objects.filter(entity_id=OuterRef(outer)).alias(
        visible=_on_referral_in(intel_referrals(user=user))
    )
    return IsNull(_first(mention.filter(visible__isnull=False)), False)
