"""Load the reference organisations (member states with their participation, Schengen-
associated countries, EU bodies, international organisations, third countries)."""

from django.db import migrations


def load(apps, schema_editor):
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations(apps.get_model("directory", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
