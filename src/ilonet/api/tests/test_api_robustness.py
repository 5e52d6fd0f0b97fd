"""Issue 7: no input makes the API answer 500 or accept garbage; every error under /api/ has the
API's JSON shape."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail

from ilonet.accounts import testing as account_tokens
from ilonet.deployments.tests.helpers import days, desk, officer
from ilonet.directory import demo as directory_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(make_user):
    directory_demo.ensure_authorities()
    user = desk(make_user)
    _t, secret = account_tokens.issue_api_token(actor=user, name="t", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _body(make_user, **override):
    body = {
        "deploying_authority": "nl-auth",
        "officer_email": officer(make_user).email,
        "country": "MA",
        "place_kind": "ms_mission",
        "place_name": "Embassy",
        "city": "Rabat",
        "task_summary": "Liaison.",
        "start_date": days(30).isoformat(),
        "planned_end_date": days(400).isoformat(),
    }
    return {**body, **override}


def _post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_body_over_the_size_limit_is_413_with_a_detail(client, headers):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    answer = client.post("/api/v1/deployments", big, content_type="application/json", **headers)
    assert answer.status_code == 413 and "detail" in answer.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/networks/facilitator-notifications?network=99999999999999999999999",
        "/api/v1/networks/99999999999999999999999",
        "/api/v1/deployments/99999999999999999999999/notifications",
    ],
)
def test_an_integer_beyond_64_bits_is_not_a_server_error(client, headers, url):
    """SQLite cannot bind it (OverflowError, answered 422); PostgreSQL's lookups find no row."""
    answer = client.get(url, **headers)
    assert answer.status_code in (200, 404, 422) and answer["Content-Type"].startswith("application/json")


def test_an_integer_beyond_64_bits_in_a_page_path_is_a_client_error(make_user, login):
    directory_demo.ensure_authorities()
    answer = login(desk(make_user)).get("/deployments/99999999999999999999999/")
    assert answer.status_code in (400, 404)


@pytest.mark.parametrize("value", [0, 20260101, "20260101", "2026-1-1", True])
def test_dates_are_iso_strings_only(client, headers, make_user, value):
    answer = _post(client, "/api/v1/deployments", _body(make_user, start_date=value), headers)
    assert answer.status_code == 422
    assert any(e["field"] == "start_date" for e in answer.json()["errors"])


def test_a_date_query_parameter_is_an_iso_string_only(client, headers):
    assert client.get("/api/v1/deployments/gaps?on=0", **headers).status_code == 422
    assert client.get("/api/v1/deployments/gaps?on=2026-01-01", **headers).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"), [("delete", "/api/v1/deployments"), ("put", "/api/v1/deployments/gaps")]
)
def test_a_method_not_allowed_answers_in_the_api_shape(client, headers, method, url):
    answer = getattr(client, method)(url, **headers)
    assert answer.status_code == 405 and "detail" in answer.json()


@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/deployments/abc", "/api/x"])
def test_an_unknown_api_path_answers_in_the_api_shape(client, headers, url):
    answer = client.get(url, **headers)
    assert answer.status_code == 404 and "detail" in answer.json()


@pytest.mark.parametrize(
    "title", ["Embassy\r\nX-Injected: 1", "report\u202egpj.exe", "tab\there", "a\u2066b"]
)
def test_single_line_text_with_control_or_bidi_characters_is_refused(client, headers, make_user, title):
    answer = _post(client, "/api/v1/deployments", _body(make_user, place_name=title), headers)
    assert answer.status_code == 422
    assert any(e["field"] == "place_name" for e in answer.json()["errors"])


def test_a_password_reset_sends_mail_in_the_test_profile(client, make_user):
    user = make_user("ilo")
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1


def _setting(profile: str, name: str, **env) -> str:
    code = f"import django; from django.conf import settings; django.setup(); print(settings.{name})"
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": f"ilonet.settings.{profile}",
        "PYTHONPATH": str(settings.BASE_DIR / "src"), **env,
    }  # fmt: skip
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True,
        cwd=settings.BASE_DIR, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def test_the_demo_profile_prints_mail_to_the_console(tmp_path):
    assert (
        _setting("dev", "EMAIL_BACKEND", ILONET_DATA_DIR=str(tmp_path))
        == "django.core.mail.backends.console.EmailBackend"
    )


def test_production_reads_smtp_settings_from_the_environment(tmp_path):
    env = {
        "ILONET_SECRET_KEY": "x" * 60,
        "ILONET_ENCRYPTION_KEYS": os.environ["ILONET_ENCRYPTION_KEYS"],
        "ILONET_DATA_DIR": str(tmp_path),
        "ILONET_EMAIL_HOST": "smtp.example.eu",
        "ILONET_EMAIL_PORT": "2525",
        "ILONET_DEFAULT_FROM_EMAIL": "ilonet@example.eu",
        "ILONET_CLAMAV_SOCKET": "/run/clamav/clamd.ctl",
    }
    assert _setting("production", "EMAIL_HOST", **env) == "smtp.example.eu"
    assert _setting("production", "EMAIL_PORT", **env) == "2525"
    assert _setting("production", "DEFAULT_FROM_EMAIL", **env) == "ilonet@example.eu"
