"""The deployments API: the same rules as the pages, one error shape, paginated lists with a
constant number of queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.deployments.models import Deployment

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


def _auth(user, scope="write"):
    _t, secret = account_tokens.issue_api_token(actor=user, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_deploying_authority_notifies_changes_starts_and_ends_through_the_api(client, make_user):
    actor, person = desk(make_user), officer(make_user, first_name="Api", last_name="Officer")
    headers = _auth(actor)
    body = {
        "deploying_authority": "nl-auth",
        "officer_email": person.email,
        "country": "JO",
        "place_kind": "ms_mission",
        "place_name": "Embassy in Amman",
        "city": "Amman",
        "task_summary": "Document fraud.",
        "start_date": days(-3).isoformat(),
        "planned_end_date": days(900).isoformat(),
        "region": ["LB", "IQ"],
        "phone": "+962 7 9012 3456",
        "represented": [{"member_state": "be", "tasks": "Visa fraud"}],
    }
    created = _post(client, "/api/v1/deployments", body, headers)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["status"] == "planned" and item["region"] == ["IQ", "JO", "LB"]
    assert (
        item["represented"] == [{"member_state": "be", "tasks": "Visa fraud"}]
        and item["officer"] == "Api Officer"
    )
    pk = item["id"]
    changed = client.patch(
        f"/api/v1/deployments/{pk}", json.dumps({"city": "Aqaba"}), content_type="application/json", **headers
    )
    assert changed.status_code == 200 and changed.json()["city"] == "Aqaba" and changed.json()["version"] == 2
    assert _post(client, f"/api/v1/deployments/{pk}/start", {}, headers).json()["status"] == "active"
    ended = _post(client, f"/api/v1/deployments/{pk}/end", {"end_date": days(0).isoformat()}, headers)
    assert ended.json()["status"] == "ended"
    history = client.get(f"/api/v1/deployments/{pk}/notifications", **headers).json()
    assert [n["kind"] for n in history["items"]] == ["ended", "started", "changed", "planned"]
    assert history["items"][2]["changes"] == {"city": ["Amman", "Aqaba"]}


def test_a_read_only_token_cannot_notify(client, make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person)
    headers = _auth(actor, scope="read")
    assert client.get("/api/v1/deployments", **headers).status_code == 200
    response = _post(client, f"/api/v1/deployments/{deployment.pk}/end", {}, headers)
    assert response.status_code == 403
    assert Deployment.objects.get().status == "active"


def test_another_authority_cannot_change_the_deployment(client, make_user):
    deployment = deploy(desk(make_user), officer(make_user))
    headers = _auth(desk(make_user, "de-auth"))
    response = client.patch(
        f"/api/v1/deployments/{deployment.pk}",
        json.dumps({"city": "X"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403
    assert Deployment.objects.get().city == "Capital"


def test_a_transition_that_is_not_allowed_is_422(client, make_user):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user))
    response = _post(client, f"/api/v1/deployments/{deployment.pk}/start", {}, _auth(actor))
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "__all__", "message": "Only a planned deployment can start."}]
    }


def test_unknown_fields_are_rejected_in_changes(client, make_user):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user))
    response = client.patch(
        f"/api/v1/deployments/{deployment.pk}",
        json.dumps({"officer_email": "x@y.eu"}),
        content_type="application/json",
        **_auth(actor),
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "officer_email"


def test_lists_filter_search_and_paginate(client, make_user):
    actor = desk(make_user)
    for n in range(55):
        deploy(actor, officer(make_user, last_name=f"Officer{n:02d}"), country="MA" if n % 2 else "TN")
    headers = _auth(make_user(Role.ILO))
    page1 = client.get("/api/v1/deployments", **headers).json()
    assert page1["count"] == 55 and len(page1["items"]) == 50
    assert len(client.get("/api/v1/deployments?page=2", **headers).json()["items"]) == 5
    assert client.get("/api/v1/deployments?country=TN", **headers).json()["count"] == 28
    assert client.get("/api/v1/deployments?search=Officer07", **headers).json()["count"] == 1
    assert client.get("/api/v1/deployments?status=planned", **headers).json()["count"] == 0
    assert client.get("/api/v1/deployments?continent=AS", **headers).json()["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deployments",
        "/api/v1/deployments/notifications",
        "/api/v1/deployments/joint",
        "/api/v1/deployments/contacts",
        "/api/v1/deployments/gaps",
        "/api/v1/deployments/priority-countries",
    ],
)
def test_api_lists_have_a_constant_number_of_queries(client, make_user, url, django_assert_max_num_queries):
    actor = desk(make_user)
    headers = _auth(make_user(Role.SECRETARIAT))
    deploy(actor, officer(make_user), region=["DZ"], represented=[("be", "")])
    with CaptureQueriesContext(connection) as few_rows:
        assert client.get(url, **headers).status_code == 200
    for _n in range(25):
        deploy(
            actor, officer(make_user), country="TN", region=["DZ", "LY"], represented=[("be", ""), ("lu", "")]
        )
    with django_assert_max_num_queries(len(few_rows)):
        assert client.get(url, **headers).status_code == 200
    assert len(few_rows) <= 12


@pytest.mark.parametrize("role", [Role.EP_READER, Role.OBSERVER, Role.RETURN_OFFICER, Role.PLATFORM_ADMIN])
def test_roles_without_access_to_personal_data_cannot_read_the_registry(client, make_user, role):
    deploy(desk(make_user), officer(make_user))
    headers = _auth(make_user(role))
    for url in ("/api/v1/deployments", "/api/v1/deployments/notifications", "/api/v1/deployments/joint"):
        assert client.get(url, **headers).status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/deployments", "/api/v1/networks", "/api/v1/deployments/contacts"])
def test_an_absurd_page_number_is_a_clear_422_not_a_500(client, make_user, url):
    headers = _auth(make_user(Role.SECRETARIAT))
    response = client.get(f"{url}?page=17084498710718584832&page_size=2000", **headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"page", "page_size"}


def test_the_cursor_walks_the_whole_registry_once_in_order(client, make_user, monkeypatch):
    from ilonet.shared import paging

    actor = desk(make_user)
    for n in range(23):
        deploy(actor, officer(make_user), start=days(-400 + n // 3))  # ties on the start date
    headers = _auth(make_user(Role.ILO))
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    seen, url = [], "/api/v1/deployments?page_size=4"
    while url:
        body = client.get(url, **headers).json()
        assert body["count"] == 10 and body["count_is_estimate"] is True
        seen += [item["id"] for item in body["items"]]
        url = body["next"] and f"/api/v1/deployments?page_size=4&cursor={body['next']}"
    expected = list(Deployment.objects.order_by("-start_date", "-id").values_list("id", flat=True))
    assert seen == expected
    beyond = client.get("/api/v1/deployments?page_size=5&page=3", **headers)
    assert beyond.status_code == 422 and beyond.json()["errors"][0]["field"] == "page"
    bad = client.get("/api/v1/deployments?cursor=bm90LWpzb24", **headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


def test_a_page_beyond_the_end_is_empty(client, make_user):
    deploy(desk(make_user), officer(make_user))
    body = client.get("/api/v1/deployments?page=99", **_auth(make_user(Role.ILO))).json()
    assert body == {"items": [], "count": 1, "count_is_estimate": False, "next": None}


def test_the_registry_list_answers_what_ninjas_validation_of_its_rows_gives(client, make_user):
    """The list is written by ilonet.api.plain, not validated row by row by django-ninja: each
    item is what the response schema makes of the same row (joint, region, ended, planned)."""
    from ninja.responses import NinjaJSONEncoder

    from ilonet.deployments import selectors
    from ilonet.deployments.api import DeploymentOut

    actor = desk(make_user)
    deploy(actor, officer(make_user), represented=[("be", "Visa fraud"), ("lu", "")], region=["DZ", "TN"])
    deploy(
        actor, officer(make_user, first_name="", last_name=""), country="JO", status="planned", start=days(9)
    )
    ended = deploy(actor, officer(make_user), country="TN", start=days(-400), end=days(-20))
    Deployment.objects.filter(pk=ended.pk).update(status="ended", end_date=days(-20))
    reader = make_user(Role.SECRETARIAT)
    items = client.get("/api/v1/deployments", **_auth(reader)).json()["items"]
    rows = list(selectors.for_list(selectors.deployment_list(user=reader)))
    selectors.attach_list_extras(rows)
    expected = {
        row["id"]: json.loads(
            json.dumps(DeploymentOut.model_validate(row).model_dump(), cls=NinjaJSONEncoder)
        )
        for row in rows
    }
    assert len(items) == 3 and {item["id"]: item for item in items} == expected
    assert any(item["represented"] for item in items) and any(item["end_date"] for item in items)
