"""The benchmark's fast seeding path (``bench/_personaldata_seed.py``) writes what the service
writes: a record seeded in bulk is one the app cannot tell from one ``services.create_record``
wrote (issue 12, "scale and speed": the benchmark at 1,000,000 records measures the app's own
data). It decrypts with its own data key, it is found by name through the blind index, its
creation is in the audit chain, it is erased with its key (Art. 10(2)) and a rotation re-wraps its
key; a pair of purpose and category that Art. 10(3) does not allow is refused, nothing stored."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilonet.audit.models import AuditEvent
from ilonet.audit.verification import verify_chain
from ilonet.personaldata import selectors, services, vault
from ilonet.personaldata.law import Purpose
from ilonet.personaldata.models import NameDigest, Record

from .conftest import SUBJECT, give_purposes, make_record

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
from _personaldata_seed import seed_records  # noqa: E402

pytestmark = pytest.mark.django_db

CREATED = "personaldata.record_created"


def seed(actor, items, *, processes: int = 1, chunk: int = 5000) -> list[Record]:
    before = set(Record.objects.values_list("pk", flat=True))
    seed_records(
        actor=actor,
        items=items,
        today=timezone.localdate(),
        purposes={purpose for purpose, _category, _data in items},
        processes=processes,
        chunk=chunk,
    )
    return list(Record.objects.exclude(pk__in=before).order_by("pk"))


def as_the_app_sees_it(record: Record, reader) -> dict:
    """Everything of a record the app reads, without what is unique to it (its reference, the
    nonces of its sealing and wrapping, its row ids and times)."""
    view = selectors.open_record(user=reader, ref=record.ref, via="page")
    created = AuditEvent.objects.get(action=CREATED, object_id=str(record.pk))
    details = {k: v for k, v in created.details.items() if k != "record"}
    return {
        "columns": (record.controller_id, record.purpose, record.category, record.erase_on),
        "created_by": record.created_by_id,
        "hold": (record.hold_reason, record.hold_until),
        "data": view.data,
        "fields": view.fields,
        "digests": sorted(NameDigest.objects.filter(record=record).values_list("digest", flat=True)),
        "wrapping key": vault._db()
        .execute("SELECT wrapped FROM data_key WHERE ref = ?", [record.ref])
        .fetchone()[0]
        .partition(":")[0],
        "audit": (created.actor_id, created.object_type, created.object_repr == str(record), details),
        "read logged": AuditEvent.objects.filter(
            action="personaldata.record_read", object_id=str(record.pk)
        ).exists(),
    }


def test_a_seeded_record_is_what_the_service_writes_decrypts_and_is_found_by_name(officer):
    written = make_record(officer)
    (seeded,) = seed(officer, [(Purpose.RETURN, "a", SUBJECT)])

    assert seeded.ref != written.ref and seeded.sealed != written.sealed  # its own key and nonce
    assert vault.load_key(seeded.ref) != vault.load_key(written.ref)
    assert as_the_app_sees_it(seeded, officer) == as_the_app_sees_it(written, officer)
    assert sorted(selectors.find_by_name("ZARQAOUI")) == [written.pk, seeded.pk]
    assert sorted(selectors.find_by_name("Youssef Zarqaoui")) == [written.pk, seeded.pk]
    listed = selectors.record_list(user=officer, name="zarqaoui")
    assert {r.ref for r in listed} == {written.ref, seeded.ref}
    assert verify_chain().ok  # the bulk events are links of the same chain


def test_seeded_records_are_rotated_and_erased_with_their_keys_as_the_services(officer, settings):
    written = make_record(officer)
    seeded = seed(officer, [(Purpose.RETURN, "a", SUBJECT), (Purpose.RETURN, "a", SUBJECT)])
    old = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = f"{vault.keyring().current_id}new:{'A' * 43},{old}"
    assert vault.rewrap_all() == {"rewrapped": 3, "current": 0}
    settings.ENCRYPTION_KEYS = settings.ENCRYPTION_KEYS.split(",")[0]  # the old key dropped
    for record in [written, *seeded]:
        assert selectors.open_record(user=officer, ref=record.ref, via="page").data["birth_place"] == "Oujda"

    later = timezone.localdate() + timedelta(days=366)  # past the return purpose's 365 days
    assert services.erase_due_records(today=later) == 3
    for record in [written, *seeded]:
        assert not vault.key_exists(record.ref)
        with pytest.raises(vault.KeyDestroyed):
            vault.open_sealed(vault.load_key(record.ref), record.ref, record.sealed)
    assert not Record.objects.exists() and not NameDigest.objects.exists()
    assert selectors.find_by_name("Zarqaoui") == []


def test_the_pool_of_processes_seeds_the_same_records_in_chunks(officer):
    people = [
        (Purpose.RETURN, "a", {"names": [{"family": f"Family{i}", "given": "Amal"}], "nationality": "MA"})
        for i in range(7)
    ]
    seeded = seed(officer, people, processes=2, chunk=3)
    assert len(seeded) == 7 and vault.key_count() == 7
    for i, record in enumerate(seeded):
        assert selectors.find_by_name(f"family{i}") == [record.pk]
        view = selectors.open_record(user=officer, ref=record.ref, via="page")
        assert view.data["names"][0]["family"] == f"Family{i}"
    assert AuditEvent.objects.filter(action=CREATED).count() == 7
    assert verify_chain().ok


def test_the_seeding_refuses_what_the_service_refuses_and_stores_nothing(officer, make_user):
    with pytest.raises(ValidationError) as refused:  # Art. 10(3): category (a) is for return only
        seed(officer, [(Purpose.EXCHANGE, "a", SUBJECT)])
    assert "Art. 10(3)" in refused.value.message_dict["category"][0]
    with pytest.raises(ValidationError) as refused:  # a date of birth in the future
        seed(officer, [(Purpose.RETURN, "a", {**SUBJECT, "birth_date": "2999-01-01"})])
    assert "birth_date" in refused.value.message_dict
    with pytest.raises(ValidationError):  # an unknown nationality (not an ISO 3166 code)
        seed(officer, [(Purpose.RETURN, "a", {**SUBJECT, "nationality": "MAR"})])
    from ilonet.accounts.roles import Role

    user = make_user(Role.ILO)
    give_purposes(user, Purpose.RETURN)
    with pytest.raises(PermissionDenied):  # a purpose not assigned to the actor
        seed(user, [(Purpose.LEGAL_MIGRATION, "c", SUBJECT)])
    assert not Record.objects.exists() and vault.key_count() == 0
    assert not AuditEvent.objects.filter(action=CREATED).exists()
