"""Kosovo (XK) becomes a third country; the outermost regions and Åland, loaded as third
countries before, are parts of member states (Art. 349 TFEU, Art. 355(4) TFEU): they are
removed, or deactivated if something already refers to them."""

from django.db import migrations
from django.db.models.deletion import ProtectedError


def forwards(apps, schema_editor):
    from ilonet.directory.reference import PARTS_OF_MEMBER_STATES
    from ilonet.directory.services import ensure_reference_organisations

    organisation = apps.get_model("directory", "Organisation")
    ensure_reference_organisations(organisation)
    for code in PARTS_OF_MEMBER_STATES:
        rows = organisation.objects.filter(code=f"tc-{code.lower()}", kind="third_country")
        try:
            rows.delete()
        except ProtectedError:
            rows.update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_participation_changes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
