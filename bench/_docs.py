"""The one writer of docs/benchmarks.md: each benchmark owns the sections between its markers
(``<!-- bench/<name> [database]: start -->`` … ``end -->``) and replaces only those."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def database_version(connection=None) -> str:
    """The database and its version, as the sections name it ("SQLite 3.40.1", "PostgreSQL 15.18")."""
    if connection is None:
        from django.db import connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def replace_section(marker: str, body: str) -> None:
    """Put ``body`` between the markers named ``marker`` (appended when they are not there yet)."""
    start, end = f"<!-- {marker}: start -->", f"<!-- {marker}: end -->"
    section = f"{start}\n{body}\n{end}"
    text = DOCS.read_text(encoding="utf-8")
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"\nwritten to {DOCS.relative_to(DOCS.parent.parent)}")
