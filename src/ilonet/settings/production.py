"""Production profile: HTTPS only, hardened cookies, required secret; passes check --deploy."""

from django.core.exceptions import ImproperlyConfigured

from ilonet.audit.keys import ChainKeys, parse_signing_key
from ilonet.shared.keyring import Keyring

from .base import *  # noqa: F403
from .base import env

if not SECRET_KEY or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("ILONET_SECRET_KEY must be set to at least 50 random characters.")
if not ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured("ILONET_ENCRYPTION_KEYS must hold the data encryption key(s).")
Keyring.parse(ENCRYPTION_KEYS)  # noqa: F405  (fail fast on a malformed key)
if not AUDIT_CHAIN_KEY:  # noqa: F405
    raise ImproperlyConfigured("ILONET_AUDIT_CHAIN_KEY must hold the audit chain key(s).")
ChainKeys.parse(AUDIT_CHAIN_KEY)  # noqa: F405  (fail fast on a malformed key)
if not AUDIT_SIGNING_KEY:  # noqa: F405
    raise ImproperlyConfigured("ILONET_AUDIT_SIGNING_KEY must hold the audit checkpoint signing key.")
parse_signing_key(AUDIT_SIGNING_KEY)  # noqa: F405
if not (CLAMAV_SOCKET or CLAMAV_HOST):  # noqa: F405
    raise ImproperlyConfigured(
        "ILONET_CLAMAV_SOCKET or ILONET_CLAMAV_HOST must name the ClamAV daemon that scans uploads."
    )
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("ILONET_DEBUG must be off in production.")

# Links in e-mail (invitations) point here; by default the first allowed host, over HTTPS.
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")), "")  # noqa: F405
SITE_URL = env.str("ILONET_SITE_URL", default=f"https://{_first_host}" if _first_host else "").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("ILONET_SITE_URL must be an https:// address in production.")

SECURE_SSL_REDIRECT = env.bool("ILONET_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Probes and the scraper may call a web worker on its private address over plain HTTP
# (docs/deployment.md, "Monitoring"); every other address is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("ILONET_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# WhiteNoise's compressed manifest storage, each address computed once (ilonet.shared.staticfiles).
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "ilonet.shared.staticfiles.ManifestStaticFilesStorage"
}
