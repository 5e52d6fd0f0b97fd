"""The deployment pages: a permission test per page and role, the forms, and constant query
counts on every list page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilonet.accounts.roles import Role
from ilonet.deployments.models import Deployment

from .helpers import days, deploy, desk, officer

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
GAPS = PERSONAL | {Role.RETURN_COORDINATOR}
# page -> roles that get it (everyone else: 403)
PAGES = {
    "/deployments/": PERSONAL,
    "/deployments/{pk}/": PERSONAL,
    "/deployments/notifications/": PERSONAL,
    "/deployments/joint/": PERSONAL,
    "/deployments/joint/export.csv": PERSONAL,
    "/deployments/contacts/": PERSONAL,
    "/deployments/gaps/": GAPS,
    "/deployments/priorities/": GAPS,
    "/deployments/new/": {Role.DEPLOYING_AUTHORITY},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_deployment_page_follows_the_policy_for_every_role(make_user, login, role):
    deployment = deploy(desk(make_user), officer(make_user))
    client = login(
        make_user(role, organisation="nl-auth", scope="nl-auth" if role == Role.DEPLOYING_AUTHORITY else None)
    )
    for url, allowed in PAGES.items():
        response = client.get(url.format(pk=deployment.pk))
        assert response.status_code == (200 if role in allowed else 403), (url, role)


def test_another_authority_cannot_open_the_edit_page(make_user, login):
    deployment = deploy(desk(make_user), officer(make_user))
    client = login(desk(make_user, "de-auth"))
    assert client.get(f"/deployments/{deployment.pk}/edit/").status_code == 403
    assert client.post(f"/deployments/{deployment.pk}/end/", {"end_date": days(0)}).status_code == 403
    assert Deployment.objects.get().status == "active"


def test_a_deployment_is_notified_through_the_form(make_user, login):
    actor, person = desk(make_user), officer(make_user)
    client = login(actor)
    response = client.post(
        "/deployments/new/",
        {
            "deploying_authority": actor.role_assignments.get().organisation_id,
            "officer_email": person.email,
            "status": "planned",
            "country": "PK",
            "place_kind": "ms_mission",
            "place_name": "Embassy in Islamabad",
            "city": "Islamabad",
            "task_summary": "Return cooperation.",
            "start_date": days(30),
            "planned_end_date": days(1200),
            "region": ["AF"],
            "phone": "+92 51 2345678",
            "represented": ["be"],
            "representation_tasks": "Return cases of Belgium",
        },
    )
    deployment = Deployment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/deployments/{deployment.pk}/"
    assert sorted(deployment.region.values_list("country", flat=True)) == ["AF", "PK"]
    assert deployment.representations.get().tasks == "Return cases of Belgium"
    detail = client.get(response["Location"]).content.decode()
    assert "Plan of deployment" in detail and "Notify the actual deployment" in detail


def test_the_edit_start_end_forms_notify_and_show_history(make_user, login):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user), status="planned", start=days(-2), end=days(500))
    client = login(actor)
    form = client.get(f"/deployments/{deployment.pk}/edit/").content.decode()
    assert 'value="Capital"' in form
    data = {
        "country": "MA",
        "place_kind": "tc_authority",
        "place_name": "Border police",
        "city": "Tangier",
        "task_summary": "New tasks",
        "start_date": days(-2),
        "planned_end_date": days(500),
        "phone": "+212537123456",
    }
    assert client.post(f"/deployments/{deployment.pk}/edit/", data).status_code == 302
    started = days(-1)  # read once: a test run across midnight must not compare two days' "yesterday"
    assert client.post(f"/deployments/{deployment.pk}/start/", {"start_date": started}).status_code == 302
    bad_end = client.post(f"/deployments/{deployment.pk}/end/", {"end_date": days(-30)})
    assert bad_end.status_code == 422 and "cannot be before the start" in bad_end.content.decode()
    assert client.post(f"/deployments/{deployment.pk}/end/", {"end_date": days(0)}).status_code == 302
    deployment.refresh_from_db()
    assert (deployment.status, deployment.city, deployment.start_date) == ("ended", "Tangier", started)
    history = client.get(f"/deployments/{deployment.pk}/").content.decode()
    for label in ("Plan of deployment", "Change of deployment", "Actual deployment", "End of deployment"):
        assert label in history
    assert "Capital" in history and "Tangier" in history  # the change is shown old → new


def test_a_plan_is_cancelled_through_the_page(make_user, login):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user), status="planned", start=days(20))
    assert login(actor).post(f"/deployments/{deployment.pk}/cancel/").status_code == 302
    assert Deployment.objects.get().status == "cancelled"


def test_the_registry_page_filters_and_searches(make_user, login):
    actor = desk(make_user)
    deploy(actor, officer(make_user, last_name="Morocco"), country="MA")
    deploy(actor, officer(make_user, last_name="Tunisia"), country="TN", represented=[("be", "")])
    client = login(make_user(Role.ILO))
    assert "Tunisia" not in client.get("/deployments/?country=MA").content.decode().split("<table")[1]
    body = client.get("/deployments/?joint=yes").content.decode().split("<table")[1]
    assert "Tunisia" in body and "Morocco" not in body
    assert "Morocco" in client.get("/deployments/?search=morocco").content.decode().split("<table")[1]
    partial = client.get("/deployments/?search=tunisia", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Tunisia" in partial


LIST_PAGES = [
    "/deployments/",
    "/deployments/notifications/",
    "/deployments/joint/",
    "/deployments/contacts/",
    "/deployments/gaps/",
    "/deployments/priorities/",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_have_a_constant_number_of_queries(make_user, login, url, django_assert_max_num_queries):
    actor = desk(make_user)
    client = login(make_user(Role.SECRETARIAT))
    deploy(actor, officer(make_user), region=["DZ"], represented=[("be", "")])
    with CaptureQueriesContext(connection) as few_rows:
        assert client.get(url).status_code == 200
    for _n in range(30):
        deploy(
            actor, officer(make_user), country="TN", region=["DZ", "LY"], represented=[("be", ""), ("lu", "")]
        )
    with django_assert_max_num_queries(len(few_rows)):
        assert client.get(url).status_code == 200
    assert len(few_rows) <= 14
