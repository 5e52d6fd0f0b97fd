"""Local demo profile used by ``make run``: SQLite under ./var, DEBUG on, plain HTTP."""

import os

os.environ.setdefault("ILONET_DEBUG", "true")
os.environ.setdefault("ILONET_WEBAUTHN_INSECURE_ORIGIN", "true")

from .base import *  # noqa: E402,F403
from .base import DATA_DIR  # noqa: E402

if not SECRET_KEY:  # noqa: F405
    # A per-checkout key, kept under var/, so sessions survive a restart of `make run`.
    _key_file = DATA_DIR / "dev-secret-key"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

if not ENCRYPTION_KEYS:  # noqa: F405
    # A per-checkout data key, kept under var/ beside the SQLite file it protects.
    from ilonet.shared.keyring import new_key_spec

    _data_key_file = DATA_DIR / "dev-encryption-keys"
    if not _data_key_file.exists():
        _data_key_file.write_text(new_key_spec("dev1"))
    ENCRYPTION_KEYS = _data_key_file.read_text().strip()

if not AUDIT_CHAIN_KEY:  # noqa: F405
    # Per-checkout audit chain key and checkpoint signing key, kept under var/ like the others.
    from ilonet.audit.keys import new_chain_key_spec

    _chain_key_file = DATA_DIR / "dev-audit-chain-key"
    if not _chain_key_file.exists():
        _chain_key_file.write_text(new_chain_key_spec("dev1"))
    AUDIT_CHAIN_KEY = _chain_key_file.read_text().strip()

if not AUDIT_SIGNING_KEY:  # noqa: F405
    from ilonet.audit.keys import new_signing_key_text

    _signing_key_file = DATA_DIR / "dev-audit-signing-key"
    if not _signing_key_file.exists():
        _signing_key_file.write_text(new_signing_key_text())
    AUDIT_SIGNING_KEY = _signing_key_file.read_text().strip()

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # the demo prints mail
