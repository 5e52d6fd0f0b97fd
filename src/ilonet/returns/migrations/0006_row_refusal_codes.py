"""A refused row's reason as a stable code with its parameters (``interchange.refusals``),
rendered in the reader's language, instead of English words. Rows refused before keep their
words under the code ``text``."""

from django.db import migrations, models


def words_to_code(apps, schema_editor):
    ImportRowError = apps.get_model("returns", "ImportRowError")
    if schema_editor.connection.vendor == "postgresql":
        # Row-level security hides every row from a role without a scope: the copy sees all.
        schema_editor.execute("SELECT set_config('app.member_state', '*', true)")
    for error in ImportRowError.objects.all().only("pk", "reason").iterator():
        ImportRowError.objects.filter(pk=error.pk).update(code="text", params={"text": error.reason})


class Migration(migrations.Migration):
    dependencies = [("returns", "0005_approval_decided_index")]

    operations = [
        migrations.AddField(
            model_name="importrowerror",
            name="code",
            field=models.CharField(default="text", max_length=40, verbose_name="reason code"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="importrowerror",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="reason parameters"),
        ),
        migrations.RunPython(words_to_code, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importrowerror", name="reason"),
    ]
