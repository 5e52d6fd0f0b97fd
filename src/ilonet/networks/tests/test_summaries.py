"""The networks' list decides Art. 5(2) from a summary of each network's members
(``selectors.network_summaries_by_id``: counts per country and kind, and only the rows that
can decide). It must give what the rule gives over the full list of members
(``facilitation.decide_facilitator`` over ``selectors.members_by_network``, as a network's own
page decides) and what the summary of every tier gives, for every branch of Art. 5(2)."""

import contextlib
import random

import pytest
from django.core.exceptions import ValidationError

from ilonet.accounts.roles import Role
from ilonet.deployments import services as deployment_services
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import selectors, services
from ilonet.networks.facilitation import decide_facilitator
from ilonet.networks.models import Network

pytestmark = pytest.mark.django_db

COUNTRIES = ["MA", "TN", "DZ", "EG", "SN", "JO"]
AUTHORITIES = ["com", "frontex", "nl-auth", "fr-auth"]


def _full_rule(networks):
    members = selectors.members_by_network(networks)
    agreements = selectors.latest_agreements([n.pk for n in networks])
    return {
        n.pk: (len(members[n.pk]), decide_facilitator(members=members[n.pk], agreement=agreements.get(n.pk)))
        for n in networks
    }


def seeded_networks(make_user, seed: int) -> list[Network]:
    """Ten networks of one to three countries, 24 officers of the Commission, an agency and two
    member states with random start dates, agreements on members of every tier, eight of the
    deployments ended: data reaching several branches of Art. 5(2)."""
    rng = random.Random(seed)  # noqa: S311  (seeded test data, not secrets)
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    for i in range(10):
        countries = rng.sample(COUNTRIES, rng.choice([1, 2, 3]))
        services.create_network(
            actor=secretariat,
            name=f"Network {i}",
            kind="local" if len(countries) == 1 else "regional",
            countries=countries,
        )
    deployments = []
    for i in range(24):
        authority = rng.choice(AUTHORITIES)
        person = officer(make_user, authority, first_name=f"Officer{i}", last_name=authority)
        kind = "ms_mission" if authority.endswith("-auth") else "eu_delegation"
        deployments.append(
            (
                authority,
                person,
                deploy(
                    desk(make_user, authority),
                    person,
                    authority=authority,
                    place_kind=kind,
                    country=rng.choice(COUNTRIES),
                    start=days(-rng.randint(1, 900)),
                ),
            )
        )
    networks = list(Network.objects.order_by("pk"))
    # Agreements on members of every tier (an agreement names a member, Art. 5(2), third sentence).
    members = selectors.members_by_network(networks)
    for network in networks:
        if members[network.pk] and rng.random() < 0.7:
            chosen = rng.choice(members[network.pk])
            with contextlib.suppress(ValidationError):  # a member of one tier only: refused
                services.record_facilitator_agreement(
                    actor=secretariat, network=network, officer_id=chosen.officer_id
                )
    # Some officers leave: an agreed officer no longer deployed, tiers that empty.
    for authority, _person, deployment in rng.sample(deployments, 8):
        deployment_services.end_deployment(actor=desk(make_user, authority), deployment=deployment)
    return networks


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lists_summary_decides_art_5_2_as_the_full_list_of_members_does(make_user, seed):
    networks = seeded_networks(make_user, seed)
    ids = [n.pk for n in networks]
    codes = selectors.country_codes_by_network(ids)
    summaries = selectors.network_summaries_by_id(ids, codes)
    every_tier = selectors._network_summaries_of_every_tier(ids, codes, selectors.latest_agreements(ids))
    full = _full_rule(networks)
    assert summaries == every_tier
    assert {pk: (s.member_count, s.decision) for pk, s in summaries.items()} == full
    reasons = {s.decision.reason for s in summaries.values()}
    assert len(reasons) >= 3, reasons  # the data reaches several branches of Art. 5(2)
