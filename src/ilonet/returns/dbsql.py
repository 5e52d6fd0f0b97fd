"""Database guards of the return cases, run by migration 0001_initial.

- **Append-only timeline**: triggers refuse UPDATE and DELETE of ``returns_caseevent`` (and
  TRUNCATE on PostgreSQL), on SQLite and PostgreSQL, lifted only by a row in
  ``audit_maintenance`` exactly as the audit trail's (``audit/migrations/0002_append_only.py``).
- **Row-level security by member state** (PostgreSQL only; ENABLE and FORCE, so the tables'
  owner is bound too): a row is visible and writable only when its ``member_state`` is one of the
  comma-separated codes in the transaction's setting ``app.member_state``, or when that setting is
  ``*`` (the explicit system scope of jobs and imports). No setting: no rows. ``rls.py`` sets it.
  A superuser or a role with BYPASSRLS is not bound: run the application as the ordinary owner
  role that ``scripts/postgres.sh`` creates (LOGIN CREATEDB, no superuser).
"""

from __future__ import annotations

# The tables under row-level security by member state (each has a ``member_state`` column).
RLS_TABLES = (
    "returns_returncase",
    "returns_caseevent",
    "returns_approval",
    "returns_caseflag",
    "returns_obstacle",
    "returns_worklistentry",
    "returns_reminder",
    "returns_namedigest",
)
EVENTS = "returns_caseevent"
GUARD = "NOT EXISTS (SELECT 1 FROM audit_maintenance)"
SETTING = "current_setting('app.member_state', true)"
VISIBLE = f"({SETTING} = '*' OR member_state = ANY(string_to_array({SETTING}, ',')))"

SQLITE = [
    f"""CREATE TRIGGER returns_event_no_update BEFORE UPDATE ON {EVENTS} WHEN {GUARD}
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
    f"""CREATE TRIGGER returns_event_no_delete BEFORE DELETE ON {EVENTS} WHEN {GUARD}
        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS returns_event_no_update",
    "DROP TRIGGER IF EXISTS returns_event_no_delete",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION returns_append_only() RETURNS trigger AS $$
       BEGIN
         IF {GUARD} THEN RAISE EXCEPTION 'case events are append-only'; END IF;
         IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
         RETURN OLD;
       END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER returns_event_no_update_delete BEFORE UPDATE OR DELETE ON {EVENTS}
        FOR EACH ROW EXECUTE FUNCTION returns_append_only()""",
    f"""CREATE TRIGGER returns_event_no_truncate BEFORE TRUNCATE ON {EVENTS}
        FOR EACH STATEMENT EXECUTE FUNCTION returns_append_only()""",
] + [
    statement
    for table in RLS_TABLES
    for statement in (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_by_member_state ON {table} USING {VISIBLE} WITH CHECK {VISIBLE}",
    )
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS returns_event_no_update_delete ON {EVENTS}",
    f"DROP TRIGGER IF EXISTS returns_event_no_truncate ON {EVENTS}",
    "DROP FUNCTION IF EXISTS returns_append_only()",
] + [
    statement
    for table in RLS_TABLES
    for statement in (
        f"DROP POLICY IF EXISTS {table}_by_member_state ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    )
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(statement)


# Migration 0004: the interchange's tables (import runs, external keys, the duplicate queue)
# under the same policy; an import's row errors are visible through their run.
INTERCHANGE_RLS_TABLES = ("returns_importrun", "returns_externalkey", "returns_duplicatesuspect")
ROW_ERRORS = "returns_importrowerror"
_THROUGH_RUN = f"(EXISTS (SELECT 1 FROM returns_importrun r WHERE r.id = {ROW_ERRORS}.run_id))"  # noqa: S608 (a table name of ours)
INTERCHANGE_POSTGRES = [
    statement
    for table in INTERCHANGE_RLS_TABLES
    for statement in (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {table}_by_member_state ON {table} USING {VISIBLE} WITH CHECK {VISIBLE}",
    )
] + [
    f"ALTER TABLE {ROW_ERRORS} ENABLE ROW LEVEL SECURITY",
    f"ALTER TABLE {ROW_ERRORS} FORCE ROW LEVEL SECURITY",
    f"CREATE POLICY {ROW_ERRORS}_by_run ON {ROW_ERRORS} USING {_THROUGH_RUN} WITH CHECK {_THROUGH_RUN}",
]
INTERCHANGE_POSTGRES_DROP = [
    statement
    for table, policy in [(t, f"{t}_by_member_state") for t in INTERCHANGE_RLS_TABLES]
    + [(ROW_ERRORS, f"{ROW_ERRORS}_by_run")]
    for statement in (
        f"DROP POLICY IF EXISTS {policy} ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    )
]


def interchange_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in INTERCHANGE_POSTGRES:
            schema_editor.execute(statement)


def interchange_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in INTERCHANGE_POSTGRES_DROP:
            schema_editor.execute(statement)


# Migration 0007: the external ids moved onto the events (``CaseEvent.external_id``, under the
# policy of 0001) and the table of 0004's that held them is dropped with its policy; going back,
# the table is made again and put under the policy again before its rows are restored.
EXTERNAL_KEYS = "returns_externalkey"
EXTERNAL_KEYS_POSTGRES = [
    f"ALTER TABLE {EXTERNAL_KEYS} ENABLE ROW LEVEL SECURITY",
    f"ALTER TABLE {EXTERNAL_KEYS} FORCE ROW LEVEL SECURITY",
    f"CREATE POLICY {EXTERNAL_KEYS}_by_member_state ON {EXTERNAL_KEYS} USING {VISIBLE} WITH CHECK {VISIBLE}",
]
# The interchange's tables under the policy today.
LIVE_INTERCHANGE_RLS_TABLES = tuple(t for t in INTERCHANGE_RLS_TABLES if t != EXTERNAL_KEYS)


def external_keys_rls_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in EXTERNAL_KEYS_POSTGRES:
            schema_editor.execute(statement)
