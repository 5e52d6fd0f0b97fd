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


# Migration 0009 (PostgreSQL): the three tables a bulk import fills by the hundred thousand rows
# (the events, the name digests, the worklist entries) name their case without a foreign key,
# whose check costs one query per row (4.4 µs a row, measured: a third of the raw COPY's own
# cost); triggers hold the same rule once per statement instead:
# - ``returns_case_named``: after each INSERT or UPDATE statement, every distinct (case, member
#   state) its rows name must be a case of that member state, found and locked FOR KEY SHARE
#   (as a foreign key's check locks it: the case cannot be deleted, nor its key changed, until
#   this transaction ends); else the statement fails with ``foreign_key_violation``. One probe
#   of the cases' primary key per distinct case (the LATERAL subquery, which its lock keeps
#   apart, is never turned into a scan of all cases), not one query per row. Stricter than the
#   foreign key: a row also carries its case's member state.
# - ``returns_case_kept``: once a case is deleted, or its id or member state changed, no event,
#   name digest or worklist entry may name it (a foreign key's NO ACTION).
# The checks see the rows the transaction's row-level security scope shows: a case and the rows
# that name it share their member state, so whoever may write the rows sees their case.
# SQLite keeps its foreign keys (its checks cost little, and its tables are not rebuilt here).
CASE_CHILDREN = ("returns_caseevent", "returns_namedigest", "returns_worklistentry")
CASES = "returns_returncase"
_NAMED = f"""CREATE OR REPLACE FUNCTION returns_case_named() RETURNS trigger AS $$
DECLARE
  named bigint;
  held bigint;
BEGIN
  SELECT count(*) INTO named FROM (SELECT DISTINCT case_id, member_state FROM new_rows) AS n;
  SELECT count(*) INTO held
  FROM (SELECT DISTINCT case_id, member_state FROM new_rows) AS n
  CROSS JOIN LATERAL (
    SELECT 1 FROM {CASES} AS c WHERE c.id = n.case_id AND c.member_state = n.member_state
    FOR KEY SHARE OF c
  ) AS found;
  IF held <> named THEN
    RAISE EXCEPTION '%: a row names no case of its member state', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""  # noqa: S608 (table names of ours)
_KEPT_CHECKS = " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE case_id = OLD.id)"  # noqa: S608 (table names of ours)
    for table in CASE_CHILDREN
)
_KEPT = f"""CREATE OR REPLACE FUNCTION returns_case_kept() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.member_state = OLD.member_state THEN
    RETURN NULL;
  END IF;
  IF {_KEPT_CHECKS} THEN
    RAISE EXCEPTION 'case % is named by its events, name digests or worklist entries', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""  # noqa: S608 (table names of ours)
CASE_REFERENCES_POSTGRES = [
    _NAMED,
    _KEPT,
    *(
        f"CREATE TRIGGER returns_case_named_{event.lower()} AFTER {event} ON {table} "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION returns_case_named()"
        for table in CASE_CHILDREN
        for event in ("INSERT", "UPDATE")
    ),
    # after the row (so after the row-level security's own check of an UPDATE, which speaks first)
    f"CREATE TRIGGER returns_case_kept AFTER DELETE OR UPDATE OF id, member_state ON {CASES} "
    "FOR EACH ROW EXECUTE FUNCTION returns_case_kept()",
]
CASE_REFERENCES_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS returns_case_kept ON {CASES}",
    *(
        f"DROP TRIGGER IF EXISTS returns_case_named_{event.lower()} ON {table}"
        for table in CASE_CHILDREN
        for event in ("INSERT", "UPDATE")
    ),
    "DROP FUNCTION IF EXISTS returns_case_kept()",
    "DROP FUNCTION IF EXISTS returns_case_named()",
]


def _case_foreign_keys(schema_editor, table: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["foreign_key"] == (CASES, "id") and info["columns"] == ["case_id"]
    ]


def case_references_forwards(apps, schema_editor):
    """PostgreSQL: the three foreign keys to the case dropped, the statement triggers made."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in CASE_CHILDREN:
        for name in _case_foreign_keys(schema_editor, table):
            schema_editor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for statement in CASE_REFERENCES_POSTGRES:
        schema_editor.execute(statement, None)  # no parameters: the functions' RAISE has a "%"


def case_references_backwards(apps, schema_editor):
    """PostgreSQL: the triggers dropped, the foreign keys made again (checked over every row)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CASE_REFERENCES_POSTGRES_DROP:
        schema_editor.execute(statement)
    for table in CASE_CHILDREN:
        if not _case_foreign_keys(schema_editor, table):
            schema_editor.execute(
                f'ALTER TABLE {table} ADD CONSTRAINT "{table}_case_id_fk_{CASES}_id" FOREIGN KEY (case_id) '
                f"REFERENCES {CASES} (id) DEFERRABLE INITIALLY DEFERRED"
            )
