"""Personal data at rest: AES-256-GCM with a rotating keyring, bound to its column."""

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured

from ilonet.shared import crypto
from ilonet.shared.keyring import Keyring, new_key_spec

TEST_KEYS = "t2:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8,t1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA"


def test_round_trip_and_no_plaintext_in_the_stored_value():
    token = crypto.encrypt("+32 2 299 11 11", context="t.phone")
    assert "299" not in token and token.startswith("v1:t2:")
    assert crypto.decrypt(token, context="t.phone") == "+32 2 299 11 11"


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("x", context="t.c") != crypto.encrypt("x", context="t.c")


def test_a_value_moved_to_another_column_does_not_decrypt():
    token = crypto.encrypt("secret", context="t.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, context="t.email")


def test_a_tampered_value_does_not_decrypt():
    token = crypto.encrypt("secret", context="t.c")
    prefix, key_id, payload = token.split(":")
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        crypto.decrypt(f"{prefix}:{key_id}:{flipped}", context="t.c")


def test_values_under_an_older_key_still_decrypt_after_rotation(settings):
    settings.ENCRYPTION_KEYS = "t1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA"
    old = crypto.encrypt("rotated", context="t.c")
    settings.ENCRYPTION_KEYS = TEST_KEYS
    assert old.startswith("v1:t1:")
    assert crypto.decrypt(old, context="t.c") == "rotated"
    assert crypto.encrypt("new", context="t.c").startswith("v1:t2:")


def test_a_value_whose_key_was_dropped_cannot_be_read(settings):
    settings.ENCRYPTION_KEYS = "t1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA"
    old = crypto.encrypt("gone", context="t.c")
    settings.ENCRYPTION_KEYS = "t2:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    with pytest.raises(KeyError):
        crypto.decrypt(old, context="t.c")


def test_blind_index_is_stable_keyed_and_purpose_bound(settings):
    a = crypto.blind_index("+3222991111", purpose="phone")
    assert a == crypto.blind_index("+3222991111", purpose="phone")
    assert a != crypto.blind_index("+3222991111", purpose="email")
    settings.ENCRYPTION_KEYS = new_key_spec("other")
    assert a != crypto.blind_index("+3222991111", purpose="phone")


@pytest.mark.parametrize("spec", ["", "k1", "k1:short", ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"])
def test_malformed_keyrings_are_refused(spec):
    with pytest.raises(ImproperlyConfigured):
        Keyring.parse(spec)


def test_new_key_spec_parses():
    ring = Keyring.parse(new_key_spec("k9"))
    assert ring.current_id == "k9" and len(ring.keys["k9"]) == 32
