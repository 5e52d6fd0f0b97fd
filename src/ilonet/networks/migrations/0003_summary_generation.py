"""The generation of the networks' summaries (``SummaryGeneration``), moved by triggers on every
write to the rows a list of networks reads to summarise them: deployments (who is a member,
Art. 5(1)), the networks and their countries, the members' agreements on a facilitator (Art. 5(2)), and
the names of officers and of deploying authorities shown with the facilitator.

The triggers move it whoever writes (a service, a bulk update, an import, a migration, raw SQL),
so a summary kept by a process (``ilonet.networks.kept``) can never outlive the rows it was
computed from. Each move writes a value never written before, so a change rolled back and
another change made after it never show the same generation:

- PostgreSQL: one trigger per statement on the tables whose every write counts (one move per
  statement, however many rows), one per row where only some columns count (a user's name, an
  authority's kind or name), compared old with new; the value is the next of a sequence (a
  sequence never gives a value twice, even when the transaction rolls back). Writers use one of
  sixteen slots, chosen by their server process, so that two writers of unrelated rows seldom
  wait on the same slot (a transaction holds its slot's row until it commits);
- SQLite: one trigger per row and kind of write (SQLite has no statement triggers); one slot
  (SQLite has one writer at a time), the value a random 64-bit number.

On SQLite, a later migration that alters one of these tables rebuilds it (Django copies it into a
new table and drops the old) and its triggers go with it: such a migration must run ``SQLITE``
again (``networks/tests/test_kept.py`` fails until it does)."""

from django.db import migrations, models

GENERATION = "networks_summarygeneration"
SLOTS = 16

# Tables whose every insert, update and delete can change a summary.
EVERY_WRITE = (
    "deployments_deployment",
    "networks_network",
    "networks_networkcountry",
    "networks_facilitatoragreement",
)
# Tables of which only these columns are read into a summary (rows inserted or deleted there
# matter only through a deployment, whose own trigger fires).
COLUMNS = {
    "accounts_user": ("first_name", "last_name", "email"),
    "directory_organisation": ("kind", "acronym", "name_en", "name_nl", "code"),
}

POSTGRES = [
    "CREATE SEQUENCE networks_summary_generation_seq",
    f"""
CREATE FUNCTION networks_summary_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {GENERATION} (slot, value)
    VALUES (mod(pg_backend_pid(), {SLOTS}), nextval('networks_summary_generation_seq'))
    ON CONFLICT (slot) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$""",
    *(
        f"CREATE TRIGGER networks_summary_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION networks_summary_changed()"
        for table in EVERY_WRITE
    ),
    *(
        f"CREATE TRIGGER networks_summary_{table} AFTER UPDATE ON {table} FOR EACH ROW WHEN ("
        + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        + ") EXECUTE FUNCTION networks_summary_changed()"
        for table, columns in COLUMNS.items()
    ),
]
POSTGRES_BACK = [
    *(f"DROP TRIGGER IF EXISTS networks_summary_{table} ON {table}" for table in (*EVERY_WRITE, *COLUMNS)),
    "DROP FUNCTION IF EXISTS networks_summary_changed()",
    "DROP SEQUENCE IF EXISTS networks_summary_generation_seq",
]

_MOVE = (
    f"INSERT INTO {GENERATION} (slot, value) VALUES (0, random()) "
    "ON CONFLICT (slot) DO UPDATE SET value = excluded.value;"
)
SQLITE = [
    *(
        f"CREATE TRIGGER networks_summary_{table}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN {_MOVE} END"
        for table in EVERY_WRITE
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    *(
        f"CREATE TRIGGER networks_summary_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns) + f" BEGIN {_MOVE} END"
        for table, columns in COLUMNS.items()
    ),
]
SQLITE_BACK = [
    *(
        f"DROP TRIGGER IF EXISTS networks_summary_{table}_{event}"
        for table in EVERY_WRITE
        for event in ("insert", "update", "delete")
    ),
    *(f"DROP TRIGGER IF EXISTS networks_summary_{table}_update" for table in COLUMNS),
]


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        schema_editor.execute(statement)
    for slot in range(SLOTS if postgres else 1):
        schema_editor.execute(f"INSERT INTO {GENERATION} (slot, value) VALUES ({slot}, 0)")


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_BACK if postgres else SQLITE_BACK:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_sealed_officer_list_contacts"),
        ("deployments", "0004_sealed_contact_details"),
        ("accounts", "0004_role_data_protection_officer"),
        ("directory", "0005_kosovo_and_parts_of_member_states"),
    ]

    operations = [
        migrations.CreateModel(
            name="SummaryGeneration",
            fields=[
                ("slot", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "generation of the networks' summaries",
                "verbose_name_plural": "generations of the networks' summaries",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
