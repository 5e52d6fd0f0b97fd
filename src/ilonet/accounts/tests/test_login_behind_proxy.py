"""Issue 7: behind reverse proxies (ILONET_PROXY_COUNT), login throttling counts per client,
not per proxy, with the same address the audit trail records; a login refused by the lockout
is audited."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ilonet.audit.models import AuditEvent
from ilonet.shared.clientip import client_ip
from ilonet.shared.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def _attempt(client, email, password, address):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    return settings


def test_failures_from_one_client_do_not_lock_out_another_behind_the_proxy(
    client, make_user, behind_one_proxy
):
    user = make_user("ilo")
    for _ in range(behind_one_proxy.AXES_FAILURE_LIMIT):
        _attempt(client, user.email, "wrong password", "203.0.113.7")
    assert _attempt(client, user.email, TEST_PASSWORD, "203.0.113.7").status_code == 429
    other = _attempt(client, user.email, TEST_PASSWORD, "198.51.100.9")
    assert other.status_code != 429


def test_the_audit_trail_records_the_client_behind_the_proxy(client, make_user, behind_one_proxy):
    user = make_user("ilo")
    _attempt(client, user.email, "wrong password", "203.0.113.7")
    event = AuditEvent.objects.filter(action="auth.login_failed").order_by("-seq").first()
    assert event.ip_address == "203.0.113.7"


def test_a_login_refused_by_the_lockout_is_audited(client, make_user, settings):
    user = make_user("ilo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    before = AuditEvent.objects.filter(action="auth.login_locked_out").count()
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    refused = AuditEvent.objects.filter(action="auth.login_locked_out")
    assert refused.count() == before + 1 and refused.last().actor_label == user.email


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.2.3.4", PROXY),  # no proxy configured: the header is the client's, ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a forged left entry is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", PROXY),  # fewer entries than proxies: not through them
        (1, "not-an-address", PROXY),
    ],
)
def test_the_client_address_counts_proxies_from_the_right(settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
