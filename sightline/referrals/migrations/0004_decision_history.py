"""A decision can be superseded (a challenge answered "decision to be changed"): every
decision keeps its referral in `for_referral`; `referral` (the one-to-one read as
`referral.decision`) marks the current one and is cleared when the decision is reopened."""

import django.db.models.deletion
from django.db import migrations, models


def copy_referral(apps, schema_editor):  # type: ignore[no-untyped-def]
    Decision = apps.get_model("referrals", "Decision")
    Decision.objects.update(for_referral=models.F("referral"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_referral_received_idx")]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="for_referral",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="referrals.referral",
            ),
        ),
        migrations.RunPython(copy_referral, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="for_referral",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="referrals.referral",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="referral",
            field=models.OneToOneField(
                blank=True,
                help_text="Set while this is the referral's current decision.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decision",
                to="referrals.referral",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="reopened_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="superseded_by",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supersedes",
                to="referrals.decision",
            ),
        ),
        migrations.AlterModelOptions(name="decision", options={"ordering": ["decided_at"]}),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(referral__isnull=True)
                | models.Q(referral=models.F("for_referral")),
                name="decision_current_of_its_referral",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True) | models.Q(referral__isnull=True),
                name="superseded_decision_not_current",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="status",
            field=models.CharField(
                choices=[
                    ("awaiting_screening", "Awaiting CSE screening"),
                    ("awaiting_decision", "Awaiting decision"),
                    ("decided", "Decided"),
                    ("reopened", "Reopened for a new decision"),
                ],
                max_length=20,
            ),
        ),
    ]
