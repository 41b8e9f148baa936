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
wrappers, so a statement counter counts it as one statement."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin

M = TypeVar("M", bound=Model)


# Below this many rows an INSERT is as quick (COPY costs one more round trip).
COPY_FROM = 50


def bulk_insert(model: type[M], objs: Iterable[M], *, batch_size: int = 2000) -> list[M]:
    """Insert `objs` (all new, primary keys set) and return them, marked as saved."""
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
    if conn.vendor != "postgresql" or len(objs) < COPY_FROM:
        return model._default_manager.using(alias).bulk_create(objs, batch_size=batch_size)
    table = conn.ops.quote_name(meta.db_table)
    columns = ", ".join(conn.ops.quote_name(f.column or f.name) for f in fields)
    sql = f"COPY {table} ({columns}) FROM STDIN"

    def rows() -> Any:
        for obj in objs:
            yield [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]

    def copy(sql: str, params: Any, many: bool, context: Any) -> None:
        with context["cursor"].cursor.copy(sql) as out:
            for values in rows():
                out.write_row(values)

    with conn.cursor() as cursor, conn.wrap_database_errors:
        cursor._execute_with_wrappers(sql, None, False, executor=copy)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
