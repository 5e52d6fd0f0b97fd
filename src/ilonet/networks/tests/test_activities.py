"""Network activities (Art. 5(1)), each linked to its network."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.deployments import services as deployment_services
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import selectors, services
from ilonet.networks.models import NetworkActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_user):
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    actor = desk(make_user)
    member = officer(make_user, first_name="Mem", last_name="Ber")
    deploy(actor, member, country="MA", start=days(-200))
    colleague = officer(make_user, first_name="Col", last_name="League")
    deploy(actor, colleague, country="MA", start=days(-20))
    outsider = officer(make_user, first_name="Out", last_name="Sider")
    deploy(actor, outsider, country="TN")
    associate = services.add_associate(
        actor=secretariat, network=network, name="UK officer", deploying_country="GB"
    )
    return {
        "network": network,
        "member": member,
        "colleague": colleague,
        "outsider": outsider,
        "associate": associate,
        "secretariat": secretariat,
        "desk": actor,
    }


def test_a_meeting_is_recorded_with_date_participants_and_minutes(setting):
    s = setting
    activity = services.record_activity(
        actor=s["member"],
        network=s["network"],
        kind="meeting",
        title="Monthly meeting",
        date=days(-5),
        summary="Minutes: routes shifted to the Atlantic.",
        participant_ids=[s["member"].pk, s["colleague"].pk],
        associate_ids=[s["associate"].pk],
    )
    assert activity.network == s["network"] and activity.article == "Art. 5(1)(a)"
    assert sorted(str(p) for p in activity.participants.all()) == [
        "Col League",
        "Mem Ber",
        "UK officer (United Kingdom)",
    ]
    assert (
        AuditEvent.objects.filter(action="record.created", object_type="networks.networkactivity").count()
        == 1
    )


def test_participants_must_have_been_members_on_the_day(setting):
    s = setting
    with pytest.raises(ValidationError) as error:
        services.record_activity(
            actor=s["member"],
            network=s["network"],
            kind="meeting",
            title="Meeting",
            date=days(-5),
            participant_ids=[s["outsider"].pk],
        )
    assert "deployed in the network's countries on that day" in error.value.message_dict["participant_ids"][0]
    with pytest.raises(ValidationError):  # the colleague only arrived 20 days ago
        services.record_activity(
            actor=s["member"],
            network=s["network"],
            kind="meeting",
            title="Meeting",
            date=days(-100),
            participant_ids=[s["colleague"].pk],
        )
    assert NetworkActivity.objects.count() == 0


def test_a_former_member_stays_a_participant_of_past_meetings(setting):
    s = setting
    deployment = s["member"].deployments.get()
    services.record_activity(
        actor=s["member"],
        network=s["network"],
        kind="meeting",
        title="Meeting",
        date=days(-50),
        participant_ids=[s["member"].pk],
    )
    deployment_services.end_deployment(actor=s["desk"], deployment=deployment, end_date=days(-10))
    activity = services.record_activity(
        actor=s["colleague"],
        network=s["network"],
        kind="meeting",
        title="Late entry",
        date=days(-15),
        participant_ids=[s["member"].pk],
    )
    assert activity.participants.get().officer == s["member"]


def test_a_shared_position_towards_carriers_names_the_carriers(setting):
    s = setting
    with pytest.raises(ValidationError, match="carriers"):
        services.record_activity(
            actor=s["member"],
            network=s["network"],
            kind="carrier_position",
            title="Boarding checks",
            date=days(-1),
        )
    activity = services.record_activity(
        actor=s["member"],
        network=s["network"],
        kind="carrier_position",
        title="Boarding checks",
        date=days(-1),
        carriers="Royal Air Maroc",
    )
    assert activity.article == "Art. 5(1)(d)"


def test_trainings_sessions_and_risk_analyses_are_recorded_with_topics(setting):
    s = setting
    for kind, topics in (
        ("training", ["f"]),
        ("information_session", ["f", "k"]),
        ("strategic_product", ["b", "c", "d"]),
    ):
        services.record_activity(
            actor=s["secretariat"], network=s["network"], kind=kind, title=kind, date=days(-2), topics=topics
        )
    user = s["member"]
    assert selectors.activity_list(user=user, topic="d").get().kind == "strategic_product"
    assert selectors.activity_list(user=user, kind="training").count() == 1
    assert selectors.activity_list(user=user, network=s["network"].pk).count() == 3
    assert selectors.activity_list(user=user, search="information").count() == 1
    with pytest.raises(ValidationError, match="Art. 3\\(4\\)"):
        services.record_activity(
            actor=user, network=s["network"], kind="training", title="x", date=days(0), topics=["z"]
        )


def test_only_members_the_chair_and_the_secretariat_record_activities(make_user, setting):
    s = setting
    for actor in (
        s["outsider"],
        make_user(Role.BOARD_MEMBER, scope="nl"),
        make_user(Role.DEPLOYING_AUTHORITY),
    ):
        with pytest.raises(PermissionDenied):
            services.record_activity(
                actor=actor, network=s["network"], kind="exchange", title="x", date=days(0)
            )
    assert NetworkActivity.objects.count() == 0


def test_the_activity_form_records_a_meeting(make_user, login, setting):
    s = setting
    client = login(s["member"])
    response = client.post(
        f"/networks/{s['network'].pk}/activities/new/",
        {
            "kind": "meeting",
            "title": "Coordination meeting",
            "date": days(-1),
            "summary": "Minutes",
            "participant_ids": [s["member"].pk],
            "associate_ids": [s["associate"].pk],
            "topics": ["c"],
        },
    )
    activity = NetworkActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/networks/activities/{activity.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "Coordination meeting" in body and "Minutes" in body and "UK officer" in body
    assert login(s["outsider"]).get(f"/networks/{s['network'].pk}/activities/new/").status_code == 403


def test_the_activity_list_has_a_constant_number_of_queries(
    make_user, login, setting, django_assert_max_num_queries
):
    s = setting
    client = login(s["member"])
    services.record_activity(
        actor=s["member"], network=s["network"], kind="training", title="t", date=days(-1), topics=["a"]
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get("/networks/activities/").status_code == 200
    for n in range(30):
        services.record_activity(
            actor=s["member"],
            network=s["network"],
            kind="strategic_product",
            title=f"p{n}",
            date=days(-n),
            topics=["b", "c"],
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get("/networks/activities/").status_code == 200
