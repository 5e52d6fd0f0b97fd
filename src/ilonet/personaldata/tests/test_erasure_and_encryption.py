"""Envelope encryption and erasure that holds in backups (Art. 10(2)).

The raw scans read the bytes of a copy of the live SQLite database (the sqlite backup API copies
every page, free pages included) and of every file of the file store and the key store."""

from __future__ import annotations

import io
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from ilonet.audit.models import AuditEvent
from ilonet.personaldata import jobs, selectors, services, vault
from ilonet.personaldata.models import BiometricFile, NameDigest, Record
from ilonet.shared.uploads import get_storage

from .conftest import make_record, png_bytes

SURNAME, DOCUMENT = "Zarqaoui", "XQ7781234"


def _copy_database(path: Path) -> Path:
    """A backup of the database as it is now: on SQLite the database file itself (the backup API
    copies every page, free pages included); on PostgreSQL every row of every table, as COPY
    writes them."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return path
    with path.open("wb") as out, connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:  # psycopg 3
                for chunk in copy:
                    out.write(bytes(chunk))
    return path


def _compact() -> None:
    """Push the write-ahead log into the file and drop free pages (SQLite)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")


def _raw_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _store_bytes(*roots: Path) -> bytes:
    return b"".join(p.read_bytes() for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def _media_root() -> Path:
    return Path(get_storage().location)


@pytest.fixture
def reference(transactional_db):
    """Transactional tests start from a flushed database: load the reference organisations."""
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations()


@pytest.mark.django_db(transaction=True)
def test_no_personal_field_is_stored_in_clear_and_the_scan_would_see_it(
    reference, officer, key_store, tmp_path
):
    record = make_record(officer, biometrics={"facial_image": io.BytesIO(png_bytes())})
    services.place_hold(
        actor=_authority(),
        record=record,
        reason="Canary-hold-reason-4711",
        until=timezone.localdate() + timedelta(days=30),
    )
    raw = _raw_bytes(_copy_database(tmp_path / "copy.sqlite3"))
    assert b"Canary-hold-reason-4711" in raw  # the scan reads the data: a plain column is found
    for secret in (SURNAME, DOCUMENT, "Oujda", "الزرقاوي"):
        assert secret.encode() not in raw
    files = _store_bytes(_media_root(), key_store)
    assert png_bytes()[:16] not in files and SURNAME.encode() not in files


def _authority():
    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.directory.models import Organisation

    user = User.objects.create_user(
        "authority@example.eu", "x", organisation=Organisation.objects.get(code="nl")
    )
    RoleAssignment.objects.create(user=user, role="deploying_authority")
    return user


@pytest.mark.django_db(transaction=True)
def test_the_erasure_job_leaves_nothing_readable_now_or_in_an_earlier_backup(
    reference, officer, key_store, tmp_path
):
    today = timezone.localdate()
    record = make_record(
        officer, biometrics={"facial_image": io.BytesIO(png_bytes())}, today=today - timedelta(days=400)
    )
    kept = make_record(officer, data={"names": [{"family": "Keptname", "given": "A"}]})
    ref, stored = record.ref, BiometricFile.objects.get(record=record).storage_key
    wrapped = vault._db().execute("SELECT wrapped FROM data_key WHERE ref = ?", [ref]).fetchone()[0]
    assert wrapped.encode() in vault.store_path().read_bytes()
    backup = _copy_database(tmp_path / "before-erasure.sqlite3")
    sealed = record.sealed  # what the backup holds of the person
    assert sealed.encode() in _raw_bytes(backup)
    # the backup decrypts while the subject's key exists
    assert vault.open_sealed(vault.load_key(ref), ref, sealed)["names"][0]["family"] == SURNAME

    result = jobs.erase_expired_personal_data()

    assert result == {"erased": 1}
    assert not Record.objects.filter(ref=ref).exists() and Record.objects.filter(pk=kept.pk).exists()
    assert not NameDigest.objects.filter(record_id=record.pk).exists()
    assert not selectors.find_by_name(SURNAME)
    assert not get_storage().exists(stored) and not vault.key_exists(ref)
    _compact()
    raw = _raw_bytes(_copy_database(tmp_path / "after.sqlite3"))
    assert SURNAME.encode() not in raw and DOCUMENT.encode() not in raw
    assert b"Keptname" not in raw  # encrypted too, for good measure
    assert SURNAME.encode() not in _store_bytes(_media_root(), key_store)
    assert wrapped.encode() not in _store_bytes(key_store)  # overwritten, not left in a free page
    # the backup taken before the erasure still holds the row, but nothing can open it
    with pytest.raises(vault.KeyDestroyed):
        vault.open_sealed(vault.load_key(ref), ref, sealed)
    event = AuditEvent.objects.get(action="personaldata.record_erased")
    assert event.details["records"] == [{"record": ref, "purpose": "return", "category": "a"}]
    assert SURNAME not in str(event.details) + event.object_repr


@pytest.mark.django_db
def test_a_legal_hold_pauses_the_erasure_until_its_end(officer, make_user):
    from ilonet.accounts.roles import Role

    today = timezone.localdate()
    record = make_record(officer, today=today - timedelta(days=400))
    authority = make_user(Role.DEPLOYING_AUTHORITY)
    services.place_hold(
        actor=authority, record=record, reason="Appeal pending", until=today + timedelta(days=10)
    )
    assert services.erase_due_records(today=today) == 0
    assert services.erase_due_records(today=today + timedelta(days=10)) == 0  # the last day of the hold
    assert services.erase_due_records(today=today + timedelta(days=11)) == 1


@pytest.mark.django_db
def test_a_legal_hold_needs_a_reason_and_an_end_date_after_today(officer, make_user):
    from django.core.exceptions import ValidationError

    from ilonet.accounts.roles import Role

    record = make_record(officer)
    authority = make_user(Role.DEPLOYING_AUTHORITY)
    with pytest.raises(ValidationError) as refused:
        services.place_hold(actor=authority, record=record, reason=" ", until=timezone.localdate())
    assert set(refused.value.message_dict) == {"reason", "until"}


@pytest.mark.django_db
def test_the_erasure_date_follows_the_purposes_retention(officer, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {**settings.PERSONAL_DATA_RETENTION_DAYS, "return": 30}
    record = make_record(officer, today=date(2026, 1, 1))
    assert record.erase_on == date(2026, 1, 31)


@pytest.mark.django_db
def test_a_rotation_never_puts_back_a_key_erased_meanwhile(officer, settings, monkeypatch):
    record = make_record(officer)
    settings.ENCRYPTION_KEYS = f"{vault.keyring().current_id}new:{'A' * 43},{settings.ENCRYPTION_KEYS}"
    real_wrap = vault.STORE.wrap

    def erase_during_rotation(data_key, ref):
        vault.destroy_key(ref)  # the erasure job runs between the rotation's read and its write
        return real_wrap(data_key, ref)

    monkeypatch.setattr(vault.STORE, "wrap", erase_during_rotation)
    assert vault.rewrap_all()["rewrapped"] == 0
    assert not vault.key_exists(record.ref)


@pytest.mark.django_db
def test_rotation_rewraps_the_data_keys_and_leaves_data_and_index_alone(officer, settings):
    record = make_record(officer)
    sealed, digests = record.sealed, set(NameDigest.objects.values_list("digest", flat=True))
    old = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = f"{vault.keyring().current_id}new:{'A' * 43},{old}"
    assert vault.rewrap_all() == {"rewrapped": 1, "current": 0}
    assert vault.rewrap_all() == {"rewrapped": 0, "current": 1}
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS.split(",")[0]  # the old keys dropped
    record.refresh_from_db()
    assert record.sealed == sealed
    assert set(NameDigest.objects.values_list("digest", flat=True)) == digests
    assert selectors.find_by_name("zarqaoui") == [record.pk]
    assert vault.open_sealed(vault.load_key(record.ref), record.ref, record.sealed)["birth_place"] == "Oujda"
