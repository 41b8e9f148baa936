"""Record scope written as conditions on each candidate row, for reads that look up a few rows
by an index and must not scan every referral to learn which are in scope (ADR 0301).

`referrals.selectors.referral_scope` and `intel.selectors.intel_referrals` say *which* records
a user may see; they are written as `IN (subquery)` over the whole referral table, which the
planner answers by hashing every referral in scope (a full scan per search at a million
referrals). The conditions here reuse those selectors unchanged, correlated to the row in
hand as scalar subqueries (`(SELECT id FROM referral WHERE id = link.referral_id AND <scope>
LIMIT 1) IS NOT NULL`), so PostgreSQL probes the primary key for each candidate instead.

A `Scope` is one request's: each selector is built and compiled to SQL once, the first time a
statement needs it, and every statement of the request (a child search, the persons, places,
vehicles and phones of an all-types search) carries that SQL as a condition. Building and
compiling the selectors' nested querysets was most of a search's Python time, and with the
ORM's correlated subqueries it was paid again for each statement (each `OuterRef` resolution
copies and relabels the whole selector). Nothing is kept past the request: a break-glass
grant's expiry is a parameter of the compiled SQL, taken when it was compiled.

`test_scope.py` holds these conditions equal to the selectors for every persona.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Field, Model, QuerySet
from django.db.models.expressions import RawSQL

from sightline.accounts.roles import Cap
from sightline.intel.models import Mention
from sightline.intel.selectors import intel_referrals
from sightline.people.models import Child, ChildAccess
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.selectors import referral_scope

# Every piece of SQL here is Django's compilation of a selector or a table and column name from
# the models; every value (the user, their agency, the time) is a parameter, never text.
NOTHING = "1 = 0"
# Aliases of the correlated subqueries written here; the selectors' own subqueries are
# compiled with Django's (U0, V0 ...), so these never clash with them.
LINK, NAMED, MENTION = "sl_scope_link", "sl_scope_named", "sl_scope_mention"


def column(model: type[Model], field: str, alias: str | None = None) -> str:
    """`"table"."column"` (or `"alias"."column"`), quoted for the default database."""
    quote = connections["default"].ops.quote_name
    meta = model._meta
    found = meta.get_field(field)
    assert isinstance(found, Field) and found.column, field  # a column, not a reverse relation
    return f"{quote(alias or meta.db_table)}.{quote(found.column)}"


def table(model: type[Model], alias: str | None = None) -> str:
    """`"table"` (or `"table" "alias"`), quoted for the default database."""
    quote = connections["default"].ops.quote_name
    return quote(model._meta.db_table) + (f" {quote(alias)}" if alias else "")


def _on_referral_in(referrals: QuerySet[Referral], link: str) -> tuple[str, tuple[Any, ...]]:
    """The selector `referrals`, compiled once: "the referral `link` names is one of them", as
    a scalar subquery (PostgreSQL runs it for each row as an index probe, where it would
    rewrite an EXISTS into a hash of every referral in scope)."""
    first = referrals.filter(pk=RawSQL(link, ())).order_by().values("pk")[:1]  # noqa: S611
    try:
        sql, params = first.query.get_compiler(using=first.db).as_sql()
    except EmptyResultSet:  # Referral.objects.none(): no referral at all
        return NOTHING, ()
    return f"({sql}) IS NOT NULL", tuple(params)


def _condition(sql: str, params: tuple[Any, ...]) -> RawSQL:
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (see NOTHING)


class Scope:
    """The scope conditions of one request, each compiled the first time it is needed. Its
    conditions are for the top-level statement of a queryset on the model they name (they
    refer to its table by name), never for a queryset used as a subquery of another."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._children: tuple[str, tuple[Any, ...]] | None = None
        self._intel: tuple[str, tuple[Any, ...]] | None = None

    def children(self) -> QuerySet[Child]:
        """The same children as `referrals.selectors.child_scope`: on a referral in
        `referral_scope`, not superseded, and if restricted, only for the users named on it."""
        condition = self.children_condition()
        if condition is None:
            return Child.objects.none()
        return Child.objects.filter(_condition(*condition))

    def children_condition(self) -> tuple[str, tuple[Any, ...]] | None:
        """`children()` as SQL and its parameters, a condition on the `Child` table; None for
        a user who may see no child at all (no statement need run)."""
        user = self.user
        if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.CHILD_VIEW):
            return None
        if self._children is None:
            on_referral, params = _on_referral_in(
                referral_scope(user=user), column(ReferralChild, "referral", LINK)
            )
            child = column(Child, "id")
            sql = (
                f"(SELECT {column(ReferralChild, 'id', LINK)}"  # noqa: S608 (see NOTHING)
                f" FROM {table(ReferralChild, LINK)}"
                f" WHERE {column(ReferralChild, 'child', LINK)} = {child} AND {on_referral}"
                f" LIMIT 1) IS NOT NULL AND {column(Child, 'superseded_by')} IS NULL"
                f" AND NOT ({column(Child, 'is_restricted')} AND NOT EXISTS (SELECT 1 FROM"
                f" {table(ChildAccess, NAMED)} WHERE {column(ChildAccess, 'child', NAMED)}"
                f" = {child} AND {column(ChildAccess, 'user', NAMED)} = %s))"
            )
            self._children = (sql, (*params, user.pk))
        return self._children

    def intel(self, model: type[Model], field: str = "id") -> RawSQL:
        """An entity (`model.field` holds its id) named on a referral the user may see in
        intelligence: the condition `intel.selectors.entity_get` checks."""
        if self._intel is None:
            self._intel = _on_referral_in(
                intel_referrals(user=self.user), column(Mention, "referral", MENTION)
            )
        on_referral, params = self._intel
        sql = (
            f"(SELECT {column(Mention, 'id', MENTION)}"  # noqa: S608 (see NOTHING)
            f" FROM {table(Mention, MENTION)}"
            f" WHERE {column(Mention, 'entity_id', MENTION)} = {column(model, field)}"
            f" AND {on_referral} LIMIT 1) IS NOT NULL"
        )
        return _condition(sql, params)


def children_in_scope(*, user: Any) -> QuerySet[Child]:
    """The same children as `referrals.selectors.child_scope` (`Scope.children`)."""
    return Scope(user).children()


def seen_in_intel(*, user: Any, model: type[Model], field: str = "id") -> RawSQL:
    """`Scope.intel` for one statement."""
    return Scope(user).intel(model, field)
