"""PostgreSQL: the two GIN indexes of the entries (words, access keys) without a pending list.

With ``fastupdate`` (PostgreSQL's default), an entry written goes first into a pending list
that every search reads in full until VACUUM or a 4 MB list merges it into the index: 600
entries indexed since the last VACUUM made a rare word's index scan take 9 ms instead of
0.02 ms (docs/benchmarks.md). The index is updated as the entry is written instead, in the
indexing job, so that a search's time does not depend on how much was indexed since the last
VACUUM. Nothing on SQLite."""

from django.db import migrations

INDEXES = ("search_entry_document", "search_entry_access")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # What is pending now goes into the index (turning fastupdate off does not merge it).
        schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]
    operations = [migrations.RunPython(forwards, backwards)]
