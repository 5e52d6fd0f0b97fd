"""The bulk import seals a batch's persons at once (``persons.seal_people``: the batch's random
bytes read at once, the keyring's cipher made once): each identity sealed under its own new data
key, in the same forms as one person sealed alone (``persons.seal_person``), so that the core
opens it (Art. 10: personal data sealed per data subject, crypto-shredding by key)."""

from ilonet.personaldata import vault
from ilonet.returns import identity as core_identity
from ilonet.returns.interchange import persons


def _identity(family: str, given: str, born: str) -> dict:
    return {
        "names": [{"family": family, "given": given, "script": "latin"}],
        "birth_date": born,
        "birth_place": "",
        "nationalities": ["MA"],
        "documents": [],
    }


PEOPLE = [
    (f"rcbatch{i:04d}", _identity(family, given, f"19{80 + i % 20}-0{1 + i % 9}-1{i % 10}"))
    for i, (family, given) in enumerate(
        [
            ("Benali", "Karim"),
            ("El Amrani", "Sara"),
            ("Bénali", "karim"),
            ("Okafor", ""),
            ("Nguyen", "Thi Lan"),
        ]
        * 4
    )
]


def test_batch_sealing_opens_to_each_identity_under_its_own_key():
    sealed = persons.seal_people(PEOPLE)
    assert [p.person_ref for p in sealed] == [ref for ref, _identity in PEOPLE]
    keys = set()
    for (ref, identity), person in zip(PEOPLE, sealed, strict=True):
        data_key = vault.STORE.unwrap(person.wrapped, ref)
        assert len(data_key) == 32
        keys.add(data_key)
        assert vault.open_sealed(data_key, ref, person.sealed, context=core_identity.CONTEXT) == identity
    assert len(keys) == len(PEOPLE)  # a new data key per person
    # a nonce is never used twice: neither among the sealed identities nor among the wrapped keys
    assert len({p.sealed[:16] for p in sealed}) == len(PEOPLE)
    assert len({p.wrapped.split(":", 1)[1][:16] for p in sealed}) == len(PEOPLE)


def test_batch_sealing_gives_the_digests_and_duplicate_key_of_one_person_sealed_alone():
    for (ref, identity), person in zip(PEOPLE, persons.seal_people(PEOPLE), strict=True):
        alone = persons.seal_person(ref, identity)
        assert person.digests == alone.digests
        assert (person.whole, person.born) == (alone.whole, alone.born)
        assert person.wrapped.split(":", 1)[0] == alone.wrapped.split(":", 1)[0]  # the keyring's key id
        assert vault.STORE.unwrap(person.wrapped, ref) != vault.STORE.unwrap(alone.wrapped, ref)


def test_a_wrapped_key_opens_only_under_its_own_reference():
    ref, identity = PEOPLE[0]
    person = persons.seal_people([PEOPLE[0]])[0]
    try:
        vault.STORE.unwrap(person.wrapped, PEOPLE[1][0])
    except Exception as error:  # noqa: BLE001 (cryptography's InvalidTag)
        assert type(error).__name__ == "InvalidTag"
    else:
        raise AssertionError("a wrapped key opened under another reference")
    assert (
        vault.open_sealed(
            vault.STORE.unwrap(person.wrapped, ref), ref, person.sealed, context=core_identity.CONTEXT
        )
        == identity
    )


def test_an_empty_batch_seals_nobody():
    assert persons.seal_people([]) == []
