"""A data key is read from the key store once per request and subject, kept only until the
request ends, and forgotten at once when a key is erased in the request (crypto-shredding:
nothing erased stays readable; GDPR Art. 17, Art. 32)."""

import pytest
from django.core.signals import request_finished, request_started

from ilonet.shared import envelope
from ilonet.shared.envelope import KeyDestroyed, KeyStore
from ilonet.shared.sealed_fields import open_text, seal_text


class CountingStore(KeyStore):
    def __init__(self) -> None:
        super().__init__("counting.sqlite3", label="counting")
        self.reads = 0

    def db(self):
        self.reads += 1
        return super().db()


@pytest.fixture(autouse=True)
def outside_a_request():
    """Each test starts outside a request, whatever an earlier test in this thread left open
    (the test client ends a request only when its response is closed: a streamed answer left
    unread keeps it open). The envelope's own receiver, not the signal: the signal would also
    close the database connections."""
    envelope._drop_request_keys()


def _reads(store: CountingStore, tokens: list[str]) -> list[str]:
    store.reads = 0
    return [open_text(store, token, context="t.c") for token in tokens]


def test_within_a_request_each_subjects_key_is_read_once():
    store = CountingStore()
    tokens = [seal_text(store, ref, f"value of {ref}", context="t.c") for ref in ("a-1", "a-2", "a-1", "a-2")]
    assert _reads(store, tokens) == ["value of a-1", "value of a-2"] * 2 and store.reads == 4  # no request
    request_started.send(sender=None)
    try:
        assert _reads(store, tokens) == ["value of a-1", "value of a-2"] * 2 and store.reads == 2
    finally:
        request_finished.send(sender=None)
    assert _reads(store, tokens) == ["value of a-1", "value of a-2"] * 2 and store.reads == 4  # none kept


def test_an_erasure_in_the_request_makes_the_kept_key_unreadable_at_once():
    store = CountingStore()
    token = seal_text(store, "b-1", "secret", context="t.c")
    request_started.send(sender=None)
    try:
        assert open_text(store, token, context="t.c") == "secret"
        store.destroy_keys(["b-1"])
        assert open_text(store, token, context="t.c") == ""
        try:
            store.load_key("b-1")
        except KeyDestroyed:
            pass
        else:
            raise AssertionError("an erased key was still given")
    finally:
        request_finished.send(sender=None)
