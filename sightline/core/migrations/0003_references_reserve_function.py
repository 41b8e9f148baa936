"""`sightline_references_reserve(prefixes, counts, year)`: every reference a step needs in one
statement on PostgreSQL (core.references). For each prefix it reads the counter row, makes
it if absent (the only moment a concurrent first use of the prefix and year can wait, once
a year), makes the prefix's sequence `core_reference_<row id>` if absent (started after the
row's value; a concurrent creation is caught), and returns that many `nextval`s. Nothing is
held to commit but a counter row just made. SQLite has no such function: one upsert of the
counter rows does the same there."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION sightline_references_reserve(
    p_prefixes text[], p_counts integer[], p_year integer
) RETURNS TABLE (ref_prefix text, ref_number bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    i integer;
    v_id bigint;
    v_last bigint;
    v_seq text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_prefixes, 1), 0) LOOP
        v_id := NULL;
        SELECT c.id, c.last_value INTO v_id, v_last
          FROM core_referencecounter AS c
         WHERE c.prefix = p_prefixes[i] AND c.year = p_year;
        IF v_id IS NULL THEN
            INSERT INTO core_referencecounter AS c (prefix, year, last_value)
                 VALUES (p_prefixes[i], p_year, 0)
            ON CONFLICT ON CONSTRAINT uniq_reference_counter DO NOTHING;
            SELECT c.id, c.last_value INTO v_id, v_last
              FROM core_referencecounter AS c
             WHERE c.prefix = p_prefixes[i] AND c.year = p_year;
        END IF;
        v_seq := 'core_reference_' || v_id;
        IF to_regclass(v_seq) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START WITH %s',
                               v_seq, v_last + 1);
            EXCEPTION WHEN unique_violation OR duplicate_table THEN
                NULL;  -- made at the same moment by another transaction, which committed
            END;
        END IF;
        RETURN QUERY SELECT p_prefixes[i], nextval(v_seq) FROM generate_series(1, p_counts[i]);
    END LOOP;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS sightline_references_reserve(text[], integer[], integer);"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outboxmessage")]

    operations = [migrations.RunPython(forwards, backwards)]
