"""Countries as users read them (issue 8, item 7): region names in the active language,
Kosovo named, EL for Greece, outermost regions refused as countries of deployment."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ilonet.accounts.roles import Role
from ilonet.deployments import selectors
from ilonet.networks import services as network_services

from .helpers import deploy, desk, officer

pytestmark = pytest.mark.django_db


def test_the_registry_shows_the_region_of_responsibility_by_name(make_user, login):
    deploy(desk(make_user), officer(make_user), country="AL", region=["AL", "XK"])
    client = login(make_user(Role.SECRETARIAT, organisation="com"))
    page = client.get("/deployments/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Albania, Kosovo*" in page


def test_the_contact_list_region_shows_kosovo_by_name(make_user, login):
    deploy(desk(make_user), officer(make_user), country="AL", region=["AL", "XK"])
    client = login(make_user(Role.SECRETARIAT, organisation="com"))
    page = client.get("/deployments/contacts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Albania, Kosovo*" in page and "Albania, <" not in page


def test_a_greek_authority_is_shown_with_el(make_user, login):
    deploy(desk(make_user, "gr-auth"), officer(make_user, "gr-auth"), authority="gr-auth")
    client = login(make_user(Role.SECRETARIAT, organisation="com"))
    page = client.get("/deployments/").content.decode()
    assert "(EL)" in page and "(GR)" not in page


@pytest.mark.parametrize("code", ["GF", "RE", "MF", "AX"])
def test_an_outermost_region_is_refused_as_country_of_deployment(make_user, code):
    with translation.override("en"):
        problem = selectors.country_problem(code, what="The country of deployment")
    assert problem and "part of" in problem and "must be a third country" in problem
    with pytest.raises(ValidationError):
        deploy(desk(make_user), officer(make_user), country=code)


def test_a_network_cannot_be_in_french_guiana(make_user):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        network_services.create_network(
            actor=make_user(Role.SECRETARIAT, organisation="com"),
            name="Guiana",
            kind="local",
            countries=["GF"],
        )
    assert "Art. 349 TFEU" in raised.value.message_dict["countries"][0]


def test_a_network_may_be_in_kosovo_and_new_caledonia(make_user):
    network = network_services.create_network(
        actor=make_user(Role.SECRETARIAT, organisation="com"), name="Mixed", kind="regional",
        countries=["XK", "NC"],
    )  # fmt: skip
    assert set(network.countries.values_list("country", flat=True)) == {"XK", "NC"}
