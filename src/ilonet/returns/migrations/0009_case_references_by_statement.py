"""On PostgreSQL the events, name digests and worklist entries name their case without a foreign
key, checked instead once per statement by triggers (``dbsql.CASE_REFERENCES_POSTGRES``): the
same rule (every row names a case; a named case is neither deleted nor given another id while
named), plus the row's member state being its case's, at a probe per distinct case of a
statement instead of a query per row (issue 13, the bulk import: docs/benchmarks.md).

SQLite keeps its foreign keys: only the model's state changes there (no table rebuilt, which
would also drop the timeline's append-only triggers)."""

import django.db.models.deletion
from django.db import migrations, models

from ilonet.returns import dbsql


def _case(related_name: str, on_delete) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=on_delete,
        related_name=related_name,
        to="returns.returncase",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0008_case_indexes_in_unique_constraints"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(dbsql.case_references_forwards, dbsql.case_references_backwards),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=_case("events", django.db.models.deletion.PROTECT),
                ),
                migrations.AlterField(
                    model_name="namedigest",
                    name="case",
                    field=_case("digests", django.db.models.deletion.CASCADE),
                ),
                migrations.AlterField(
                    model_name="worklistentry",
                    name="case",
                    field=_case("worklist", django.db.models.deletion.CASCADE),
                ),
            ],
        ),
    ]
