"""The networks API and pages: the policy per page and role, error shapes, and constant query
counts on every list."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import kept, services
from ilonet.networks.models import FacilitatorAgreement, Network

pytestmark = pytest.mark.django_db

PERSONAL = {
    Role.ILO,
    Role.FACILITATOR,
    Role.BOARD_MEMBER,
    Role.BOARD_ALTERNATE,
    Role.NON_VOTING_MEMBER,
    Role.CHAIR,
    Role.SECRETARIAT,
    Role.DEPLOYING_AUTHORITY,
}
BOARD_OFFICE = {Role.CHAIR, Role.SECRETARIAT}
PAGES = {
    "/networks/": PERSONAL,
    "/networks/{pk}/": PERSONAL,
    "/networks/{pk}/activities/": PERSONAL,
    "/networks/activities/": PERSONAL,
    "/networks/facilitator-notifications/": PERSONAL,
    "/networks/officer-lists/": PERSONAL,
    "/networks/new/": BOARD_OFFICE,
    "/networks/{pk}/edit/": BOARD_OFFICE,
    "/networks/{pk}/activities/new/": BOARD_OFFICE,  # the test user is not deployed in Morocco
}


def _auth(user, scope="write"):
    _t, secret = account_tokens.issue_api_token(actor=user, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def network(make_user):
    return services.create_network(
        actor=make_user(Role.SECRETARIAT), name="Morocco", kind="local", countries=["MA"]
    )


@pytest.mark.parametrize("role", list(Role))
def test_each_network_page_follows_the_policy_for_every_role(make_user, login, network, role):
    client = login(make_user(role))
    for url, allowed in PAGES.items():
        assert client.get(url.format(pk=network.pk)).status_code == (200 if role in allowed else 403), (
            url,
            role,
        )


def test_a_member_opens_the_activity_form_of_their_network(make_user, login, network):
    person = officer(make_user)
    deploy(desk(make_user), person, country="MA")
    assert login(person).get(f"/networks/{network.pk}/activities/new/").status_code == 200


def test_networks_are_created_changed_and_read_through_the_api(client, make_user):
    headers = _auth(make_user(Role.SECRETARIAT))
    created = client.post(
        "/api/v1/networks",
        json.dumps({"name": "Maghreb", "kind": "regional", "countries": ["MA", "DZ"]}),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["countries"] == ["DZ", "MA"] and body["facilitator"]["basis"] == "none"
    pk = body["id"]
    deploy(
        desk(make_user, "frontex"),
        officer(make_user, "frontex", first_name="Fx", last_name="Officer"),
        authority="frontex",
        country="DZ",
        place_kind="eu_delegation",
    )
    detail = client.get(f"/api/v1/networks/{pk}", **headers).json()
    assert detail["member_count"] == 1 and detail["members"][0]["name"] == "Fx Officer"
    assert (
        detail["facilitator"]["name"] == "Fx Officer"
        and "second sentence" in detail["facilitator"]["explanation"]
    )
    changed = client.patch(
        f"/api/v1/networks/{pk}",
        json.dumps({"countries": ["MA", "TN"]}),
        content_type="application/json",
        **headers,
    )
    assert changed.json()["member_count"] == 0
    notes = client.get(f"/api/v1/networks/facilitator-notifications?network={pk}", **headers).json()
    assert [n["kind"] for n in notes["items"]] == ["none", "appointed", "none"]


def test_the_api_refuses_a_non_member_facilitator_with_422(client, make_user, network):
    member, outsider = officer(make_user), officer(make_user)
    deploy(desk(make_user), member, country="MA")
    deploy(desk(make_user), outsider, country="TN")
    response = client.post(
        f"/api/v1/networks/{network.pk}/agreements",
        json.dumps({"officer_id": outsider.pk}),
        content_type="application/json",
        **_auth(member),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "officer"
    assert "not a member of this network" in response.json()["errors"][0]["message"]
    assert FacilitatorAgreement.objects.count() == 0
    ok = client.post(
        f"/api/v1/networks/{network.pk}/agreements",
        json.dumps({"officer_id": member.pk}),
        content_type="application/json",
        **_auth(member),
    )
    assert ok.status_code == 201 and ok.json()["facilitator"]["basis"] == "agreement"


def test_activities_and_associates_through_the_api(client, make_user, network):
    member = officer(make_user)
    deploy(desk(make_user), member, country="MA")
    headers = _auth(member)
    associate = client.post(
        f"/api/v1/networks/{network.pk}/associates",
        json.dumps({"name": "UK officer", "deploying_country": "GB"}),
        content_type="application/json",
        **headers,
    )
    assert associate.status_code == 201
    bad = client.post(
        f"/api/v1/networks/{network.pk}/associates",
        json.dumps({"name": "X", "deploying_country": "FR"}),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "deploying_country"
    activity = client.post(
        f"/api/v1/networks/{network.pk}/activities",
        json.dumps(
            {
                "kind": "meeting",
                "title": "Meeting",
                "date": days(-1).isoformat(),
                "summary": "Minutes",
                "participant_ids": [member.pk],
                "associate_ids": [associate.json()["id"]],
                "topics": ["c"],
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert activity.status_code == 201, activity.content
    assert len(activity.json()["participants"]) == 2
    listed = client.get("/api/v1/networks/activities?kind=meeting", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["network"] == "Morocco"
    unknown = client.post(
        f"/api/v1/networks/{network.pk}/activities",
        json.dumps({"kind": "party", "title": "x", "date": "2025-01-01", "extra": 1}),
        content_type="application/json",
        **headers,
    )
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} >= {"kind", "extra"}


def test_the_officer_list_through_the_api(client, make_user, network):
    deploy(desk(make_user), officer(make_user, first_name="Listed", last_name="Officer"), country="MA")
    chair = make_user(Role.CHAIR, organisation="com")
    created = client.post(
        "/api/v1/networks/officer-lists",
        json.dumps({"title": "List"}),
        content_type="application/json",
        **_auth(chair),
    )
    assert created.status_code == 201 and created.json()["officer_count"] == 1
    reader = _auth(make_user(Role.ILO))
    entries = client.get(f"/api/v1/networks/officer-lists/{created.json()['id']}/entries", **reader).json()
    assert entries["items"][0]["officer_name"] == "Listed Officer"
    forbidden = client.post(
        "/api/v1/networks/officer-lists",
        json.dumps({"title": "List"}),
        content_type="application/json",
        **reader,
    )
    assert forbidden.status_code == 403


LISTS = [
    "/networks/",
    "/networks/activities/",
    "/networks/facilitator-notifications/",
    "/networks/officer-lists/",
    "/api/v1/networks",
    "/api/v1/networks/activities",
    "/api/v1/networks/facilitator-notifications",
    "/api/v1/networks/officer-lists",
]


@pytest.mark.parametrize("url", LISTS)
def test_network_lists_have_a_constant_number_of_queries(
    client, make_user, url, django_assert_max_num_queries
):
    secretariat = make_user(Role.SECRETARIAT)
    headers = _auth(secretariat) if url.startswith("/api/") else {}
    if not headers:
        client.force_login(secretariat, backend="allauth.account.auth_backends.AuthenticationBackend")

    def grow(n):
        actor = desk(make_user)
        for i in range(n):
            code = ("MA", "TN", "DZ", "EG", "LY")[i % 5]
            network = services.create_network(
                actor=secretariat,
                name=f"Network {Network.objects.count()}",
                kind="regional",
                countries=[code, "SN"],
            )
            person = officer(make_user)
            deploy(actor, person, country=code)
            services.record_activity(
                actor=secretariat,
                network=network,
                kind="exchange",
                title="x",
                date=days(-1),
                topics=["a", "b"],
            )
        services.update_officer_list(actor=secretariat, title="List")

    # Each request computes every summary afresh (none kept by the process: ``kept``), the
    # most it can cost.
    grow(1)
    kept.forget()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, **headers).status_code == 200
    grow(20)
    kept.forget()
    with django_assert_max_num_queries(len(few)):
        assert client.get(url, **headers).status_code == 200
    assert len(few) <= 12


def test_the_network_list_shows_members_and_facilitator(make_user, login, network):
    deploy(
        desk(make_user, "com"),
        officer(make_user, "com", first_name="Com", last_name="Officer"),
        authority="com",
        country="MA",
        place_kind="eu_delegation",
    )
    body = login(make_user(Role.ILO)).get("/networks/?search=moroc").content.decode()
    assert "Com Officer" in body and "Commission-deployed officer" in body
    assert Network.objects.count() == 1


def test_the_network_list_answers_what_ninjas_validation_of_its_rows_gives(client, make_user, network):
    """The list is written by ilonet.api.plain, not validated row by row by django-ninja: each
    item is what the response schema makes of the same network (members, an agreement, none)."""
    from ninja.responses import NinjaJSONEncoder

    from ilonet.networks import selectors
    from ilonet.networks.api import NetworkOut, _prepare_networks

    member = officer(make_user)
    deploy(desk(make_user), member, country="MA")
    services.create_network(actor=make_user(Role.SECRETARIAT), name="Empty", kind="local", countries=["JO"])
    client.post(
        f"/api/v1/networks/{network.pk}/agreements",
        json.dumps({"officer_id": member.pk}),
        content_type="application/json",
        **_auth(member),
    )
    reader = make_user(Role.SECRETARIAT)
    for language in ("en", "nl"):
        items = client.get("/api/v1/networks", HTTP_ACCEPT_LANGUAGE=language, **_auth(reader)).json()["items"]
        with translation.override(language):
            networks = list(selectors.network_list(user=reader).prefetch_related(None))
            _prepare_networks(networks)
            expected = [
                json.loads(json.dumps(NetworkOut.model_validate(n).model_dump(), cls=NinjaJSONEncoder))
                for n in networks
            ]
        assert items == expected and {i["facilitator"]["basis"] for i in items} == {"agreement", "none"}
