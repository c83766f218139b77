"""`Screening.case_id` (a plain integer column while screening did not depend on cases) becomes a foreign key
to the case. The ids are kept; one naming a case that no longer exists is cleared first, since the key would
refuse it."""

import django.db.models.deletion
from django.db import migrations, models


def clear_dangling_case_ids(apps, schema_editor):
    Screening = apps.get_model("screening", "Screening")
    Case = apps.get_model("cases", "Case")
    attached = Screening.objects.filter(case_id__isnull=False)
    attached.exclude(case_id__in=Case.objects.values("pk")).update(case_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_authority_and_dashboard_indexes"),
        ("screening", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_dangling_case_ids, migrations.RunPython.noop),
        # Rename then alter: the column keeps its name (case_id) and its values, and gains the key.
        migrations.RenameField("screening", "case_id", "case"),
        migrations.AlterField(
            model_name="screening",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="screenings",
                to="cases.case",
            ),
        ),
    ]
