"""The full-text part of the index, per database vendor (see models.py)."""

from django.db import migrations

CONFIGS = {"en": "english", "nl": "dutch", "fr": "french", "de": "german"}


def _vector(config: str) -> str:
    return (
        f"setweight(to_tsvector('{config}'::regconfig, title), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, body), 'B')"
    )


POSTGRES = (
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (CASE language "
    + " ".join(f"WHEN '{code}' THEN {_vector(config)}" for code, config in CONFIGS.items())
    + f" ELSE {_vector('simple')} END) STORED",
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    # The caller's keys meet the words in the index (a BitmapAnd of the two GIN indexes).
    "CREATE INDEX search_entry_access ON search_entry USING gin (string_to_array(access, ' '))",
)
SQLITE = (
    # Stemmed words (stemming.py), folded without diacritics, and the access keys (hex-encoded,
    # one token each, backends/sqlite.py); rowid = search_entry.id.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, access,"
    " tokenize = 'unicode61 remove_diacritics 2')",
)


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_access")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_document")
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS document")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
