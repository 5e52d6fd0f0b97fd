"""The person of an imported case: the identity sealed with a new data key per person
(``personaldata.vault``; the wrapped keys of a whole batch go to the key store in one write,
``vault.store_wrapped``), the blind index of the names (``vault.name_digests``), and the
suspected duplicates: the same whole-name digest and the same date of birth as a case already
held by the member state (or earlier in the same batch).

The date of birth is sealed, so a candidate found by its name digest is confirmed by opening its
identity (one key read per candidate; a name matches few cases). No name or date is compared or
stored in clear outside the sealed documents.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from ilonet.personaldata import vault
from ilonet.returns import identity as core_identity
from ilonet.returns.models import NameDigest, ReturnCase


class SealedPerson(NamedTuple):
    person_ref: str
    sealed: str
    wrapped: str
    digests: frozenset[str]
    whole: str  # the digest of the whole name: the duplicate check's key, with the birth date
    born: str


def full_name(identity: dict[str, Any]) -> str:
    first = (identity.get("names") or [{}])[0]
    return f"{first.get('given', '')} {first.get('family', '')}".strip()


def seal_person(person_ref: str, identity: dict[str, Any]) -> SealedPerson:
    """The identity document (the core's shape, ``returns.identity``) sealed under a new data
    key, the key wrapped for the key store, the digests of the core's blind index."""
    data_key = AESGCM.generate_key(bit_length=256)
    name = full_name(identity)
    return SealedPerson(
        person_ref,
        core_identity.seal(data_key, person_ref, identity),
        vault._wrap(data_key, person_ref),  # noqa: SLF001 (the vault's own wrapping, batched by store_wrapped)
        frozenset(core_identity.digests(identity)),
        vault.name_digest(name) or "",
        identity.get("birth_date") or "",
    )


_KEY, _NONCE = 32, 12  # an AES-256 data key; an AES-GCM nonce
_RANDOM_PER_PERSON = _KEY + 2 * _NONCE  # the data key, the identity's nonce, the wrapping's nonce


def seal_people(people: list[tuple[str, dict[str, Any]]]) -> list[SealedPerson]:
    """``seal_person`` for each (person ref, identity) of a batch, with the same results in the
    same forms: the random bytes of the whole batch (each person's new data key and two nonces)
    read from the system at once, and the keyring's cipher made once (``vault.wrapper``)."""
    randomness = os.urandom(_RANDOM_PER_PERSON * len(people))
    wrap, index_key = vault.wrapper(), vault.index_key()
    out = []
    offset = 0
    for person_ref, identity in people:
        data_key = randomness[offset : offset + _KEY]
        seal_nonce = randomness[offset + _KEY : offset + _KEY + _NONCE]
        wrap_nonce = randomness[offset + _KEY + _NONCE : offset + _RANDOM_PER_PERSON]
        offset += _RANDOM_PER_PERSON
        out.append(
            SealedPerson(
                person_ref,
                core_identity.seal_with(data_key, seal_nonce, person_ref, identity),
                wrap(data_key, person_ref, wrap_nonce),
                frozenset(core_identity.digests(identity, key=index_key)),
                vault.name_digest(full_name(identity), key=index_key) or "",
                identity.get("birth_date") or "",
            )
        )
    return out


# One probe of the index on (member state, digest) per digest: the LATERAL subquery, kept apart by
# its OFFSET 0, is never turned into a scan of the member state's digests filtered by the list
# (the plan chosen when the statistics are older than the rows: ``batch.KNOWN_SQL``), and planned
# for any member state, its code a subquery's value, as ``batch.KNOWN_SQL`` is (a state the
# statistics know no row of is estimated at one row, and any index that begins with the member
# state would then look as good as the one that finds the digest).
CANDIDATES_SQL = """
SELECT found.digest, found.case_id
FROM unnest(string_to_array(%s, ',')) AS wanted(digest)
CROSS JOIN LATERAL (
    SELECT digest, case_id FROM returns_namedigest
    WHERE member_state = (SELECT %s) AND digest = wanted.digest OFFSET 0
) AS found
ORDER BY found.case_id
"""


def _candidates(member_state: str, digests: set[str]) -> list[tuple[str, int]]:
    """(digest, case id) of the member state's cases with one of ``digests``. On PostgreSQL the
    digests (hexadecimal, no comma) go as one text split by the server, not one placeholder each."""
    if connection.vendor != "postgresql":
        return list(
            NameDigest.objects.filter(member_state=member_state, digest__in=digests)
            .values_list("digest", "case_id")
            .order_by("case_id")
        )
    with connection.cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, [",".join(sorted(digests)), member_state])
        return cursor.fetchall()


def open_identity(person_ref: str, sealed: str) -> dict[str, Any]:
    return core_identity.open_identity(person_ref, sealed)


def existing_matches(member_state: str, people: Iterable[SealedPerson]) -> dict[tuple[str, str], int]:
    """(whole-name digest, date of birth) → the oldest case of ``member_state`` with that person."""
    wanted = {(p.whole, p.born) for p in people if p.whole}
    if not wanted:
        return {}
    digests = {whole for whole, _born in wanted}
    candidates = _candidates(member_state, digests)
    by_case: dict[int, set[str]] = {}
    for digest, case_id in candidates:
        by_case.setdefault(case_id, set()).add(digest)
    found: dict[tuple[str, str], int] = {}
    if not by_case:
        return found
    rows = ReturnCase.objects.filter(pk__in=by_case, erased_at__isnull=True).values_list(
        "pk", "person_ref", "identity_sealed"
    )
    for case_id, person_ref, sealed in sorted(rows):
        try:
            born = open_identity(person_ref, sealed).get("birth_date") or ""
        except (vault.KeyDestroyed, ValueError):
            continue
        for digest in by_case[case_id]:
            found.setdefault((digest, born), case_id)
    return found
