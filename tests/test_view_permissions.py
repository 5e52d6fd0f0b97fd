"""A permission test per page (NetBox-style): anonymous users are sent to the login page, a
user whose roles do not allow the page gets 403, an allowed user gets the page."""

import pytest
from django.urls import reverse

from ilonet.accounts.roles import Role

pytestmark = pytest.mark.django_db

# (url name, kwargs, roles allowed)
PAGES = [
    ("home", {}, "any"),
    ("account_profile", {}, "any"),
    ("directory:organisation_list", {}, "any"),
    ("directory:organisation_detail", {"code": "nl"}, "any"),
    ("accounts:user_list", {}, {Role.PLATFORM_ADMIN}),
    ("accounts:user_create", {}, {Role.PLATFORM_ADMIN}),
    ("accounts:pending_roles", {}, {Role.PLATFORM_ADMIN}),
    ("audit:event_list", {}, {Role.PLATFORM_ADMIN}),
    ("audit:event_export", {}, {Role.PLATFORM_ADMIN}),
]


@pytest.mark.parametrize(("name", "kwargs", "allowed"), PAGES)
def test_anonymous_users_are_sent_to_login(client, name, kwargs, allowed):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs", "allowed"), PAGES)
@pytest.mark.parametrize("role", [Role.ILO, Role.EP_READER, Role.PLATFORM_ADMIN])
def test_each_page_follows_the_policy(make_user, login, name, kwargs, allowed, role):
    client = login(make_user(role))
    response = client.get(reverse(name, kwargs=kwargs))
    expected = 200 if allowed == "any" or role in allowed else 403
    assert response.status_code == expected


def test_a_user_without_roles_sees_only_home_and_account(make_user, login):
    client = login(make_user(None))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account_profile")).status_code == 200
    assert client.get(reverse("directory:organisation_list")).status_code == 403


def test_menu_shows_only_what_the_user_may_open(make_user, login):
    client = login(make_user(Role.ILO))
    labels = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert reverse("directory:organisation_list") in labels
    assert reverse("audit:event_list") not in labels


def test_user_detail_of_someone_else_is_hidden_from_non_admins(make_user, login):
    other = make_user(Role.ILO)
    client = login(make_user(Role.CHAIR, organisation="com"))
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("name", ["about", "privacy", "accessibility"])
def test_information_pages_are_public_and_bilingual(client, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
