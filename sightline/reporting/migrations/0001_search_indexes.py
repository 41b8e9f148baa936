"""Indexes the search needs on PostgreSQL (ADR 0301): children by lower(given_name) alone and
with the phonetic family key (a given name, its short forms or its first letters, within a
common surname, without reading every child of that surname), and places by any part of their
name (pg_trgm's GIN index serves `LIKE '%...%'`), and the restricted children every scoped
read looks up (a partial index). SQLite, the embedded demo database, gets
none: it searches a borough's few thousand rows without them."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_child_given_lower_idx ON people_child "
    "(lower(given_name) text_pattern_ops, lower(family_name) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS search_child_name_idx ON people_child "
    "(family_name_key, lower(given_name) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS search_place_name_trgm_idx ON intel_place "
    "USING gin (name_key gin_trgm_ops)",
    # Every scoped read asks for the restricted children (few); without this it scans them all.
    "CREATE INDEX IF NOT EXISTS search_child_restricted_idx ON people_child (id) "
    "WHERE is_restricted",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_child_given_lower_idx",
    "DROP INDEX IF EXISTS search_child_name_idx",
    "DROP INDEX IF EXISTS search_place_name_trgm_idx",
    "DROP INDEX IF EXISTS search_child_restricted_idx",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_childaccess"),
        ("intel", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
