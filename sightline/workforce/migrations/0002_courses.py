"""Seed the course catalogue from data/courses.yaml (course_sync keeps it in step later)."""

from django.db import migrations


def load(apps, schema_editor):
    from sightline.workforce.courses import course_definitions

    Course = apps.get_model("workforce", "Course")
    by_code = {}
    for d in course_definitions():
        course, _ = Course.objects.update_or_create(
            code=d.code,
            defaults={
                "name": d.name,
                "measure": d.measure,
                "valid_months": d.valid_months,
                "refreshes": by_code.get(d.refreshes) if d.refreshes else None,
            },
        )
        by_code[d.code] = course


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
