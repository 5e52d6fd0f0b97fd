"""The production settings profile passes Django's deployment checks with no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

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


def test_production_refuses_to_start_without_a_strong_secret_key():
    result = _run_check(ILONET_SECRET_KEY="short")
    assert result.returncode != 0
    assert "ILONET_SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _run_check(ILONET_DEBUG="true")
    assert result.returncode != 0
    assert "ILONET_DEBUG" in result.stderr


def test_production_refuses_to_start_without_data_encryption_keys():
    result = _run_check(ILONET_ENCRYPTION_KEYS="")
    assert result.returncode != 0
    assert "ILONET_ENCRYPTION_KEYS" in result.stderr


def test_production_refuses_a_malformed_data_key():
    result = _run_check(ILONET_ENCRYPTION_KEYS="p1:tooshort")
    assert result.returncode != 0
    assert "32 bytes" in result.stderr


def test_production_refuses_to_start_without_the_audit_chain_key():
    result = _run_check(ILONET_AUDIT_CHAIN_KEY="")
    assert result.returncode != 0
    assert "ILONET_AUDIT_CHAIN_KEY" in result.stderr


def test_production_refuses_a_malformed_audit_chain_key():
    result = _run_check(ILONET_AUDIT_CHAIN_KEY="a1:tooshort")
    assert result.returncode != 0
    assert "32 bytes of key" in result.stderr


def test_production_refuses_to_start_without_the_audit_signing_key():
    result = _run_check(ILONET_AUDIT_SIGNING_KEY="")
    assert result.returncode != 0
    assert "ILONET_AUDIT_SIGNING_KEY" in result.stderr
