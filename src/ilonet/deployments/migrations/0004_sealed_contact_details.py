"""The contact details of the contact list (Art. 9(2)(d)) are sealed with each officer's own data
key (``ilonet.shared.sealed_fields``): the columns become text, then the existing rows are sealed
in place, in batches of 1,000 by primary key (each batch its own short transaction on a
non-atomic migration, so the table is never locked for long and reads go on: a value not yet
sealed is read as it is)."""

from django.core.validators import validate_email
from django.db import migrations, transaction

import ilonet.shared.sealed_fields
from ilonet.shared.sealed_fields import is_sealed, key_store, open_text, seal_text

BATCH = 1000
STORE = "contact-keys.sqlite3"
COLUMNS = ("phone", "email")


def _rows(schema_editor, after: int):
    table = "deployments_deployment"
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, officer_id, {quote('phone')}, {quote('email')} FROM {quote(table)} "  # noqa: S608
            "WHERE id > %s ORDER BY id LIMIT %s",
            [after, BATCH],
        )
        return cursor.fetchall()


def _rewrite(apps, schema_editor, change) -> None:
    quote = schema_editor.quote_name
    after = 0
    while rows := _rows(schema_editor, after):
        after = rows[-1][0]
        with transaction.atomic(using=schema_editor.connection.alias), schema_editor.connection.cursor() as cursor:
            for pk, officer_id, *values in rows:
                new = [change(f"officer-{officer_id}", column, value) for column, value in zip(COLUMNS, values)]
                if new != list(values):
                    cursor.execute(
                        f"UPDATE {quote('deployments_deployment')} SET {quote('phone')} = %s, "  # noqa: S608
                        f"{quote('email')} = %s WHERE id = %s",
                        [*new, pk],
                    )


def seal_existing(apps, schema_editor) -> None:
    store = key_store(STORE)

    def change(ref, column, value):
        if not value or is_sealed(value):
            return value
        return seal_text(store, ref, value, context=f"deployments_deployment.{column}")

    _rewrite(apps, schema_editor, change)


def open_existing(apps, schema_editor) -> None:
    store = key_store(STORE)

    def change(ref, column, value):
        return open_text(store, value, context=f"deployments_deployment.{column}") if value else value

    _rewrite(apps, schema_editor, change)


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
