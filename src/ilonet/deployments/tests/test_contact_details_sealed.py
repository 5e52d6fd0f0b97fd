"""The contact list's phone and e-mail (Art. 9(2)(d)) are sealed with a data key per officer:
no plaintext in the raw database (SQLite file, PostgreSQL rows as COPY writes them), existing
rows sealed in place by the migration, and the officer's key destroyed once they left the list
(so an earlier backup can no longer be read for them)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from ilonet.audit.models import AuditEvent
from ilonet.deployments import erasure, selectors, services
from ilonet.deployments.models import CONTACT_KEY_STORE, Deployment
from ilonet.shared.sealed_fields import is_sealed, key_store, open_text

from .helpers import days, deploy, desk, officer

PHONE, MAIL = "+212537998877", "canary.officer@post.example.eu"


def _database_copy(path: Path) -> bytes:
    """The database as a backup holds it: on SQLite the file's every page (backup API), on
    PostgreSQL every row of every table as COPY writes it."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return path.read_bytes()
    with path.open("wb") as out, connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:  # psycopg 3
                for chunk in copy:
                    out.write(bytes(chunk))
    return path.read_bytes()


@pytest.fixture
def reference(transactional_db):
    from ilonet.directory import demo as directory_demo
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations()  # a transactional test starts from a flushed database
    directory_demo.ensure_authorities()


def _raw_columns(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM deployments_deployment WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_no_contact_detail_is_in_the_raw_database_and_the_scan_would_see_it(reference, make_user, tmp_path):
    deployment = deploy(
        desk(make_user), officer(make_user), phone=PHONE, email=MAIL, place_name="Canary-post-4711"
    )
    raw = _database_copy(tmp_path / "copy.sqlite3")
    assert b"Canary-post-4711" in raw  # a clear column is found: the scan sees the data
    assert PHONE.encode() not in raw and PHONE[1:].encode() not in raw
    assert MAIL.encode() not in raw and b"canary.officer" not in raw
    assert all(is_sealed(value) for value in _raw_columns(deployment.pk))
    assert Deployment.objects.values_list("phone", "email").get(pk=deployment.pk) == (PHONE, MAIL)


@pytest.mark.django_db
def test_a_sealed_value_opens_only_for_its_officer_and_column(make_user):
    deployment = deploy(desk(make_user), officer(make_user), phone=PHONE, email=MAIL)
    phone, email = _raw_columns(deployment.pk)
    store = key_store(CONTACT_KEY_STORE)
    assert open_text(store, phone, context="deployments_deployment.phone") == PHONE
    assert open_text(store, phone, context="deployments_deployment.email") == ""  # moved column
    other = deploy(desk(make_user), officer(make_user), country="SN", phone="+221771234567")
    forged = phone.replace(phone.split(":")[1], f"officer-{other.officer_id}")
    assert open_text(store, forged, context="deployments_deployment.phone") == ""


@pytest.mark.django_db
def test_a_bulk_update_with_a_plain_value_is_refused(make_user):
    deploy(desk(make_user), officer(make_user))
    with pytest.raises(TypeError, match="sealed per data subject"):
        Deployment.objects.update(phone="+31612345678")
    with pytest.raises(TypeError):
        Deployment.objects.filter(email=MAIL).count()  # cannot be searched: it is ciphertext


@pytest.mark.django_db
def test_the_migration_seals_plain_rows_in_place_and_reads_go_on_before(make_user):
    from importlib import import_module

    migration = import_module("ilonet.deployments.migrations.0004_sealed_contact_details")
    deployment = deploy(desk(make_user), officer(make_user))
    with connection.cursor() as cursor:  # a row as it was before the columns were sealed
        cursor.execute(
            "UPDATE deployments_deployment SET phone = %s, email = %s WHERE id = %s",
            [PHONE, MAIL, deployment.pk],
        )
    assert Deployment.objects.values_list("phone", "email").get(pk=deployment.pk) == (PHONE, MAIL)
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.seal_existing(None, editor)
    assert all(is_sealed(value) for value in _raw_columns(deployment.pk))
    assert Deployment.objects.values_list("phone", "email").get(pk=deployment.pk) == (PHONE, MAIL)
    migration.open_existing(None, editor)
    assert _raw_columns(deployment.pk) == (PHONE, MAIL)


def _left(make_user, actor, **person):
    person = officer(make_user, **person)
    deployment = deploy(actor, person, country="SN", phone=PHONE, email=MAIL, start=days(-300), end=days(10))
    services.end_deployment(actor=actor, deployment=deployment, end_date=days(-1))
    return deployment


@pytest.mark.django_db
def test_an_officer_who_left_the_list_loses_their_key_after_the_retention(make_user, settings):
    settings.CONTACT_DETAILS_RETENTION_DAYS = 30
    actor = desk(make_user)
    gone = _left(make_user, actor)
    before_erasure = _raw_columns(gone.pk)  # what a backup taken now holds
    redeployed = _left(make_user, actor)
    deploy(actor, redeployed.officer, country="MA", start=days(0), end=days(300), phone="+212537123400")
    serving = deploy(
        actor, officer(make_user), country="TN", phone="+21671123456", email="serving@post.example.eu"
    )
    store = key_store(CONTACT_KEY_STORE)

    assert erasure.erase_contact_details(today=days(20)) == 0  # still within the hand-over
    assert erasure.erase_contact_details(today=days(40)) == 1
    assert not store.key_exists(f"officer-{gone.officer_id}")
    assert _raw_columns(gone.pk) == ("", "")
    assert open_text(store, before_erasure[0], context="deployments_deployment.phone") == ""  # the old backup
    assert store.key_exists(f"officer-{redeployed.officer_id}")  # deployed again: kept
    assert Deployment.objects.values_list("phone", flat=True).get(pk=redeployed.pk) == PHONE
    serving.refresh_from_db()
    assert (serving.phone, serving.email) == ("+21671123456", "serving@post.example.eu")
    event = AuditEvent.objects.get(action="deployment.contacts_erased")
    assert event.details["deployments"] == [gone.pk] and PHONE not in str(event.details)
    assert erasure.erase_contact_details(today=days(41)) == 0  # nothing left to erase


@pytest.mark.django_db
def test_an_officer_deployed_again_after_the_erasure_gets_a_new_key(make_user, settings):
    settings.CONTACT_DETAILS_RETENTION_DAYS = 0
    actor = desk(make_user)
    gone = _left(make_user, actor)
    assert erasure.erase_contact_details(today=days(1)) == 1
    again = deploy(actor, gone.officer, country="MA", start=days(0), end=days(300), phone="+212537123401")
    again.refresh_from_db()
    assert again.phone == "+212537123401"
    listed = selectors.read_contact_details(actor=officer(make_user), deployment=again)
    assert listed is not None and listed["phone"] == "+212537123401"
