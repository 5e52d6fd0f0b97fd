"""The deployment registry: notifications to the steering board (Art. 4(1), Art. 4(2)), the place of
deployment (Art. 2(2)), the region of responsibility, contact details and the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.audit.models import AuditEvent
from ilonet.deployments import selectors, services
from ilonet.deployments.models import Deployment, DeploymentNotification
from ilonet.directory.models import Organisation

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


def test_a_plan_is_notified_to_the_board_with_tasks_and_duration_and_audited(make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person, status="planned", start=days(60), end=days(60 + 1460))
    notification = DeploymentNotification.objects.get(deployment=deployment)
    assert (notification.kind, notification.version, deployment.version) == ("planned", 1, 1)
    assert notification.data["task_summary"].startswith("Liaison with border police")
    assert notification.data["start_date"] == days(60).isoformat()
    assert notification.data["planned_end_date"] == days(1520).isoformat()
    assert notification.notified_by == actor
    event = AuditEvent.objects.get(action="deployment.planned")
    assert event.actor_id == actor.pk and event.object_id == str(deployment.pk)


def test_an_actual_deployment_is_notified_when_the_plan_starts(make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person, status="planned", start=days(-1))
    services.start_deployment(actor=actor, deployment=deployment)
    deployment.refresh_from_db()
    assert deployment.status == "active"
    kinds = list(deployment.notifications.order_by("version").values_list("kind", flat=True))
    assert kinds == ["planned", "started"]
    assert AuditEvent.objects.filter(action="deployment.started").count() == 1


def test_editing_a_deployment_keeps_its_history(make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person, task_summary="First tasks.")
    services.update_deployment(actor=actor, deployment=deployment, task_summary="Second tasks.")
    services.update_deployment(
        actor=actor, deployment=deployment, task_summary="Third tasks.", city="Casablanca"
    )
    versions = list(deployment.notifications.order_by("version"))
    assert [n.version for n in versions] == [1, 2, 3]
    assert [n.data["task_summary"] for n in versions] == ["First tasks.", "Second tasks.", "Third tasks."]
    assert versions[1].changes == {"task_summary": ["First tasks.", "Second tasks."]}
    assert versions[2].changes["city"] == ["Capital", "Casablanca"]
    assert Deployment.objects.get(pk=deployment.pk).task_summary == "Third tasks."


def test_an_edit_that_changes_nothing_notifies_nothing(make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person)
    services.update_deployment(actor=actor, deployment=deployment, task_summary=deployment.task_summary)
    assert deployment.notifications.count() == 1


def test_the_end_of_a_deployment_is_notified(make_user):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person, start=days(-300))
    services.end_deployment(actor=actor, deployment=deployment, end_date=days(-1))
    deployment.refresh_from_db()
    assert (deployment.status, deployment.end_date) == ("ended", days(-1))
    assert deployment.notifications.order_by("-version").first().kind == "ended"


def test_a_cancelled_plan_is_notified_and_frees_the_officer(make_user):
    actor, person = desk(make_user), officer(make_user)
    plan = deploy(actor, person, status="planned", start=days(30), end=days(400))
    services.cancel_deployment(actor=actor, deployment=plan)
    assert Deployment.objects.get(pk=plan.pk).status == "cancelled"
    assert plan.notifications.order_by("-version").first().kind == "cancelled"
    deploy(actor, person, status="planned", start=days(30), end=days(400))  # no overlap with a cancelled plan


@pytest.mark.parametrize(
    ("status", "call", "message"),
    [
        ("active", "start", "Only a planned deployment can start"),
        ("planned", "end", "Only an active deployment can end"),
        ("active", "cancel", "Only a planned deployment can be cancelled"),
    ],
)
def test_status_transitions_are_checked(make_user, status, call, message):
    actor, person = desk(make_user), officer(make_user)
    deployment = deploy(actor, person, status=status, start=days(-10) if status == "active" else days(10))
    function = {
        "start": services.start_deployment,
        "end": services.end_deployment,
        "cancel": services.cancel_deployment,
    }[call]
    with pytest.raises(ValidationError, match=message):
        function(actor=actor, deployment=deployment)
    assert Deployment.objects.get(pk=deployment.pk).status == status
    assert deployment.notifications.count() == 1


def test_the_region_of_responsibility_always_includes_the_country_of_deployment(make_user):
    deployment = deploy(desk(make_user), officer(make_user), country="SN", region=["gm", "ML", "GM"])
    assert sorted(deployment.region.values_list("country", flat=True)) == ["GM", "ML", "SN"]


def test_phone_numbers_are_stored_in_e164(make_user):
    deployment = deploy(desk(make_user), officer(make_user), phone="+212 5 37-12 34 56")
    assert deployment.phone == "+212537123456"


@pytest.mark.parametrize("kind", ["ms_mission", "tc_authority", "international_org", "eu_delegation"])
def test_every_place_of_deployment_of_article_2_2_is_accepted(make_user, kind):
    deployment = deploy(desk(make_user), officer(make_user), place_kind=kind)
    assert deployment.get_place_kind_display()


def test_a_deploying_authority_notifies_only_its_own_deployments(make_user):
    nl_desk, de_desk = desk(make_user, "nl-auth"), desk(make_user, "de-auth")
    deployment = deploy(nl_desk, officer(make_user))
    with pytest.raises(PermissionDenied):
        deploy(de_desk, officer(make_user), authority="nl-auth")
    with pytest.raises(PermissionDenied):
        services.update_deployment(actor=de_desk, deployment=deployment, city="Elsewhere")
    with pytest.raises(PermissionDenied):
        services.end_deployment(actor=de_desk, deployment=deployment)
    assert Deployment.objects.count() == 1
    assert Deployment.objects.get().city == "Capital"
    assert AuditEvent.objects.filter(action="permission.denied", actor_id=de_desk.pk).count() == 3


def test_a_member_state_desk_acts_for_the_authorities_of_its_state(make_user):
    user = make_user("deploying_authority", organisation="nl-auth", scope="nl")
    assert list(selectors.authorities_for(user=user).values_list("code", flat=True)) == ["nl-auth"]
    deploy(user, officer(make_user))


def test_officer_and_authority_cannot_be_changed(make_user):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user))
    with pytest.raises(ValidationError) as error:
        services.update_deployment(
            actor=actor,
            deployment=deployment,
            officer=officer(make_user),
            deploying_authority=Organisation.objects.get(code="com"),
        )
    assert set(error.value.message_dict) == {"officer", "deploying_authority"}
    assert deployment.notifications.count() == 1


def test_the_commission_and_the_agencies_are_deploying_authorities(make_user):
    for code in ("com", "frontex", "europol", "euaa"):
        deployment = deploy(
            desk(make_user, code), officer(make_user, code), authority=code, place_kind="eu_delegation"
        )
        assert deployment.deploying_authority.code == code


def test_notifications_are_available_on_the_platform(make_user, login):
    actor = desk(make_user)
    deploy(actor, officer(make_user, first_name="Amal", last_name="Benali"), status="planned", start=days(20))
    reader = make_user("board_member", scope="nl")
    body = login(reader).get("/deployments/notifications/").content.decode()
    assert "Amal Benali" in body and "Plan of deployment" in body
