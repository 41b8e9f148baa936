"""Many rows of one model written in one statement: on PostgreSQL by `COPY ... FROM STDIN`,
elsewhere by `bulk_create` (ADR 0904).

Why not `bulk_create` on PostgreSQL too: since Django 5.2 it sends a batch as one `INSERT ...
SELECT * FROM UNNEST(array, array, ...)`, and with the client-side binding Django uses by
default for psycopg 3, every array is quoted in Python element by element (a regular
expression per value). For a bulk import that quoting was the largest single cost of the
import process. COPY sends the rows in psycopg's C row format, with no SQL to build.

The objects must be complete as they will be stored: primary keys set (the project's UUID
keys are, by their default; an explicitly given sequence value, as the audit trail's, is
too; rows of a model with an auto-numbered key may all leave it unset, and are then not told
their numbers), related objects saved before, so each foreign key's `_id` is set. Row
triggers fire for COPY as for INSERT. The statement passes through the connection's execute
wrappers, so a statement counter counts it as one statement.

`ignore_conflicts` is COPY into a temporary table and one `INSERT ... ON CONFLICT DO NOTHING`;
`new_row` builds a row positionally, as `from_db` does (ADR 0906)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from functools import cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import (
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKey,
    IntegerField,
    JSONField,
    Model,
    TextField,
    UUIDField,
    signals,
)
from django.db.models.base import ModelState
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from sightline.core.ids import random_uuid

M = TypeVar("M", bound=Model)


# Below this many rows an INSERT is as quick (COPY costs one more round trip).
COPY_FROM = 50


# Fields whose value, when it is already of this Python type (or None), is what
# `get_db_prep_save` would send on PostgreSQL: the field's own classes only (a subclass may
# change the value), and no auto_now/auto_now_add (pre_save sets those).
_PLAIN: dict[type[Field[Any, Any]], type] = {
    CharField: str,
    TextField: str,
    UUIDField: uuid.UUID,
    FloatField: float,
    BooleanField: bool,
    IntegerField: int,
    BigIntegerField: int,
    BigAutoField: int,
    DateTimeField: dt.datetime,
}


def _getter(field: Field[Any, Any], conn: Any, now: dt.datetime) -> Callable[[Model], Any]:
    """The value COPY sends for `field` of a row: `get_db_prep_save(pre_save(...))`, with a
    quicker path for a value already of the field's plain type (most values of a bulk
    write): the same value, without Django's chain of conversions for each cell. An
    `auto_now`/`auto_now_add` time is the statement's one time `now` (pre_save would take the
    clock again for each row, microseconds apart), set on the object as pre_save sets it; a
    JSON field's dict or list is adapted as its `get_db_prep_save` adapts it (ADR 0908)."""
    own = field.target_field if isinstance(field, ForeignKey) else field
    plain = _PLAIN.get(type(own))
    auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    attname = field.attname

    def slow(obj: Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), conn)

    if auto and type(field) is DateTimeField:

        def stamp(obj: Model) -> Any:
            setattr(obj, attname, now)
            return now

        return stamp
    if type(field) is JSONField and conn.vendor == "postgresql":
        adapt, encoder = conn.ops.adapt_json_value, field.encoder

        def as_json(obj: Model) -> Any:
            value = getattr(obj, attname)
            if type(value) is dict or type(value) is list:
                return adapt(value, encoder)
            return slow(obj)

        return as_json
    if plain is None or auto:
        return slow

    def quick(obj: Model) -> Any:
        value = getattr(obj, attname)
        if value is None:
            return None
        if type(value) is not plain or (isinstance(value, dt.datetime) and value.tzinfo is None):
            return slow(obj)  # another type, or a naive time (Django warns and makes it aware)
        return value

    return quick


@cache
def _row_fields(model: type[Model]) -> tuple[tuple[str, Field[Any, Any]], ...]:
    """The model's (attname, field) in order."""
    return tuple((f.attname, f) for f in model._meta.concrete_fields)


def _listened(model: type[Model]) -> bool:
    """Whether a signal listens to the model's instances' construction (then `new_row` goes
    through `__init__`). Asked at each call, not cached: a receiver connected later counts."""
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def new_row(model: type[M], **values: Any) -> M:
    """A new, unsaved `model` row from its fields' attnames (`event_id`, not `event`), each
    field not given taking its default: what `model(**values)` makes, for writes of many
    thousands of rows. Built as `Model.__init__` builds a row from positional values (each
    attname set in the instance's dict, a fresh `ModelState`), without the call's loop and its
    two signals when nothing listens to them (ADR 0908); through `model(*values)` otherwise."""
    fields = _row_fields(model)
    row = {}
    for name, field in fields:
        if name in values:
            row[name] = values.pop(name)
        elif field.default is uuid.uuid4:
            row[name] = random_uuid()  # the same bytes' source, read in blocks (ADR 0910)
        else:
            row[name] = field.get_default()
    if values:
        raise TypeError(f"new_row: {model.__name__} has no field(s) {sorted(values)}")
    if _listened(model):
        return model(*row.values())
    obj = model.__new__(model)
    obj.__dict__.update(row)
    obj._state = ModelState()
    return obj


def bulk_insert(
    model: type[M],
    objs: Iterable[M],
    *,
    batch_size: int = 2000,
    ignore_conflicts: bool = False,
    copy_from: int = COPY_FROM,
) -> list[M]:
    """Insert `objs` (all new, primary keys set) and return them, marked as saved.
    `ignore_conflicts`: a row that would break a unique constraint is left out, as with
    `bulk_create(ignore_conflicts=True)` (on PostgreSQL: COPY into a temporary table, then
    one `INSERT ... SELECT ... ON CONFLICT DO NOTHING`); the objects are returned all the
    same, as `bulk_create` returns them. `copy_from`: the fewest rows sent by COPY on
    PostgreSQL (a wide row is cheaper to send by COPY even alone: the audit trail's)."""
    objs = list(objs)
    if not objs:
        return []
    alias = router.db_for_write(model)
    conn = connections[alias]
    meta = model._meta
    fields = list(meta.concrete_fields)
    unset = sum(obj.pk is None for obj in objs)
    if unset == len(objs) and isinstance(meta.pk, AutoFieldMixin):
        # The database numbers them; the objects are not given their numbers back.
        fields = [f for f in fields if f is not meta.pk]
    elif unset:
        raise ValueError(f"bulk_insert: {unset} {meta.label} rows have no primary key set")
    if conn.vendor != "postgresql" or len(objs) < copy_from:
        return model._default_manager.using(alias).bulk_create(
            objs, batch_size=batch_size, ignore_conflicts=ignore_conflicts
        )
    table = conn.ops.quote_name(meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column or f.name) for f in fields)
    target = conn.ops.quote_name(f"_bulk_{meta.db_table}") if ignore_conflicts else table
    sql = f"COPY {target} ({columns}) FROM STDIN"

    now = timezone.now()
    getters = [_getter(f, conn, now) for f in fields]

    def rows() -> Any:
        for obj in objs:
            yield [get(obj) for get in getters]

    def copy(sql: str, params: Any, many: bool, context: Any) -> None:
        with context["cursor"].cursor.copy(sql) as out:
            for values in rows():
                out.write_row(values)

    with conn.cursor() as cursor, conn.wrap_database_errors:
        if ignore_conflicts:
            cursor.execute(f"CREATE TEMPORARY TABLE {target} (LIKE {table}) ON COMMIT DROP")
        # Logged where Django logs statements (DEBUG, CaptureQueriesContext), as the INSERT
        # it replaces was: a count of statements sees COPY as one.
        with cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext():
            cursor._execute_with_wrappers(sql, None, False, executor=copy)
        if ignore_conflicts:
            # Names quoted by the backend, from the model's own metadata: no input in them.
            insert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target}"  # noqa: S608
            cursor.execute(f"{insert} ON CONFLICT DO NOTHING")
            cursor.execute(f"DROP TABLE {target}")
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
