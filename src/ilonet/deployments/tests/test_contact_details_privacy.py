"""Issue 7: officers' contact details (Art. 9(2)(d)) are read only through the contact-list rule
(Art. 9(3) readers, active deployments, every read audited), and never kept in the audit trail;
a deploying authority registers only officers of its own member state (Art. 4(1))."""

import json

import pytest

from ilonet.accounts import testing as account_tokens
from ilonet.audit.models import AuditEvent
from ilonet.deployments import services

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db

PHONE = "+221771234567"
MAIL = "n.visser@post.example.eu"


def _auth(user, scope="write"):
    _t, secret = account_tokens.issue_api_token(actor=user, name="t", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def ended(make_user):
    actor = desk(make_user)
    person = officer(make_user, first_name="Noor", last_name="Visser", email="noor.account@example.eu")
    deployment = deploy(actor, person, country="SN", phone=PHONE, email=MAIL, start=days(-300), end=days(10))
    services.update_deployment(actor=actor, deployment=deployment, phone="+221771234568")
    services.end_deployment(actor=actor, deployment=deployment, end_date=days(-1))
    return deployment


def _leaks(text: str) -> bool:
    return any(value in text for value in (PHONE, "+221771234568", "77 123", MAIL, "noor.account@"))


def test_notification_api_answers_hold_no_contact_details(client, make_user, ended):
    headers = _auth(desk(make_user))
    for url in ("/api/v1/deployments/notifications", f"/api/v1/deployments/{ended.pk}/notifications"):
        answer = client.get(url, **headers)
        assert answer.status_code == 200
        assert not _leaks(answer.content.decode()), url


def test_the_page_of_an_ended_deployment_shows_no_contact_details(make_user, login, ended):
    answer = login(desk(make_user)).get(f"/deployments/{ended.pk}/")
    assert answer.status_code == 200
    assert not _leaks(answer.content.decode())


def test_the_page_of_an_active_deployment_shows_contact_details_and_audits_the_read(make_user, login):
    actor = desk(make_user)
    active = deploy(actor, officer(make_user), country="SN", phone=PHONE, email=MAIL)
    reader = make_user("ilo")
    before = AuditEvent.objects.filter(action="personal_data.read", actor=reader).count()
    answer = login(reader).get(f"/deployments/{active.pk}/")
    assert MAIL in answer.content.decode()
    events = AuditEvent.objects.filter(action="personal_data.read", actor=reader)
    assert events.count() == before + 1
    assert events.last().details["list"] == "ilo_contacts"


def test_audit_details_of_deployments_hold_references_not_personal_data(ended):
    events = AuditEvent.objects.filter(action__startswith="deployment.", object_id=str(ended.pk))
    assert events.count() == 3
    for event in events:
        text = json.dumps(event.details)
        assert not _leaks(text) and "Noor" not in text and "Visser" not in text, event.action
    changed = events.get(action="deployment.changed")
    assert changed.details["changes"]["fields"] == ["phone"]
    assert changed.details["changes"]["officer_id"] == ended.officer_id


def _register(client, actor, email):
    body = {
        "deploying_authority": "nl-auth",
        "officer_email": email,
        "country": "MA",
        "place_kind": "ms_mission",
        "place_name": "Embassy",
        "city": "Rabat",
        "task_summary": "Liaison.",
        "start_date": days(30).isoformat(),
        "planned_end_date": days(400).isoformat(),
    }
    return client.post(
        "/api/v1/deployments", json.dumps(body), content_type="application/json", **_auth(actor)
    )


def test_an_authority_cannot_register_an_officer_of_another_member_state(client, make_user):
    foreign = officer(make_user, authority="be-auth")
    answer = _register(client, desk(make_user), foreign.email)
    assert answer.status_code == 422
    assert not foreign.deployments.exists()


def test_an_authority_registers_an_officer_of_its_own_member_state(client, make_user):
    own = make_user("ilo", organisation="nl")
    assert _register(client, desk(make_user), own.email).status_code == 201


def test_unknown_and_foreign_addresses_get_the_same_message(client, make_user):
    actor = desk(make_user)
    foreign = officer(make_user, authority="be-auth")
    unknown = _register(client, actor, "nobody-here@example.eu").json()
    refused = _register(client, actor, foreign.email).json()
    assert unknown == refused
