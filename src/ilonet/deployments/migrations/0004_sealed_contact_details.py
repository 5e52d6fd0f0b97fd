"""The contact details of the contact list (Art. 9(2)(d)) are sealed with each officer's own data
key (``ilonet.shared.sealed_fields``): the columns become text, then the existing rows are sealed
in place, in batches of 1,000 by primary key (each batch its own short transaction on a
non-atomic migration, so the table is never locked for long and reads go on: a value not yet
sealed is read as it is)."""

from django.core.validators import validate_email
from django.db import migrations

import ilonet.shared.sealed_fields
from ilonet.shared.sealed_fields import reseal_table

STORE = "contact-keys.sqlite3"


def _reseal(schema_editor, *, open_instead: bool) -> None:
    reseal_table(
        schema_editor,
        table="deployments_deployment",
        subject_column="officer_id",
        prefix="officer",
        store_file=STORE,
        columns=("phone", "email"),
        open_instead=open_instead,
    )


def seal_existing(apps, schema_editor) -> None:
    _reseal(schema_editor, open_instead=False)


def open_existing(apps, schema_editor) -> None:
    _reseal(schema_editor, open_instead=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("deployments", "0003_keyset_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deployment",
            name="phone",
            field=ilonet.shared.sealed_fields.SealedTextField(
                blank=True,
                help_text="E.164, e.g. +212537123456",
                key_store=STORE,
                plain_max_length=20,
                prefix="officer",
                subject="officer_id",
                verbose_name="phone",
            ),
        ),
        migrations.AlterField(
            model_name="deployment",
            name="email",
            field=ilonet.shared.sealed_fields.SealedTextField(
                blank=True,
                key_store=STORE,
                plain_max_length=254,
                prefix="officer",
                subject="officer_id",
                validators=[validate_email],
                verbose_name="e-mail address",
            ),
        ),
        migrations.RunPython(seal_existing, open_existing, elidable=False),
    ]
