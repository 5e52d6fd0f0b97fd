"""OpenID Connect single sign-on (EU Login speaks OIDC) is switched on by settings alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PROBE = (
    "import django; django.setup();"
    "from django.conf import settings;"
    "apps = settings.SOCIALACCOUNT_PROVIDERS.get('openid_connect', {}).get('APPS', []);"
    "print([('openid_connect', a['provider_id'], a['name'], a['settings']['server_url']) for a in apps])"
)


def _probe(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ILONET_OIDC")}
    environ.update({"DJANGO_SETTINGS_MODULE": "ilonet.settings.test", "PYTHONPATH": str(ROOT / "src"),
                    **env})  # fmt: skip
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def _providers(**env) -> str:
    result = _probe(**env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_single_sign_on_is_off_without_settings():
    assert _providers() == "[]"


def test_single_sign_on_is_on_with_the_oidc_settings():
    out = _providers(
        ILONET_OIDC_SERVER_URL="https://ecas.example.eu/cas/oauth2",
        ILONET_OIDC_CLIENT_ID="ilonet", ILONET_OIDC_CLIENT_SECRET="s3cret",
    )  # fmt: skip
    assert "('openid_connect', 'eulogin', 'EU Login', 'https://ecas.example.eu/cas/oauth2')" in out


def test_single_sign_on_cannot_create_accounts():
    from ilonet.accounts.adapters import SocialAccountAdapter

    assert SocialAccountAdapter().is_open_for_signup(request=None, sociallogin=None) is False


def test_half_configured_single_sign_on_stops_start_up():
    result = _probe(ILONET_OIDC_SERVER_URL="https://ecas.example.eu/cas/oauth2")
    assert result.returncode != 0
    assert "ILONET_OIDC_CLIENT_ID" in result.stderr
