"""The API lists read through SQL compiled once per shape (``ilonet.api.prepared``) answer, byte
for byte, what the ORM's queryset of the same call answers: every filter alone and together,
page numbers, cursors, a capped count, errors, English and Dutch; they decline where the SQL
would depend on the caller (a search, "my networks", a scope that is not every row)."""

import re
from functools import partial
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ilonet import policy
from ilonet.api import prepared
from ilonet.deployments.api import _REGISTRY
from ilonet.deployments.models import Deployment
from ilonet.networks import kept
from ilonet.networks.api import _NETWORKS
from ilonet.shared import paging

pytestmark = pytest.mark.django_db

REGISTRY = [
    "",
    "?status=active",
    "?status=planned&page_size=3",
    "?country=MA",
    "?country=ma",
    "?authority=nl",
    "?authority=NL&status=active",
    "?place_kind=ms_mission",
    "?joint=true",
    "?joint=false&status=active",
    "?continent=AF",
    "?continent=AS&country=TR",
    "?covers=DZ",
    "?covers=dz&joint=false&continent=AF&status=active&place_kind=ms_mission&authority=be",
    "?page=2&page_size=5",
    "?page=3&page_size=4&status=active",
    "?page=999&page_size=5",
    "?page_size=500",
    "?status=nonsense",
    "?cursor=bm90LWpzb24",
    "?country=ZZ",
]
NETWORKS = [
    "",
    "?kind=regional",
    "?kind=local&page_size=2",
    "?country=MA",
    "?country=ma&kind=local",
    "?page=2&page_size=3",
    "?kind=nonsense",
    "?cursor=bm90LWpzb24",
]


@pytest.fixture
def demo():
    from ilonet.accounts import demo as accounts_demo
    from ilonet.deployments import demo as deployments_demo
    from ilonet.directory import demo as directory_demo
    from ilonet.networks import demo as networks_demo

    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()


def _client(local: str, language: str = "en") -> Client:
    from ilonet.accounts.demo import DEMO_DOMAIN
    from ilonet.accounts.models import User
    from ilonet.accounts.testing import record_second_factor

    user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    return client


class _Spy:
    """Counts the pages read through prepared SQL; ``off`` sends every call to the ORM."""

    def __init__(self, monkeypatch):
        self.prepared = 0
        self.off = False
        bind = prepared.PreparedList.bind
        spy = self

        def spied(self, **kwargs):
            if spy.off:
                return None
            bound = bind(self, **kwargs)
            spy.prepared += bound is not None
            return bound

        monkeypatch.setattr(prepared.PreparedList, "bind", spied)

    def both(self, client, url):
        self.off = False
        fast = client.get(url)
        self.off = True
        slow = client.get(url)
        self.off = False
        return fast, slow


def _cursors(client, base: str) -> list[str]:
    """The cursors of the first pages of a list, read through the ORM."""
    found = []
    url = f"{base}?page_size=4"
    for _ in range(3):
        body = client.get(url).json()
        if not body["next"]:
            break
        found.append(f"{base}?page_size=4&cursor={body['next']}")
        url = found[-1]
    return found


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_prepared_lists_answer_what_their_querysets_answer(demo, monkeypatch, language):
    spy = _Spy(monkeypatch)
    client = _client("secretariat", language)
    spy.off = True
    cursors = _cursors(client, "/api/v1/deployments") + _cursors(client, "/api/v1/networks")
    spy.off = False
    assert len(cursors) >= 3
    urls = [f"/api/v1/deployments{q}" for q in REGISTRY] + [f"/api/v1/networks{q}" for q in NETWORKS]
    urls += cursors + [c.replace("page_size=4", "page_size=4&status=active") for c in cursors[:1]]
    nonempty = 0
    declined = []
    for url in urls:
        before = spy.prepared
        fast, slow = spy.both(client, url)
        if spy.prepared == before:
            declined.append(url)
        assert fast.status_code == slow.status_code, url
        assert fast.content == slow.content, url
        nonempty += fast.status_code == 200 and bool(fast.json()["items"])
    assert nonempty >= len(urls) // 2
    # every call read prepared SQL but those refused before the list is read
    assert declined == ["/api/v1/deployments?status=nonsense", "/api/v1/networks?kind=nonsense"]


def test_a_capped_count_is_the_querysets(demo, monkeypatch):
    spy = _Spy(monkeypatch)
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    client = _client("secretariat")
    for url in ("/api/v1/deployments", "/api/v1/deployments?status=active", "/api/v1/networks?page_size=2"):
        fast, slow = spy.both(client, url)
        assert fast.content == slow.content, url
        assert fast.json()["count_is_estimate"] is True, url
    assert spy.prepared == 3


def test_the_prepared_list_sends_the_querysets_queries_and_compiles_once_per_shape(demo, monkeypatch):
    spy = _Spy(monkeypatch)
    client = _client("secretariat")
    for url in ("/api/v1/deployments?country=MA&status=active", "/api/v1/networks?kind=local"):
        client.get(url)  # compiled
        spy.off = True
        kept.forget()  # each request computes the networks' summaries (``networks.kept``)
        with CaptureQueriesContext(connection) as orm:
            client.get(url)
        spy.off = False
        kept.forget()
        with CaptureQueriesContext(connection) as fast:
            client.get(url.replace("MA", "TN").replace("local", "regional"))
        assert len(fast.captured_queries) == len(orm.captured_queries), url
    shapes = dict(_REGISTRY._shapes)
    client.get("/api/v1/deployments?country=DZ&status=planned")
    assert _REGISTRY._shapes == shapes  # same shape: nothing compiled again


def test_a_search_or_the_callers_own_networks_go_through_the_orm(demo, monkeypatch):
    spy = _Spy(monkeypatch)
    client = _client("ilo")
    for url in (
        "/api/v1/deployments?search=rabat",
        "/api/v1/networks?search=ma",
        "/api/v1/networks?mine=true",
    ):
        fast, slow = spy.both(client, url)
        assert fast.content == slow.content, url
    assert spy.prepared == 0


def test_a_scope_that_depends_on_the_user_is_never_prepared(demo, monkeypatch):
    """SQL compiled for one user would be wrong for another: a list whose scope is not every
    row (as the policy registers it) is read through the ORM."""
    from ilonet.accounts.demo import DEMO_DOMAIN
    from ilonet.accounts.models import User
    from ilonet.policy import registry

    user = User.objects.get(email=f"secretariat@{DEMO_DOMAIN}")
    reader = _client("secretariat")
    scoped = dict(registry._scopes)
    scoped[(Deployment, policy.Action.VIEW_DEPLOYMENTS)] = lambda user, qs: qs.filter(status="active")
    monkeypatch.setattr(registry, "_scopes", scoped)
    assert _REGISTRY.bind(user=user) is None
    body = reader.get("/api/v1/deployments?page_size=500").json()
    assert body["items"] and {item["status"] for item in body["items"]} == {"active"}
    assert _NETWORKS.bind(user=user) is not None  # the networks' scope is still every row


# --- the contact list's page (Art. 9(2)(d)), read through the same prepared SQL ---------------

CONTACT_PAGES = ["", "?country=MA", "?covers=DZ", "?continent=AF", "?continent=AS&country=TR", "?country=ZZ"]
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|<meta name="csrf-token" content=")[^"]*')


def _html(response) -> str:
    return _TOKEN.sub(r"\1…", response.content.decode())


def _page_links(html: str) -> list[str]:
    return sorted({unescape(link) for link in re.findall(r'href="(\?[^"]*(?:after|before)=[^"]*)"', html)})


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_contact_list_page_read_through_prepared_sql_is_the_querysets(demo, monkeypatch, language):
    """The same HTML (CSRF tokens aside) for every filter the page's form gives, on first pages
    and on the pages after and before a cursor, and the same audit record of each read."""
    from ilonet.audit.actions import AuditAction
    from ilonet.audit.models import AuditEvent
    from ilonet.deployments import views

    spy = _Spy(monkeypatch)
    monkeypatch.setattr(views, "keyset_paginate", partial(paging.keyset_paginate, per_page=4))
    client = _client("secretariat", language)
    urls = [f"/deployments/contacts/{q}" for q in CONTACT_PAGES]
    spy.off = True
    seen = 0
    while seen < len(urls) and len(urls) < 16:  # the cursors' pages, as the ORM links them
        urls += [f"/deployments/contacts/{link}" for link in _page_links(_html(client.get(urls[seen])))]
        urls = list(dict.fromkeys(urls))
        seen += 1
    assert any("before=" in url for url in urls) and any("after=" in url for url in urls)
    nonempty = 0
    for url in urls:
        before = spy.prepared
        events = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).count()
        fast, slow = spy.both(client, url)
        assert spy.prepared == before + 1, url  # the first read was prepared, the second not
        assert fast.status_code == slow.status_code == 200, url
        assert _html(fast) == _html(slow), url
        nonempty += "mailto:" in _html(fast)
        reads = list(AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).order_by("-seq")[:2])
        assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_READ).count() == events + 2
        assert reads[0].details == reads[1].details and reads[0].actor_id == reads[1].actor_id, url
    assert nonempty >= len(urls) // 2


def test_the_contact_list_page_with_a_search_or_a_reader_dependent_scope_goes_through_the_orm(
    demo, monkeypatch
):
    from ilonet.accounts.demo import DEMO_DOMAIN
    from ilonet.accounts.models import User
    from ilonet.deployments.views import _CONTACTS
    from ilonet.policy import registry

    spy = _Spy(monkeypatch)
    client = _client("secretariat")
    fast, slow = spy.both(client, "/deployments/contacts/?search=rabat")
    assert _html(fast) == _html(slow)
    assert spy.prepared == 0
    user = User.objects.get(email=f"secretariat@{DEMO_DOMAIN}")
    assert _CONTACTS.bind(user=user) is not None
    scoped = dict(registry._scopes)
    scoped[(Deployment, policy.Action.VIEW_CONTACT_LIST)] = lambda user, qs: qs.filter(status="active")
    monkeypatch.setattr(registry, "_scopes", scoped)
    assert _CONTACTS.bind(user=user) is None


# --- the registry's page (Art. 4(2)), read through the API list's prepared SQL -----------------

REGISTRY_PAGES = [
    "",
    "?status=active",
    "?country=MA",
    "?authority=nl",
    "?place_kind=ms_mission",
    "?joint=yes",
    "?joint=no&status=active",
    "?continent=AF",
    "?continent=AS&country=TR",
    "?covers=DZ",
    "?country=ZZ",
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_registry_page_read_through_prepared_sql_is_the_querysets(demo, monkeypatch, language):
    """The same HTML (CSRF tokens aside) for the filters of the page's form, on first pages and on
    the pages after and before a cursor, in English and Dutch; a search goes through the ORM."""
    from ilonet.deployments import views

    spy = _Spy(monkeypatch)
    monkeypatch.setattr(views, "keyset_paginate", partial(paging.keyset_paginate, per_page=4))
    client = _client("secretariat", language)
    urls = ["/deployments/", "/deployments/?status=active"]
    spy.off = True
    seen = 0
    while seen < len(urls) and len(urls) < 8:  # the cursors' pages, as the ORM links them
        urls += [f"/deployments/{link}" for link in _page_links(_html(client.get(urls[seen])))]
        urls = list(dict.fromkeys(urls))
        seen += 1
    urls += [f"/deployments/{q}" for q in REGISTRY_PAGES[2:]]
    assert any("before=" in url for url in urls) and any("after=" in url for url in urls)
    nonempty = 0
    for url in urls:
        before = spy.prepared
        fast, slow = spy.both(client, url)
        assert spy.prepared == before + 1, url  # the first read was prepared, the second not
        assert fast.status_code == slow.status_code == 200, url
        assert _html(fast) == _html(slow), url
        nonempty += "ilonet-status--" in _html(fast)
    assert nonempty >= len(urls) // 2
    before = spy.prepared
    fast, slow = spy.both(client, "/deployments/?search=rabat")
    assert _html(fast) == _html(slow)
    assert spy.prepared == before


NETWORK_PAGES = [
    "",
    "?kind=regional",
    "?kind=local",
    "?country=MA",
    "?country=ma&kind=local",
    "?page=2",
    "?page=99",
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_networks_page_read_through_prepared_sql_is_the_querysets(demo, monkeypatch, language):
    """The networks' page (numbered pages, ``paging.PreparedPages``): the same HTML as the
    queryset's for the form's filters and page numbers, in English and Dutch; a search and "my
    networks" go through the ORM."""
    from ilonet.networks import views

    spy = _Spy(monkeypatch)
    monkeypatch.setattr(views, "paginate", partial(paging.paginate, per_page=2))
    client = _client("secretariat", language)
    nonempty = 0
    for url in [f"/networks/{q}" for q in NETWORK_PAGES]:
        before = spy.prepared
        fast, slow = spy.both(client, url)
        assert spy.prepared == before + 1, url
        assert fast.status_code == slow.status_code == 200, url
        assert _html(fast) == _html(slow), url
        nonempty += "/networks/" in _html(fast).split("<tbody", 1)[-1]
    assert nonempty >= len(NETWORK_PAGES) // 2
    ilo = _client("ilo", language)
    for url in ("/networks/?search=ma", "/networks/?mine=on"):
        before = spy.prepared
        fast, slow = spy.both(ilo, url)
        assert _html(fast) == _html(slow), url
        assert spy.prepared == before, url
