"""The contact details copied into the lists of deployed ILOs (recital 14, Art. 9(2)(d)) are
sealed with the officer's own data key, the contact list's (``ilonet.shared.sealed_fields``): each
entry learns its officer from its deployment, then its phone and e-mail are sealed in place in
batches (non-atomic: each batch its own short transaction). An entry whose deployment is gone
loses its copy of the contact details (there is no subject to key it to)."""

from django.db import migrations, models

import ilonet.shared.sealed_fields
from ilonet.shared.sealed_fields import CONTACT_KEY_STORE, reseal_table

TABLE = "networks_officerlistentry"


def _reseal(schema_editor, *, open_instead: bool) -> None:
    reseal_table(
        schema_editor,
        table=TABLE,
        subject_column="officer_id",
        prefix="officer",
        store_file=CONTACT_KEY_STORE,
        columns=("phone", "email"),
        open_instead=open_instead,
    )


def seal_existing(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET officer_id = (SELECT d.officer_id FROM deployments_deployment d "  # noqa: S608
            f"WHERE d.id = {TABLE}.deployment_id) WHERE officer_id IS NULL"
        )
        cursor.execute(f"UPDATE {TABLE} SET phone = '', email = '' WHERE officer_id IS NULL")  # noqa: S608
    _reseal(schema_editor, open_instead=False)


def open_existing(apps, schema_editor) -> None:
    _reseal(schema_editor, open_instead=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('networks', '0001_initial'),
        ('deployments', '0004_sealed_contact_details'),
    ]

    operations = [
        migrations.AddField(
            model_name='officerlistentry',
            name='officer_id',
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name='officer number'),
        ),
        migrations.AlterField(
            model_name='officerlistentry',
            name='email',
            field=ilonet.shared.sealed_fields.SealedTextField(blank=True, key_store='contact-keys.sqlite3', plain_max_length=254, prefix='officer', subject='officer_id', verbose_name='e-mail address'),
        ),
        migrations.AlterField(
            model_name='officerlistentry',
            name='phone',
            field=ilonet.shared.sealed_fields.SealedTextField(blank=True, key_store='contact-keys.sqlite3', plain_max_length=20, prefix='officer', subject='officer_id', verbose_name='phone'),
        ),
        migrations.RunPython(seal_existing, open_existing, elidable=False),
    ]
