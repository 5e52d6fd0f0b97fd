"""The single-column indexes of ``case_id`` on the events, name digests and worklist entries are
dropped: each table's unique constraint starts with the case ((case, seq), (case, digest),
(case, rule)) and serves every look-up by case, so the second index only cost every written row
one more index insertion (issue 13, the bulk import). The foreign keys stay as they are: only
the indexes go (no constraint dropped and validated again over the tables' rows)."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("returns_caseevent", "returns_caseevent_case_id_ae9e6305"),
    ("returns_namedigest", "returns_namedigest_case_id_06bf0102"),
    ("returns_worklistentry", "returns_worklistentry_case_id_4de75ae6"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0007_external_id_on_event"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("case_id")',
                )
                for table, index in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="returns.returncase",
                    ),
                ),
                migrations.AlterField(
                    model_name="namedigest",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="digests",
                        to="returns.returncase",
                    ),
                ),
                migrations.AlterField(
                    model_name="worklistentry",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="worklist",
                        to="returns.returncase",
                    ),
                ),
            ],
        ),
    ]
