"""Monitoring: /readyz says what this process can serve and names what failed, revealing nothing
else; /metrics is the Prometheus text format for the holder of ILONET_METRICS_TOKEN only."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from ilonet.accounts.roles import Role
from ilonet.audit.services import record
from ilonet.site import monitoring

pytestmark = pytest.mark.django_db

TOKEN = "m" * 40


@pytest.fixture(autouse=True)
def _fresh_readiness():
    monitoring._ready.update(answer=None, until=0.0)
    yield
    monitoring._ready.update(answer=None, until=0.0)


def test_readyz_answers_200_naming_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "clamav": "absent", "replica": "absent"},
    }
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_readyz_answers_503_naming_the_storage_that_failed(client, monkeypatch):
    def broken():
        raise OSError("disk gone")

    monkeypatch.setattr(monitoring, "get_storage", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"
    assert "disk gone" not in response.content.decode()


def test_readyz_answers_503_when_clamd_does_not_answer(client, settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "no-clamd.sock")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["clamav"] == "failed"
    assert str(tmp_path) not in response.content.decode()


def test_a_replica_down_is_reported_but_keeps_the_process_ready(client, monkeypatch):
    from ilonet.shared import replica

    monkeypatch.setattr(replica, "replica_state", lambda fresh=False: (replica.DOWN, None))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["replica"] == "down, reading from primary"


def test_metrics_do_not_exist_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"ilonet_" not in response.content


def test_metrics_are_not_opened_by_an_administrators_session(settings, make_user, login):
    settings.METRICS_TOKEN = TOKEN
    client = login(make_user(Role.PLATFORM_ADMIN, organisation="com"))
    assert client.get("/metrics").status_code == 401


def test_metrics_count_requests_by_route_name_and_report_queue_and_audit_chain(client, settings, tmp_path):
    settings.METRICS_TOKEN = TOKEN
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    record(action="permission.denied", actor=None)
    call_command("audit_checkpoint")
    record(action="permission.denied", actor=None)
    client.get(reverse("healthz"))
    client.get("/no/such/page/42")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'ilonet_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert 'ilonet_http_requests_total{method="GET",route="unmatched",status="404"}' in text
    assert "/no/such/page" not in text  # routes by name, never a path
    assert 'ilonet_http_request_duration_seconds_bucket{le="0.3",method="GET",route="healthz"}' in text
    assert "ilonet_jobs_queue_depth " in text
    assert "ilonet_jobs_failures " in text
    assert 'ilonet_jobs{state="dead"}' in text
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    head = float(lines["ilonet_audit_chain_head_seq"])
    assert float(lines["ilonet_audit_checkpoint_seq"]) == head - 1
    assert float(lines["ilonet_audit_events_since_checkpoint"]) == 1
    assert 0 <= float(lines["ilonet_audit_checkpoint_age_seconds"]) < 60
    assert lines["ilonet_audit_checkpoint_valid"] == "1.0"
    assert TOKEN not in text


def test_readyz_body_is_json_with_no_address_or_secret(client, settings):
    settings.METRICS_TOKEN = TOKEN
    text = client.get("/readyz").content.decode()
    json.loads(text)
    assert TOKEN not in text and "127.0.0.1" not in text and settings.SECRET_KEY not in text
