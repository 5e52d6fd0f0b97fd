"""Local and regional networks (Art. 5(1)): membership follows the deployment registry, and
liaison officers of non-EU countries can be associates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.accounts.roles import Role
from ilonet.deployments import services as deployment_services
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import selectors, services
from ilonet.networks.models import Associate, Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, organisation="com")


def _members(network):
    return [m.name for m in selectors.members_by_network([network])[network.pk]]


def test_officers_deployed_in_the_country_are_members(make_user, secretariat):
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    actor = desk(make_user)
    deploy(actor, officer(make_user, first_name="In", last_name="Morocco"), country="MA")
    deploy(actor, officer(make_user, first_name="In", last_name="Tunisia"), country="TN", region=["MA"])
    assert _members(network) == ["In Morocco"]  # deployed in the country, not merely covering it


def test_an_officer_whose_deployment_ends_leaves_the_network(make_user, secretariat):
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    actor, person = desk(make_user), officer(make_user, first_name="Leaving", last_name="Soon")
    deployment = deploy(actor, person, country="MA")
    assert _members(network) == ["Leaving Soon"] and selectors.is_member(officer=person, network=network)
    deployment_services.end_deployment(actor=actor, deployment=deployment)
    assert _members(network) == [] and not selectors.is_member(officer=person, network=network)


def test_a_planned_deployment_does_not_make_a_member_until_it_starts(make_user, secretariat):
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    actor = desk(make_user)
    plan = deploy(actor, officer(make_user), country="MA", status="planned", start=days(-1))
    assert _members(network) == []
    deployment_services.start_deployment(actor=actor, deployment=plan)
    assert len(_members(network)) == 1


def test_moving_an_officer_moves_the_membership(make_user, secretariat):
    morocco = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    tunisia = services.create_network(actor=secretariat, name="Tunisia", kind="local", countries=["TN"])
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user), country="MA")
    deployment_services.update_deployment(actor=actor, deployment=deployment, country="TN")
    assert _members(morocco) == [] and len(_members(tunisia)) == 1


def test_a_regional_network_has_the_officers_of_all_its_countries(make_user, secretariat):
    network = services.create_network(
        actor=secretariat, name="Western Balkans", kind="regional", countries=["RS", "AL", "MK"]
    )
    actor = desk(make_user)
    for code in ("RS", "AL", "MK", "TR"):
        deploy(actor, officer(make_user, last_name=code), country=code)
    assert sorted(n.split()[-1] for n in _members(network)) == ["AL", "MK", "RS"]
    assert [n.name for n in selectors.networks_of_officer(officer=officer(make_user))] == []


@pytest.mark.parametrize(
    ("kind", "countries", "field", "words"),
    [
        ("local", ["MA", "TN"], "countries", "exactly one country"),
        ("regional", ["MA"], "countries", "at least two"),
        ("local", ["FR"], "countries", "not a third country"),
        ("local", ["XX"], "countries", "Unknown country code"),
        ("local", [], "countries", "Choose the country"),
        ("global", ["MA"], "kind", "local or a regional"),
    ],
)
def test_bad_networks_are_refused(secretariat, kind, countries, field, words):
    with pytest.raises(ValidationError) as error:
        services.create_network(actor=secretariat, name="Bad", kind=kind, countries=countries)
    assert words in error.value.message_dict[field][0]
    assert Network.objects.count() == 0


def test_network_names_are_unique(secretariat):
    services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    with pytest.raises(ValidationError, match="already exists"):
        services.create_network(actor=secretariat, name="morocco", kind="local", countries=["MA"])


def test_only_the_chair_and_secretariat_create_networks(make_user):
    with pytest.raises(PermissionDenied):
        services.create_network(actor=make_user(Role.ILO), name="Morocco", kind="local", countries=["MA"])
    assert Network.objects.count() == 0


def test_non_eu_liaison_officers_can_be_associates(make_user, secretariat):
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    for code in ("GB", "US", "NO", "CH"):
        services.add_associate(
            actor=secretariat, network=network, name=f"Officer of {code}", deploying_country=code
        )
    assert network.associates.count() == 4


@pytest.mark.parametrize(("code", "words"), [("DE", "EU member state"), ("ZZ", "Unknown country code")])
def test_an_associate_from_a_member_state_or_nowhere_is_refused(secretariat, code, words):
    network = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    with pytest.raises(ValidationError) as error:
        services.add_associate(actor=secretariat, network=network, name="X", deploying_country=code)
    assert words in error.value.message_dict["deploying_country"][0]
    assert Associate.objects.count() == 0


def test_members_may_add_associates_to_their_own_network_only(make_user, secretariat):
    morocco = services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    tunisia = services.create_network(actor=secretariat, name="Tunisia", kind="local", countries=["TN"])
    person = officer(make_user)
    deploy(desk(make_user), person, country="MA")
    services.add_associate(actor=person, network=morocco, name="UK officer", deploying_country="GB")
    with pytest.raises(PermissionDenied):
        services.add_associate(actor=person, network=tunisia, name="UK officer", deploying_country="GB")
    associate = morocco.associates.get()
    services.end_association(actor=person, associate=associate, left_on=days(0))
    assert Associate.objects.get().left_on == days(0)


def test_changing_a_networks_countries_changes_its_members(make_user, secretariat):
    network = services.create_network(
        actor=secretariat, name="Maghreb", kind="regional", countries=["MA", "DZ"]
    )
    deploy(desk(make_user), officer(make_user), country="TN")
    assert _members(network) == []
    services.update_network(actor=secretariat, network=network, countries=["MA", "DZ", "TN"])
    assert len(_members(network)) == 1
