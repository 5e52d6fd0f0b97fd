"""What the home page reads from the networks: the networks a user works in whose last
notification to the board says that no facilitator was appointed (Art. 5(2), Art. 5(3))."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.networks import selectors, services

pytestmark = pytest.mark.django_db


def _names(user) -> list[str]:
    return [n.name for n in selectors.networks_without_facilitator(user=user)]


def test_a_member_sees_the_networks_without_facilitator_they_are_in_until_one_is_agreed(make_user):
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    services.create_network(actor=secretariat, name="Tunisia", kind="local", countries=["TN"])
    services.create_network(actor=secretariat, name="Senegal", kind="local", countries=["SN"])
    member = officer(make_user, "nl-auth")
    deploy(desk(make_user), member, country="MA")
    deploy(
        desk(make_user, "com"),
        officer(make_user, "com"),
        authority="com",
        country="SN",
        place_kind="eu_delegation",
    )
    assert _names(member) == ["Morocco"]  # Art. 5(1): a member of Morocco only
    assert _names(secretariat) == ["Morocco", "Tunisia"]  # every network; Senegal has a Commission officer
    morocco = selectors.network_list(user=member).get(name="Morocco")
    services.record_facilitator_agreement(actor=member, network=morocco, officer_id=member.pk)
    assert _names(member) == []  # Art. 5(2), third sentence: the members agreed
    for outsider in (make_user(Role.OBSERVER, organisation="iom"), desk(make_user)):
        assert _names(outsider) == []


def test_facilitator_notifications_since_a_moment(make_user):
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    later = timezone.now() + timedelta(seconds=1)
    assert selectors.facilitator_notification_list(user=secretariat).count() == 1
    assert selectors.facilitator_notification_list(user=secretariat, since=later).count() == 0
