"""`field__any=values`: what `field__in=values` selects, sent on PostgreSQL as `field =
ANY(%s)` with the values as one array parameter instead of a placeholder each. Django binds
parameters on the client with psycopg 3, which splits and quotes a statement of 2,000
placeholders in Python for every execution (ADR 0910: the events import's reads of each
chunk's children). Elsewhere it is `IN`. Registered on every field (foreign keys too, with
ids) when the core app loads."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.fields.related import ForeignObject
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if not self.rhs_is_direct_value():
            sql, params = super().as_sql(compiler, connection)
            return sql, list(params)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(v, connection, prepared=True)
            for v in dict.fromkeys(self.rhs)
            if v is not None
        ]
        if not values:
            raise EmptyResultSet
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


def register() -> None:
    # A foreign key looks its lookups up no further than ForeignObject, so it is
    # registered there too; its values are ids (`child_id__any=ids`), not instances.
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)


register()
