"""The chain head row, and database triggers that refuse UPDATE, DELETE and TRUNCATE of audit
events, so not even a bug or a stray ORM call can rewrite history.

The triggers are defence in depth, not the proof: whoever controls the database can switch
them off (a row in ``audit_maintenance`` does that, for the test suite's table flushes and
for a documented archival procedure); the hash chain still shows any change.
"""

from django.db import migrations

TABLE = "audit_auditevent"
GUARD = "NOT EXISTS (SELECT 1 FROM audit_maintenance)"

SQLITE = [
    "CREATE TABLE audit_maintenance (reason VARCHAR(200) NOT NULL)",
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} WHEN {GUARD}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} WHEN {GUARD}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]

POSTGRES = [
    "CREATE TABLE audit_maintenance (reason VARCHAR(200) NOT NULL)",
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF {GUARD} THEN RAISE EXCEPTION 'audit events are append-only'; END IF;
         IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
         RETURN OLD;
       END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_append_only()",
    "DROP TABLE IF EXISTS audit_maintenance",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE if vendor == "sqlite" else POSTGRES)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
