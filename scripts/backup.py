#!/usr/bin/env python
"""Back up and restore ILOnet: the PostgreSQL database, the object store, the audit checkpoints.

    scripts/backup.sh  DEST      (= .venv/bin/python scripts/backup.py backup DEST)
    scripts/restore.sh SRC       (= .venv/bin/python scripts/backup.py restore SRC)

Both read the same settings as the site (``DJANGO_SETTINGS_MODULE``, ``DATABASE_URL``,
``ILONET_STORAGE`` and the S3 or data-directory variables, README.md "Configuration").

**Backup** writes into the new directory DEST:

- ``database.dump``: ``pg_dump --format=custom`` of the database, taken in one exported
  snapshot, with row-level security on and ``app.member_state=*`` (the return-case tables force
  row-level security on the application role, which is not a superuser);
- ``objects/<key>``: every object of the file store (local directory or S3 bucket, read through
  the storage API), and ``manifest.json`` with each object's size and SHA-256;
- ``audit-checkpoints/``: the signed checkpoints of the audit chain (public, append-only);
- ``manifest.json`` also holds a checksum of every table (md5 over the md5 of each row's text,
  rows in order, and the row count), computed in the same snapshot as the dump.

**Not** in the backup: the personal-data key store (``ILONET_PERSONAL_DATA_KEY_DIR``) and the
keyring (``ILONET_ENCRYPTION_KEYS``). They are kept apart on purpose (docs/personal-data.md): a
restored database is read with the *current* key store, so a person erased after the backup
stays unreadable in the restored copy.

**Restore** loads SRC into the database of ``DATABASE_URL`` (which must be empty: a fresh
database), copies the objects into the configured file store (checking every hash), copies the
checkpoints if the checkpoint directory is empty, compares every table's checksum with the
manifest, and runs ``manage.py verify_audit_chain``. It exits non-zero on any difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.production")

ROW_SECURITY = "-c app.member_state=* -c row_security=on"


def _pg_env(url: str) -> dict[str, str]:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("backup and restore need a PostgreSQL DATABASE_URL")
    env = {**os.environ, "PGOPTIONS": ROW_SECURITY}
    env.update(
        PGHOST=parsed.hostname or "localhost",
        PGPORT=str(parsed.port or 5432),
        PGUSER=unquote(parsed.username or ""),
        PGPASSWORD=unquote(parsed.password or ""),
        PGDATABASE=parsed.path.lstrip("/"),
    )
    return env


def _connect(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), options=ROW_SECURITY)


def table_checksums(conn) -> dict[str, list]:
    """{table: [rows, md5]} for every table of the public schema, in the connection's snapshot."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    sums: dict[str, list] = {}
    for table in tables:
        count, digest = conn.execute(
            f"SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "  # noqa: S608 - catalogue names
            f'FROM (SELECT md5(t::text) AS h FROM "{table}" t) rows'
        ).fetchone()
        sums[table] = [count, digest]
    return sums


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _django():
    import django

    django.setup()
    from django.conf import settings

    from ilonet.shared.uploads.storage import get_storage, iter_objects, open_stream

    return settings, get_storage(), iter_objects, open_stream


def backup(dest: Path) -> dict:
    started = time.monotonic()
    settings, storage, iter_objects, open_stream = _django()
    url = os.environ["DATABASE_URL"]
    dest.mkdir(parents=True)
    with _connect(url) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pg_dump", "--format=custom", "--enable-row-security", f"--snapshot={snapshot}",  # noqa: S607 - pg_dump from PATH
             f"--file={dest / 'database.dump'}"],
            env=_pg_env(url), check=True,
        )  # fmt: skip
        tables = table_checksums(conn)
        conn.execute("COMMIT")
    objects = {}
    for key, _modified in iter_objects(storage, ""):
        target = dest / "objects" / key
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_stream(storage, key) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        objects[key] = [target.stat().st_size, _sha256(target)]
    checkpoints = Path(settings.AUDIT_CHECKPOINT_DIR)
    if checkpoints.is_dir():
        shutil.copytree(checkpoints, dest / "audit-checkpoints")
    manifest = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tables": tables,
        "objects": objects,
        "seconds": round(time.monotonic() - started, 1),
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    print(
        f"backup: {len(tables)} tables ({sum(c for c, _ in tables.values())} rows), "
        f"{len(objects)} objects, in {manifest['seconds']} s -> {dest}"
    )
    return manifest


def restore(src: Path) -> int:
    started = time.monotonic()
    settings, storage, iter_objects, _open = _django()
    from django.core.files import File
    from django.core.management import call_command

    url = os.environ["DATABASE_URL"]
    manifest = json.loads((src / "manifest.json").read_text())
    with _connect(url) as conn:
        existing = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if existing:
        raise SystemExit("restore: the target database is not empty (restore into a fresh database)")
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",  # noqa: S607
         f"--dbname={_pg_env(url)['PGDATABASE']}", str(src / "database.dump")],
        env=_pg_env(url), check=True,
    )  # fmt: skip
    problems = []
    if any(True for _ in iter_objects(storage, "")):
        raise SystemExit("restore: the file store is not empty")
    for key, (size, sha256) in manifest["objects"].items():
        path = src / "objects" / key
        if _sha256(path) != sha256 or path.stat().st_size != size:
            problems.append(f"object {key}: the backup's copy does not match its manifest")
            continue
        with path.open("rb") as handle:
            saved = storage.save(key, File(handle))
        if saved != key:
            problems.append(f"object {key}: stored as {saved}")
    checkpoints = Path(settings.AUDIT_CHECKPOINT_DIR)
    if (src / "audit-checkpoints").is_dir() and not (checkpoints.is_dir() and any(checkpoints.iterdir())):
        shutil.copytree(src / "audit-checkpoints", checkpoints, dirs_exist_ok=True)
    with _connect(url) as conn:
        restored = table_checksums(conn)
    for table, expected in manifest["tables"].items():
        if restored.get(table) != expected:
            problems.append(f"table {table}: {restored.get(table)} != {expected} in the backup")
    extra = set(restored) - set(manifest["tables"])
    problems += [f"table {table}: not in the backup" for table in sorted(extra)]
    try:
        call_command("verify_audit_chain")
    except Exception as error:  # noqa: BLE001 - reported, and the exit status says it
        problems.append(f"audit chain: {error}")
    for problem in problems:
        print(f"restore: {problem}", file=sys.stderr)
    print(
        f"restore: {len(restored)} tables, {len(manifest['objects'])} objects, "
        f"{len(problems)} differences, in {time.monotonic() - started:.1f} s"
    )
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["backup", "restore"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    if args.action == "backup":
        if args.directory.exists():
            raise SystemExit(f"{args.directory} exists: back up into a new directory")
        backup(args.directory)
    else:
        sys.exit(restore(args.directory))


if __name__ == "__main__":
    main()
