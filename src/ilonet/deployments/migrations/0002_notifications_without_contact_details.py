"""Notifications keep no contact details (Art. 9(2)(d), 9(3)): the officer is referenced by id,
phone and e-mail are read through the contact list only. A changed contact detail stays noted
by its name."""

from django.db import migrations

CONTACT_FIELDS = ("phone", "email")


def _strip(apps, schema_editor):
    notification_model = apps.get_model("deployments", "DeploymentNotification")
    for notification in notification_model.objects.select_related("deployment").iterator(chunk_size=500):
        data = dict(notification.data or {})
        changes = dict(notification.changes or {})
        for name in CONTACT_FIELDS:
            data.pop(name, None)
            if name in changes:
                changes[name] = "changed"
        if "officer" in data:
            data.pop("officer")
            data["officer_id"] = notification.deployment.officer_id
        changes.pop("officer", None)
        if data != notification.data or changes != notification.changes:
            notification.data, notification.changes = data, changes
            notification.save(update_fields=["data", "changes"])


class Migration(migrations.Migration):
    dependencies = [("deployments", "0001_initial")]

    operations = [migrations.RunPython(_strip, migrations.RunPython.noop)]
