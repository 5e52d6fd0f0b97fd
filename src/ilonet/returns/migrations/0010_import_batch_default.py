"""An import run's batch size defaults to the import's own (``interchange.importing.DEFAULT_BATCH``,
10,000 lines since the eighth benchmark pass; every run the platform starts gives it anyway). No
change in the database: Django keeps the default in Python."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0009_case_references_by_statement"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importrun",
            name="batch_size",
            field=models.PositiveIntegerField(default=10000),
        ),
    ]
