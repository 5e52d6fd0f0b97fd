"""The browser security headers of every kind of answer (pages signed in and out, the API, errors)
and the production profile's transport and cookie settings (docs/security.md, ASVS 5.0 V3.3,
V3.4, V14.3)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.security, pytest.mark.django_db]
ROOT = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def _answers(client, login, make_user):
    yield "login page", client.get("/accounts/login/")
    yield "unknown page", client.get("/no-such-page/")
    yield "api unauthenticated", client.get("/api/v1/accounts/me")
    signed_in = login(make_user("ilo"))
    yield "home", signed_in.get("/")
    yield "api", signed_in.get("/api/v1/accounts/me")


def test_every_answer_carries_the_browser_security_headers(client, login, make_user):
    for name, response in _answers(client, login, make_user):
        csp = _csp(response)
        assert csp["object-src"] == "object-src 'none'", name
        assert csp["base-uri"] == "base-uri 'none'", name
        assert csp["frame-ancestors"] == "frame-ancestors 'none'", name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name


def test_signed_in_answers_are_not_cached(client, login, make_user):
    signed_in = login(make_user("ilo"))
    for url in ("/", "/api/v1/accounts/me"):
        assert "no-store" in signed_in.get(url)["Cache-Control"], url


def test_production_enforces_tls_hsts_and_host_only_secure_cookies():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ilonet.settings.production",
        "ILONET_SECRET_KEY": secrets.token_urlsafe(64),
        "ILONET_ALLOWED_HOSTS": "ilonet.example.eu",
        "ILONET_ENCRYPTION_KEYS": "p1:" + secrets.token_urlsafe(32),
        "ILONET_AUDIT_CHAIN_KEY": "a1:" + secrets.token_urlsafe(32),
        "ILONET_AUDIT_SIGNING_KEY": secrets.token_urlsafe(32),
        "ILONET_CLAMAV_SOCKET": "/run/clamav/clamd.ctl",
        "ILONET_PERSONAL_DATA_INDEX_KEY": secrets.token_urlsafe(32),
    }
    names = [
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "DEBUG",
    ]  # fmt: skip
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_SSL_REDIRECT"] and not values["DEBUG"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
