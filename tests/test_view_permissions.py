"""A permission test per page (NetBox-style): anonymous users are sent to the login page, a
user whose roles do not allow the page gets 403 (with one audited denial), an allowed user gets
the page. The refusals are checked for every named page of the site, found by walking the URL
configuration: a new page is covered the day it is written."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.policy.markers import EVERY_SIGNED_IN_USER, MACHINE, PUBLIC, page_access

pytestmark = pytest.mark.django_db

# Every app's pages ask the policy before any lookup (board was the last); a namespace listed here
# would be skipped.
NAMESPACES_NOT_YET_CHECKED: tuple[str, ...] = ()

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


def test_user_detail_of_someone_else_is_refused_to_non_admins(make_user, login):
    other = make_user(Role.ILO)
    client = login(make_user(Role.CHAIR, organisation="com"))
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 403


@pytest.mark.parametrize("name", ["about", "privacy", "accessibility"])
def test_information_pages_are_public_and_bilingual(client, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


# --- every page of the site ----------------------------------------------------------------------


def _named_pages(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_pages(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.callback


def _site_pages() -> list[tuple[str, str, object]]:
    """Every named page of ILOnet's own apps (not the API, nor allauth's or Django's pages),
    with every path parameter set to 1: the policy is asked before any lookup."""
    return [
        (name, "/" + re.sub(r"<[^>]*>", "1", route), view)
        for name, route, view in _named_pages(get_resolver().url_patterns)
        if getattr(view, "__module__", "").startswith("ilonet.")
        and not route.startswith("api/")
        and not name.startswith(NAMESPACES_NOT_YET_CHECKED)
    ]


SITE_PAGES = _site_pages()
PAGES_NEEDING_A_ROLE = [page for page in SITE_PAGES if page_access(page[2]) is None]


def _open(client, url: str):
    """GET the page; a page that only takes a form (POST) is asked with an empty form."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def _denials() -> int:
    return AuditEvent.objects.filter(action="permission.denied").count()


def test_the_discovery_finds_the_pages_of_every_app():
    namespaces = {name.split(":")[0] for name, _url, _view in PAGES_NEEDING_A_ROLE}
    assert {"accounts", "audit", "deployments", "directory", "networks"} <= namespaces
    open_pages = {name for name, _url, view in SITE_PAGES if page_access(view) == EVERY_SIGNED_IN_USER}
    assert open_pages == {"home", "account_profile", "account_email", "accounts:token_revoke"}


@pytest.mark.parametrize(("name", "url", "view"), SITE_PAGES, ids=[page[0] for page in SITE_PAGES])
def test_every_page_sends_anonymous_users_to_login_unless_public(client, name, url, view):
    response = _open(client, url)
    if page_access(view) == PUBLIC:
        assert response.status_code == 200
    elif page_access(view) == MACHINE:  # a bearer token from a setting, never a session
        assert response.status_code in (401, 404)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "url", "view"), PAGES_NEEDING_A_ROLE, ids=[p[0] for p in PAGES_NEEDING_A_ROLE]
)
def test_every_page_needing_a_role_refuses_a_user_without_roles_once_audited(
    make_user, login, name, url, view
):
    user = make_user(None)
    client = login(user)
    before = _denials()
    response = _open(client, url)
    assert response.status_code == 403, f"{name}: {response.status_code}"
    assert _denials() - before == 1
    assert AuditEvent.objects.filter(action="permission.denied").latest("seq").actor_id == user.pk
