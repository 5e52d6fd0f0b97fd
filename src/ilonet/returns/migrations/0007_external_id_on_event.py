"""The external ids of imported rows move onto the events: ``CaseEvent.external_id`` (a case's
own id on its opening event), with the import run and line they came from, unique per member
state by a partial index; the table that held them (``ExternalKey``) is dropped with its
row-level security policy. An imported row no longer writes a row of its own, with its indexes
and two foreign-key checks (docs/benchmarks.md, "Return cases: bulk import and export").

The rows move in two statements (the events' ids, then the cases' onto their opening events),
under the system scope of the row-level security (PostgreSQL) and with the append-only guard of
the timeline lifted for this transaction only (a row in ``audit_maintenance``, deleted before the
commit, so no other session ever sees it lifted). Every key must land on its event, or the
migration stops and nothing changes. Reversible: going back makes the table again, under its
policy, from the events' ids.
"""

import django.db.models.deletion
from django.db import migrations, models

from ilonet.returns import dbsql

REASON = "returns 0007: external ids onto the events"
OPENED = "case_opened"

TO_EVENTS = """
UPDATE returns_caseevent AS e
SET external_id = k.external_id, import_run_id = k.run_id, import_line = k.line
FROM returns_externalkey AS k
WHERE k.seq IS NOT NULL AND e.case_id = k.case_id AND e.seq = k.seq AND e.member_state = k.member_state
"""
TO_OPENINGS = f"""
UPDATE returns_caseevent AS e
SET external_id = k.external_id, import_run_id = k.run_id, import_line = k.line
FROM returns_externalkey AS k
WHERE k.seq IS NULL AND e.case_id = k.case_id AND e.member_state = k.member_state
  AND e.seq = (SELECT min(o.seq) FROM returns_caseevent AS o WHERE o.case_id = k.case_id AND o.kind = '{OPENED}')
"""  # noqa: S608 (constants)
TO_KEYS = f"""
INSERT INTO returns_externalkey (member_state, external_id, case_id, seq, run_id, line)
SELECT e.member_state, e.external_id, e.case_id, CASE WHEN e.kind = '{OPENED}' THEN NULL ELSE e.seq END,
       (SELECT r.id FROM returns_importrun AS r WHERE r.id = e.import_run_id), COALESCE(e.import_line, 0)
FROM returns_caseevent AS e WHERE e.external_id IS NOT NULL
"""  # noqa: S608 (constants)


def _count(cursor, sql: str) -> int:
    cursor.execute(sql)
    return cursor.fetchone()[0]


def _system_scope(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # Row-level security hides every row from a role without a scope: the move sees all.
        schema_editor.execute("SELECT set_config('app.member_state', '*', true)")


def keys_to_events(apps, schema_editor):
    _system_scope(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES (%s)", [REASON])
        cursor.execute(TO_EVENTS)
        cursor.execute(TO_OPENINGS)
        cursor.execute("DELETE FROM audit_maintenance WHERE reason = %s", [REASON])
        keys = _count(cursor, "SELECT count(*) FROM returns_externalkey")
        moved = _count(cursor, "SELECT count(*) FROM returns_caseevent WHERE external_id IS NOT NULL")
    if moved != keys:
        raise RuntimeError(
            f"{keys - moved} of {keys} external ids have no event of their case and member state to "
            "move onto: nothing was changed (returns_externalkey holds them all)."
        )


def events_to_keys(apps, schema_editor):
    _system_scope(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(TO_KEYS)


class Migration(migrations.Migration):
    dependencies = [("returns", "0006_row_refusal_codes")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="external_id",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, verbose_name="external id"
            ),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="import_line",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="import_run",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="returns.importrun",
            ),
        ),
        migrations.RunPython(keys_to_events, events_to_keys),
        migrations.AddConstraint(
            model_name="caseevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id__isnull", False)),
                fields=("member_state", "external_id"),
                name="returns_event_external_id_once",
            ),
        ),
        # going back: the table made again is put under its policy before its rows return
        migrations.RunPython(migrations.RunPython.noop, dbsql.external_keys_rls_backwards),
        migrations.DeleteModel(name="ExternalKey"),
    ]
