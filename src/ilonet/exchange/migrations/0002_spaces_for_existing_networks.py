"""The board's space, and a space for every network made before the exchange existed (Art. 5(1),
Art. 9(1)); later networks get theirs when they are created (``ilonet.networks.hooks``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Space = apps.get_model("exchange", "Space")
    Network = apps.get_model("networks", "Network")
    if not Space.objects.filter(kind="board").exists():
        Space.objects.create(kind="board", name="Steering board")
    have = set(Space.objects.filter(network__isnull=False).values_list("network_id", flat=True))
    Space.objects.bulk_create(
        [Space(kind="network", name=n.name[:200], network_id=n.pk) for n in Network.objects.exclude(pk__in=have)]
    )


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
