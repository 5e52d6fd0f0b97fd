"""The production settings profile passes Django's deployment checks with no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_check(**env_overrides) -> subprocess.CompletedProcess:
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
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# Production refuses to start on a weak or missing secret, and names what is wrong.
REFUSALS = [
    ("ILONET_SECRET_KEY", "short", "ILONET_SECRET_KEY"),
    ("ILONET_DEBUG", "true", "ILONET_DEBUG"),
    ("ILONET_ENCRYPTION_KEYS", "", "ILONET_ENCRYPTION_KEYS"),
    ("ILONET_ENCRYPTION_KEYS", "p1:tooshort", "32 bytes"),
    ("ILONET_AUDIT_CHAIN_KEY", "", "ILONET_AUDIT_CHAIN_KEY"),
    ("ILONET_AUDIT_CHAIN_KEY", "a1:tooshort", "32 bytes of key"),
    ("ILONET_AUDIT_SIGNING_KEY", "", "ILONET_AUDIT_SIGNING_KEY"),
    ("ILONET_CLAMAV_SOCKET", "", "ILONET_CLAMAV_SOCKET"),
    ("ILONET_PERSONAL_DATA_INDEX_KEY", "", "ILONET_PERSONAL_DATA_INDEX_KEY"),
    ("ILONET_PERSONAL_DATA_INDEX_KEY", "c2hvcnQ", "32 bytes of key"),
    ("ILONET_STORAGE", "ftp", "ILONET_STORAGE"),
]


@pytest.mark.parametrize(("variable", "value", "message"), REFUSALS)
def test_production_refuses_to_start_with_a_missing_or_weak_secret(variable, value, message):
    result = _run_check(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr
