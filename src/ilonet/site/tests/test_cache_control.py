"""Issue 7: no cache keeps an answer that holds personal data or a secret (Cache-Control:
private, no-store), checked on each named route; static files keep their caching."""

import json
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.networks import services as network_services

pytestmark = pytest.mark.django_db


def _just_authenticated(client, user):
    """As after a password entry: allauth's pages of secrets need a recent authentication."""
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session.save()
    return client


def _no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


@pytest.fixture
def secretariat(make_user):
    directory_demo.ensure_authorities()
    user = make_user(Role.SECRETARIAT, organisation="com")
    deploy(desk(make_user), officer(make_user), country="SN")
    network_services.create_network(actor=user, name="Senegal", kind="local", countries=["SN"])
    return user


def test_every_personal_data_page_and_export_is_no_store(secretariat, login):
    officer_list = network_services.update_officer_list(actor=secretariat, title="List 1")
    RecoveryCodes.activate(secretariat)
    client = _just_authenticated(login(secretariat), secretariat)
    urls = [
        reverse("deployments:contact_list"),
        reverse("deployments:contact_export"),
        reverse("board:member_list"),
        reverse("board:member_export"),
        reverse("networks:officer_list_list"),
        reverse("networks:officer_list_detail", args=[officer_list.pk]),
        reverse("networks:officer_list_csv", args=[officer_list.pk]),
        reverse("networks:officer_list_pdf", args=[officer_list.pk]),
        reverse("account_profile"),
        reverse("mfa_index"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    # allauth asks for a fresh reauthentication first; both answers are no-store.
    assert _no_store(client.get(reverse("mfa_view_recovery_codes")))


def test_the_page_showing_a_new_api_token_is_no_store(secretariat, login):
    response = login(secretariat).post(reverse("account_profile"), {"name": "x", "scope": "read", "days": 5})
    assert "ilo_" in response.content.decode() and _no_store(response)


def test_api_answers_are_no_store(secretariat, login):
    client = login(secretariat)  # tokens are issued from a session with a fresh second factor
    created = client.post(
        "/api/v1/accounts/tokens", json.dumps({"name": "n", "scope": "read", "days": 3}),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and _no_store(created)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {created.json()['secret']}"}
    assert _no_store(client.get("/api/v1/deployments/contacts", **headers))


def test_the_totp_set_up_page_is_no_store(make_user, login):
    user = make_user(Role.ILO, mfa=False)
    response = _just_authenticated(login(user), user).get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 and "secret" in response.content.decode().lower()
    assert _no_store(response)


def test_static_files_keep_their_caching(client):
    response = client.get("/static/ilonet/css/ilonet.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
