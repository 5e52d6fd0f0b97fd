"""Test profile: fast hashing, in-memory-ish data dir, same security middleware as production."""

import os
import tempfile

os.environ.setdefault("ILONET_DATA_DIR", tempfile.mkdtemp(prefix="ilonet-test-"))
os.environ.setdefault("ILONET_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# Fixed test-only data keys (never used elsewhere): "t2" encrypts, "t1" still decrypts.
os.environ.setdefault(
    "ILONET_ENCRYPTION_KEYS",
    "t2:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8,t1:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA",
)
# Fixed test-only audit keys: chain HMAC key "t1" and the checkpoint signing key.
os.environ.setdefault("ILONET_AUDIT_CHAIN_KEY", "t1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8")
os.environ.setdefault("ILONET_AUDIT_SIGNING_KEY", "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, tests only
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ACCOUNT_RATE_LIMITS = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise looks there)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the worker and scheduler processes started by the background-work
    # tests (ilonet/jobs/tests/test_processes.py) open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-database.sqlite3")}  # noqa: F405
