import json
from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def admin_token(admin_user):
    _token, secret = account_tokens.issue_api_token(actor=admin_user, name="t", scope="write")
    return secret


def test_openapi_document_is_generated(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/directory/organisations" in doc["paths"]
    assert "/api/v1/accounts/tokens" in doc["paths"]


def test_docs_page_is_served_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content


def test_requests_without_credentials_get_401(client):
    response = client.get("/api/v1/directory/organisations")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_authenticates_and_lists_the_directory(client, make_user):
    user = make_user("ilo")
    _t, secret = account_tokens.issue_api_token(actor=user, name="script")
    response = client.get("/api/v1/directory/organisations?kind=member_state", **_bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 27
    denmark = next(o for o in body["items"] if o["code"] == "dk")
    assert denmark["takes_part_in_ilo_regulation"] is False


def test_only_a_digest_of_the_token_is_stored(make_user):
    user = make_user("ilo")
    token, secret = account_tokens.issue_api_token(actor=user, name="script")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.hint, stored.name)
    assert stored.digest == ApiToken.digest_of(secret)


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown", "inactive_user"])
def test_unusable_tokens_are_refused(client, make_user, state):
    user = make_user("ilo")
    token, secret = account_tokens.issue_api_token(actor=user, name="script")
    if state == "revoked":
        account_tokens.revoke_api_token(actor=user, token=token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "unknown":
        secret = ApiToken.new_secret()
    else:
        user.is_active = False
        user.save()
    response = client.get("/api/v1/accounts/me", **_bearer(secret))
    assert response.status_code == 401


def test_permission_denied_is_403_with_a_detail(client, make_user):
    user = make_user("ilo")
    _t, secret = account_tokens.issue_api_token(actor=user, name="script")
    response = client.get("/api/v1/accounts/users", **_bearer(secret))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_validation_errors_name_the_field(login, admin_user):
    # Tokens are issued from a browser session with a fresh second factor (never with a token).
    client = login(admin_user)
    body = json.dumps({"name": "", "scope": "everything", "days": 0})
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "scope", "days"} <= fields


def test_unknown_fields_are_rejected(login, admin_user):
    client = login(admin_user)
    body = json.dumps({"name": "x", "admin": True})
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "admin"


def test_domain_rule_errors_use_the_same_shape(login, admin_user, settings):
    # Tokens are issued from a browser session with a fresh second factor (never with a token).
    client = login(admin_user)
    body = json.dumps({"name": "x", "days": settings.API_TOKEN_MAX_DAYS + 1})
    response = client.post("/api/v1/accounts/tokens", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "days"


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "", "null"])
def test_malformed_bodies_get_a_clear_error_not_a_500(login, admin_user, raw):
    client = login(admin_user)
    response = client.post("/api/v1/accounts/tokens", raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()


def test_unknown_object_is_404_json(client, admin_token):
    response = client.get("/api/v1/directory/organisations/no-such-org", **_bearer(admin_token))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_session_auth_needs_a_second_factor_and_csrf(client, make_user):
    user = make_user("ilo", mfa=False)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/api/v1/accounts/me").status_code == 403  # no second factor yet
    user2 = make_user("ilo")
    client.force_login(user2, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/api/v1/accounts/me").json()["email"] == user2.email
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user2, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = csrf_client.post(
        "/api/v1/accounts/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_token_use_is_recorded_at_most_once_a_minute(client, make_user):
    user = make_user("ilo")
    token, secret = account_tokens.issue_api_token(actor=user, name="script")
    client.get("/api/v1/accounts/me", **_bearer(secret))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/accounts/me", **_bearer(secret))
    assert first is not None and ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_organisation_list_uses_a_constant_number_of_queries(
    client, admin_token, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/directory/organisations?page=2", **_bearer(admin_token))
    assert response.status_code == 200 and len(response.json()["items"]) == 50


def test_audit_events_are_cursor_paginated_for_admins(client, admin_token):
    response = client.get("/api/v1/audit/events", **_bearer(admin_token))
    assert response.status_code == 200
    body = response.json()
    assert "results" in body and "next" in body
    assert body["results"][0]["action"] == "api_token.issued"
