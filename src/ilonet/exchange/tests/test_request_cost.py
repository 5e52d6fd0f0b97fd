"""What an exchange page costs: the spaces a user works in read in one query, the facilitator rule
of Art. 5(2) only when a space's management is asked, and a number of queries that does not grow
with the spaces and documents shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ilonet import policy
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.exchange import access, services
from ilonet.networks import selectors as networks
from ilonet.networks import services as network_services

from .conftest import upload

pytestmark = pytest.mark.django_db


def _fresh(user):
    policy.forget_roles(user)
    return user


def test_the_spaces_a_user_works_in_are_the_member_and_managed_spaces(people, make_user):
    group = services.create_working_group(actor=people.secretariat, name="Document fraud")
    services.add_member(actor=people.secretariat, space=group, user=people.ilo, is_manager=True)
    everyone = [
        people.chair, people.secretariat, people.board_member, people.ilo, people.other_ilo,
        people.facilitator, people.ep_reader, people.outsider,
    ]  # fmt: skip
    for user in everyone:
        expected = access.member_spaces(_fresh(user)) | access.managed_spaces(user)
        assert access.working_spaces(_fresh(user)) == expected, user


def test_an_officer_whom_art_5_2_cannot_pick_facilitates_no_network_without_the_aggregates(people):
    """A member-state officer, named by no agreement: the networks they facilitate are known
    from two small queries, without the members' aggregates of their networks."""
    with CaptureQueriesContext(connection) as asked:
        assert networks.network_ids_facilitated_by(officer=_fresh(people.ilo)) == set()
    assert not any("COUNT(" in q["sql"].upper() for q in asked.captured_queries)
    assert len(asked) <= 4


@pytest.mark.parametrize("authority", ["com", "frontex"], ids=["Commission", "EU agency"])
def test_a_commission_or_agency_officer_still_facilitates_their_network(people, make_user, authority):
    eu_officer = officer(make_user, authority, first_name="Eu", last_name="Officer")
    deploy(desk(make_user, authority), eu_officer, authority=authority, place_kind="eu_delegation")
    assert networks.network_ids_facilitated_by(officer=_fresh(eu_officer)) == {people.network.pk}
    assert people.network_space.pk in access.managed_spaces(_fresh(eu_officer))
    assert people.network_space.pk not in access.managed_spaces(_fresh(people.ilo))


def test_an_officer_the_members_agreed_on_facilitates_their_network(people):
    """Art. 5(2), third sentence: no Commission or agency officer; the members' agreement."""
    assert networks.network_ids_facilitated_by(officer=_fresh(people.ilo)) == set()
    network_services.record_facilitator_agreement(
        actor=people.secretariat, network=people.network, officer_id=people.ilo.pk
    )
    assert networks.facilitators_for([people.network])[people.network.pk].officer_id == people.ilo.pk
    assert networks.network_ids_facilitated_by(officer=_fresh(people.ilo)) == {people.network.pk}
    assert people.network_space.pk in access.managed_spaces(_fresh(people.ilo))


@pytest.mark.parametrize("page", ["exchange:space_list", "exchange:space_detail"])
def test_an_officers_exchange_pages_run_a_bounded_number_of_queries(people, login, page):
    space = people.network_space
    upload(people.ilo, space, title="First")
    args = [space.pk] if page == "exchange:space_detail" else []
    client = login(people.ilo)
    assert client.get(reverse(page, args=args)).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(page, args=args)).status_code == 200
    for number in range(12):
        upload(people.ilo, space, title=f"Paper {number}")
    for number in range(3):
        group = services.create_working_group(actor=people.secretariat, name=f"Group {number}")
        services.add_member(actor=people.secretariat, space=group, user=people.ilo)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(page, args=args)).status_code == 200
    assert len(many) <= len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(few) <= 20
