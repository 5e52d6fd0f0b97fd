from django.db import migrations

from ilonet.returns import dbsql


class Migration(migrations.Migration):
    """Row-level security by member state on the interchange's tables (PostgreSQL only)."""

    dependencies = [("returns", "0003_open_cases_by_country")]

    operations = [migrations.RunPython(dbsql.interchange_forwards, dbsql.interchange_backwards)]
