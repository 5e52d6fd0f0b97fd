"""Bulk seeding of personal data records of Art. 10 for the benchmark (``bench/personaldata.py``).

Not a benchmark of its own (``BENCH_RUN = None``): the fast path that writes, for many records at
once, exactly what ``services.create_record`` writes for one, with the app's own functions:

- the fields checked by ``payload.clean_payload`` and refused as the service refuses them (a pair
  of purpose and category that Art. 10(3) does not allow, a bad field);
- a data key of its own per record (``AESGCM.generate_key``, as ``KeyStore.create_key``), wrapped
  by the keyring (``vault.STORE.wrap``) and stored in the key store (``vault.store_wrapped``)
  before the rows, as the service does;
- the personal fields sealed with that key (``vault.seal``), the blind-index digests of
  ``payload.searchable_names`` (``vault.name_digests``), the erasure date of the purpose
  (``law.retention_days``);
- one audit event ``personaldata.record_created`` per record with the service's details
  (``services._details``), through the audit trail's bulk path (``audit.record_many``: the same
  chain).

What differs is only how: the records of a chunk are prepared (keys, wrapping, sealing, digests)
optionally in a pool of processes, then written with one ``executemany`` per table and chunk
(``bulk_create``) in one transaction per chunk, keys sorted by reference and digests by value so
the inserts into the indexes stay local. No biometric files (the benchmark's records have none).

``src/ilonet/personaldata/tests/test_bulk_seed.py`` proves a record seeded here is one the app
cannot tell from one the service wrote: it decrypts, it is found by name, it is erased with its
key, and a rotation re-wraps its key.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

BENCH_RUN = None  # a helper, not a benchmark

CHUNK = 5000


@dataclass(frozen=True)
class Prepared:
    """One record ready to write: everything the service computes before its transaction."""

    ref: str
    purpose: str
    category: str
    sealed: str
    wrapped: str
    digests: tuple[str, ...]
    fields: tuple[str, ...]
    erase_on: date


def prepare(item: tuple[str, str, dict[str, Any], date]) -> Prepared:
    """``(purpose, category, data, today)`` to a ``Prepared`` record, with the app's functions
    (no database: it runs in the pool's processes too)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from ilonet.personaldata import law, vault
    from ilonet.personaldata.models import new_ref
    from ilonet.personaldata.payload import clean_payload, fields_present, searchable_names

    purpose, category, data, today = item
    reason = law.pair_refusal(purpose, category)
    if reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"category": reason})
    payload = clean_payload(category, data)
    ref = new_ref()
    data_key = AESGCM.generate_key(bit_length=256)  # as KeyStore.create_key
    digests = set().union(*(vault.name_digests(name) for name in searchable_names(payload)))
    return Prepared(
        ref=vault.STORE.check(ref),
        purpose=purpose,
        category=category,
        sealed=vault.seal(data_key, ref, payload),
        wrapped=vault.STORE.wrap(data_key, ref),
        digests=tuple(sorted(digests)),
        fields=tuple(fields_present(payload, [])),
        erase_on=today + timedelta(days=law.retention_days(purpose)),
    )


def _prepare_chunk(items: list[tuple[str, str, dict[str, Any], date]]) -> list[Prepared]:
    return [prepare(item) for item in items]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_chunk(actor: Any, prepared: list[Prepared]) -> list[Any]:
    """Write one chunk of prepared records as the service writes one: the wrapped keys first (in
    the key store, its own transaction), then the records, their digests and their audit events
    in one transaction of the database. Returns the records."""
    from django.db import connection, transaction

    from ilonet.audit import services as audit
    from ilonet.audit.actions import AuditAction
    from ilonet.personaldata import services, vault
    from ilonet.personaldata.access import controller_id
    from ilonet.personaldata.models import NameDigest, Record

    controller = controller_id(actor)
    vault.store_wrapped(sorted((p.ref, p.wrapped) for p in prepared))
    try:
        with transaction.atomic():
            records = Record.objects.bulk_create(
                [
                    Record(
                        ref=p.ref,
                        controller_id=controller,
                        purpose=p.purpose,
                        category=p.category,
                        sealed=p.sealed,
                        erase_on=p.erase_on,
                        created_by=actor,
                    )
                    for p in prepared
                ],
                batch_size=1000,
            )
            pk_of = {r.ref: r.pk for r in records}
            # the digests as the rows ``bulk_create`` would write, by one ``executemany`` (model
            # instances cost more than the insert: 40 µs of foreign-key checks each)
            meta = NameDigest._meta
            quote = connection.ops.quote_name
            columns = ", ".join(quote(meta.get_field(f).column) for f in ("record", "digest"))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s)",  # noqa: S608 (names, not data)
                    sorted(((pk_of[p.ref], d) for p in prepared for d in p.digests), key=lambda row: row[1]),
                )
            audit.record_many(
                action=AuditAction.PERSONAL_RECORD_CREATED,
                actor=actor,
                objects=records,
                details=(
                    services._details(r, fields=list(p.fields), erase_on=p.erase_on)
                    for r, p in zip(records, prepared, strict=True)
                ),
            )
    except BaseException:
        vault.destroy_keys([p.ref for p in prepared])  # as the service does when its transaction fails
        raise
    return records


def _authorise(actor: Any, purposes: set[str]) -> None:
    """The service's checks of the actor, once per purpose instead of once per record."""
    from ilonet import policy
    from ilonet.personaldata.access import controller_id
    from ilonet.personaldata.models import Record

    A = policy.Action
    policy.authorize(actor, A.MANAGE_PERSONAL_RECORDS)
    for purpose in purposes:
        draft = Record(controller_id=controller_id(actor), purpose=purpose, category="a")
        policy.authorize(actor, A.MANAGE_PERSONAL_RECORDS, draft)


def seed_records(
    *,
    actor: Any,
    items: Iterable[tuple[str, str, dict[str, Any]]],
    today: date,
    purposes: set[str],
    chunk: int = CHUNK,
    processes: int = 1,
    progress: Any = None,
) -> int:
    """Create a record for each ``(purpose, category, data)`` of ``items`` (a generator is read a
    chunk at a time: memory stays flat) as ``actor`` (who must be allowed to create records of
    each of ``purposes``, checked by the policy once per purpose, and each item's purpose must be
    one of them), with the erasure date counted from ``today``. ``processes`` > 1 prepares the
    chunks (keys, sealing, digests) in a pool of that many processes while this one writes.
    Returns how many records were written."""
    _authorise(actor, purposes)

    def checked(chunk_items: list[tuple[str, str, dict[str, Any]]]) -> list[tuple]:
        for purpose, _category, _data in chunk_items:
            if purpose not in purposes:
                raise ValueError(f"purpose {purpose!r} not among the authorised ones")
        return [(purpose, category, data, today) for purpose, category, data in chunk_items]

    chunks = (checked(c) for c in _chunks(items, chunk))
    written = 0
    if processes > 1:
        # at most two chunks per process waiting (``Pool.imap`` would read the whole generator)
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: deque = deque()
            for c in chunks:
                pending.append(pool.apply_async(_prepare_chunk, (c,)))
                if len(pending) >= 2 * processes:
                    written += len(write_chunk(actor, pending.popleft().get()))
                    if progress:
                        progress(written)
            while pending:
                written += len(write_chunk(actor, pending.popleft().get()))
                if progress:
                    progress(written)
    else:
        for c in chunks:
            written += len(write_chunk(actor, _prepare_chunk(c)))
            if progress:
                progress(written)
    return written
