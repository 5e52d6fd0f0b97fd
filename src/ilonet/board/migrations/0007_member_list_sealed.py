"""The list of board members' personal fields (Art. 9(2)(c)) are sealed with each person's own
data key (``ilonet.shared.sealed_fields``): the list gets its own name and e-mail columns, sealed,
and a blind index of the names; the existing memberships get them from their accounts, in
batches of 1,000 by primary key (each batch its own short transaction on a non-atomic migration,
so the table is never locked for long). The accounts keep their sign-in address and name: they
are the credential, not the list. Backwards: the columns and the index go (the accounts still
hold what they were copied from)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models, transaction

import ilonet.shared.sealed_fields
from ilonet.shared.envelope import name_digests
from ilonet.shared.sealed_fields import is_sealed, key_store, seal_text

STORE = "board-member-keys.sqlite3"
DOMAIN = "board-member-name"  # board.models.BOARD_MEMBER_NAME_DOMAIN
TABLE = "board_membership"


def seal_existing(apps, schema_editor, *, batch: int = 1000) -> int:
    """Fill the list's sealed columns and its name index from the accounts, for the memberships
    that have none yet; returns how many memberships changed."""
    connection = schema_editor.connection
    store, changed, after = key_store(STORE), 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.id, m.user_id, m.listed_name, m.listed_email, u.first_name, u.last_name, u.email "
                "FROM board_membership m JOIN accounts_user u ON u.id = m.user_id "
                "WHERE m.id > %s ORDER BY m.id LIMIT %s",
                [after, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return changed
        after = rows[-1][0]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for pk, user_id, listed_name, listed_email, first, last, email in rows:
                if is_sealed(listed_name) or is_sealed(listed_email):
                    continue
                ref = f"member-{user_id}"
                name = f"{first} {last}".strip()
                sealed_name = seal_text(store, ref, name, context=f"{TABLE}.listed_name") if name else ""
                sealed_email = seal_text(store, ref, email, context=f"{TABLE}.listed_email") if email else ""
                cursor.execute(
                    "UPDATE board_membership SET listed_name = %s, listed_email = %s WHERE id = %s",
                    [sealed_name, sealed_email, pk],
                )
                cursor.execute("DELETE FROM board_membershipnamedigest WHERE membership_id = %s", [pk])
                for digest in sorted(name_digests(name, domain=DOMAIN)):
                    cursor.execute(
                        "INSERT INTO board_membershipnamedigest (membership_id, digest) VALUES (%s, %s)",
                        [pk, digest],
                    )
                changed += 1


def drop_sealed(apps, schema_editor) -> None:
    """Backwards: the columns and the index table are removed by the schema operations."""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("accounts", "0001_initial"),
        ("board", "0006_meeting_documents_moved_to_exchange"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="listed_email",
            field=ilonet.shared.sealed_fields.SealedTextField(
                blank=True,
                default="",
                key_store=STORE,
                plain_max_length=254,
                prefix="member",
                subject="user_id",
                validators=[django.core.validators.EmailValidator()],
                verbose_name="e-mail address on the list",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="listed_name",
            field=ilonet.shared.sealed_fields.SealedTextField(
                blank=True,
                default="",
                key_store=STORE,
                plain_max_length=300,
                prefix="member",
                subject="user_id",
                verbose_name="name on the list",
            ),
        ),
        migrations.CreateModel(
            name="MembershipNameDigest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=40)),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="name_digests",
                        to="board.membership",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("digest", "membership"), name="board_member_digest_once")
                ],
            },
        ),
        migrations.RunPython(seal_existing, drop_sealed, elidable=False),
    ]
