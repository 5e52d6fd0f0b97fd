"""The live documents' space and folder (``exchange_doc_live``): the count of the readable
documents per space (the list of spaces) is read from this index alone (docs/benchmarks.md,
"Full-text search")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchange", "0005_move_board_meeting_documents")]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["space", "folder"],
                name="exchange_doc_live",
            ),
        ),
    ]
