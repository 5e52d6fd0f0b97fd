"""Bad input gets a clear error naming the field, changes nothing, and is never a 500: through
the service, the API (422 ``{"errors": [{"field", "message"}]}``) and the page (422)."""

import json

import pytest
from django.core.exceptions import ValidationError

from ilonet.accounts import testing as account_tokens
from ilonet.audit.models import AuditEvent
from ilonet.deployments import selectors, services
from ilonet.deployments.models import Deployment, DeploymentNotification, RegionCountry, Representation

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db

# (case, fields to change from a good deployment, field in error, words of the message); the
# dates in days from the day the test runs (read then, not when the module is collected)
BAD = [
    (
        "end before start",
        {"start": -10, "end": -20},
        "planned_end_date",
        "cannot be before the start",
    ),
    ("unknown country", {"country": "XX"}, "country", "Unknown country code"),
    ("member state", {"country": "FR"}, "country", "France is an EU member state"),
    ("schengen-associated country", {"country": "NO"}, "country", "Schengen-associated"),
    ("member state in the region", {"region": ["DZ", "ES"]}, "region", "Spain is an EU member state"),
    ("unknown country in the region", {"region": ["QQ"]}, "region", "Unknown country code"),
    ("invalid phone", {"phone": "12345"}, "phone", "valid international phone number"),
    ("invalid e-mail", {"email": "not-an-address"}, "email", "valid e-mail address"),
    ("active but starting later", {"start": 10}, "start_date", "cannot be in the future"),
    ("no task summary", {"task_summary": "  "}, "task_summary", "required"),
    ("unknown place", {"place_kind": "embassy"}, "place_kind", "Art. 2(2)"),
    ("represents itself", {"represented": [("nl", "")]}, "represented", "already represents"),
    ("represents a non-member", {"represented": [("no", "")]}, "represented", "not a member state"),
]


def _nothing_written(before_audit: int) -> None:
    assert Deployment.objects.count() == 0
    assert DeploymentNotification.objects.count() == 0
    assert RegionCountry.objects.count() == 0
    assert Representation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="deployment.").exists()
    assert AuditEvent.objects.count() == before_audit


@pytest.mark.parametrize(("case", "change", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_by_the_service_and_changes_nothing(make_user, case, change, field, words):
    actor, person = desk(make_user), officer(make_user)
    before = AuditEvent.objects.count()
    change = {name: days(value) if name in ("start", "end") else value for name, value in change.items()}
    with pytest.raises(ValidationError) as error:
        deploy(actor, person, **change)
    assert field in error.value.message_dict
    assert words in " ".join(error.value.message_dict[field])
    _nothing_written(before)


def test_overlapping_deployments_of_the_same_officer_are_refused(make_user):
    actor, person = desk(make_user), officer(make_user)
    first = deploy(actor, person, start=days(-100), end=days(500))
    with pytest.raises(ValidationError) as error:
        deploy(actor, person, country="TN", status="planned", start=days(400), end=days(900))
    assert "cannot overlap" in error.value.message_dict["start_date"][0]
    assert Deployment.objects.get() == first
    services.update_deployment(actor=actor, deployment=first, city="Casablanca")  # its own period is fine
    with pytest.raises(ValidationError, match="cannot overlap"):
        deploy(actor, person, country="TN", start=days(-200), end=days(-50))
    # Right after the planned end there is room.
    deploy(actor, person, country="TN", status="planned", start=days(501), end=days(900))
    assert Deployment.objects.count() == 2


def test_an_ended_deployment_still_blocks_its_period(make_user):
    actor, person = desk(make_user), officer(make_user)
    old = deploy(actor, person, start=days(-900), end=days(100))
    services.end_deployment(actor=actor, deployment=old, end_date=days(-400))
    with pytest.raises(ValidationError, match="cannot overlap"):
        deploy(actor, person, country="TN", start=days(-500), end=days(300))
    deploy(actor, person, country="TN", start=days(-399), end=days(300))


def test_an_authority_that_does_not_deploy_is_refused(make_user):
    user = make_user("deploying_authority", organisation="ep", scope="ep")
    with pytest.raises(Exception) as error:
        deploy(user, officer(make_user), authority="ep")
    assert error.type.__name__ in ("PermissionDenied", "ValidationError")
    assert Deployment.objects.count() == 0


def test_an_unknown_officer_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        selectors.officer_by_email("nobody@example.eu")
    assert "no officer with an active account" in error.value.message_dict["officer_email"][0]


def test_commission_officers_are_not_deployed_jointly(make_user):
    with pytest.raises(ValidationError, match="Only officers deployed by a member state"):
        deploy(desk(make_user, "com"), officer(make_user, "com"), authority="com", represented=[("be", "")])
    assert Deployment.objects.count() == 0


def _api_body(**overrides):
    body = {
        "deploying_authority": "nl-auth",
        "officer_email": overrides.pop("officer_email"),
        "status": "active",
        "country": "MA",
        "place_kind": "ms_mission",
        "place_name": "Embassy",
        "city": "Rabat",
        "task_summary": "Tasks.",
        "start_date": days(-5).isoformat(),
        "planned_end_date": days(700).isoformat(),
    }
    body.update(overrides)
    return body


API_BAD = [
    ({"country": "FR"}, "country", "member state"),
    ({"country": "XX"}, "country", "Unknown country code"),
    ({"country": "FRA"}, "country", "at most 2"),
    ({"planned_end_date": days(-30).isoformat()}, "planned_end_date", "before the start"),
    ({"phone": "+1 555"}, "phone", "phone number"),
    ({"region": ["MA", "DE"]}, "region", "Germany is an EU member state"),
    ({"place_kind": "consulate"}, "place_kind", ""),
    ({"start_date": "yesterday"}, "start_date", ""),
    ({"officer_email": "ghost@example.eu"}, "officer_email", "no officer with an active account"),
    ({"deploying_authority": "xx-auth"}, "deploying_authority", "Unknown deploying authority"),
    ({"admin": True}, "admin", ""),
]


@pytest.mark.parametrize(
    ("override", "field", "words"), API_BAD, ids=[a[1] + str(i) for i, a in enumerate(API_BAD)]
)
def test_the_api_answers_422_naming_the_field(client, make_user, override, field, words):
    actor, person = desk(make_user), officer(make_user)
    _t, secret = account_tokens.issue_api_token(actor=actor, name="t", scope="write")
    override = dict(override)
    override.setdefault("officer_email", person.email)
    response = client.post(
        "/api/v1/deployments",
        json.dumps(_api_body(**override)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert Deployment.objects.count() == 0


def test_the_page_shows_the_errors_and_keeps_the_input(make_user, login):
    actor, person = desk(make_user), officer(make_user)
    client = login(actor)
    response = client.post(
        "/deployments/new/",
        {
            "deploying_authority": actor.role_assignments.get().organisation_id,
            "officer_email": person.email,
            "status": "active",
            "country": "FR",
            "place_kind": "ms_mission",
            "place_name": "Embassy",
            "city": "Paris",
            "task_summary": "Tasks",
            "start_date": days(-5),
            "planned_end_date": days(-30),
            "phone": "abc",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "France is an EU member state" in body
    assert "The planned end cannot be before the start." in body
    assert "valid international phone number" in body
    assert 'value="Paris"' in body
    assert Deployment.objects.count() == 0
