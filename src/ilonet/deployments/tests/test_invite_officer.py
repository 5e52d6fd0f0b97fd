"""Getting in (issue 8): a deploying authority notifying the deployment of an officer who has no
account yet invites them from the same form (Art. 4(1)). The account, its invitation and the
deployment are made in one transaction; an authority invites only its own officers."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from ilonet.accounts.models import Invitation, InvitationStatus, User
from ilonet.audit.models import AuditEvent
from ilonet.deployments import services
from ilonet.deployments.models import Deployment
from ilonet.directory.models import Organisation

from .helpers import days, desk

pytestmark = pytest.mark.django_db

NEW_OFFICER = "noor.elamrani@minbuza.example.nl"


def _form(actor, **changes) -> dict:
    values = {
        "deploying_authority": actor.role_assignments.get().organisation_id,
        "officer_email": NEW_OFFICER,
        "invite_officer": "on",
        "officer_first_name": "Noor",
        "officer_last_name": "El Amrani",
        "status": "planned",
        "country": "SN",
        "place_kind": "ms_mission",
        "place_name": "Embassy of the Netherlands in Dakar",
        "city": "Dakar",
        "task_summary": "Document fraud; return cooperation.",
        "start_date": days(30),
        "planned_end_date": days(760),
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_the_form_invites_an_officer_without_an_account(make_user, login, django_capture_on_commit_callbacks):
    actor = desk(make_user)
    client = login(actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deployments:deployment_create"), _form(actor))
    assert response.status_code == 302
    officer = User.objects.get(email=NEW_OFFICER)
    deployment = Deployment.objects.get()
    assert deployment.officer == officer and officer.organisation.code == "nl-auth"
    assert not officer.has_usable_password()
    assert Invitation.objects.get(user=officer).invited_by == actor
    message = mail.outbox[-1]
    assert message.to == [NEW_OFFICER] and "Noor El Amrani" in message.body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"account.invitation_sent", "deployment.planned"} <= actions
    # The officer follows the link and sets a password.
    secret = re.search(r"/accounts/invitation/([A-Za-z0-9_-]+)/", message.body).group(1)
    invitee = Client()
    invitee.get(reverse("accounts:invitation_open", args=[secret]))
    password = "a long and unusual passphrase 7"
    invitee.post(
        reverse("accounts:invitation_accept"), {"new_password1": password, "new_password2": password}
    )
    officer.refresh_from_db()
    assert officer.check_password(password)
    assert Invitation.objects.get(user=officer).status() == InvitationStatus.ACCEPTED


def test_an_invalid_notification_invites_nobody(make_user, login, django_capture_on_commit_callbacks):
    actor = desk(make_user)
    client = login(actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deployments:deployment_create"), _form(actor, country="FR"))
    assert response.status_code == 422
    assert not User.objects.filter(email=NEW_OFFICER).exists()
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_needs_the_officers_name(make_user, login):
    actor = desk(make_user)
    response = login(actor).post(
        reverse("deployments:deployment_create"), _form(actor, officer_first_name=None, officer_last_name="")
    )
    assert response.status_code == 422
    assert "Give the officer" in response.content.decode()
    assert not User.objects.filter(email=NEW_OFFICER).exists()


def test_an_address_that_has_an_account_is_not_invited_again(make_user, login):
    actor = desk(make_user)
    existing = make_user("ilo", organisation="nl-auth")
    response = login(actor).post(
        reverse("deployments:deployment_create"), _form(actor, officer_email=existing.email)
    )
    assert response.status_code == 422
    assert not Deployment.objects.exists() and not Invitation.objects.exists()


def test_an_authority_cannot_invite_another_member_states_officer(make_user):
    actor = desk(make_user)  # the Netherlands
    with pytest.raises(PermissionDenied):
        services.notify_deployment_of_new_officer(
            actor=actor,
            deploying_authority=Organisation.objects.get(code="de-auth"),
            officer_email="officer@example.de",
            officer_first_name="A",
            officer_last_name="B",
            country="SN",
            place_kind="ms_mission",
            place_name="Embassy",
            city="Dakar",
            task_summary="Tasks.",
            start_date=days(30),
            planned_end_date=days(400),
        )
    assert not User.objects.filter(email="officer@example.de").exists()
    assert AuditEvent.objects.filter(action="permission.denied", actor_id=actor.pk).count() == 1
