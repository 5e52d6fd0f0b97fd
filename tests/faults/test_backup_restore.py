"""Backup and restore (``scripts/backup.sh``, ``scripts/restore.sh``) into a fresh cluster.

A database with the demo data (``seed_demo``: documents with files, personal-data records with
biometric files, return cases, the audit trail) has its keyring rotated (a new key first,
``personaldata_rotate_keys``) and a signed audit checkpoint written; it is backed up; then a
person is erased. The backup is restored into a new PostgreSQL cluster and an empty file store:
``restore.sh`` itself compares every table's checksum and every object's hash and verifies the
audit chain against the backed-up checkpoints (it exits non-zero otherwise). With the live key
store (kept outside the database and its backups), every record decrypts in the restored copy
but the person erased after the backup, who stays unreadable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from . import harness

pytestmark = pytest.mark.faults_long

OLD_KEYS = "t2:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8,t1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA"

PICK_PERSONS = """
from ilonet.personaldata import services
from ilonet.personaldata.models import Record
services.erase_due_records()  # what the demo already has past its date goes before the backup
refs = list(Record.objects.filter(category="a").order_by("pk").values_list("ref", flat=True)[:2])
print(" ".join(refs))
"""

ERASE = """
from datetime import timedelta
from django.utils import timezone
from ilonet.personaldata import services
from ilonet.personaldata.models import Record
Record.objects.filter(ref="{ref}").update(erase_on=timezone.localdate() - timedelta(days=1))
print(services.erase_due_records())
"""

READ_ALL = """
import json
from ilonet.personaldata import files, vault
from ilonet.personaldata.models import BiometricFile, Record
opened, unreadable, images = [], [], 0
for record in Record.objects.order_by("pk"):
    try:
        vault.open_sealed(vault.load_key(record.ref), record.ref, record.sealed)
        opened.append(record.ref)
    except Exception:
        unreadable.append(record.ref)
for item in BiometricFile.objects.select_related("record"):
    if item.record.ref in opened:
        data = files.read(vault.load_key(item.record.ref), item.record.ref, item.kind, item.storage_key)
        images += data[:4] == b"\\x89PNG" or data[:3] == b"\\xff\\xd8\\xff"
print(json.dumps({"opened": opened, "unreadable": unreadable, "images": images,
                  "files": BiometricFile.objects.count()}))
"""


def test_a_restored_backup_is_identical_verifies_decrypts_and_forgets_the_erased(cluster, app, tmp_path):
    from ilonet.shared.keyring import new_key_spec

    timings: dict[str, float] = {}
    keys = f"{new_key_spec('t3')},{OLD_KEYS}"
    env = {**app["env"], "ILONET_ENCRYPTION_KEYS": keys}
    started = time.monotonic()
    harness.manage(env, "seed_demo", "--allow-production", timeout=1200)
    timings["seed_demo"] = time.monotonic() - started
    rotated = harness.manage(env, "personaldata_rotate_keys").stdout
    assert "re-wrapped" in rotated
    harness.manage(env, "audit_checkpoint")
    kept, erased = harness.run_python(env, PICK_PERSONS).split()

    backup = tmp_path / "backup"
    started = time.monotonic()
    done = subprocess.run(
        ["bash", str(harness.REPO / "scripts/backup.sh"), str(backup)],
        env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    timings["backup"] = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    print(done.stdout.strip())
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["objects"], "the demo stores files: the backup must hold them"

    # After the backup: the person is erased (record deleted, key destroyed in the live store).
    assert harness.run_python(env, ERASE.format(ref=erased)).split()[-1] == "1"

    directory = Path(tempfile.mkdtemp(prefix="ilonet-faults-restore-pg-"))
    os.chmod(directory, 0o755)  # noqa: S103 - the postgres user must reach its cluster
    fresh = harness.Cluster(directory, port=harness.RESTORE_PG_PORT)
    try:
        fresh.start()
        fresh.create_database("restored")
        restored_data = tmp_path / "restored-data"
        restored_data.mkdir()
        restored_env = {
            **harness.app_env(fresh, "restored", restored_data),
            "ILONET_ENCRYPTION_KEYS": keys,
            # the live key store: kept apart from the database and its backups
            "ILONET_PERSONAL_DATA_KEY_DIR": str(app["data"] / "personal-data-keys"),
        }
        started = time.monotonic()
        done = subprocess.run(
            ["bash", str(harness.REPO / "scripts/restore.sh"), str(backup)],
            env=restored_env, capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
        timings["restore"] = time.monotonic() - started
        print(done.stdout.strip(), done.stderr.strip())
        assert done.returncode == 0, done.stderr
        assert "0 differences" in done.stdout
        read = json.loads(harness.run_python(restored_env, READ_ALL).strip().splitlines()[-1])
    finally:
        fresh.destroy()
        shutil.rmtree(directory, ignore_errors=True)
    print(
        f"tables {len(manifest['tables'])}, rows {sum(c for c, _ in manifest['tables'].values())}, "
        f"objects {len(manifest['objects'])}; records opened {len(read['opened'])}, "
        f"unreadable {read['unreadable']}, biometric images read {read['images']} of {read['files']}; "
        f"timings {', '.join(f'{k} {v:.1f} s' for k, v in timings.items())}"
    )
    assert read["unreadable"] == [erased]
    assert kept in read["opened"] and len(read["opened"]) > 10
    assert read["files"] > 0 and read["images"] >= read["files"] - 1  # the erased person's may be one
