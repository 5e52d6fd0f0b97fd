"""Plausible deployment dates (issue 8, Art. 4(1)): an actual start years before the notified
plan, a plan decades away, a start before the network existed were accepted. Impossible dates
are refused with the reason; unusual but possible ones are accepted once confirmed: a checkbox
on the page, ``confirm_unusual_dates: true`` in the API. Service, pages and API share the rule."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ilonet.accounts import testing as account_tokens
from ilonet.deployments import services
from ilonet.deployments.models import Deployment, DeploymentStatus
from ilonet.directory.models import Organisation
from ilonet.shared.dates import CONFIRM_FIELD

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def _plan(make_user, start=None, end=None):
    actor, person = desk(make_user), officer(make_user)
    return actor, deploy(actor, person, status="planned", start=start or days(200), end=end or days(1400))


# (case, start, planned end, status, field, words): refused whatever the confirmation.
REFUSED = [
    ("before the network existed", "2003-05-01", "2006-05-01", "active", "start_date", "377/2004"),
    ("a plan decades away", 365 * 30, 365 * 33, "planned", "start_date", "ten years ahead"),
    ("a deployment of decades", -30, 365 * 40, "active", "planned_end_date", "fifteen years"),
]


@pytest.mark.parametrize(
    ("case", "start", "end", "status", "field", "words"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_impossible_dates_are_refused_even_when_confirmed(make_user, case, start, end, status, field, words):
    start = date.fromisoformat(start) if isinstance(start, str) else days(start)
    end = date.fromisoformat(end) if isinstance(end, str) else days(end)
    actor, person = desk(make_user), officer(make_user)
    errors = _errors(
        lambda: deploy(actor, person, status=status, start=start, end=end, confirm_unusual_dates=True)
    )
    assert words in errors[field][0]
    assert CONFIRM_FIELD not in errors
    assert not Deployment.objects.exists()


# (case, start, planned end, status, field, words): accepted once confirmed.
UNUSUAL = [
    (
        "before Regulation (EU) 2019/1240",
        "2018-03-01",
        "2022-03-01",
        "active",
        "start_date",
        "14 August 2019",
    ),
    ("a plan years ahead", 365 * 3, 365 * 6, "planned", "start_date", "more than two years ahead"),
    ("a long deployment", -30, 365 * 8, "active", "planned_end_date", "more than six years"),
]


@pytest.mark.parametrize(
    ("case", "start", "end", "status", "field", "words"), UNUSUAL, ids=[u[0] for u in UNUSUAL]
)
def test_unusual_dates_are_accepted_once_confirmed(make_user, case, start, end, status, field, words):
    start = date.fromisoformat(start) if isinstance(start, str) else days(start)
    end = date.fromisoformat(end) if isinstance(end, str) else days(end)
    actor, person = desk(make_user), officer(make_user)
    errors = _errors(lambda: deploy(actor, person, status=status, start=start, end=end))
    assert words in errors[field][0]
    assert "Confirm them if they are right" in errors[CONFIRM_FIELD][0]
    assert not Deployment.objects.exists()
    deployment = deploy(actor, person, status=status, start=start, end=end, confirm_unusual_dates=True)
    assert deployment.start_date == start


def test_an_actual_start_years_before_the_notified_plan_is_refused(make_user):
    """The reported case: a plan for next year started, on the form, three years ago."""
    actor, plan = _plan(make_user)
    errors = _errors(lambda: services.start_deployment(actor=actor, deployment=plan, start_date=days(-900)))
    assert "more than a year before the planned start notified" in errors["start_date"][0]
    plan.refresh_from_db()
    assert plan.status == DeploymentStatus.PLANNED


def test_an_actual_start_weeks_before_the_plan_is_confirmed_one_within_a_month_is_not(make_user):
    actor, plan = _plan(make_user, start=days(-10))
    errors = _errors(lambda: services.start_deployment(actor=actor, deployment=plan, start_date=days(-70)))
    assert "60 days before the planned start notified" in errors["start_date"][0]
    assert CONFIRM_FIELD in errors
    started = services.start_deployment(
        actor=actor, deployment=plan, start_date=days(-70), confirm_unusual_dates=True
    )
    assert started.status == DeploymentStatus.ACTIVE and started.start_date == days(-70)
    _actor, other = _plan(make_user, start=days(-5))
    assert services.start_deployment(actor=actor, deployment=other, start_date=days(-30)).status == "active"


def test_a_change_is_asked_about_the_dates_it_changes_only(make_user):
    actor, person = desk(make_user), officer(make_user)
    long = deploy(actor, person, start=days(-30), end=days(365 * 8), confirm_unusual_dates=True)
    services.update_deployment(actor=actor, deployment=long, city="Casablanca")  # dates unchanged
    errors = _errors(
        lambda: services.update_deployment(actor=actor, deployment=long, planned_end_date=days(365 * 9))
    )
    assert "more than six years" in errors["planned_end_date"][0]
    services.update_deployment(
        actor=actor, deployment=long, planned_end_date=days(365 * 9), confirm_unusual_dates=True
    )


def _form(person, **overrides):
    return {
        "deploying_authority": Organisation.objects.get(code="nl-auth").pk,
        "officer_email": person.email,
        "status": "planned",
        "country": "MA",
        "place_kind": "ms_mission",
        "place_name": "Embassy",
        "city": "Rabat",
        "task_summary": "Tasks.",
        "start_date": days(365 * 3).isoformat(),
        "planned_end_date": days(365 * 6).isoformat(),
        **overrides,
    }


def test_the_page_asks_to_confirm_with_the_reason_in_both_languages(make_user, login):
    actor, person = desk(make_user), officer(make_user)
    client = login(actor)
    page = client.get(reverse("deployments:deployment_create")).content.decode()
    assert 'type="hidden" name="confirm_unusual_dates"' in page  # no checkbox before it is needed
    response = client.post(reverse("deployments:deployment_create"), _form(person))
    page = response.content.decode()
    assert response.status_code == 422 and "more than two years ahead" in page
    assert 'type="checkbox" name="confirm_unusual_dates"' in page
    with translation.override("nl"):
        response = client.post(
            reverse("deployments:deployment_create"), _form(person), HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert response.status_code == 422 and "meer dan twee jaar vooruit" in response.content.decode()
    assert not Deployment.objects.exists()
    response = client.post(
        reverse("deployments:deployment_create"), _form(person, confirm_unusual_dates="on")
    )
    assert response.status_code == 302 and Deployment.objects.count() == 1


def test_the_api_refuses_until_the_unusual_dates_are_confirmed(client, make_user):
    actor, person = desk(make_user), officer(make_user)
    _t, secret = account_tokens.issue_api_token(actor=actor, name="t", scope="write")
    body = {
        "deploying_authority": "nl-auth",
        "officer_email": person.email,
        "status": "planned",
        "country": "MA",
        "place_kind": "ms_mission",
        "place_name": "Embassy",
        "city": "Rabat",
        "task_summary": "Tasks.",
        "start_date": days(365 * 3).isoformat(),
        "planned_end_date": days(365 * 6).isoformat(),
    }

    def post(url, data):
        return client.post(
            url, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    response = post("/api/v1/deployments", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"start_date", CONFIRM_FIELD}
    response = post("/api/v1/deployments", {**body, "confirm_unusual_dates": True})
    assert response.status_code == 201
    pk = response.json()["id"]
    response = post(f"/api/v1/deployments/{pk}/start", {"start_date": days(-900).isoformat()})
    assert (
        response.status_code == 422
        and "not the start of this plan" in response.json()["errors"][0]["message"]
    )
