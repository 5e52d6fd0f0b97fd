"""Plausible dates of the networks (issue 8): a facilitator agreed before the Regulation created
facilitators (Art. 5(2), Art. 14) or before the officer arrived, activities (Art. 5(1)) and
associates before the Regulation, an association starting later, a list of deployed ILOs
(Art. 8(2)(d)) covering activities since before the Regulation: refused with the reason."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import services
from ilonet.networks.models import Associate, FacilitatorAgreement, NetworkActivity, OfficerList

pytestmark = pytest.mark.django_db

BEFORE = date(2019, 8, 13)


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, organisation="com")


@pytest.fixture
def network(secretariat):
    return services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])


def _message(call, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict[field][0]


def test_a_facilitator_is_agreed_after_the_regulation_and_the_officers_arrival(
    make_user, network, secretariat
):
    person = officer(make_user, first_name="Ana", last_name="Costa")
    deploy(desk(make_user), person, country="MA", start=days(-40))

    def agree(day):
        return services.record_facilitator_agreement(
            actor=secretariat, network=network, officer_id=person.pk, agreed_on=day
        )

    assert "14 August 2019" in _message(lambda: agree(BEFORE), "agreed_on")
    assert "deployed here since" in _message(lambda: agree(days(-100)), "agreed_on")
    assert "future" in _message(lambda: agree(days(2)), "agreed_on")
    assert not FacilitatorAgreement.objects.exists()
    assert agree(days(-40)).agreed_on == days(-40)


def test_an_activity_before_the_regulation_is_refused(network, secretariat):
    def record(day):
        return services.record_activity(
            actor=secretariat, network=network, kind="meeting", title="Meeting", date=day
        )

    assert "Art. 14" in _message(lambda: record(BEFORE), "date")
    assert not NetworkActivity.objects.exists()
    assert record(days(-3)).date == days(-3)


def test_an_associate_is_associated_since_a_past_day_under_the_regulation(network, secretariat):
    def add(day):
        return services.add_associate(
            actor=secretariat, network=network, name="Liaison officer", deploying_country="CA", joined_on=day
        )

    assert "today or earlier" in _message(lambda: add(days(30)), "joined_on")
    assert "Art. 14" in _message(lambda: add(BEFORE), "joined_on")
    assert not Associate.objects.exists()
    assert add(days(-30)).joined_on == days(-30)


def test_the_list_of_deployed_ilos_covers_activities_since_the_regulation(make_user):
    chair = make_user(Role.CHAIR, organisation="com")
    message = _message(
        lambda: services.update_officer_list(actor=chair, title="List", activities_since=BEFORE),
        "activities_since",
    )
    assert "Art. 14" in message
    assert not OfficerList.objects.exists()
    assert services.update_officer_list(actor=chair, title="List", activities_since=days(-90))
